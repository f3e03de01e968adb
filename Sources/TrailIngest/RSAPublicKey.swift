import CCrypto

/// An RSA public key, for checking CloudTrail's digest signatures.
///
/// The corresponding C functions are `d2i_PublicKey`, `EVP_DigestVerifyInit` and
/// `EVP_DigestVerify` (<https://docs.openssl.org/3.0/man3/EVP_DigestVerifyInit/>).
package final class RSAPublicKey {
    private let key: OpaquePointer

    /// Reads a DER-encoded PKCS#1 `RSAPublicKey`, the form `aws cloudtrail list-public-keys`
    /// returns (base64-decoded).
    ///
    /// - Returns: `nil` when the bytes are not such a key.
    package init?(pkcs1DER der: [UInt8]) {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, buffer.count)
        }
        guard let parsed else { return nil }
        key = parsed
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Whether `signature` is a valid RSA PKCS#1 v1.5 signature of SHA-256(`message`).
    package func verifySHA256(signature: [UInt8], message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        let status = signature.withUnsafeBufferPointer { signatureBytes in
            message.withUnsafeBufferPointer { messageBytes in
                EVP_DigestVerify(
                    context,
                    signatureBytes.baseAddress,
                    signatureBytes.count,
                    messageBytes.baseAddress,
                    messageBytes.count
                )
            }
        }
        return status == 1
    }
}

@available(*, unavailable)
extension RSAPublicKey: Sendable {}
