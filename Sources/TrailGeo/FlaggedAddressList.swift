import Foundation

/// An IPv4 or IPv6 network, `203.0.113.0/24` or `2001:db8::/32`; a single address is a network
/// of its full length.
package struct IPNetwork: Equatable, Sendable {
    /// The network's address, 4 or 16 bytes.
    package var bytes: [UInt8]
    package var prefixLength: Int

    /// Parses `text`, an address with an optional `/length`.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let length, (0...(bytes.count * 8)).contains(length) else { return nil }
        self.bytes = bytes
        prefixLength = length
    }

    /// Whether the address `text` is in the network.
    package func contains(_ text: String) -> Bool {
        guard let address = Self.bytes(of: text), address.count == bytes.count else { return false }
        for bit in 0..<prefixLength {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if address[bit / 8] & mask != bytes[bit / 8] & mask { return false }
        }
        return true
    }

    /// The address bytes of IPv4 or IPv6 text; nil for anything else, such as `AWS Internal`.
    ///
    /// The corresponding C function is `inet_pton`.
    package static func bytes(of text: String) -> [UInt8]? {
        let family = text.contains(":") ? AF_INET6 : AF_INET
        var storage = [UInt8](repeating: 0, count: family == AF_INET6 ? 16 : 4)
        let status = storage.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        return status == 1 ? storage : nil
    }
}

/// The analyst's list of flagged source addresses: one IP or CIDR network a line, with an
/// optional label after it; `#` starts a comment.
package struct FlaggedAddressList: Sendable {
    package struct Entry: Sendable {
        /// The network as written in the list.
        package var text: String
        package var network: IPNetwork
        package var label: String?
    }

    /// A line that is neither an address, a network nor a comment.
    package struct FormatError: Error, CustomStringConvertible {
        package var path: String
        package var line: Int
        package var text: String
        package var description: String {
            "Unable to read '\(path)' line \(line): '\(text)' is not an IP address or CIDR network"
        }
    }

    package var entries: [Entry]

    /// Parses the list's text; `path` names the file in errors.
    package init(text: String, path: String) throws(FormatError) {
        entries = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            let fields = line.split(maxSplits: 1, whereSeparator: \.isWhitespace).map(String.init)
            guard let network = IPNetwork(fields[0]) else {
                throw FormatError(path: path, line: offset + 1, text: fields[0])
            }
            let label = fields.count > 1 ? fields[1].trimmingCharacters(in: .whitespaces) : nil
            entries.append(Entry(text: fields[0], network: network, label: label))
        }
    }

    /// Reads the list at `path`.
    package static func read(path: String) throws -> FlaggedAddressList {
        try FlaggedAddressList(text: String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    /// The first entry whose network holds `address`.
    package func entry(containing address: String) -> Entry? {
        entries.first { $0.network.contains(address) }
    }
}
