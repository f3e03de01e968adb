import Foundation
import TestSupport
import Testing
import TrailCore
import TrailGeo
import TrailStore

@testable import TrailAnalysis

/// The stories of `Fixtures/investigate` (see scripts/make-investigate-fixtures.py), one per
/// indicator, and the negative: new-looking activity inside the baseline has no indicator.
struct InvestigationStoryTests {
    private static let account = "arn:aws:iam::111122223333"

    /// Ingests the story's dump and investigates `subject` with the test databases and list.
    private static func investigate(
        _ story: String,
        subject: String,
        withDatabases: Bool = true,
        configure: (inout Investigator.Options) -> Void = { _ in }
    ) throws -> Investigation {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        _ = try CaseUpdate.run(
            CaseIngest.Options(paths: [Fixtures.path("investigate/\(story)")], databasePath: database)
        )
        var options = Investigator.Options(subjects: [subject])
        if withDatabases {
            options.cityDatabasePath = Fixtures.path("geo/test-city.mmdb")
            options.asnDatabasePath = Fixtures.path("geo/test-asn.mmdb")
            options.flaggedAddresses = try FlaggedAddressList.read(path: Fixtures.path("investigate/flagged-ips.txt"))
        }
        configure(&options)
        return try Investigator.investigate(databasePath: database, options: options)
    }

    /// Each indicator as `kind severity`, in the investigation's order.
    private static func summary(_ investigation: Investigation) -> [String] {
        investigation.indicators.map { "\($0.kind.rawValue) \($0.severity)" }
    }

    private static func indicator(_ kind: Indicator.Kind, in investigation: Investigation) throws -> Indicator {
        try #require(investigation.indicators.first { $0.kind == kind }, "no \(kind) indicator")
    }

    @Test func newLookingActivityInsideTheBaselineHasNoIndicator() throws {
        let investigation = try Self.investigate("inside-baseline", subject: "\(Self.account):user/steady")
        #expect(investigation.indicators.isEmpty, "\(Self.summary(investigation))")
        #expect(investigation.severity == "informational")
        #expect(investigation.scopeEventCount == 2)
        #expect(investigation.baselineEventCount == 91)
        #expect(!investigation.baselineIsTooShort)
        #expect(investigation.limitations.isEmpty)
        #expect(investigation.scopeStart == "2026-11-30T10:01:00Z" && investigation.scopeEnd == "2026-12-01T10:01:00Z")
        #expect(investigation.scopeRule == "the last 24 hours of its activity (no --from or --to was given)")
    }

