/// What the items of one file turned out to be, apart from the records handed out: the kinds
/// of envelope met, for naming the format, and why the other items were skipped.
struct ItemTally {
    static let unrecognisedReason = "object that is not a CloudTrail record"

    var kinds: Set<ItemKind> = []
    /// The keys of the first item that was not recognised, to describe a one-object file.
    var firstUnrecognisedKeys: [String]?
    private(set) var skippedCount = 0
    private var reasons: [(reason: String, count: Int)] = []

    mutating func skip(_ reason: String) {
        skippedCount += 1
        if let index = reasons.firstIndex(where: { $0.reason == reason }) {
            reasons[index].count += 1
        } else if reasons.count < 8 {
            reasons.append((reason, 1))
        }
    }

    /// The reasons in the order first met, each with its count when above one, as in
    /// `CloudTrail Insights event (2), S3 event notification`.
    var summary: String? {
        guard !reasons.isEmpty else { return nil }
        return reasons.map { $0.count > 1 ? "\($0.reason) (\($0.count))" : $0.reason }.joined(separator: ", ")
    }
}
