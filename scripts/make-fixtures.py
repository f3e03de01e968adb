#!/usr/bin/env python3
"""Generate the trailhound test fixtures (deterministic, Python 3.11 standard library only).

Run from anywhere:  python3 scripts/make-fixtures.py

It deletes and rewrites Fixtures/ingest-dump/ and Fixtures/bad-inputs/ and writes
Fixtures/ingest-dump.expected.json and Fixtures/bad-inputs.expected.json. Every run produces
byte-identical files (fixed random seeds, gzip mtime=0, no clocks, no dict-order surprises).
Everything "expected" is computed by reading the written files back, never typed by hand.

All data is synthetic: accounts, keys, IPs (RFC 5737 documentation ranges and 10/8), names.

Fixtures/ingest-dump/  -- what `aws s3 sync s3://acme-cloudtrail-logs .` would leave behind
--------------------------------------------------------------------------------------------
Two accounts share the bucket:
  * 111122223333, own trail, standard layout
        AWSLogs/111122223333/CloudTrail/{us-east-1,eu-west-1}/2026/11/0{2,3}/...
  * 444455556666, member of organization o-a1b2c3d4e5, organization-trail layout
        AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/us-east-1/2026/11/0{2,3}/...
Twelve log files, each the events of one 5-minute window.

Background noise (both days): IAM users ops-bob and ci-deployer, dev-alice working normally from
the internal network on 2026-11-02, EC2 instance roles app-server-role / batch-worker-role, a
federated OpsReadOnly session (carol) and the svc-backup user in 444455556666, and AWS services
assuming roles. Mostly Describe*/List*/GetObject from 10.x addresses.

Attack (2026-11-03 02:01-02:11 UTC), all from 203.0.113.45 with a Boto3 (scripting) user agent:
  1. 111122223333: dev-alice's long-term key AKIA... calls GetCallerIdentity, ListBuckets,
     iam:ListUsers (AccessDenied; this probe carries a user agent with <script> and a quote),
     then sts:AssumeRole of arn:aws:iam::444455556666:role/OrgAuditRole.
  2. The cross-account AssumeRole is recorded twice: the caller copy in 111122223333
     (userIdentity IAMUser) and the role-owner copy in 444455556666 (userIdentity AWSAccount, no
     accessKeyId). Same requestID and sharedEventID, different eventID / recipientAccountId.
  3. 444455556666: the first session key (ASIA..., OrgAuditRole/audit-sync) does recon
     (ListUsers AccessDenied, ListRoles with a user agent holding terminal escape sequences) and chains into role AdminRole (second ASIA... key).
  4. With the second key (its first call, GetCallerIdentity, carries the user agent
     =cmd|' /C calc'!A0, a spreadsheet formula): CreateUser backdoor, CreateAccessKey, AttachUserPolicy
     AdministratorAccess, ListSecrets, GetSecretValue (one AccessDenied), StopLogging of the
     account's own trail (the organization trail keeps recording), GetUser backdoor.

Oddities an ingester must tolerate (all inside ordinary log files):
  readOnly as the string "true"; accessKeyId ""; null values (requestParameters, responseElements,
  userAgent, tlsDetails, additionalEventData); unknown top-level and userIdentity fields; an
  Insights-style event without userIdentity; ConsoleLogin with eventType "AwsConsoleSignin" and
  additionalEventData.MFAUsed = true (boolean); sourceIPAddress "100.200.300.400" and
  "AWS Internal"; a userAgent written with escapes \\u00e9, \\ud83d\\ude00 and \\t; a userAgent
  with <script>alert(1)</script> and a double quote; raw UTF-8 in a tag value; numbers in
  requestParameters ("maxResults": 1000 and the literal text 1.50e3).

Formatting variants: most files compact gzip; one pretty-printed (2-space indent, CRLF); one with
a "Meta" key before "Records" whose value contains a "]" inside a string; one with ", " and " : "
separators; one plain (not gzip) .json file; one gzip file named .json (no .gz).

Duplicates: exactly 3 events (two of them made with the second session key) are delivered a
second time, byte-identical, in the next log file of 444455556666.

Files that must be skipped, not treated as errors: a CloudTrail-Digest file (hashValue = SHA-256
of the decompressed log files it lists), a CloudTrail-Insight file, an S3/SNS delivery
notification (notifications/sns-message.json) and README.txt.

Fixtures/ingest-dump.expected.json (outside the dump so an ingester never reads it) holds the
computed truths: file and record counts, distinct events by account and region, per-file record
counts, skipped files with their kind, and the attack keys/IP/sharedEventID.

Fixtures/bad-inputs/  -- one damaged input per file
--------------------------------------------------
truncated.json.gz, bad-crc.json.gz, not-gzip.json.gz, empty.json.gz, syntax-error.json.gz,
concatenated.json.gz, trailing-garbage.json.gz, invalid-utf8.json.gz, lone-surrogate.json,
deep-nesting.json.gz, duplicate-keys.json.gz, control-char.json.gz, good-plain.json.
Fixtures/bad-inputs.expected.json gives, per file, the records before the damage, the records a
tolerant reader would see, and the 0-based byte offset of the damage (in the compressed file or in
the decompressed JSON text, see offsetKind).
"""

import calendar
import gzip
import hashlib
import json
import random
import shutil
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Fixtures"
DUMP = FIXTURES / "ingest-dump"
BAD = FIXTURES / "bad-inputs"

ACCT_A = "111122223333"
ACCT_B = "444455556666"
ORG_ID = "o-a1b2c3d4e5"
BUCKET = "acme-cloudtrail-logs"
ATTACKER_IP = "203.0.113.45"
ATTACKER_UA = ("Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#6.6.15-amd64 md/arch#x86_64 "
               "lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.54")
XSS_UA = 'Mozilla/5.0 (compatible; recon/0.3) "><script>alert(1)</script>'
# A user agent that a spreadsheet would run as a formula if a CSV export left it alone.
FORMULA_UA = "=cmd|' /C calc'!A0"
# A user agent that would clear a terminal and retitle its window if printed raw.
TERMINAL_UA = "curl/8.5.0 \x1b[2J\x1b]0;owned\x07"

KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
B64 = ALNUM + "+/"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

CLI_UA = ("aws-cli/2.18.7 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1017-aws md/arch#x86_64 "
          "lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
          "md/distrib#ubuntu.24 md/prompt#off")
MAC_CLI_UA = ("aws-cli/2.17.50 md/awscrt#0.21.5 ua/2.0 os/macos#23.6.0 md/arch#arm64 "
              "lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
              "md/prompt#off")
JAVA_UA = ("aws-sdk-java/2.28.16 Linux/6.1.112-122.189.amzn2023.x86_64 "
           "OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS Java/21.0.4 vendor/Amazon.com_Inc. io/sync "
           "http/Apache cfg/retry-mode/legacy")
SSM_UA = "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/3.3.987.0"
CONSOLE_UA = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36")
BOTO_UA = ("Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#5.10.226-214.880.amzn2.x86_64 "
           "md/arch#x86_64 lang/python#3.9.20 md/pyimpl#CPython cfg/retry-mode#legacy "
           "Botocore/1.34.162")


class Raw(str):
    """JSON text emitted verbatim by render() (used for exact number literals and escapes)."""


# ---------------------------------------------------------------------------------------------
# Small helpers


def ts(day, hh, mm, ss=0):
    return calendar.timegm((2026, 11, day, hh, mm, ss, 0, 0, 0))


