/// Finds the files to ingest below the paths a user gives.
///
/// Folders are walked recursively. Symbolic links are followed, but each directory is entered
/// once (by device and inode), so a link loop cannot make the walk endless.
package struct Discovery {
    /// A path that could not be walked, reported like a file that could not be read.
    package struct Failure: Error, Sendable {
        package var path: String
        package var error: SystemError
    }

    package private(set) var files: [DiscoveredFile] = []
    package private(set) var failures: [Failure] = []
    private var visitedDirectories: Set<DirectoryIdentity> = []

    private struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    package init() {}

    /// Adds the files at or below `path`.
    package mutating func add(path: String) {
        let absolute: String
        let status: FileStatus
        do {
            absolute = try FileSystem.canonicalPath(path)
            status = try FileStatus(path: absolute)
        } catch {
            failures.append(Failure(path: path, error: error))
            return
        }
        let root = Self.root(for: absolute, isDirectory: status.isDirectory)
        if status.isDirectory {
            walk(directory: absolute, status: status, root: root)
        } else {
            addFile(absolute, status: status, root: root)
        }
    }

    /// Returns the files found, ordered by root and relative path so runs are reproducible.
    package func sortedFiles() -> [DiscoveredFile] {
        files.sorted { ($0.root, $0.relativePath) < ($1.root, $1.relativePath) }
    }

    /// The dump root for a path: the folder holding the last `AWSLogs` component in it, else the
    /// folder given (or a file's own folder).
    static func root(for absolute: String, isDirectory: Bool) -> String {
        let components = absolute.split(separator: "/", omittingEmptySubsequences: false)
        if let index = components.lastIndex(of: "AWSLogs") {
            let joined = components[..<index].joined(separator: "/")
            return joined.isEmpty ? "/" : joined
        }
        if isDirectory { return absolute }
        let parent = components.dropLast().joined(separator: "/")
        return parent.isEmpty ? "/" : parent
    }

    private mutating func walk(directory: String, status: FileStatus, root: String) {
        let identity = DirectoryIdentity(device: status.device, inode: status.inode)
        guard visitedDirectories.insert(identity).inserted else { return }
        let names: [String]
        do {
            names = try FileSystem.entries(ofDirectory: directory)
        } catch {
            failures.append(Failure(path: directory, error: error))
            return
        }
        for name in names.sorted() {
            let child = directory == "/" ? "/" + name : directory + "/" + name
            do {
                let childStatus = try FileStatus(path: child)
                if childStatus.isDirectory {
                    walk(directory: child, status: childStatus, root: root)
                } else {
                    addFile(child, status: childStatus, root: root)
                }
            } catch {
                failures.append(Failure(path: child, error: error))
            }
        }
    }

    private mutating func addFile(_ path: String, status: FileStatus, root: String) {
        guard status.isRegularFile else { return }
        let relative = Self.relativePath(of: path, below: root)
        files.append(
            DiscoveredFile(
                path: path,
                root: root,
                relativePath: relative,
                size: status.size,
                modificationTime: status.modificationTime,
                layout: PathLayout(path: relative)
            )
        )
    }

    private static func relativePath(of path: String, below root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
