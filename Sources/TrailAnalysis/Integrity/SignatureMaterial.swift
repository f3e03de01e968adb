import Foundation
import TrailIngest

/// What the analyst saved to check digest signatures offline: CloudTrail's public keys and each
/// digest's signature (S3 object metadata, which is not in the file).
package struct SignatureMaterial {
    /// Why the material could not be read.
    package struct LoadError: Error, CustomStringConvertible {
        package var message: String
        package var description: String { message }
    }

    private var keys: [String: RSAPublicKey] = [:]
    private var signatures: [String: String] = [:]

    package init() {}

    /// Reads `aws cloudtrail list-public-keys` output: `{"PublicKeyList": [{"Value", "Fingerprint"}]}`
    /// with base64 DER PKCS#1 keys.
    package mutating func loadPublicKeys(path: String) throws(LoadError) {
        let object = try Self.jsonObject(at: path)
        guard let list = (object as? [String: Any])?["PublicKeyList"] as? [[String: Any]] else {
            throw LoadError(message: "Unable to read '\(path)': expected list-public-keys output with 'PublicKeyList'")
        }
        for entry in list {
            guard let fingerprint = entry["Fingerprint"] as? String, let value = entry["Value"] as? String,
                let der = Data(base64Encoded: value), let key = RSAPublicKey(pkcs1DER: [UInt8](der))
            else { throw LoadError(message: "Unable to read '\(path)': a public key is not base64 DER PKCS#1 RSA") }
            keys[fingerprint.lowercased()] = key
        }
    }

    /// Reads digest signatures: a JSON object from each digest's S3 key (or bucket/key) to its
    /// `aws s3api head-object` output (`{"Metadata": {"signature": …}}`) or to the hex signature.
    package mutating func loadSignatures(path: String) throws(LoadError) {
        guard let object = try Self.jsonObject(at: path) as? [String: Any] else {
            throw LoadError(message: "Unable to read '\(path)': expected a JSON object from digest key to its metadata")
        }
        for (key, value) in object {
            let metadata = (value as? [String: Any])?["Metadata"] as? [String: Any]
            if let signature = value as? String ?? metadata?["signature"] as? String {
                signatures[key] = signature.lowercased()
            }
        }
    }

    /// The signature saved for the digest at `bucket`/`key`.
    func signature(bucket: String, key: String) -> String? {
        signatures["\(bucket)/\(key)"] ?? signatures[key]
    }

    /// The key with `fingerprint`.
    func key(fingerprint: String?) -> RSAPublicKey? {
        fingerprint.flatMap { keys[$0.lowercased()] }
    }

    private static func jsonObject(at path: String) throws(LoadError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw LoadError(message: "Unable to read '\(path)': not a readable JSON file")
        }
    }
}
