import Testing

@testable import TrailAnalysis

struct CredentialTextTests {
    @Test(arguments: [
        ("ASIAQHAFIVV6BHLBQ4WS", true),
        ("ASIA****************", false),
        ("1111", false),
        ("ASIAIOSFODNN7EXAMPLE", false),
        ("asiaqhafivv6bhlbq4ws", false),
        ("ASIAQHAFIVV6BHLBQ4W", false),
        ("AKIAQHAFIVV6BHLBQ4WS", false),
        ("", false),
    ])
    func recognisesPlausibleTemporaryKeys(_ key: String, _ isPlausible: Bool) {
        #expect(CredentialText.isPlausibleKey(key) == isPlausible)
    }

    @Test(
        arguments: [
            ("Nov 2, 2026, 3:04:05 PM", "2026-11-02T15:04:05Z"),
            ("Oct 2, 2019 11:12:29 PM", "2019-10-02T23:12:29Z"),
            ("Jan 5, 2026, 12:23:28 AM", "2026-01-05T00:23:28Z"),
            ("Jan 5, 2026, 12:23:28 PM", "2026-01-05T12:23:28Z"),
            ("2026-01-08T14:45:50Z", "2026-01-08T14:45:50Z"),
            ("next Tuesday", nil),
        ] as [(String, String?)]
    )
    func convertsExpirationsToISO(_ text: String, _ iso: String?) {
        #expect(CredentialText.expirationISO(text) == iso)
    }

    @Test func readsSessionNamesAndAccountsFromARNs() {
        let role = "arn:aws:sts::111122223333:assumed-role/Admin/alice@example.com"
        #expect(CredentialText.sessionName(ofARN: role) == "alice@example.com")
        #expect(CredentialText.sessionName(ofARN: "arn:aws:sts::1:federated-user/bob") == "bob")
        #expect(CredentialText.sessionName(ofARN: "arn:aws:iam::1:user/bob") == nil)
        #expect(CredentialText.account(ofARN: role) == "111122223333")
        #expect(
            CredentialText.isIdentityCenterRole("arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_X_1")
        )
    }
}
