#!/usr/bin/env python3
"""Writes Fixtures/formats/: one small synthetic file per input shape trailhound ingests, gzip
where AWS delivers it so, and the files it must skip. Deterministic (gzip mtime 0), so a rerun
rewrites identical bytes. The expected verdicts live in Tests/TrailStoreTests/FormatFixtureTests.swift.

The event with id ...0001 appears in records.json, lookup-events.json and eventbridge.json (with
other whitespace each time): the cross-format deduplication test relies on it."""
import gzip
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "formats")


def event(n, name="DescribeInstances", account="111122223333", event_type="AwsApiCall", source="ec2"):
    return {
        "eventVersion": "1.10",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAFORMATS%04d" % n,
                         "arn": "arn:aws:iam::%s:user/formats-%d" % (account, n), "accountId": account,
                         "accessKeyId": "AKIAFORMATSKEY%06d" % n, "userName": "formats-%d" % n},
        "eventTime": "2026-11-02T%02d:%02d:00Z" % (8 + n // 60, n % 60),
        "eventSource": "%s.amazonaws.com" % source, "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.%d" % n, "userAgent": "aws-cli/2.15.0",
        "requestParameters": None, "responseElements": None, "requestID": "req-formats-%04d" % n,
        "eventID": "00000000-0000-4000-8000-00000000%04d" % n, "readOnly": True, "eventType": event_type,
        "managementEvent": True, "recipientAccountId": account, "eventCategory": "Management",
    }


def insight(n):
    return {"eventVersion": "1.08", "eventTime": "2026-11-02T09:%02d:00Z" % n, "awsRegion": "us-east-1",
            "eventID": "00000000-0000-4000-9000-00000000%04d" % n, "eventType": "AwsCloudTrailInsight",
            "recipientAccountId": "111122223333", "sharedEventID": "00000000-0000-4000-a000-%012d" % n,
            "insightDetails": {"state": "Start", "eventSource": "ec2.amazonaws.com",
                               "eventName": "DescribeInstances", "insightType": "ApiCallRateInsight"},
            "eventCategory": "Insight"}


def compact(value):
    return json.dumps(value, separators=(",", ":"))


def lookup_item(record):
    return {"EventId": record["eventID"], "EventName": record["eventName"], "ReadOnly": "true",
            "AccessKeyId": record["userIdentity"]["accessKeyId"], "EventTime": 1793606400.0,
            "EventSource": record["eventSource"], "Username": record["userIdentity"]["userName"],
            "Resources": [], "CloudTrailEvent": compact(record)}


def eventbridge(record, detail_type="AWS API Call via CloudTrail", source="aws.ec2"):
    return {"version": "0", "id": "eb-%s" % record["eventID"][-4:], "detail-type": detail_type,
            "source": source, "account": "111122223333", "time": record["eventTime"],
            "region": "us-east-1", "resources": [], "detail": record}


def log_events(message_type, messages):
    return {"messageType": message_type, "owner": "111122223333", "logGroup": "/aws/cloudtrail/formats",
            "logStream": "111122223333_CloudTrail_us-east-1", "subscriptionFilters": ["formats"],
            "logEvents": [{"id": "3%020d" % i, "timestamp": 1793606400000 + i, "message": m}
                          for i, m in enumerate(messages)]}


