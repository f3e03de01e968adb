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
