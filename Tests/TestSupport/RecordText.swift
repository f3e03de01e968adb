import Foundation

/// Builds CloudTrail record text for tests, with only the fields a test cares about.
package enum RecordText {
    /// A plausible API call record.
    package static func call(
        eventID: String,
        eventName: String = "DescribeInstances",
        time: String = "2026-11-02T10:00:00Z",
        account: String = "111122223333",
        accessKeyID: String = "AKIAEXAMPLEKEY000001",
        userAgent: String = "aws-cli/2.15.0"
    ) -> String {
        """
        {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE",\
        "arn":"arn:aws:iam::\(account):user/alice","accountId":"\(account)","accessKeyId":"\(accessKeyID)",\
        "userName":"alice"},"eventTime":"\(time)","eventSource":"ec2.amazonaws.com","eventName":"\(eventName)",\
        "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"\(userAgent)",\
        "requestParameters":null,"responseElements":null,"requestID":"req-\(eventID)","eventID":"\(eventID)",\
        "readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"\(account)",\
        "eventCategory":"Management"}
        """
    }

    /// A delivery file holding `records`.
    package static func delivery(_ records: [String]) -> String {
        "{\"Records\":[" + records.joined(separator: ",") + "]}"
    }
}

extension RecordText {
    /// A record from a dictionary, for tests that need fields `call` does not offer.
    package static func record(_ fields: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else {
            preconditionFailure("test records are valid JSON objects")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A userIdentity for an IAM user calling with `key`.
    package static func iamUser(_ name: String, key: String, account: String = "111122223333") -> [String: Any] {
        [
            "type": "IAMUser", "principalId": "AIDA\(name.uppercased())", "arn": "arn:aws:iam::\(account):user/\(name)",
            "accountId": account, "accessKeyId": key, "userName": name,
        ]
    }

    /// A successful or failed call by `identity`.
    package static func call(
        _ eventName: String,
        by identity: [String: Any],
        at time: String,
        id: String,
        source: String = "iam.amazonaws.com",
        requestParameters: [String: Any]? = nil,
        responseElements: [String: Any]? = nil,
        errorCode: String? = nil,
        sourceIP: String = "198.51.100.7",
        account: String = "111122223333",
        extra: [String: Any] = [:]
    ) -> String {
        var fields: [String: Any] = [
            "eventVersion": "1.09", "userIdentity": identity, "eventTime": time, "eventSource": source,
            "eventName": eventName, "awsRegion": "us-east-1", "sourceIPAddress": sourceIP, "userAgent": "aws-cli/2",
            "requestParameters": requestParameters ?? NSNull(), "responseElements": responseElements ?? NSNull(),
            "eventID": id, "eventType": "AwsApiCall", "recipientAccountId": account,
        ]
        if let errorCode { fields["errorCode"] = errorCode }
        fields.merge(extra) { _, new in new }
        return record(fields)
    }
}
