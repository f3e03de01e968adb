import Foundation
import TrailIngest

/// A CloudTrail digest file: which log files it vouches for, and its place in the chain.
package struct DigestFile: Sendable {
    /// A log file listed by the digest.
    package struct LogFile: Sendable {
        package var s3Object: String
        package var hashValue: String
        package var hashAlgorithm: String?
    }

    /// Why a digest file could not be read.
    package struct ParseError: Error, CustomStringConvertible {
        package var message: String
        package var description: String { message }
    }

    package var accountID: String?
    package var region: String?
    package var startTime: String
    package var endTime: String
    package var s3Bucket: String
    package var s3Object: String
    package var publicKeyFingerprint: String?
    package var signatureAlgorithm: String?
    package var previousS3Bucket: String?
    package var previousS3Object: String?
    package var previousHashValue: String?
    package var previousSignature: String?
    package var logFiles: [LogFile]

    /// Parses the decompressed JSON of a digest file.
    package init(json: [UInt8]) throws(ParseError) {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
                throw ParseError(message: "a digest file must hold a JSON object")
            }
            object = parsed
        } catch let error as ParseError {
            throw error
        } catch {
            throw ParseError(message: "the digest is not valid JSON")
        }
        guard let start = object["digestStartTime"] as? String, let end = object["digestEndTime"] as? String,
            let bucket = object["digestS3Bucket"] as? String, let key = object["digestS3Object"] as? String
        else {
            throw ParseError(
                message: "the digest lacks digestStartTime, digestEndTime, digestS3Bucket or digestS3Object"
            )
        }
        startTime = start
        endTime = end
        s3Bucket = bucket
        s3Object = key
        accountID = object["awsAccountId"] as? String
        region = PathLayout(path: key).region
        publicKeyFingerprint = object["digestPublicKeyFingerprint"] as? String
        signatureAlgorithm = object["digestSignatureAlgorithm"] as? String
        previousS3Bucket = object["previousDigestS3Bucket"] as? String
        previousS3Object = object["previousDigestS3Object"] as? String
        previousHashValue = object["previousDigestHashValue"] as? String
        previousSignature = object["previousDigestSignature"] as? String
        logFiles = (object["logFiles"] as? [[String: Any]] ?? []).compactMap { entry in
            guard let key = entry["s3Object"] as? String, let hash = entry["hashValue"] as? String else { return nil }
            return LogFile(
                s3Object: key,
                hashValue: hash.lowercased(),
                hashAlgorithm: entry["hashAlgorithm"] as? String
            )
        }
    }

    /// The text CloudTrail signs: the end time, `bucket/key`, the hex SHA-256 of the decompressed
    /// digest, and the previous digest's signature (`null` for the first), joined by newlines.
    package func signingString(contentSHA256: String) -> String {
        [endTime, "\(s3Bucket)/\(s3Object)", contentSHA256, previousSignature ?? "null"].joined(separator: "\n")
    }
}
