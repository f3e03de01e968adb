#!/usr/bin/env python3
"""Writes the `investigate` fixture stories (deterministic, standard library only).

    python3 scripts/make-investigate-fixtures.py [--check]

With --check, writes the stories to a temporary folder instead and fails unless they are
byte-identical to the committed ones. Without it, deletes and rewrites Fixtures/investigate/<story>/ (each a small CloudTrail bucket dump of plain
JSON delivery files, one a day) and Fixtures/investigate/flagged-ips.txt. Every run writes the
same bytes. The expected results are asserted in Tests/TrailAnalysisTests/InvestigationStoryTests.

Every story but short-baseline gives its principal a routine baseline: on each day of November
2026, at 09:00, 09:01 and 09:02, the calls monitoring:PutMetricData, logs:DescribeLogStreams and
dynamodb:GetItem from 198.51.100.10 (test country XB, AS64497) with aws-cli/2.15.0 in us-east-1.
None of these calls is in the technique table. The scope is the default, the last 24 hours of
activity, which ends on 2026-12-01.

  ttp               user ttp-user: 2026-12-01 10:00 CreateUser (success) and 10:01-10:03 three
                    GetSecretValue, the last AccessDenied, all from the routine address.
  new-behaviour     user newbie: 2026-12-01 10:00-10:02 logs:DeleteLogGroup from 203.0.113.20 (XC,
                    AS64498) with python-requests/2.31.0 in eu-west-3.
  inside-baseline   user steady: on 2026-11-03 also dynamodb:Query from 192.0.2.10 (XA, AS64496)
                    with Boto3/1.34.0 in eu-west-1; on 2026-12-01 10:00 the same again and at 10:01
                    a GetItem from 192.0.2.10: new-looking against recent days, but inside the 45-day
                    baseline.
  impossible-travel user traveller: 2026-12-01 10:00 GetItem from 198.51.100.10 (XB, 40N 74W),
                    10:20 GetItem from 203.0.113.20 (XC, 34S 151E), 10:30 GetItem from 192.0.2.10
                    and 10:31 from 192.0.2.200 (both XA, 66 km apart).
  flagged-ip        user flagged: 2026-12-01 10:00-10:01 two GetItem from 203.0.113.77, which
                    flagged-ips.txt lists in 203.0.113.64/26.
  volume            user busy: 2026-12-01 10:00-11:59 120 GetItem calls from the routine place,
                    every third one AccessDenied.
  instance          instance i-0abc1234def567890 of role web: every November day three GetItem
                    calls from 10.0.1.15 with its daily instance-profile key; on 2026-12-01 10:00
                    one from 10.0.1.15, then 10:05-10:06 two from 203.0.113.200.
  related           user ops: 2026-12-01 10:00 two AssumeRole of role admin (sessions
                    ASIARELATEDADMIN0001 and ASIARELATEDADMIN0002), each making a GetItem from
                    203.0.113.5 with curl/8.5.0; at 10:03:30 user mallory calls GetItem from the same
                    address with the same user agent, and at 10:03:40 user bystander from it with
                    another.
  short-baseline    user newcomer: 2026-11-28 to 2026-12-01, one GetItem a day from 198.51.100.10,
                    and on 2026-12-01 one from 203.0.113.20: only 3 days of history.
"""

import argparse
import filecmp
import json
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Fixtures", "investigate")
OUT = FIXTURES  # Where Story.write puts the stories; --check points it elsewhere.
ACCOUNT = "111122223333"
ROUTINE_IP = "198.51.100.10"
ROUTINE_AGENT = "aws-cli/2.15.0"
ROUTINE = [("monitoring.amazonaws.com", "PutMetricData"), ("logs.amazonaws.com", "DescribeLogStreams"),
           ("dynamodb.amazonaws.com", "GetItem")]


