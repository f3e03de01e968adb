import TrailAnalysis

/// An incident's timeline table: every call of the session tree, up to ``timelineLimit`` rows.
///
/// Twelve fields do not fit twelve readable columns, so related ones share a cell: the account
/// over the region, the event name over its source, the actor over the chain of keys.
extension IncidentHTML {
    /// The timeline heading, a note on what is shown, and the table.
    static func timeline(_ incident: Incident) -> [String] {
        let total = incident.timeline.count
        var parts = ["<h3>Timeline</h3>"]
        guard total > 0 else { return parts + ["<p>No calls.</p>"] }
        let shown =
            total > timelineLimit
            ? "The first \(timelineLimit) of \(total) calls of the tree are shown."
            : "All \(total) call\(total == 1 ? "" : "s") of the tree."
        parts.append(
            "<p class=\"note\">\(shown) The full timeline of every incident is in timeline.csv "
                + "and timeline.jsonl. Long user agents show three lines here: point at one to "
                + "read it whole.</p>"
        )

        let rows = incident.timeline.prefix(timelineLimit)
        let columns = [
            "time", "account / region", "event", "error", "source IP", "user agent",
            "actor / chain of keys", "summary", "technique", "file#record",
        ]
        let rowClasses = rows.map { row in
            row.technique.map { "technique " + severityClass($0.severity) } ?? "plain"
        }
        parts.append(
            table(
                columns: columns,
                rows: rows.map(timelineCells),
                className: "timeline",
                rowClasses: rowClasses
            )
        )
        return parts
    }

    private static func timelineCells(_ row: TimelineRow) -> [String] {
        let technique = row.technique.map { technique in
            "<td class=\"technique\"><span class=\"mono\">"
                + "\(HTMLText.escaped(technique.techniqueID))</span> "
                + HTMLText.escaped(technique.name) + "</td>"
        }
        let actor = row.principalARN ?? row.accessKeyID ?? ""
        return [
            timeCell(row.time),
            stackedCell(row.accountID ?? "", row.region ?? "", className: "where"),
            stackedCell(row.eventName ?? "?", row.eventSource ?? "", className: "event"),
            cell(row.errorCode ?? "", className: "error"),
            cell(row.sourceIPAddress ?? "", className: "address"),
            clampedCell(row.userAgent ?? "", className: "agent"),
            stackedCell(actor, row.chain.joined(separator: " \u{203a} "), className: "actor"),
            cell(row.summary, className: "summary"), technique ?? "<td></td>", recordCell(row),
        ]
    }

    /// A cell of two values, the second under the first and quieter.
    private static func stackedCell(
        _ first: String,
        _ second: String,
        className: String
    ) -> String {
        "<td class=\"\(className)\"><span class=\"first\">\(HTMLText.escaped(first))</span>"
            + "<span class=\"second\">\(HTMLText.escaped(second))</span></td>"
    }

    /// An ISO 8601 time that may break between the date and the time of day, to keep the
    /// column narrow.
    private static func timeCell(_ time: String?) -> String {
        guard let time, let separator = time.firstIndex(of: "T") else {
            return cell(time ?? "", className: "time")
        }
        let date = HTMLText.escaped(String(time[..<separator]))
        let clock = HTMLText.escaped(String(time[separator...]))
        return "<td class=\"time\">\(date)<wbr>\(clock)</td>"
    }

    /// A cell cut to three lines on screen, whole on hover, in print and in its tooltip.
    private static func clampedCell(_ text: String, className: String) -> String {
        let escaped = HTMLText.escaped(text)
        return "<td class=\"\(className)\" title=\"\(escaped)\">"
            + "<span class=\"clamp\">\(escaped)</span></td>"
    }

    /// The record's file and index; the full path is the tooltip.
    ///
    /// CloudTrail names its files `ACCOUNT_CloudTrail_REGION_TIME_UNIQUE.json.gz`; when the
    /// account and region are the row's own, which the cell next to it shows, they are left out
    /// of the visible name.
    private static func recordCell(_ row: TimelineRow) -> String {
        guard let file = row.file else { return "<td></td>" }
        var name = file.split(separator: "/").last.map(String.init) ?? file
        var cut = ""
        if let account = row.accountID, let region = row.region {
            let prefix = "\(account)_CloudTrail_\(region)_"
            if name.hasPrefix(prefix), name.count > prefix.count {
                name.removeFirst(prefix.count)
                // An ellipsis, then a word joiner so that the line does not break after it.
                cut = "&#8230;&#8288;"
            }
        }
        let index = row.recordIndex.map { "#\($0)" } ?? ""
        return "<td class=\"record\" title=\"\(HTMLText.escaped(file))\">"
            + "\(cut)\(HTMLText.escaped(name + index))</td>"
    }
}
