/// The object keys leading to each ``EventField``, as a tree walked while parsing.
///
/// The parser only tracks its position while it is inside objects on some field's path; every
/// other subtree is validated without any lookup.
struct FieldTrie: Sendable {
    /// One object level: the keys that lead further, and the fields that end here.
    struct Node: Sendable {
        var children: [String: Int] = [:]
        var fields: [String: EventField] = [:]
    }

    static let shared = FieldTrie(fields: EventField.allCases)

    private(set) var nodes: [Node] = [Node()]

    /// The node for a record's root object.
    let root = 0

    init(fields: [EventField]) {
        for field in fields {
            insert(field)
        }
    }

    private mutating func insert(_ field: EventField) {
        var node = root
        for key in field.path.dropLast() {
            if let next = nodes[node].children[key] {
                node = next
            } else {
                nodes.append(Node())
                nodes[node].children[key] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        if let leaf = field.path.last {
            nodes[node].fields[leaf] = field
        }
    }
}