def write(name, text, compress=False):
    path = os.path.join(ROOT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    if compress:
        data = gzip.compress(data, compresslevel=6, mtime=0)
    with open(path, "wb") as handle:
        handle.write(data)


def main():
    write("records.json", compact({"Records": [event(1), event(2)]}))
    write("records-org-export.json.gz",
          compact({"Records": [event(n, account="444455556666") for n in (10, 11, 12)]}), compress=True)
    write("lookup-events.json", json.dumps({"Events": [lookup_item(event(1)), lookup_item(event(3))],
                                            "NextToken": "token-1"}, indent=4))
    write("lookup-events-pages.json", json.dumps({"Events": [lookup_item(event(4))], "NextToken": "token-2"},
                                                 indent=2) + "\n" + json.dumps({"Events": [lookup_item(event(5))]},
                                                                               indent=2) + "\n")
    write("lookup-events.jsonl", "".join(compact(lookup_item(event(n))) + "\n" for n in (6, 7)))
    write("records.jsonl", "".join(compact(event(n)) + "\n" for n in (8, 9)))
    write("array.json", json.dumps([event(n) for n in (13, 14, 15)], indent=2))
    write("eventbridge.json", json.dumps(eventbridge(event(1)), indent=2))
    write("eventbridge-array.json", json.dumps([
        eventbridge(event(16)),
        eventbridge(event(17, name="ConsoleLogin", event_type="AwsConsoleSignIn", source="signin"),
                    "AWS Console Sign In via CloudTrail", "aws.signin"),
        eventbridge(event(18, name="RotateKey", event_type="AwsServiceEvent", source="kms"),
                    "AWS Service Event via CloudTrail", "aws.kms"),
        eventbridge(event(19, name="ListBuckets", event_type="AwsConsoleAction", source="s3"),
                    "AWS Console Action via CloudTrail", "aws.s3"),
        eventbridge(insight(1), "AWS Insight via CloudTrail", "aws.cloudtrail"),
    ], indent=2))
    write("eventbridge.jsonl", "".join(compact(eventbridge(event(n))) + "\n" for n in (20, 21)))
    write("cloudwatch-logs.json.gz",
          compact(log_events("DATA_MESSAGE", [compact(event(22)), compact(event(23))])), compress=True)
    write("record.json", json.dumps(event(24), indent=2))

    write("skip/cloudwatch-control.json.gz", compact(log_events(
        "CONTROL_MESSAGE", ["CWL CONTROL MESSAGE: Checking health of destination Firehose."])), compress=True)
    write("skip/digest.json.gz", compact({
        "awsAccountId": "111122223333", "digestStartTime": "2026-11-02T08:00:00Z",
        "digestEndTime": "2026-11-02T09:00:00Z", "digestS3Bucket": "formats-bucket",
        "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/d.json.gz",
        "logFiles": []}), compress=True)
    write("skip/insights.json.gz", compact({"Records": [insight(2), insight(3)]}), compress=True)
    write("skip/eventbridge-insight.json", json.dumps(
        eventbridge(insight(4), "AWS Insight via CloudTrail", "aws.cloudtrail"), indent=2))
    write("skip/eventbridge-not-cloudtrail.json", json.dumps({
        "version": "0", "id": "eb-s3", "detail-type": "Object Created", "source": "aws.s3",
        "account": "111122223333", "time": "2026-11-02T09:00:00Z", "region": "us-east-1",
        "resources": ["arn:aws:s3:::formats-bucket"],
        "detail": {"bucket": {"name": "formats-bucket"}, "object": {"key": "a.json.gz", "size": 10}}}, indent=2))
    write("skip/s3-event-notification.json", json.dumps({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
        "eventTime": "2026-11-02T09:00:00.000Z", "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:AIDAFORMATS"}, "requestParameters": {"sourceIPAddress": "198.51.100.1"},
        "responseElements": {"x-amz-request-id": "R1"},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "formats", "bucket": {"name": "formats-bucket"},
               "object": {"key": "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/a.json.gz", "size": 10}}}]},
        indent=2))
    write("skip/sns-notification.json", json.dumps({
        "Type": "Notification", "MessageId": "m-1", "TopicArn": "arn:aws:sns:us-east-1:111122223333:formats",
        "Message": compact({"s3Bucket": "formats-bucket", "s3ObjectKey": ["AWSLogs/111122223333/a.json.gz"]}),
        "Timestamp": "2026-11-02T09:00:00.000Z", "SignatureVersion": "1"}, indent=2))
    write("skip/sqs-test-event.json", compact({
        "Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-11-02T09:00:00.000Z",
        "Bucket": "formats-bucket", "RequestId": "R2", "HostId": "H2"}))
    write("skip/empty-array.json", "[]\n")
    write("skip/empty-records.json.gz", compact({"Records": []}), compress=True)


if __name__ == "__main__":
    main()
