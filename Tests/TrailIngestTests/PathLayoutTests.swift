import Testing

@testable import TrailIngest

struct PathLayoutTests {
    @Test func readsTheStandardLayout() {
        let layout = PathLayout(
            path: "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/02/111122223333_CloudTrail_eu-west-1_x.json.gz"
        )
        #expect(layout.area == .logs)
        #expect(layout.accountID == "111122223333")
        #expect(layout.organizationID == nil)
        #expect(layout.region == "eu-west-1")
        #expect(layout.date == "2026-11-02")
    }

    @Test func readsTheOrganizationTrailLayout() {
        let layout = PathLayout(path: "x/AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/us-east-1/2026/11/03/f.json.gz")
        #expect(layout.organizationID == "o-a1b2c3d4e5")
        #expect(layout.accountID == "444455556666")
        #expect(layout.region == "us-east-1")
        #expect(layout.date == "2026-11-03")
    }

    @Test func tellsDigestAndInsightsFolders() {
        #expect(
            PathLayout(path: "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/d.json.gz").area == .digests
        )
        #expect(
            PathLayout(path: "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/02/i.json.gz").area == .insights
        )
    }

    @Test func leavesOtherPathsOutsideTheLayout() {
        #expect(PathLayout(path: "exports/file.json").area == .outsideLayout)
        #expect(PathLayout(path: "AWSLogs/not-an-account/CloudTrail/x.json").accountID == nil)
    }
}
