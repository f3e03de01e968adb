#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A system call failure, holding the raw `errno`.
package struct SystemError: Error, Equatable, Sendable {
    package var code: Int32

    /// The C library's text for the code, such as "No such file or directory".
    package var message: String {
        String(cString: strerror(code))
    }

    static var current: SystemError {
        SystemError(code: errno)
    }
}

/// A file opened read-only: evidence is never opened for writing.
///
/// The corresponding C functions are `open(2)`, `read(2)`, `fstat(2)` and `close(2)`.
package struct ReadOnlyFile: ~Copyable {
    private let descriptor: Int32

    /// Opens `path` with `O_RDONLY | O_CLOEXEC`.
    package init(path: String) throws(SystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .current }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `buffer.count` bytes, retrying on `EINTR`.
    ///
    /// - Returns: The number of bytes read; 0 at the end of the file.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw .current }
        }
    }
}

/// What `stat(2)` says about a path, following symbolic links.
package struct FileStatus: Sendable {
    package var isDirectory: Bool
    package var isRegularFile: Bool
    package var size: Int64
    /// Modification time in nanoseconds since 1970.
    package var modificationTime: Int64
    package var device: UInt64
    package var inode: UInt64

    /// Reads the status of `path`.
    package init(path: String) throws(SystemError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .current }
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
        size = Int64(info.st_size)
        modificationTime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// Directory listing and path helpers.
package enum FileSystem {
    /// The names in a directory, without `.` and `..`.
    ///
    /// The corresponding C functions are `opendir(3)`, `readdir(3)` and `closedir(3)`.
    package static func entries(ofDirectory path: String) throws(SystemError) -> [String] {
        guard let directory = opendir(path) else { throw .current }
        defer { closedir(directory) }
        var names: [String] = []
        // glibc allocates each entry only as long as its name needs, so copying `pointee` (a
        // whole `dirent`, 256 bytes of name) reads past it; the name is read in place instead.
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
        while let entry = readdir(directory) {
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The canonical absolute form of `path` (`realpath(3)`).
    package static func canonicalPath(_ path: String) throws(SystemError) -> String {
        guard let resolved = realpath(path, nil) else { throw .current }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
