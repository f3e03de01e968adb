/// The lineage of one session or principal: the sessions above it back to the origin, and
/// every session started from it, transitively.
package struct SessionChain: Sendable {
    /// A session and the sessions started from it.
    package struct Node: Sendable {
        package var session: Session
        package var children: [Node]
    }

    /// A chain that cannot be shown as asked.
    package enum LookupError: Error, CustomStringConvertible {
        case notFound(String)
        case ambiguous(String, keys: [String])

        package var description: String {
            switch self {
            case .notFound(let subject):
                "No session, session ARN or principal '\(subject)' in the case database"
            case .ambiguous(let arn, let keys):
                "The session ARN '\(arn)' names \(keys.count) sessions (\(keys.joined(separator: ", "))); "
                    + "give one access key"
            }
        }
    }

    /// From the root of the chain down to the parent of ``session``.
    package var ancestors: [Session]
    /// The session asked for; `nil` when a principal was asked for.
    package var session: Session?
    /// The principal asked for, when it is not a session.
    package var principal: String?
    package var descendants: [Node]

    /// Finds the chain of `subject`: an access key, a session ARN, or a principal ARN or key.
    package static func find(_ subject: String, in store: SessionStore) throws -> SessionChain {
        var target = try store.session(withKey: subject)
        if target == nil {
            let named = try store.sessions(withARN: subject)
            if named.count > 1 { throw LookupError.ambiguous(subject, keys: named.map(\.accessKeyId)) }
            target = named.first
        }
        guard let session = target else {
            let roots = try store.rootSessions(ofPrincipal: subject)
            guard !roots.isEmpty else { throw LookupError.notFound(subject) }
            let nodes = try roots.map { try subtree(of: $0, in: store, seen: []) }
            return SessionChain(ancestors: [], session: nil, principal: subject, descendants: nodes)
        }
        let ancestors = try lineage(above: session, in: store)
        let node = try subtree(of: session, in: store, seen: Set(ancestors.map(\.accessKeyId)))
        return SessionChain(ancestors: ancestors, session: session, principal: nil, descendants: node.children)
    }

    private static func lineage(above session: Session, in store: SessionStore) throws -> [Session] {
        var ancestors: [Session] = []
        var seen: Set<String> = [session.accessKeyId]
        var next = session.parentAccessKeyId
        while let key = next, seen.insert(key).inserted, let parent = try store.session(withKey: key) {
            ancestors.insert(parent, at: 0)
            next = parent.parentAccessKeyId
        }
        return ancestors
    }

    private static func subtree(of session: Session, in store: SessionStore, seen: Set<String>) throws -> Node {
        let seen = seen.union([session.accessKeyId])
        let children = try store.children(of: session.accessKeyId).filter { !seen.contains($0.accessKeyId) }
        return Node(session: session, children: try children.map { try subtree(of: $0, in: store, seen: seen) })
    }
}