def user(name):
    return {"type": "IAMUser", "principalId": f"AIDA{name.upper().replace('-', '')}", "accountId": ACCOUNT,
            "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "accessKeyId": f"AKIA{name.upper().replace('-', '')[:12]:0<12}0001", "userName": name}


def role_session(role, session, key):
    issuer = {"type": "Role", "principalId": f"AROA{role.upper()}", "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
              "accountId": ACCOUNT, "userName": role}
    return {"type": "AssumedRole", "principalId": f"AROA{role.upper()}:{session}",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT,
            "accessKeyId": key, "sessionContext": {"sessionIssuer": issuer, "webIdFederationData": {},
                                                   "attributes": {"creationDate": "2026-11-01T00:00:00Z",
                                                                  "mfaAuthenticated": "false"}}}


class Story:
    def __init__(self, name):
        self.name = name
        self.records = []

    def call(self, identity, time, source, name, ip=ROUTINE_IP, agent=ROUTINE_AGENT, region="us-east-1",
             error=None, request=None, response=None, event_id=None):
        record = {"eventVersion": "1.09", "userIdentity": identity, "eventTime": time, "eventSource": source,
                  "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": agent,
                  "requestParameters": request, "responseElements": response,
                  "requestID": f"req-{self.name}-{len(self.records) + 1:04d}",
                  "eventID": event_id or f"{self.name}-{len(self.records) + 1:04d}", "readOnly": False,
                  "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT,
                  "eventCategory": "Management"}
        if error:
            record["errorCode"] = error
            record["errorMessage"] = "User is not authorized to perform this operation"
        self.records.append(record)

    def routine(self, identity, days=range(1, 31), calls=ROUTINE):
        for day in days:
            for minute, (source, name) in enumerate(calls):
                self.call(identity, f"2026-11-{day:02d}T09:{minute:02d}:00Z", source, name)

    def write(self):
        by_day = {}
        for record in self.records:
            by_day.setdefault(record["eventTime"][:10], []).append(record)
        for day, records in sorted(by_day.items()):
            year, month, date = day.split("-")
            folder = os.path.join(OUT, self.name, "AWSLogs", ACCOUNT, "CloudTrail", "us-east-1", year, month, date)
            os.makedirs(folder, exist_ok=True)
            stamp = f"{year}{month}{date}T0000Z"
            path = os.path.join(folder, f"{ACCOUNT}_CloudTrail_us-east-1_{stamp}_{self.name.replace('-', '')}.json")
            with open(path, "w") as file:
                json.dump({"Records": sorted(records, key=lambda r: (r["eventTime"], r["eventID"]))}, file,
                          indent=None, separators=(",", ":"), sort_keys=True)
                file.write("\n")


def ttp():
    story, who = Story("ttp"), user("ttp-user")
    story.routine(who)
    story.call(who, "2026-12-01T10:00:00Z", "iam.amazonaws.com", "CreateUser", request={"userName": "backdoor"},
               event_id="ttp-create-user")
    for minute in range(1, 4):
        story.call(who, f"2026-12-01T10:{minute:02d}:00Z", "secretsmanager.amazonaws.com", "GetSecretValue",
                   request={"secretId": "prod/db"}, error="AccessDenied" if minute == 3 else None,
                   event_id=f"ttp-secret-{minute}")
    return story


def new_behaviour():
    story, who = Story("new-behaviour"), user("newbie")
    story.routine(who)
    for minute in range(3):
        story.call(who, f"2026-12-01T10:{minute:02d}:00Z", "logs.amazonaws.com", "DeleteLogGroup",
                   ip="203.0.113.20", agent="python-requests/2.31.0", region="eu-west-3",
                   request={"logGroupName": f"/app/{minute}"}, event_id=f"new-{minute + 1}")
    return story


def inside_baseline():
    story, who = Story("inside-baseline"), user("steady")
    story.routine(who)
    story.call(who, "2026-11-03T15:00:00Z", "dynamodb.amazonaws.com", "Query", ip="192.0.2.10", agent="Boto3/1.34.0",
               region="eu-west-1", event_id="steady-early")
    story.call(who, "2026-12-01T10:00:00Z", "dynamodb.amazonaws.com", "Query", ip="192.0.2.10", agent="Boto3/1.34.0",
               region="eu-west-1", event_id="steady-1")
    story.call(who, "2026-12-01T10:01:00Z", "dynamodb.amazonaws.com", "GetItem", ip="192.0.2.10", event_id="steady-2")
    return story


def impossible_travel():
    story, who = Story("impossible-travel"), user("traveller")
    story.routine(who)
    for time, ip, event_id in [("10:00", ROUTINE_IP, "travel-1"), ("10:20", "203.0.113.20", "travel-2"),
                               ("10:30", "192.0.2.10", "travel-3"), ("10:31", "192.0.2.200", "travel-4")]:
        story.call(who, f"2026-12-01T{time}:00Z", "dynamodb.amazonaws.com", "GetItem", ip=ip, event_id=event_id)
    return story


def flagged_ip():
    story, who = Story("flagged-ip"), user("flagged")
    story.routine(who)
    for minute in range(2):
        story.call(who, f"2026-12-01T10:{minute:02d}:00Z", "dynamodb.amazonaws.com", "GetItem", ip="203.0.113.77",
                   event_id=f"flagged-{minute + 1}")
    return story


def volume():
    story, who = Story("volume"), user("busy")
    story.routine(who)
    for index in range(120):
        story.call(who, f"2026-12-01T{10 + index // 60}:{index % 60:02d}:00Z", "dynamodb.amazonaws.com", "GetItem",
                   error="AccessDenied" if index % 3 == 2 else None, event_id=f"volume-{index + 1:03d}")
    return story


def instance():
    story = Story("instance")
    instance_id = "i-0abc1234def567890"
    for day in range(1, 31):
        who = role_session("web", instance_id, f"ASIAWEBINSTANCE{day:05d}")
        for minute in range(3):
            story.call(who, f"2026-11-{day:02d}T09:{minute:02d}:00Z", "dynamodb.amazonaws.com", "GetItem",
                       ip="10.0.1.15", agent="aws-sdk-java/2.20.0")
    who = role_session("web", instance_id, "ASIAWEBINSTANCE01201")
    story.call(who, "2026-12-01T10:00:00Z", "dynamodb.amazonaws.com", "GetItem", ip="10.0.1.15",
               agent="aws-sdk-java/2.20.0", event_id="instance-home")
    for minute in (5, 6):
        story.call(who, f"2026-12-01T10:{minute:02d}:00Z", "dynamodb.amazonaws.com", "GetItem", ip="203.0.113.200",
                   agent="aws-cli/2.15.0", event_id=f"instance-away-{minute}")
    return story


def related():
    story, ops = Story("related"), user("ops")
    story.routine(ops)
    for index in (1, 2):
        key = f"ASIARELATEDADMIN000{index}"
        story.call(ops, f"2026-12-01T10:0{index - 1}:00Z", "sts.amazonaws.com", "AssumeRole",
                   request={"roleArn": f"arn:aws:iam::{ACCOUNT}:role/admin", "roleSessionName": f"ops-{index}"},
                   response={"credentials": {"accessKeyId": key, "expiration": "Dec 1, 2026, 11:00:00 AM",
                                             "sessionToken": f"token{index}"},
                             "assumedRoleUser": {"assumedRoleId": f"AROAADMIN:ops-{index}",
                                                 "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/ops-{index}"}},
                   event_id=f"related-assume-{index}")
        story.call(role_session("admin", f"ops-{index}", key), f"2026-12-01T10:0{index + 2}:00Z",
                   "dynamodb.amazonaws.com", "GetItem", ip="203.0.113.5", agent="curl/8.5.0",
                   event_id=f"related-admin-{index}")
    story.call(user("mallory"), "2026-12-01T10:03:30Z", "dynamodb.amazonaws.com", "GetItem", ip="203.0.113.5",
               agent="curl/8.5.0", event_id="related-mallory")
    story.call(user("bystander"), "2026-12-01T10:03:40Z", "dynamodb.amazonaws.com", "GetItem", ip="203.0.113.5",
               agent="aws-cli/2.15.0", event_id="related-bystander")
    return story


def short_baseline():
    story, who = Story("short-baseline"), user("newcomer")
    for day in (28, 29, 30):
        story.call(who, f"2026-11-{day:02d}T09:00:00Z", "dynamodb.amazonaws.com", "GetItem")
    story.call(who, "2026-12-01T09:00:00Z", "dynamodb.amazonaws.com", "GetItem", ip="203.0.113.20",
               event_id="short-1")
    return story


def write_all():
    shutil.rmtree(OUT, ignore_errors=True)
    for make in (ttp, new_behaviour, inside_baseline, impossible_travel, flagged_ip, volume, instance, related,
                 short_baseline):
        make().write()
    with open(os.path.join(OUT, "flagged-ips.txt"), "w") as file:
        file.write("# Flagged addresses for the flagged-ip story: IP or CIDR, then a label.\n"
                   "192.0.2.99 single host, not used\n"
                   "203.0.113.64/26 known-bad VPN exit\n"
                   "2001:db8::/32\n")


def files(folder):
    return sorted(os.path.relpath(os.path.join(directory, name), folder)
                  for directory, _, names in os.walk(folder) for name in names)


def main():
    global OUT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not args.check:
        write_all()
        return 0
    with tempfile.TemporaryDirectory() as folder:
        OUT = os.path.join(folder, "investigate")
        write_all()
        fresh, committed = files(OUT), files(FIXTURES)
        stale = sorted(set(fresh) ^ set(committed)) + [
            name for name in fresh if name in committed
            and not filecmp.cmp(os.path.join(OUT, name), os.path.join(FIXTURES, name), shallow=False)]
    if stale:
        print(f"make-investigate-fixtures: {len(stale)} files differ, such as {stale[0]}; run it again",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