def iso(t):
    g = time.gmtime(t)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % g[:6]


def stamp(t):
    g = time.gmtime(t)
    return "%04d%02d%02dT%02d%02dZ" % g[:5]


def date_path(t):
    g = time.gmtime(t)
    return "%04d/%02d/%02d" % g[:3]


def expiration(t):
    g = time.gmtime(t)
    hour = g.tm_hour % 12 or 12
    return "%s %d, %d, %d:%02d:%02d %s" % (MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_year, hour,
                                           g.tm_min, g.tm_sec, "AM" if g.tm_hour < 12 else "PM")


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


class Ids:
    """All random identifiers come from one seeded generator, drawn in a fixed order."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def uuid(self):
        h = "%032x" % self.rng.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def chars(self, alphabet, n):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def key(self, prefix):
        return prefix + self.chars(KEY_ALPHABET, 16)

    def principal(self, prefix):
        return prefix + self.chars(KEY_ALPHABET, 17)

    def hex(self, n):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def s3_request_id(self):
        return self.hex(16).upper()

    def token(self, n=180):
        return "IQoJb3JpZ2luX2VjE" + self.chars(B64, n)


# ---------------------------------------------------------------------------------------------
# JSON text rendering (keeps insertion order; lets a file choose its separators / indentation)


def render(v, item_sep=",", key_sep=":", indent=None, nl="\n", level=0):
    if isinstance(v, Raw):
        return str(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        if not v:
            return "{}"
        parts = [render(k) + key_sep + render(x, item_sep, key_sep, indent, nl, level + 1)
                 for k, x in v.items()]
        open_, close = "{", "}"
    elif isinstance(v, list):
        if not v:
            return "[]"
        parts = [render(x, item_sep, key_sep, indent, nl, level + 1) for x in v]
        open_, close = "[", "]"
    else:
        raise TypeError(type(v))
    if indent is None:
        return open_ + item_sep.join(parts) + close
    pad = " " * indent
    inner = ("," + nl).join(pad * (level + 1) + p for p in parts)
    return open_ + nl + inner + nl + pad * level + close


# ---------------------------------------------------------------------------------------------
# CloudTrail record shapes


def tls(host):
    return {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": host}


class Actor:
    """Someone who makes API calls: an IAM user, an assumed-role session or an AWS service."""

    def __init__(self, kind, account, name, ip, ua, key=None, principal=None, role=None,
                 role_principal=None, created=None, ec2=False, mfa="false"):
        self.kind, self.account, self.name, self.ip, self.ua = kind, account, name, ip, ua
        self.key, self.principal = key, principal
        self.role, self.role_principal = role, role_principal
        self.created, self.ec2, self.mfa = created, ec2, mfa

    def identity(self):
        if self.kind == "user":
            return {"type": "IAMUser", "principalId": self.principal,
                    "arn": f"arn:aws:iam::{self.account}:user/{self.name}",
                    "accountId": self.account, "accessKeyId": self.key, "userName": self.name}
        if self.kind == "role":
            ctx = {"sessionIssuer": {"type": "Role", "principalId": self.role_principal,
                                     "arn": f"arn:aws:iam::{self.account}:role/{self.role}",
                                     "accountId": self.account, "userName": self.role},
                   "webIdFederationData": {},
                   "attributes": {"creationDate": iso(self.created), "mfaAuthenticated": self.mfa}}
            if self.ec2:
                ctx["ec2RoleDelivery"] = "2.0"
            return {"type": "AssumedRole", "principalId": f"{self.role_principal}:{self.name}",
                    "arn": f"arn:aws:sts::{self.account}:assumed-role/{self.role}/{self.name}",
                    "accountId": self.account, "accessKeyId": self.key, "sessionContext": ctx}
        if self.kind == "service":
            return {"type": "AWSService", "invokedBy": self.name}
        raise ValueError(self.kind)


VERSIONS = {"ec2.amazonaws.com": "1.09", "s3.amazonaws.com": "1.09", "iam.amazonaws.com": "1.09",
            "sts.amazonaws.com": "1.08", "ssm.amazonaws.com": "1.08", "kms.amazonaws.com": "1.08",
            "cloudformation.amazonaws.com": "1.09", "logs.amazonaws.com": "1.08",
            "lambda.amazonaws.com": "1.08", "monitoring.amazonaws.com": "1.08",
            "secretsmanager.amazonaws.com": "1.09", "cloudtrail.amazonaws.com": "1.09",
            "signin.amazonaws.com": "1.09"}
GLOBAL_HOSTS = {"iam.amazonaws.com", "sts.amazonaws.com"}


def record(ids, actor, t, source, name, region, request, response, *, read_only,
           error=None, additional=None, resources=None, category="Management",
           request_id=None, shared=None, host=None, identity=None, recipient=None,
           ip=None, ua=None, event_type="AwsApiCall", api_version=None, vpce=None):
    """Build one record with the key order CloudTrail itself uses."""
    r = {"eventVersion": VERSIONS.get(source, "1.08"),
         "userIdentity": identity if identity is not None else actor.identity(),
         "eventTime": iso(t), "eventSource": source, "eventName": name, "awsRegion": region,
         "sourceIPAddress": ip if ip is not None else actor.ip,
         "userAgent": ua if ua is not None else actor.ua}
    if error:
        r["errorCode"], r["errorMessage"] = error
    r["requestParameters"] = request
    r["responseElements"] = response
    if additional is not None:
        r["additionalEventData"] = additional
    r["requestID"] = request_id or ids.uuid()
    r["eventID"] = ids.uuid()
    r["readOnly"] = read_only
    if resources is not None:
        r["resources"] = resources
    r["eventType"] = event_type
    if api_version:
        r["apiVersion"] = api_version
    r["managementEvent"] = category == "Management"
    r["recipientAccountId"] = recipient or (actor.account if actor.kind != "service" else None)
    if shared:
        r["sharedEventID"] = shared
    if vpce:
        r["vpcEndpointId"] = vpce
    r["eventCategory"] = category
    if actor.kind != "service":
        if host is None:
            svc = source.split(".")[0]
            host = source if source in GLOBAL_HOSTS else f"{svc}.{region}.amazonaws.com"
        r["tlsDetails"] = tls(host)
    return r


def denied(actor_arn, action, resource):
    return ("AccessDenied",
            f"User: {actor_arn} is not authorized to perform: {action} on resource: {resource} "
            f"because no identity-based policy allows the {action} action")


def actor_arn(actor):
    ident = actor.identity()
    return ident["arn"]


# ---------------------------------------------------------------------------------------------
# Background-noise operations: each returns one record


def s3_extra(ids, out=0, inn=0):
    return {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
            "bytesTransferredIn": inn, "AuthenticationMethod": "AuthHeader",
            "x-amz-id-2": ids.chars(B64, 56) + "=", "bytesTransferredOut": out}


def op_describe_instances(g, a, t, region):
    return record(g.ids, a, t, "ec2.amazonaws.com", "DescribeInstances", region,
                  {"instancesSet": {},
                   "filterSet": {"items": [{"name": "instance-state-name",
                                            "valueSet": {"items": [{"value": "running"}]}}]}},
                  None, read_only=True)


def op_describe_security_groups(g, a, t, region):
    return record(g.ids, a, t, "ec2.amazonaws.com", "DescribeSecurityGroups", region,
                  {"securityGroupSet": {}, "securityGroupIdSet": {}, "filterSet": {}}, None,
                  read_only=True)


def op_describe_volumes(g, a, t, region):
    return record(g.ids, a, t, "ec2.amazonaws.com", "DescribeVolumes", region,
                  {"volumeSet": {}, "filterSet": {}, "maxResults": 500}, None, read_only=True)


def op_describe_tags(g, a, t, region):
    iid = g.instance_of(a)
    return record(g.ids, a, t, "ec2.amazonaws.com", "DescribeTags", region,
                  {"filterSet": {"items": [{"name": "resource-id",
                                            "valueSet": {"items": [{"value": iid}]}}]}},
                  None, read_only=True)


def op_list_buckets(g, a, t, region):
    return record(g.ids, a, t, "s3.amazonaws.com", "ListBuckets", "us-east-1",
                  {"Host": "s3.amazonaws.com"}, None, read_only=True,
                  additional=s3_extra(g.ids, out=g.rng.randint(900, 2400)),
                  request_id=g.ids.s3_request_id(), host="s3.amazonaws.com")


def s3_object_event(g, a, t, region, name, key, read_only, out=0, inn=0):
    bucket = g.bucket_for(a.account, region)
    host = f"{bucket}.s3.{region}.amazonaws.com"
    res = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
           {"accountId": a.account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    return record(g.ids, a, t, "s3.amazonaws.com", name, region,
                  {"bucketName": bucket, "Host": host, "key": key}, None, read_only=read_only,
                  additional=s3_extra(g.ids, out=out, inn=inn), resources=res, category="Data",
                  request_id=g.ids.s3_request_id(), host=host)


def op_get_object(g, a, t, region):
    key = g.rng.choice(["config/app.yaml", "releases/app-1.4.2.tar.gz", "static/logo.png",
                        "reports/2026-11/daily.csv", "config/feature-flags.json"])
    return s3_object_event(g, a, t, region, "GetObject", key, True, out=g.rng.randint(300, 90000))


def op_put_object(g, a, t, region):
    key = "builds/%d/app.tar.gz" % g.rng.randint(4100, 4199)
    size = g.rng.randint(10000, 90000)
    return s3_object_event(g, a, t, region, "PutObject", key, False, inn=size)


def op_describe_stacks(g, a, t, region):
    stack = g.rng.choice(["app-prod", "app-network", "observability"])
    return record(g.ids, a, t, "cloudformation.amazonaws.com", "DescribeStacks", region,
                  {"stackName": stack}, None, read_only=True)


def op_describe_log_groups(g, a, t, region):
    return record(g.ids, a, t, "logs.amazonaws.com", "DescribeLogGroups", region,
                  {"limit": 50}, None, read_only=True)


def op_get_caller_identity(g, a, t, region):
    return record(g.ids, a, t, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1", None, None,
                  read_only=True)


def op_list_roles(g, a, t, region):
    return record(g.ids, a, t, "iam.amazonaws.com", "ListRoles", "us-east-1", {"maxItems": 100},
                  None, read_only=True)


def op_list_functions(g, a, t, region):
    return record(g.ids, a, t, "lambda.amazonaws.com", "ListFunctions20150331", region,
                  {"maxItems": 50}, None, read_only=True,
                  host=f"lambda.{region}.amazonaws.com")


def op_describe_alarms(g, a, t, region):
    return record(g.ids, a, t, "monitoring.amazonaws.com", "DescribeAlarms", region,
                  {"stateValue": "ALARM"}, None, read_only=True)


def op_update_instance_information(g, a, t, region):
    iid = g.instance_of(a)
    return record(g.ids, a, t, "ssm.amazonaws.com", "UpdateInstanceInformation", region,
                  {"instanceId": iid, "agentVersion": "3.3.987.0", "agentStatus": "Active",
                   "platformType": "Linux", "platformName": "Amazon Linux",
                   "platformVersion": "2023",
                   "iPAddress": a.ip, "computerName": "ip-%s.ec2.internal" % a.ip.replace(".", "-"),
                   "agentName": "amazon-ssm-agent", "availabilityZone": region + "a"},
                  None, read_only=False)


def op_kms_decrypt(g, a, t, region):
    key_arn = g.kms_key(a.account, region)
    return record(g.ids, a, t, "kms.amazonaws.com", "Decrypt", region,
                  {"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                   "encryptionContext": {
                       "aws:s3:arn": "arn:aws:s3:::" + g.bucket_for(a.account, region)}},
                  None, read_only=True,
                  resources=[{"accountId": a.account, "type": "AWS::KMS::Key", "ARN": key_arn}])


def op_service_assume_role(g, a, t, region):
    """Lambda assuming a function's execution role: issues an unrelated ASIA key."""
    acct = g.service_account
    role = g.rng.choice(["thumbnailer-exec", "order-processor-exec", "log-shipper-exec"])
    session = role.replace("-exec", "")
    rp = g.role_principal(acct, role)
    return record(g.ids, a, t, "sts.amazonaws.com", "AssumeRole", region,
                  {"roleArn": f"arn:aws:iam::{acct}:role/{role}", "roleSessionName": session},
                  {"credentials": {"accessKeyId": g.ids.key("ASIA"), "sessionToken": g.ids.token(),
                                   "expiration": expiration(t + 43200)},
                   "assumedRoleUser": {"assumedRoleId": f"{rp}:{session}",
                                       "arn": f"arn:aws:sts::{acct}:assumed-role/{role}/{session}"}},
                  read_only=True, recipient=acct,
                  resources=[{"accountId": acct, "type": "AWS::IAM::Role",
                              "ARN": f"arn:aws:iam::{acct}:role/{role}"}])


