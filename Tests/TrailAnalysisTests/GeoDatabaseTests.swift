import Foundation
import TestSupport
import Testing
import TrailGeo

@testable import TrailAnalysis

/// The MaxMind reader on the tiny databases of `Fixtures/geo` (scripts/make-test-mmdb.py), and
/// the networks of the flagged list.
struct GeoDatabaseTests {
    @Test func theCityDatabaseGivesCountryAndLocation() throws {
        let cities = try MaxMindDatabase(path: Fixtures.path("geo/test-city.mmdb"))
        #expect(cities.databaseType == "trailhound-Test-City")
        var expected = GeoRecord()
        expected.countryCode = "XA"
        expected.latitude = 48.5
        expected.longitude = 2.5
        #expect(cities.lookup("192.0.2.200") == expected)
        #expect(cities.lookup("2001:db8:0:1::9")?.countryCode == "XD")
        #expect(cities.lookup("198.51.100.1")?.longitude == -74)
        #expect(cities.lookup("8.8.8.8") == nil, "outside every test network")
        #expect(cities.lookup("AWS Internal") == nil)
    }

    @Test func theASNDatabaseGivesNumberAndOrganisation() throws {
        let networks = try MaxMindDatabase(path: Fixtures.path("geo/test-asn.mmdb"))
        let record = try #require(networks.lookup("203.0.113.200"))
        #expect(record.autonomousSystemNumber == 64499)
        #expect(record.autonomousSystemOrganization == "Example Mobile Four")
        #expect(record.countryCode == nil)
        #expect(networks.lookup("203.0.113.1")?.autonomousSystemNumber == 64498)
    }

    @Test func aFileThatIsNoDatabaseFailsToOpenWithTheLibrarysReason() throws {
        let path = Fixtures.path("investigate/flagged-ips.txt")
        #expect {
            try MaxMindDatabase(path: path)
        } throws: { error in
            String(describing: error) == "Unable to open '\(path)': The MaxMind DB file contains invalid metadata"
        }
    }

    @Test func aFailedOpenLeavesNothingBehindAndOpeningAgainWorks() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("not yet a database", to: "late.mmdb")
        #expect(throws: MaxMindDatabase.OpenError.self) { try MaxMindDatabase(path: path) }
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: Fixtures.path("geo/test-asn.mmdb"), toPath: path)
        for _ in 0..<100 {
            let networks = try MaxMindDatabase(path: path)
            #expect(networks.lookup("192.0.2.1")?.autonomousSystemNumber == 64496)
        }
        #expect(throws: MaxMindDatabase.OpenError.self) { try MaxMindDatabase(path: folder.file("missing.mmdb")) }
    }

    @Test func networksHoldTheirAddressesOnly() throws {
        let network = try #require(IPNetwork("203.0.113.64/26"))
        #expect(network.contains("203.0.113.64") && network.contains("203.0.113.127"))
        #expect(!network.contains("203.0.113.128") && !network.contains("203.0.113.63"))
        #expect(!network.contains("2001:db8::1") && !network.contains("AWS Internal"))
        #expect(try #require(IPNetwork("2001:db8::/32")).contains("2001:db8:ffff::1"))
        #expect(IPNetwork("192.0.2.1/33") == nil && IPNetwork("192.0.2") == nil)
    }

    @Test func theFlaggedListReadsLabelsAndRejectsWhatIsNoNetwork() throws {
        let list = try FlaggedAddressList(text: "# c\n192.0.2.7 tor exit  # note\n\n2001:db8::/32\n", path: "f")
        #expect(list.entries.map(\.text) == ["192.0.2.7", "2001:db8::/32"])
        #expect(list.entries.map(\.label) == ["tor exit", nil])
        #expect {
            try FlaggedAddressList(text: "192.0.2.7\nexample.com bad\n", path: "list.txt")
        } throws: { error in
            String(describing: error)
                == "Unable to read 'list.txt' line 2: 'example.com' is not an IP address or CIDR network"
        }
    }
}
