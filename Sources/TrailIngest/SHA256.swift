import CCrypto

/// An incremental SHA-256 over OpenSSL's EVP interface.
///
/// The corresponding C functions are `EVP_DigestInit_ex`, `EVP_DigestUpdate` and
/// `EVP_DigestFinal_ex` (<https://docs.openssl.org/3.0/man3/EVP_DigestInit/>).
package final class SHA256 {
    private let context: OpaquePointer

    package init() {
        // EVP_MD_CTX_new only fails when memory is exhausted, where nothing else could go on.
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        self.context = context
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Adds `bytes` to the digest.
    package func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Finishes the digest and returns it as lowercase hex; the hasher cannot be used afterwards.
    package func finalizeHex() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest.prefix(Int(length)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The hex SHA-256 of the file at `path`, read in chunks.
    package static func hex(ofFileAt path: String) throws(SystemError) -> String {
        let file = try ReadOnlyFile(path: path)
        let hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        while true {
            var count = 0
            var failure: SystemError?
            buffer.withUnsafeMutableBytes { bytes in
                do throws(SystemError) {
                    count = try file.read(into: bytes)
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes.prefix(count)))
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if count == 0 { return hasher.finalizeHex() }
        }
    }

    /// The hex SHA-256 of `bytes`.
    package static func hex(of bytes: some Sequence<UInt8>) -> String {
        let hasher = SHA256()
        let array = Array(bytes)
        array.withUnsafeBytes { hasher.update($0) }
        return hasher.finalizeHex()
    }
}

@available(*, unavailable)
extension SHA256: Sendable {}