GLOBAL_OPS = {op_list_buckets, op_get_caller_identity, op_list_roles}


class Noise:
    """Per-account background actors and the generator of their routine calls."""

    def __init__(self, ids):
        self.ids = ids
        self.rng = random.Random(20261102)
        self._principals = {}
        self._instances = {}
        self.service_account = ACCT_A
        t0 = ts(2, 6, 12, 9)
        t1 = ts(3, 0, 41, 55)
        mk = self.user
        self.alice_key = ids.key("AKIA")
        self.alice_principal = ids.principal("AIDA")
        self.actors = {
            ACCT_A: {
                "ops-bob": (mk(ACCT_A, "ops-bob", "10.20.4.17", MAC_CLI_UA),
                            [op_describe_instances, op_describe_security_groups, op_describe_volumes,
                             op_list_buckets, op_describe_stacks, op_describe_log_groups,
                             op_get_caller_identity, op_list_roles, op_describe_alarms]),
                "ci-deployer": (mk(ACCT_A, "ci-deployer", "10.20.8.33", BOTO_UA),
                                [op_describe_stacks, op_get_object, op_put_object,
                                 op_get_caller_identity, op_list_functions]),
                "app-server": (self.role(ACCT_A, "app-server-role", "i-0a1b2c3d4e5f60718",
                                         "10.20.12.101", JAVA_UA, t0, ec2=True),
                               [op_get_object, op_get_object, op_update_instance_information,
                                op_kms_decrypt, op_describe_tags]),
                "lambda": (Actor("service", ACCT_A, "lambda.amazonaws.com", "lambda.amazonaws.com",
                                 "lambda.amazonaws.com"), [op_service_assume_role]),
            },
            ACCT_B: {
                "svc-backup": (mk(ACCT_B, "svc-backup", "10.30.2.40", BOTO_UA),
                               [op_get_object, op_put_object, op_describe_volumes, op_list_buckets]),
                "batch-worker": (self.role(ACCT_B, "batch-worker-role", "i-0f9e8d7c6b5a40312",
                                           "10.30.14.7", JAVA_UA, t1, ec2=True),
                                 [op_get_object, op_update_instance_information, op_kms_decrypt,
                                  op_describe_instances]),
                "carol": (self.role(ACCT_B, "OpsReadOnly", "carol", "10.30.1.25", CLI_UA, t1),
                          [op_describe_instances, op_describe_security_groups, op_describe_alarms,
                           op_describe_log_groups, op_list_roles]),
                "lambda": (Actor("service", ACCT_B, "lambda.amazonaws.com", "lambda.amazonaws.com",
                                 "lambda.amazonaws.com"), [op_service_assume_role]),
            },
        }
        self.alice_normal = Actor("user", ACCT_A, "dev-alice", "10.20.4.52", CLI_UA,
                                  key=self.alice_key, principal=self.alice_principal)
        self.alice_ops = [op_describe_instances, op_list_buckets, op_get_object, op_list_functions,
                          op_describe_log_groups]

    # identity helpers -----------------------------------------------------------------------
    def user(self, account, name, ip, ua):
        return Actor("user", account, name, ip, ua, key=self.ids.key("AKIA"),
                     principal=self.ids.principal("AIDA"))

    def role_principal(self, account, role):
        k = (account, role)
        if k not in self._principals:
            self._principals[k] = self.ids.principal("AROA")
        return self._principals[k]

    def role(self, account, role, session, ip, ua, created, ec2=False):
        a = Actor("role", account, session, ip, ua, key=self.ids.key("ASIA"),
                  role=role, role_principal=self.role_principal(account, role), created=created,
                  ec2=ec2)
        if ec2:
            self._instances[id(a)] = session
        return a

    def instance_of(self, a):
        return self._instances.get(id(a), "i-0c0ffee0c0ffee001")

    def bucket_for(self, account, region):
        return {ACCT_A: "acme-app-artifacts", ACCT_B: "acme-backups"}[account] + "-" + region

    def kms_key(self, account, region):
        return f"arn:aws:kms:{region}:{account}:key/" + {
            ACCT_A: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a10",
            ACCT_B: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"}[account]

    # generation -----------------------------------------------------------------------------
    def events(self, account, region, start, count, with_alice=False):
        """count routine records for account/region inside [start, start+300)."""
        pool = list(self.actors[account].values())
        if with_alice:
            pool.append((self.alice_normal, self.alice_ops))
        out = []
        while len(out) < count:
            actor, ops = self.rng.choice(pool)
            op = self.rng.choice(ops)
            if region != "us-east-1" and op in GLOBAL_OPS:
                continue
            self.service_account = account
            out.append(op(self, actor, start + self.rng.randint(0, 299), region))
        return out


# ---------------------------------------------------------------------------------------------
# The attack


class Attack:
    def __init__(self, ids, noise):
        self.ids = ids
        self.alice = Actor("user", ACCT_A, "dev-alice", ATTACKER_IP, ATTACKER_UA,
                           key=noise.alice_key, principal=noise.alice_principal)
        self.org_audit_principal = noise.role_principal(ACCT_B, "OrgAuditRole")
        self.admin_principal = noise.role_principal(ACCT_B, "AdminRole")
        self.first_key = ids.key("ASIA")
        self.second_key = ids.key("ASIA")
        self.backdoor_key = ids.key("AKIA")
        self.backdoor_principal = ids.principal("AIDA")
        self.t_assume1 = ts(3, 2, 2, 40)
        self.t_assume2 = ts(3, 2, 4, 30)
        self.session1 = Actor("role", ACCT_B, "audit-sync", ATTACKER_IP, ATTACKER_UA,
                              key=self.first_key, role="OrgAuditRole",
                              role_principal=self.org_audit_principal, created=self.t_assume1)
        self.session2 = Actor("role", ACCT_B, "admin-sync", ATTACKER_IP, ATTACKER_UA,
                              key=self.second_key, role="AdminRole",
                              role_principal=self.admin_principal, created=self.t_assume2)
        self.shared_event_id = None

    def assume_role_response(self, t, role, rp, session, key):
        return {"credentials": {"accessKeyId": key, "sessionToken": self.ids.token(),
                                "expiration": expiration(t + 3600)},
                "assumedRoleUser": {"assumedRoleId": f"{rp}:{session}",
                                    "arn": f"arn:aws:sts::{ACCT_B}:assumed-role/{role}/{session}"}}

    def in_account_a(self):
        """Caller-side records in 111122223333 (us-east-1, global STS/S3/IAM endpoints)."""
        ids, a = self.ids, self.alice
        out = [
            record(ids, a, ts(3, 2, 1, 12), "sts.amazonaws.com", "GetCallerIdentity", "us-east-1",
                   None, None, read_only=True),
            record(ids, a, ts(3, 2, 1, 30), "s3.amazonaws.com", "ListBuckets", "us-east-1",
                   {"Host": "s3.amazonaws.com"}, None, read_only=True,
                   additional=s3_extra(ids, out=1812), request_id=ids.s3_request_id(),
                   host="s3.amazonaws.com"),
            record(ids, a, ts(3, 2, 1, 51), "iam.amazonaws.com", "ListUsers", "us-east-1",
                   {"maxItems": 1000}, None, read_only=True, ua=XSS_UA,
                   error=denied(actor_arn(a), "iam:ListUsers", f"arn:aws:iam::{ACCT_A}:user/")),
        ]
        role_arn = f"arn:aws:iam::{ACCT_B}:role/OrgAuditRole"
        request = {"roleArn": role_arn, "roleSessionName": "audit-sync", "durationSeconds": 3600}
        response = self.assume_role_response(self.t_assume1, "OrgAuditRole",
                                             self.org_audit_principal, "audit-sync", self.first_key)
        request_id = ids.uuid()
        self.shared_event_id = ids.uuid()
        res = [{"accountId": ACCT_B, "type": "AWS::IAM::Role", "ARN": role_arn}]
        caller = record(ids, a, self.t_assume1, "sts.amazonaws.com", "AssumeRole", "us-east-1",
                        request, response, read_only=True, resources=res, request_id=request_id,
                        shared=self.shared_event_id)
        owner = record(ids, a, self.t_assume1, "sts.amazonaws.com", "AssumeRole", "us-east-1",
                       request, response, read_only=True, resources=res, request_id=request_id,
                       shared=self.shared_event_id, recipient=ACCT_B,
                       identity={"type": "AWSAccount", "principalId": a.principal,
                                 "accountId": ACCT_A})
        out.append(caller)
        self.owner_copy = owner
        return out

    def in_account_b_first(self):
        """02:02-02:05 in 444455556666: role-owner copy, recon with key 1, role chaining."""
        ids, s1 = self.ids, self.session1
        admin_arn = f"arn:aws:iam::{ACCT_B}:role/AdminRole"
        return [
            self.owner_copy,
            record(ids, s1, ts(3, 2, 3, 5), "sts.amazonaws.com", "GetCallerIdentity", "us-east-1",
                   None, None, read_only=True),
            record(ids, s1, ts(3, 2, 3, 20), "iam.amazonaws.com", "ListUsers", "us-east-1",
                   {"maxItems": 1000}, None, read_only=True,
                   error=denied(actor_arn(s1), "iam:ListUsers", f"arn:aws:iam::{ACCT_B}:user/")),
            record(ids, s1, ts(3, 2, 3, 41), "iam.amazonaws.com", "ListRoles", "us-east-1",
                   {"maxItems": 1000}, None, read_only=True, ua=TERMINAL_UA),
            record(ids, s1, self.t_assume2, "sts.amazonaws.com", "AssumeRole", "us-east-1",
                   {"roleArn": admin_arn, "roleSessionName": "admin-sync", "durationSeconds": 3600},
                   self.assume_role_response(self.t_assume2, "AdminRole", self.admin_principal,
                                             "admin-sync", self.second_key),
                   read_only=True,
                   resources=[{"accountId": ACCT_B, "type": "AWS::IAM::Role", "ARN": admin_arn}]),
        ]

    def in_account_b_second(self):
        """02:05-02:10 in 444455556666: persistence, secrets and defence evasion with key 2."""
        ids, s2 = self.ids, self.session2
        created = ts(3, 2, 6, 2)
        secret = f"arn:aws:secretsmanager:us-east-1:{ACCT_B}:secret:prod/db/master-AbC123"
        secret2 = f"arn:aws:secretsmanager:us-east-1:{ACCT_B}:secret:prod/payments/api-Zx9Q8w"
        trail = f"arn:aws:cloudtrail:us-east-1:{ACCT_B}:trail/account-audit-trail"
        user_arn = f"arn:aws:iam::{ACCT_B}:user/backdoor"
        return [
            record(ids, s2, ts(3, 2, 5, 10), "sts.amazonaws.com", "GetCallerIdentity", "us-east-1",
                   None, None, read_only=True, ua=FORMULA_UA),
            record(ids, s2, created, "iam.amazonaws.com", "CreateUser", "us-east-1",
                   {"userName": "backdoor"},
                   {"user": {"path": "/", "userName": "backdoor", "userId": self.backdoor_principal,
                             "arn": user_arn, "createDate": expiration(created)}},
                   read_only=False),
            record(ids, s2, ts(3, 2, 6, 15), "iam.amazonaws.com", "CreateAccessKey", "us-east-1",
                   {"userName": "backdoor"},
                   {"accessKey": {"userName": "backdoor", "accessKeyId": self.backdoor_key,
                                  "status": "Active", "createDate": expiration(ts(3, 2, 6, 15))}},
                   read_only=False),
            record(ids, s2, ts(3, 2, 6, 31), "iam.amazonaws.com", "AttachUserPolicy", "us-east-1",
                   {"userName": "backdoor",
                    "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, None,
                   read_only=False),
            record(ids, s2, ts(3, 2, 7, 5), "secretsmanager.amazonaws.com", "ListSecrets",
                   "us-east-1", {"maxResults": 100}, None, read_only=True),
            record(ids, s2, ts(3, 2, 7, 20), "secretsmanager.amazonaws.com", "GetSecretValue",
                   "us-east-1", {"secretId": "prod/db/master"}, None, read_only=True,
                   resources=[{"accountId": ACCT_B, "type": "AWS::SecretsManager::Secret",
                               "ARN": secret}]),
            record(ids, s2, ts(3, 2, 7, 40), "secretsmanager.amazonaws.com", "GetSecretValue",
                   "us-east-1", {"secretId": "prod/payments/api"}, None, read_only=True,
                   error=("AccessDenied", f"User: {actor_arn(s2)} is not authorized to perform: "
                          f"secretsmanager:GetSecretValue on resource: prod/payments/api because "
                          f"the resource-based policy of {secret2} explicitly denies it")),
            record(ids, s2, ts(3, 2, 8, 55), "cloudtrail.amazonaws.com", "StopLogging",
                   "us-east-1", {"name": trail}, None, read_only=False),
        ]

    def in_account_b_third(self):
        """02:10-02:15: one more call with key 2 after StopLogging (the org trail still sees it)."""
        return [record(self.ids, self.session2, ts(3, 2, 11, 3), "iam.amazonaws.com", "GetUser",
                       "us-east-1", {"userName": "backdoor"}, None, read_only=True)]


# ---------------------------------------------------------------------------------------------
# Oddities placed into ordinary log files


def console_login(g, t):
    """ops-bob signs in to the console from the office; accessKeyId "" and MFAUsed as a boolean."""
    ids = g.ids
    bob = g.actors[ACCT_A]["ops-bob"][0]
    bob = Actor("user", ACCT_A, "ops-bob", "198.51.100.23", CONSOLE_UA, principal=bob.principal)
    ident = {"type": "IAMUser", "principalId": bob.principal,
             "arn": f"arn:aws:iam::{ACCT_A}:user/ops-bob", "accountId": ACCT_A,
             "userName": "ops-bob", "accessKeyId": ""}
    r = record(ids, bob, t, "signin.amazonaws.com", "ConsoleLogin", "us-east-1", None,
               {"ConsoleLogin": "Success"}, read_only=False, identity=ident,
               additional={"LoginTo": "https://console.aws.amazon.com/console/home?region=us-east-1",
                           "MobileVersion": "No", "MFAUsed": True, "MfaType": "Virtual MFA"},
               event_type="AwsConsoleSignin", host="signin.aws.amazon.com")
    return r


def escaped_user_agent_event(g, t):
    """ci-deployer with a user agent whose JSON text uses \\u00e9, a surrogate pair and \\t."""
    a = g.actors[ACCT_A]["ci-deployer"][0]
    ua = Raw(r'"aws-sdk-go-v2/1.32.2 ua/2.0 os/linux lang/go#1.23.2 app/d\u00e9ploiement-'
             r'\ud83d\ude00\tci-runner"')
    return record(g.ids, a, t, "cloudformation.amazonaws.com", "DescribeStacks", "us-east-1",
                  {"stackName": "app-prod"}, None, read_only=True, ua=ua)


def readonly_string_event(g, t):
    r = op_describe_security_groups(g, g.actors[ACCT_A]["ops-bob"][0], t, "us-east-1")
    r["readOnly"] = "true"
    return r


def null_fields_event(g, t):
    a = g.actors[ACCT_A]["app-server"][0]
    r = op_describe_tags(g, a, t, "us-east-1")
    r["userAgent"] = None
    r["requestParameters"] = None
    r["responseElements"] = None
    r["additionalEventData"] = None
    r["tlsDetails"] = None
    return r


def unknown_fields_event(g, t):
    a = g.actors[ACCT_A]["ops-bob"][0]
    r = op_describe_instances(g, a, t, "us-east-1")
    r["userIdentity"]["someNewIdentityField"] = ["future", 2]
    r["someNewField"] = {"x": 1}
    r["eventContext"] = {"schema": 7, "hints": [True, None, 2.5]}
    return r


def insight_style_event(ids, t):
    """An Insights event sitting in an ordinary log file: no userIdentity at all."""
    return {"eventVersion": "1.08", "eventTime": iso(t), "awsRegion": "us-east-1",
            "eventID": ids.uuid(), "eventType": "AwsCloudTrailInsight",
            "recipientAccountId": ACCT_A, "sharedEventID": ids.uuid(),
            "insightDetails": {"state": "Start", "eventSource": "ec2.amazonaws.com",
                               "eventName": "DescribeInstances", "insightType": "ApiCallRateInsight",
                               "insightContext": {"statistics": {"baseline": {"average": 0.42},
                                                                 "insight": {"average": 11}}}},
            "eventCategory": "Insight"}


def bad_ip_event(g, t, region):
    r = op_describe_volumes(g, g.actors[ACCT_A]["ops-bob"][0], t, region)
    r["sourceIPAddress"] = "100.200.300.400"
    return r


def aws_internal_event(g, t):
    a = g.actors[ACCT_A]["app-server"][0]
    r = op_kms_decrypt(g, a, t, "us-east-1")
    r["userIdentity"]["invokedBy"] = "secretsmanager.amazonaws.com"
    r["sourceIPAddress"] = "AWS Internal"
    r["userAgent"] = "AWS Internal"
    del r["tlsDetails"]
    return r


def numbers_event(g, t, region):
    a = g.actors[ACCT_A]["ops-bob"][0]
    return record(g.ids, a, t, "ec2.amazonaws.com", "DescribeSpotPriceHistory", region,
                  {"maxResults": 1000, "ratio": Raw("1.50e3"), "startTime": 1793577600000,
                   "productDescriptionSet": {"items": [{"productDescription": "Linux/UNIX"}]}},
                  None, read_only=True)


def utf8_tag_event(g, t, region):
    a = g.actors[ACCT_A]["ops-bob"][0]
    return record(g.ids, a, t, "ec2.amazonaws.com", "CreateTags", region,
                  {"resourcesSet": {"items": [{"resourceId": "i-0b1c2d3e4f5061728"}]},
                   "tagSet": {"items": [{"key": "Équipe", "value": "données-Zürich ✓"}]}},
                  {"requestId": g.ids.uuid(), "_return": True}, read_only=False)


# ---------------------------------------------------------------------------------------------
# Writing log files


def doc_text(records, style):
    if style in ("compact", "plain", "gzip-no-ext"):
        return '{"Records":[' + ",".join(render(r) for r in records) + "]}"
    if style == "pretty-crlf":
        return render({"Records": records}, ",", ": ", indent=2, nl="\r\n")
    if style == "meta-first":
        return ('{"Meta": {"a": [1, {"b": "]"}]}, "Records": ['
                + ",".join(render(r) for r in records) + "]}")
    if style == "spaced":
        return ('{"Records" : [' + ", ".join(render(r, ", ", " : ") for r in records) + "]}")
    raise ValueError(style)


def log_path(account, region, window_end, suffix, ids):
    prefix = "AWSLogs/" + (f"{ORG_ID}/{account}" if account == ACCT_B else account)
    name = f"{account}_CloudTrail_{region}_{stamp(window_end)}_{ids.chars(ALNUM, 16)}{suffix}"
    return f"{prefix}/CloudTrail/{region}/{date_path(window_end)}/{name}"


def write_bytes(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build_dump():
    ids = Ids(111122223333)
    g = Noise(ids)
    atk = Attack(ids, g)

    attack_a = atk.in_account_a()
    attack_b1 = atk.in_account_b_first()
    attack_b2 = atk.in_account_b_second()
    attack_b3 = atk.in_account_b_third()
    # delivered again in the next file: CreateAccessKey, AttachUserPolicy, GetSecretValue
    duplicates = [attack_b2[2], attack_b2[3], attack_b2[5]]

    # (account, region, window start, style, extra records, noise count, alice baseline?)
    plan = [
        (ACCT_A, "us-east-1", ts(2, 14, 0), "compact",
         lambda s: [readonly_string_event(g, s + 131)], 24, True),
        (ACCT_A, "us-east-1", ts(2, 14, 20), "pretty-crlf",
         lambda s: [console_login(g, s + 12), escaped_user_agent_event(g, s + 205)], 21, True),
        (ACCT_A, "us-east-1", ts(2, 14, 45), "meta-first",
         lambda s: [insight_style_event(ids, s + 60), null_fields_event(g, s + 88),
                    unknown_fields_event(g, s + 240)], 22, True),
        (ACCT_A, "eu-west-1", ts(2, 11, 0), "compact",
         lambda s: [bad_ip_event(g, s + 77, "eu-west-1"), utf8_tag_event(g, s + 190, "eu-west-1")],
         23, False),
        (ACCT_A, "us-east-1", ts(3, 2, 0), "compact", lambda s: attack_a, 19, False),
        (ACCT_A, "us-east-1", ts(3, 8, 10), "spaced", lambda s: [aws_internal_event(g, s + 45)],
         24, False),
        (ACCT_A, "eu-west-1", ts(3, 3, 10), "plain",
         lambda s: [numbers_event(g, s + 150, "eu-west-1")], 22, False),
        (ACCT_B, "us-east-1", ts(2, 16, 0), "compact", lambda s: [], 25, False),
        (ACCT_B, "us-east-1", ts(3, 2, 0), "compact", lambda s: attack_b1, 18, False),
        (ACCT_B, "us-east-1", ts(3, 2, 5), "gzip-no-ext", lambda s: attack_b2, 15, False),
        (ACCT_B, "us-east-1", ts(3, 2, 10), "compact", lambda s: attack_b3, 20, False),
        (ACCT_B, "us-east-1", ts(3, 9, 0), "compact", lambda s: [], 24, False),
    ]

    log_files = []  # (relative path, bytes written, decompressed text bytes)
    for account, region, start, style, extra, n_noise, alice in plan:
        records = extra(start) + g.events(account, region, start, n_noise, with_alice=alice)
        records.sort(key=lambda r: r["eventTime"])
        if start == ts(3, 2, 10):  # late re-delivery of three already delivered events
            records = duplicates + records
        text = doc_text(records, style).encode("utf-8")
        window_end = start + 300 + 60 * (1 + len(log_files) % 4)
        suffix = ".json" if style in ("plain", "gzip-no-ext") else ".json.gz"
        rel = log_path(account, region, window_end, suffix, ids)
        data = text if style == "plain" else gz(text)
        write_bytes(DUMP / rel, data)
        log_files.append((rel, text))

    skipped = write_skipped(ids, log_files)
    return log_files, skipped, atk


def write_skipped(ids, log_files):
    skipped = []

    # Digest for the hour that holds the three 2026-11-02 us-east-1 files of 111122223333.
    digest_end = ts(2, 15, 1, 31)
    digest_name = (f"{ACCT_A}_CloudTrail-Digest_us-east-1_account-audit-trail_us-east-1_"
                   f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(digest_end))}.json.gz")
    digest_rel = f"AWSLogs/{ACCT_A}/CloudTrail-Digest/us-east-1/2026/11/02/{digest_name}"
    listed = [(rel, text) for rel, text in log_files
              if rel.startswith(f"AWSLogs/{ACCT_A}/CloudTrail/us-east-1/2026/11/02/")]
    entries = []
    for rel, text in listed:
        times = sorted(r["eventTime"] for r in json.loads(text)["Records"])
        entries.append({"s3Bucket": BUCKET, "s3Object": rel,
                        "hashValue": hashlib.sha256(text).hexdigest(), "hashAlgorithm": "SHA-256",
                        "newestEventTime": times[-1], "oldestEventTime": times[0]})
    prev_name = digest_name.replace("T150131Z", "T140131Z")
    digest = {"awsAccountId": ACCT_A, "digestStartTime": iso(digest_end - 3600),
              "digestEndTime": iso(digest_end), "digestS3Bucket": BUCKET,
              "digestS3Object": digest_rel, "digestPublicKeyFingerprint": ids.hex(32),
              "digestSignatureAlgorithm": "SHA256withRSA",
              "newestEventTime": max(e["newestEventTime"] for e in entries),
              "oldestEventTime": min(e["oldestEventTime"] for e in entries),
              "previousDigestS3Bucket": BUCKET,
              "previousDigestS3Object": digest_rel.rsplit("/", 1)[0] + "/" + prev_name,
              "previousDigestHashValue": ids.hex(64), "previousDigestHashAlgorithm": "SHA-256",
              "previousDigestSignature": ids.hex(512), "logFiles": entries}
    write_bytes(DUMP / digest_rel, gz(render(digest).encode()))
    skipped.append({"path": digest_rel, "kind": "digest"})

    # Insights delivery (its own folder; the events in it are not management-event records).
    t = ts(2, 15, 40)
    shared = ids.uuid()
    insights = []
    for state, dt in (("Start", 0), ("End", 720)):
        stats = {"baseline": {"average": 0.4191176471}, "insight": {"average": 23}}
        if state == "End":
            stats["insightDuration"] = 12
        insights.append({"eventVersion": "1.08", "eventTime": iso(t + dt), "awsRegion": "us-east-1",
                         "eventID": ids.uuid(), "eventType": "AwsCloudTrailInsight",
                         "recipientAccountId": ACCT_A, "sharedEventID": shared,
                         "insightDetails": {"state": state, "eventSource": "iam.amazonaws.com",
                                            "eventName": "ListUsers",
                                            "insightType": "ApiCallRateInsight",
                                            "insightContext": {"statistics": stats}},
                         "eventCategory": "Insight"})
    ins_rel = (f"AWSLogs/{ACCT_A}/CloudTrail-Insight/us-east-1/2026/11/02/"
               f"{ACCT_A}_CloudTrail-Insight_us-east-1_20261102T1555Z_{ids.chars(ALNUM, 16)}.json.gz")
    write_bytes(DUMP / ins_rel, gz(doc_text(insights, "compact").encode()))
    skipped.append({"path": ins_rel, "kind": "insights"})

    # The SNS notification CloudTrail sends after a delivery (as saved by a subscriber).
    note_rel = "notifications/sns-message.json"
    note = {"s3Bucket": BUCKET, "s3ObjectKey": [log_files[0][0]]}
    write_bytes(DUMP / note_rel, (render(note) + "\n").encode())
    skipped.append({"path": note_rel, "kind": "notification"})

    readme_rel = "README.txt"
    write_bytes(DUMP / readme_rel, (
        "Export of s3://acme-cloudtrail-logs taken with `aws s3 sync` for incident IR-2026-1103.\n"
        "Chain of custody: see ticket. Do not modify files in this folder.\n").encode())
    skipped.append({"path": readme_rel, "kind": "unrelated"})
    return skipped


# ---------------------------------------------------------------------------------------------
# Reading the dump back to compute the truths


def load_doc(data):
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return json.loads(data.decode("utf-8"))


def dump_expected(log_files, skipped, atk):
    files, seen, by_account, by_region = [], set(), {}, {}
    records = 0
    second_key_events = set()
    for rel, _ in sorted(log_files):
        recs = load_doc((DUMP / rel).read_bytes())["Records"]
        files.append({"path": rel, "records": len(recs)})
        records += len(recs)
        for r in recs:
            k = (r["eventID"], r["recipientAccountId"])
            if k in seen:
                continue
            seen.add(k)
            by_account[r["recipientAccountId"]] = by_account.get(r["recipientAccountId"], 0) + 1
            by_region[r["awsRegion"]] = by_region.get(r["awsRegion"], 0) + 1
            if (r.get("userIdentity") or {}).get("accessKeyId") == atk.second_key:
                second_key_events.add(k)
    duplicates = records - len(seen)
    assert duplicates == 3, duplicates
    return {"logFiles": len(files), "skippedFiles": len(skipped), "records": records,
            "events": len(seen), "duplicates": duplicates,
            "eventsByAccount": dict(sorted(by_account.items())),
            "eventsByRegion": dict(sorted(by_region.items())),
            "files": files, "skipped": sorted(skipped, key=lambda s: s["path"]),
            "attack": {"attackerIP": ATTACKER_IP, "userAccessKeyId": atk.alice.key,
                       "firstSessionKey": atk.first_key, "secondSessionKey": atk.second_key,
                       "sharedEventID": atk.shared_event_id,
                       "eventsWithSecondKey": len(second_key_events)}}


# ---------------------------------------------------------------------------------------------
# Bad inputs


class Small:
    """Small realistic records for the bad-input files (own seed, so eventIDs never collide)."""

    def __init__(self):
        self.ids = Ids(777788889999)
        self.user = Actor("user", ACCT_A, "ops-bob", "10.20.4.17", MAC_CLI_UA,
                          key=self.ids.key("AKIA"), principal=self.ids.principal("AIDA"))
        self.t = ts(4, 10, 0)
        self.n = 0
        self.lambda_role_principal = self.ids.principal("AROA")

    def one(self, ua=None):
        ops = [("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
               ("ec2.amazonaws.com", "DescribeVpcs", {"vpcSet": {}, "filterSet": {}}),
               ("iam.amazonaws.com", "ListRoles", {"maxItems": 100}),
               ("logs.amazonaws.com", "DescribeLogGroups", {"limit": 50}),
               ("cloudformation.amazonaws.com", "DescribeStacks", {"stackName": "app-prod"})]
        source, name, req = ops[self.n % len(ops)]
        self.n += 1
        self.t += 17
        region = "us-east-1"
        return record(self.ids, self.user, self.t, source, name, region, req, None,
                      read_only=True, ua=ua)

    def many(self, n):
        return [self.one() for _ in range(n)]

    def service_assume(self):
        """Lambda assuming its execution role: carries a random session token (compresses badly)."""
        self.t += 23
        role = "order-processor-exec"
        arn = f"arn:aws:iam::{ACCT_A}:role/{role}"
        svc = Actor("service", ACCT_A, "lambda.amazonaws.com", "lambda.amazonaws.com",
                    "lambda.amazonaws.com")
        return record(self.ids, svc, self.t, "sts.amazonaws.com", "AssumeRole", "us-east-1",
                      {"roleArn": arn, "roleSessionName": "order-processor"},
                      {"credentials": {"accessKeyId": self.ids.key("ASIA"),
                                       "sessionToken": self.ids.token(),
                                       "expiration": expiration(self.t + 43200)},
                       "assumedRoleUser": {"assumedRoleId":
                                           f"{self.lambda_role_principal}:order-processor",
                                           "arn": f"arn:aws:sts::{ACCT_A}:assumed-role/{role}/"
                                                  "order-processor"}},
                      read_only=True, recipient=ACCT_A,
                      resources=[{"accountId": ACCT_A, "type": "AWS::IAM::Role", "ARN": arn}])


def assemble(parts, sep=","):
    """Join record texts into a Records document; return (bytes, [end offset of each record])."""
    head = b'{"Records":['
    out, ends = bytearray(head), []
    for i, p in enumerate(parts):
        if i:
            out += sep.encode()
        out += p
        ends.append(len(out) - 1)  # offset of the record's closing brace
    out += b"]}"
    return bytes(out), ends


def enc(r):
    return render(r).encode("utf-8")


def build_bad():
    s = Small()
    exp = {}

    def put(name, data, before, total, offset, kind, note):
        write_bytes(BAD / name, data)
        exp[name] = {"recordsBeforeDamage": before, "recordsTotal": total, "damageOffset": offset,
                     "offsetKind": kind, "note": note}

    # 1. truncated
    text, ends = assemble([enc(s.service_assume()) for _ in range(6)])
    full = gz(text)
    cut = full[:len(full) * 60 // 100]
    d = zlib.decompressobj(wbits=31)
    recovered = d.decompress(cut) + d.flush()
    before = sum(1 for e in ends if e < len(recovered))
    put("truncated.json.gz", cut, before, before, len(cut), "compressed",
        f"gzip of 6 records cut to 60% ({len(cut)} of {len(full)} bytes); no trailer. zlib "
        f"recovers {len(recovered)} of {len(text)} decompressed bytes, holding {before} complete "
        "records; damageOffset = size of the truncated file (unexpected end of stream).")

    # 2. bad-crc
    text, _ = assemble([enc(r) for r in s.many(4)])
    good = gz(text)
    crc = int.from_bytes(good[-8:-4], "little") ^ 0xA5A5A5A5
    bad = good[:-8] + crc.to_bytes(4, "little") + good[-4:]
    put("bad-crc.json.gz", bad, 4, 4, len(bad) - 8, "compressed",
        "all 4 records decompress; the CRC32 in the 8-byte trailer was XORed with 0xA5A5A5A5 so "
        "the integrity check fails. damageOffset = file size - 8 (start of the trailer).")

    # 3. not gzip, 4. empty
    put("not-gzip.json.gz", b"this is not gzip data\n", 0, 0, 0, "compressed",
        "plain text with a .json.gz name; no gzip magic at offset 0.")
    put("empty.json.gz", b"", 0, 0, 0, "compressed",
        "zero-byte file; end of input at offset 0 where the gzip header should start.")

    # 5. syntax error: record 5 lacks the comma between eventName and awsRegion
    recs = s.many(7)
    parts = [enc(r) for r in recs]
    broken = parts[4].replace(b',"awsRegion":', b' "awsRegion":', 1)
    assert broken != parts[4]
    parts[4] = broken
    text, ends = assemble(parts)
    rec5_start = ends[3] + 2  # after the closing brace of record 4 and the comma
    off = text.index(b' "awsRegion":', rec5_start) + 1
    put("syntax-error.json.gz", gz(text), 4, 6, off, "decompressed",
        "record 5 has '\"eventName\":\"...\" \"awsRegion\":...' (missing comma); damageOffset is "
        "the opening quote of \"awsRegion\". recordsTotal counts the 6 well-formed records "
        "(4 before, 2 after the broken one).")

    # 6. concatenated gzip members
    m1 = gz(assemble([enc(r) for r in s.many(3)])[0])
    m2 = gz(assemble([enc(r) for r in s.many(2)])[0])
    put("concatenated.json.gz", m1 + m2, 3, 5, len(m1), "compressed",
        "gzip member 1 = a valid document with 3 records; member 2, appended at damageOffset, is "
        "another complete document with 2 forged records. A reader of all members sees 5.")

    # 7. trailing garbage
    m1 = gz(assemble([enc(r) for r in s.many(3)])[0])
    junk = b"\r\n--UPLOAD-INTERRUPTED--\x00\x00\x00\x00\xde\xad\xbe\xef\n"
    junk = junk + b"#" * (37 - len(junk))
    assert len(junk) == 37 and junk[:2] != b"\x1f\x8b"
    put("trailing-garbage.json.gz", m1 + junk, 3, 3, len(m1), "compressed",
        "a complete gzip member (3 records) followed by 37 bytes of non-gzip junk starting at "
        "damageOffset.")

    # 8. invalid UTF-8: raw 0xFF inside the 3rd record's userAgent
    recs = s.many(2) + [s.one(ua="aws-cli/2.18.7 @@FF@@ md/prompt#off")]
    text, _ = assemble([enc(r) for r in recs])
    off = text.index(b"@@FF@@")
    text = text.replace(b"@@FF@@", b"\xff")
    put("invalid-utf8.json.gz", gz(text), 2, 3, off, "decompressed",
        "record 3's userAgent contains a raw 0xFF byte (never valid UTF-8) at damageOffset. "
        "A lossy reader (U+FFFD) still sees 3 records.")

    # 9. lone high surrogate (uncompressed)
    recs = [s.one(), s.one(ua=Raw(r'"Mozilla/5.0 \ud800 then plain text"'))]
    text, _ = assemble([enc(r) for r in recs])
    off = text.index(rb"\ud800")
    put("lone-surrogate.json", text, 1, 2, off, "decompressed",
        "uncompressed file (offset = file offset); record 2's userAgent has the escape \\ud800 "
        "not followed by a low surrogate. damageOffset is its backslash.")

    # 10. deep nesting
    r2 = s.one()
    r2["requestParameters"] = {"filter": Raw("[" * 600 + "]" * 600)}
    text, _ = assemble([enc(s.one()), enc(r2)])
    off = first_offset_deeper_than(text, 512)
    put("deep-nesting.json.gz", gz(text), 1, 2, off, "decompressed",
        "record 2's requestParameters.filter is 600 nested arrays. Depth counting: depth 1 = the "
        "top-level {, 2 = the Records [, 3 = the record {, 4 = the requestParameters {, 5 = the "
        "first nested [. damageOffset is the bracket where depth first exceeds 512 (depth 513 = "
        "the 509th nested [).")

    # 11. duplicate keys: record 2 has eventName twice
    recs = s.many(3)
    parts = [enc(r) for r in recs]
    anchor = b',"awsRegion":"us-east-1"'
    assert parts[1].count(anchor) == 1
    parts[1] = parts[1].replace(anchor, anchor + b',"eventName":"DeleteTrail"', 1)
    text, ends = assemble(parts)
    rec2_start = ends[0] + 2
    first = text.index(b'"eventName"', rec2_start)
    off = text.index(b'"eventName"', first + 1)
    assert off < ends[1]
    put("duplicate-keys.json.gz", gz(text), 1, 3, off, "decompressed",
        "record 2 has \"eventName\" twice (first a read-only call, then \"DeleteTrail\"); "
        "damageOffset is the opening quote of the second \"eventName\" key.")

    # 12. raw control character
    recs = [s.one(), s.one(ua="aws-cli/2.18.7 @@01@@ md/prompt#off")]
    text, _ = assemble([enc(r) for r in recs])
    off = text.index(b"@@01@@")
    text = text.replace(b"@@01@@", b"\x01")
    put("control-char.json.gz", gz(text), 1, 2, off, "decompressed",
        "record 2's userAgent contains an unescaped 0x01 byte, which JSON forbids inside strings.")

    # 13. good plain
    text, _ = assemble([enc(r) for r in s.many(2)])
    put("good-plain.json", text, 2, 2, None, None, "valid uncompressed delivery file (sanity).")
    return exp


def first_offset_deeper_than(text, limit):
    depth, in_str, esc = 0, False, False
    for i, c in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif c == 0x5C:
                esc = True
            elif c == 0x22:
                in_str = False
        elif c == 0x22:
            in_str = True
        elif c in (0x7B, 0x5B):
            depth += 1
            if depth > limit:
                return i
        elif c in (0x7D, 0x5D):
            depth -= 1
    raise ValueError("not deep enough")


# ---------------------------------------------------------------------------------------------


def write_json(path, obj):
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main():
    for d in (DUMP, BAD):
        if d.exists():
            shutil.rmtree(d)
    FIXTURES.mkdir(exist_ok=True)
    log_files, skipped, atk = build_dump()
    write_json(FIXTURES / "ingest-dump.expected.json", dump_expected(log_files, skipped, atk))
    write_json(FIXTURES / "bad-inputs.expected.json", build_bad())


if __name__ == "__main__":
    main()