    @Test func theSameActivityIsNewOnceItsFirstUseFallsBeforeAShorterBaseline() throws {
        let investigation = try Self.investigate("inside-baseline", subject: "\(Self.account):user/steady") {
            $0.baselineDays = 20
        }
        #expect(
            Self.summary(investigation) == [
                "newRegion medium", "newCountry medium", "newASN medium", "newAPICall low", "newSourceIP low",
                "newUserAgent low",
            ]
        )
        #expect(investigation.severity == "high", "three kinds at medium raise the worst a level")
        let region = try Self.indicator(.newRegion, in: investigation)
        #expect(
            region.explanation == "In the scope it used 1 region never seen in its 20-day baseline: eu-west-1 (1 call)."
        )
        #expect(region.eventIDs == ["steady-1"])
    }

    @Test func techniquesAreListedWithSourceAPIAndSuccessAndFailureCounts() throws {
        let investigation = try Self.investigate("ttp", subject: "\(Self.account):user/ttp-user")
        #expect(Self.summary(investigation) == ["ttpObserved high", "ttpObserved medium", "newAPICall low"])
        #expect(investigation.severity == "high")
        let created = investigation.indicators[0]
        #expect(
            created.explanation
                == "iam:CreateUser was called 1 time from 198.51.100.10 (1 succeeded, 0 failed), which maps to "
                + "Persistence T1136.003 Create Account: Cloud Account."
        )
        #expect(created.eventIDs == ["ttp-create-user"])
        let secrets = JSONValue.object(investigation.indicators[1].details).rendered()
        #expect(
            secrets
                == #"{"tactic":"Credential Access","techniqueId":"T1555.006","techniqueName":"#
                + #""Credentials from Password Stores: Cloud Secrets Management Stores","procedure":"#
                + #""secretsmanager:GetSecretValue","sourceIPAddress":"198.51.100.10","successCount":2,"#
                + #""failureCount":1,"inBaseline":false}"#
        )
        #expect(investigation.indicators[1].eventIDs == ["ttp-secret-1", "ttp-secret-2", "ttp-secret-3"])
    }

    @Test func newSourceUserAgentRegionCountryAndNetworkAreEachAnIndicator() throws {
        let investigation = try Self.investigate("new-behaviour", subject: "\(Self.account):user/newbie")
        #expect(
            Self.summary(investigation) == [
                "newRegion medium", "newCountry medium", "newASN medium", "newAPICall low", "newSourceIP low",
                "newUserAgent low",
            ]
        )
        #expect(investigation.severity == "high")
        let texts = investigation.indicators.map(\.explanation)
        #expect(texts.contains("In the scope it used 1 country never seen in its 45-day baseline: XC (3 calls)."))
        #expect(
            texts.contains(
                "In the scope it used 1 autonomous system never seen in its 45-day baseline: "
                    + "AS64498 Example Cloud Three (3 calls)."
            )
        )
        #expect(
            texts.contains(
                "In the scope it used 1 user agent never seen in its 45-day baseline: python-requests/2.31.0 (3 calls)."
            )
        )
        #expect(investigation.indicators.allSatisfy { $0.eventIDs == ["new-1", "new-2", "new-3"] })
    }

    @Test func withoutTheDatabasesGeolocationIsSaidToBeUnchecked() throws {
        let investigation = try Self.investigate(
            "new-behaviour",
            subject: "\(Self.account):user/newbie",
            withDatabases: false
        )
        #expect(!investigation.indicators.contains { [.newCountry, .newASN, .impossibleTravel].contains($0.kind) })
        #expect(
            investigation.limitations == [
                "Geolocation was not checked: no --geoip database was given, so new countries and impossible travel "
                    + "are unknown.",
                "Autonomous systems were not checked: no --asn database was given.",
                "Flagged IPs were not checked: no --flagged-ips list was given.",
            ]
        )
    }

    @Test func successiveCallsFromOppositeSidesOfTheWorldAreImpossibleTravel() throws {
        let investigation = try Self.investigate("impossible-travel", subject: "\(Self.account):user/traveller")
        let travel = try Self.indicator(.impossibleTravel, in: investigation)
        #expect(travel.severity == "high")
        #expect(
            travel.explanation
                == "arn:aws:iam::111122223333:user/traveller called from 198.51.100.10 (XB) at 2026-12-01T10:00:00Z "
                + "and from 203.0.113.20 (XC) at 2026-12-01T10:20:00Z, 16007 km apart in 20.0 minutes, "
                + "one of 2 such jumps."
        )
        #expect(travel.eventIDs == ["travel-1", "travel-2", "travel-3"], "the 66 km hop to travel-4 is no jump")
        #expect(investigation.severity == "critical")
    }

    @Test func callsFromAFlaggedNetworkNameItsEntryAndLabel() throws {
        let investigation = try Self.investigate("flagged-ip", subject: "\(Self.account):user/flagged")
        let flagged = try Self.indicator(.flaggedIP, in: investigation)
        #expect(flagged.severity == "high")
        #expect(
            flagged.explanation
                == "It made 2 calls from 203.0.113.77, in 203.0.113.64/26 of the flagged list (known-bad VPN exit)."
        )
        #expect(flagged.eventIDs == ["flagged-1", "flagged-2"])
        let other = try Self.investigate("new-behaviour", subject: "\(Self.account):user/newbie")
        #expect(!other.indicators.contains { $0.kind == .flaggedIP }, "203.0.113.20 is outside 203.0.113.64/26")
    }

    @Test func aBurstOfCallsAndFailuresIsAVolumeChange() throws {
        let investigation = try Self.investigate("volume", subject: "\(Self.account):user/busy")
        #expect(Self.summary(investigation) == ["volumeChange medium", "failedCallRateChange medium"])
        #expect(
            investigation.indicators.map(\.explanation) == [
                "It made 120 calls in the scope, 5.0 an hour, against 0.1 an hour in its baseline.",
                "40 calls of the scope's 120 failed (33%), against 0% of its baseline's calls.",
            ]
        )
        #expect(investigation.indicators[1].eventIDs.prefix(3) == ["volume-003", "volume-006", "volume-009"])
        #expect(investigation.indicators[0].eventIDs.count == Indicator.evidenceLimit)
    }

    @Test func instanceCredentialsUsedFromAPublicAddressAreFound() throws {
        let investigation = try Self.investigate("instance", subject: "\(Self.account):role/web")
        let elsewhere = try Self.indicator(.instanceCredentialsElsewhere, in: investigation)
        #expect(elsewhere.severity == "high")
        #expect(
            elsewhere.explanation
                == "The role credentials of instance i-0abc1234def567890 made 2 calls from 203.0.113.200, while the "
                + "instance's own calls came from private addresses or AWS services."
        )
        #expect(elsewhere.eventIDs == ["instance-away-5", "instance-away-6"])
        #expect(investigation.scopeEventCount == 3)
    }

    @Test func sessionsOfTheTreeAndPrincipalsSharingAddressAndAgentAreRelated() throws {
        let investigation = try Self.investigate("related", subject: "\(Self.account):user/ops")
        let related = investigation.indicators.filter { $0.kind == .relatedSessions }
        #expect(related.map(\.severity) == ["low", "informational"])
        #expect(
            related.first?.explanation
                == "1 other principal called from the same source IP with the same user agent in the scope: "
                + "arn:aws:iam::111122223333:user/mallory (203.0.113.5, 1 call).",
            "bystander used another user agent"
        )
        #expect(related.first?.eventIDs == ["related-mallory"])
        #expect(
            related.last?.explanation
                == "2 sessions of its tree made calls in the scope: ASIARELATEDADMIN0001 "
                + "(arn:aws:sts::111122223333:assumed-role/admin/ops-1, 1 call) and ASIARELATEDADMIN0002 "
                + "(arn:aws:sts::111122223333:assumed-role/admin/ops-2, 1 call)."
        )
    }

    @Test func aShortHistoryIsSaidToBeTooShortToJudge() throws {
        let investigation = try Self.investigate("short-baseline", subject: "\(Self.account):user/newcomer")
        #expect(investigation.baselineIsTooShort)
        #expect(investigation.indicators.isEmpty, "a new address is not judged without two weeks of history")
        #expect(
            investigation.limitations == [
                "The baseline is too short to judge new behaviour or call volume: the first call in the dump is 2 days "
                    + "before the scope, and 14 are needed."
            ]
        )
    }

    @Test func anExplicitScopeAndAnUnknownPrincipal() throws {
        let investigation = try Self.investigate("ttp", subject: "\(Self.account):user/ttp-user") {
            $0.from = "2026-11-20T00:00:00Z"
            $0.to = "2026-11-20T23:59:59Z"
        }
        #expect(investigation.scopeEventCount == 3)
        #expect(investigation.indicators.isEmpty)
        #expect(investigation.scopeRule == "from --from to --to")
        #expect(investigation.baselineStart == "2026-10-06T00:00:00Z")
        #expect(throws: SessionChain.LookupError.self) {
            try Self.investigate("ttp", subject: "\(Self.account):user/nobody")
        }
    }
}
