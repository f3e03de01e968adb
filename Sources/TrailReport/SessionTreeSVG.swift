import TrailAnalysis

/// The session tree of an incident as an inline SVG graph, drawn left to right: the origin in
/// the first column, then each session one column right of the session whose credentials
/// issued it.
///
/// Cross-account hops are dashed red edges labelled `cross-account`; role chaining is a purple
/// edge labelled `role chaining`. Only the first ``nodeLimit`` sessions, in tree order, are
/// drawn, so that a big tree stays readable; ``omittedCount`` says how many were left out.
package struct SessionTreeSVG {
    /// The most sessions drawn in one graph.
    package static let nodeLimit = 60

    /// A box of the graph: the origin (no session) or one session, at its place in the grid.
    struct Node {
        var session: Session?
        var column: Int
        var row: Double
        var parent: Int?
    }

    let incident: Incident
    /// The nodes in tree order; the first is the origin.
    private(set) var nodes: [Node] = []
    /// The sessions of the incident left out of the graph.
    private(set) var omittedCount = 0

    /// Lays out the tree of `incident`.
    ///
    /// - Parameters:
    ///   - incident: The incident whose sessions are drawn.
    ///   - nodeLimit: The most sessions drawn; the rest are counted in ``omittedCount``.
    package init(incident: Incident, nodeLimit: Int = SessionTreeSVG.nodeLimit) {
        self.incident = incident
        var layout = TreeLayout(sessions: incident.sessions, limit: nodeLimit)
        nodes = layout.makeNodes()
        omittedCount = incident.sessions.count - (nodes.count - 1)
    }

    // MARK: - Geometry

    private static let nodeWidth = 232.0
    private static let nodeHeight = 60.0
    private static let columnGap = 104.0
    private static let rowGap = 14.0
    private static let margin = 12.0

    private func frame(of node: Node) -> (x: Double, y: Double) {
        (
            Self.margin + Double(node.column) * (Self.nodeWidth + Self.columnGap),
            Self.margin + node.row * (Self.nodeHeight + Self.rowGap)
        )
    }

    private var size: (width: Int, height: Int) {
        let columns = Double((nodes.map(\.column).max() ?? 0) + 1)
        let rows = (nodes.map(\.row).max() ?? 0) + 1
        let width = 2 * Self.margin + columns * Self.nodeWidth + (columns - 1) * Self.columnGap
        let height = 2 * Self.margin + rows * Self.nodeHeight + (rows - 1) * Self.rowGap
        return (Int(width.rounded(.up)), Int(height.rounded(.up)))
    }

    // MARK: - Rendering

    /// The `<svg>` element, every label escaped.
    package func render() -> String {
        let (width, height) = size
        let marker = HTMLText.identifier("arrow-" + incident.id)
        var parts = [
            "<svg class=\"tree\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" "
                + "aria-label=\"Session tree of \(HTMLText.escaped(incident.id))\">",
            "<defs>" + arrowhead(id: marker, className: "arrow")
                + arrowhead(id: marker + "-cross", className: "arrow cross-account")
                + arrowhead(id: marker + "-chain", className: "arrow chained") + "</defs>",
        ]
        parts += nodes.compactMap { edge(to: $0, marker: marker) }
        parts += nodes.map(box)
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private func arrowhead(id: String, className: String) -> String {
        "<marker id=\"\(id)\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
            + "markerHeight=\"7\" orient=\"auto-start-reverse\">"
            + "<path class=\"\(className)\" d=\"M0,0 L10,5 L0,10 z\"/></marker>"
    }

    /// The curve from the parent's right side to the node's left side, with its marks.
    private func edge(to node: Node, marker: String) -> String? {
        guard let parentIndex = node.parent, let session = node.session else { return nil }
        let start = frame(of: nodes[parentIndex])
        let end = frame(of: node)
        let (x1, y1) = (start.x + Self.nodeWidth, start.y + Self.nodeHeight / 2)
        let (x2, y2) = (end.x - 2, end.y + Self.nodeHeight / 2)
        let middle = (x1 + x2) / 2

        // Each mark is a class of the edge and a label.
        var marks: [(className: String, label: String)] = []
        if session.crossAccount { marks.append(("cross-account", "cross-account")) }
        if session.roleChaining { marks.append(("chained", "role chaining")) }
        let classes = (["edge"] + marks.map(\.className)).joined(separator: " ")
        let arrowKind = session.crossAccount ? "-cross" : session.roleChaining ? "-chain" : ""
        let arrow = marker + arrowKind

        var text =
            "<path class=\"\(classes)\" marker-end=\"url(#\(arrow))\" "
            + "d=\"M\(number(x1)),\(number(y1)) C\(number(middle)),\(number(y1)) "
            + "\(number(middle)),\(number(y2)) \(number(x2)),\(number(y2))\"/>"
        // One label a line, stacked above the middle of the curve, between the boxes.
        for (index, mark) in marks.reversed().enumerated() {
            let y = (y1 + y2) / 2 - 6 - 13 * Double(index)
            text +=
                "<text class=\"edge-label \(mark.className)\" x=\"\(number(middle))\" "
                + "y=\"\(number(y))\" text-anchor=\"middle\">\(HTMLText.escaped(mark.label))</text>"
        }
        return text
    }

    /// The node's box: a title, a line in monospace and a line of details, each cut to fit;
    /// the full text is in the box's tooltip.
    private func box(_ node: Node) -> String {
        let (x, y) = frame(of: node)
        let text = node.session.map(Self.text(of:)) ?? originText()
        var classes = node.session == nil ? ["node", "origin"] : ["node", "session"]
        if node.session?.crossAccount == true { classes.append("cross-account") }
        if node.session?.roleChaining == true { classes.append("chained") }

        // The most characters of each line that fit the box at its font size.
        let styles = [("title", 27), ("key", 29), ("meta", 37)]
        let lines = zip(text.lines, styles).enumerated().map { index, item in
            let (line, (className, limit)) = item
            let baseline = y + 19 + 17 * Double(index)
            return "<text class=\"\(className)\" x=\"\(number(x + 12))\" y=\"\(number(baseline))\">"
                + HTMLText.escaped(HTMLText.truncated(line, to: limit)) + "</text>"
        }
        // Each tooltip line is escaped on its own, so that a line break in a value stays visible.
        let tooltip = text.tooltip.map(HTMLText.escaped).joined(separator: "\n")
        return "<g class=\"\(classes.joined(separator: " "))\"><title>\(tooltip)</title>"
            + "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(Self.nodeWidth))\" "
            + "height=\"\(number(Self.nodeHeight))\" rx=\"6\"/>" + lines.joined() + "</g>"
    }

    private func originText() -> (lines: [String], tooltip: [String]) {
        let origin = incident.origin
        let title = origin.name ?? origin.resource ?? origin.service ?? origin.label
        let type = "origin, " + (origin.type ?? "type unknown")
        return ([title, incident.originKey, type], ["Origin: " + origin.label, incident.originKey])
    }

    /// The box text of a session: its role and session name, its access key, then its account,
    /// how it was obtained and how many calls it made.
    private static func text(of session: Session) -> (lines: [String], tooltip: [String]) {
        let role = session.roleArn.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        let name = [role, session.sessionName].compactMap { $0 }.joined(separator: "/")
        let title = name.isEmpty ? (session.sessionArn ?? session.kind ?? "session") : name
        let calls = "\(session.eventCount) call\(session.eventCount == 1 ? "" : "s")"
        let details = [
            session.accountId ?? "account unknown", session.kind ?? "issuer unknown", calls,
        ]
        let tooltip = [
            title, session.sessionArn ?? session.roleArn, "Access key " + session.accessKeyId,
            session.issuedAt.map { "Issued " + $0 },
            session.crossAccount ? "Cross-account hop" : nil,
            session.roleChaining ? "Role chaining" : nil,
        ]
        let lines = [title, session.accessKeyId, details.joined(separator: " \u{b7} ")]
        return (lines, tooltip.compactMap { $0 })
    }

    /// A coordinate with at most one decimal, for compact output.
    private func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

// MARK: - Layout

/// Places the sessions of a tree in a grid: depth is the column; leaves take one row each in
/// tree order, and a parent sits midway between its first and last child.
private struct TreeLayout {
    private let sessions: [Session]
    private let limit: Int
    private var children: [String: [Int]] = [:]
    private var roots: [Int] = []
    private var visited: Set<String> = []
    private var nodes: [SessionTreeSVG.Node] = []
    private var nextRow = 0.0

    init(sessions: [Session], limit: Int) {
        self.sessions = sessions
        self.limit = limit
        let keys = Set(sessions.map(\.accessKeyId))
        for (index, session) in sessions.enumerated() {
            if let parent = session.parentAccessKeyId, keys.contains(parent),
                parent != session.accessKeyId
            {
                children[parent, default: []].append(index)
            } else {
                roots.append(index)
            }
        }
    }

    /// The origin, then the drawn sessions in tree order.
    ///
    /// Sessions that no root reaches (their parents form a cycle, which consistent data never
    /// has) are drawn as roots so that none is lost silently.
    mutating func makeNodes() -> [SessionTreeSVG.Node] {
        nodes = [SessionTreeSVG.Node(session: nil, column: 0, row: 0, parent: nil)]
        var childRows: [Double] = []
        let rootSet = Set(roots)
        let stray = sessions.indices.filter { !rootSet.contains($0) }
        for index in roots + stray where !visited.contains(sessions[index].accessKeyId) {
            if let row = place(index, column: 1, parent: 0) { childRows.append(row) }
        }
        nodes[0].row = childRows.isEmpty ? 0 : (childRows[0] + childRows[childRows.count - 1]) / 2
        return nodes
    }

    /// Places the session at `index` and its descendants; returns its row, or nil when the
    /// limit is reached or the session was already placed.
    private mutating func place(_ index: Int, column: Int, parent: Int) -> Double? {
        let session = sessions[index]
        guard nodes.count - 1 < limit, visited.insert(session.accessKeyId).inserted else {
            return nil
        }
        let position = nodes.count
        nodes.append(SessionTreeSVG.Node(session: session, column: column, row: 0, parent: parent))

        var childRows: [Double] = []
        for child in children[session.accessKeyId] ?? [] {
            if let row = place(child, column: column + 1, parent: position) {
                childRows.append(row)
            }
        }

        let row: Double
        if childRows.isEmpty {
            row = nextRow
            nextRow += 1
        } else {
            row = (childRows[0] + childRows[childRows.count - 1]) / 2
        }
        nodes[position].row = row
        return row
    }
}
