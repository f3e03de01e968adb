#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The object keys leading to each ``EventField``, as a tree walked while parsing.
///
/// The parser only tracks its position while it is inside objects on some field's path; every
/// other subtree is validated without any lookup.
struct FieldTrie: Sendable {
    /// One object level: the keys that lead further, and the fields that end here.
    struct Node: Sendable {
        var children: [String: Int] = [:]
        var fields: [String: EventField] = [:]
        /// The same keys as UTF-8, for ``entry(for:)``.
        fileprivate var entries: [(key: [UInt8], child: Int?, field: EventField?)] = []

        /// The child and field of the key with UTF-8 bytes `key`, compared byte by byte.
        ///
        /// A node has a few dozen keys at most, so a scan that compares lengths first is cheaper
        /// than making a String and hashing it twice: parsing spent about 8% of its time there.
        func entry(for key: UnsafeBufferPointer<UInt8>) -> (child: Int?, field: EventField?) {
            for entry in entries where entry.key.count == key.count {
                let isEqual = entry.key.withUnsafeBufferPointer { stored in
                    guard let storedBase = stored.baseAddress, let keyBase = key.baseAddress else {
                        return stored.isEmpty
                    }
                    return memcmp(storedBase, keyBase, key.count) == 0
                }
                if isEqual { return (entry.child, entry.field) }
            }
            return (nil, nil)
        }
    }

    static let shared = FieldTrie(fields: EventField.allCases)

    private(set) var nodes: [Node] = [Node()]

    /// The node for a record's root object.
    let root = 0

    init(fields: [EventField]) {
        for field in fields {
            insert(field)
        }
        for index in nodes.indices {
            let node = nodes[index]
            let keys = Set(node.children.keys).union(node.fields.keys).sorted()
            nodes[index].entries = keys.map { (Array($0.utf8), node.children[$0], node.fields[$0]) }
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
