#!/usr/bin/env python3
"""Generate the session-graph fixtures (deterministic, Python 3.11 standard library only).

Run from anywhere:  python3 scripts/make-session-fixtures.py

It deletes and rewrites Fixtures/sessions/ (a CloudTrail bucket dump) and writes
Fixtures/sessions.expected.json. Every run produces byte-identical files: one seeded random
generator drawn in a fixed order, gzip mtime=0, no clocks, no set iteration.

Fixtures/sessions.expected.json holds
  "sessions": exactly what `trailhound sessions --format json` must print for the dump: one
              element per temporary (ASIA) access key, ordered by issuedAt (nulls last), then
              accessKeyId. It is computed by `derive_sessions()` below from the records read back
              out of the written files, never typed by hand; each story also states what it
              believes about its keys (kind, parent, depth, number of calls ...) and the script
              stops if the derivation disagrees.
  "stories":  story name -> every access key id that appears in the story's records
              (userIdentity.accessKeyId, responseElements.credentials.accessKeyId and
              responseElements.accessKey.accessKeyId), in order of first appearance. This includes
              long-term AKIA keys and the masked / placeholder values, which are NOT sessions.

All data is synthetic: accounts, keys, tokens, names; IPs come from the RFC 5737 documentation
ranges and 10/8.

Accounts: 111122223333 "prod", 444455556666 "security", 777788889999 "partner".
Layout: AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
        <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz
one file per account, region and 5-minute window, each the gzip of compact {"Records":[...]}.
Temporary keys are called K1..K13 (+K3b) below; the real values are drawn from the seed and are
listed in the expected file.

A. stolen-user-key (2026-11-03 02:01-02:12, all from 198.51.100.77, python-requests/2.31.0)
   The long-term key of IAM user build-bot (111122223333) is used by an outsider:
   GetCallerIdentity, a denied direct AssumeRole of 444455556666 OrgAdmin, then a cross-account
   AssumeRole of arn:aws:iam::444455556666:role/SecurityAudit (session "audit") -> K1. That call is
   written twice: the caller copy in 111122223333 (IAMUser with the AKIA key) and the role-owner
   copy in 444455556666 (userIdentity AWSAccount, no accessKeyId); same sharedEventID, requestID
   and responseElements, different eventID. K1 looks around in 444455556666 (GetCallerIdentity,
   ListRoles, ListUsers, GetAccountAuthorizationDetails) and chains into role OrgAdmin (session
   "orgadmin") -> K2. K2: GetCallerIdentity, CreateAccessKey for svc-backup (a new AKIA key in
   responseElements.accessKey), ListSecrets, GetSecretValue prod/db/credentials, GetSecretValue
   org/break-glass (AccessDenied). The CreateAccessKey record is delivered a second time,
   byte-identical, in the next log file of 444455556666 (it counts once).
B. ec2-outside (2026-11-04)
   ec2.amazonaws.com assumes arn:aws:iam::111122223333:role/web-ec2 for instance
   i-0abc1234def567890 at 05:47:12 -> K3 (6 hours). K3 is used from the instance (10.0.1.15,
   Java SDK, sessionContext.ec2RoleDelivery "2.0"), then from 203.0.113.9 with the AWS CLI
   (GetCallerIdentity, ListBuckets, a denied ListRoles) and from there chains into
   arn:aws:iam::111122223333:role/DataExporter (session "exporter") -> K4, which makes GetObject
   calls: three on the prod export bucket and one on the partner's bucket in 777788889999. That
   last one is recorded by both accounts (requester and bucket owner), same sharedEventID and
   requestID, both copies carrying K4 (it counts once). At 11:17:12 EC2 refreshes the instance
   credentials -> K3b, which makes no call in the dump (a session with eventCount 0).
C. identity-center (2026-11-05 08:15)
   Identity Center user maria.lopez@example.com: AssumeRoleWithSAML (userIdentity SAMLUser) into
   arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/
   AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b with principalArn
   arn:aws:iam::111122223333:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE -> K5, used for
   four calls.
D. federation-token (2026-11-03 14:00)
   IAM user reporting (AKIA) calls GetFederationToken name "quarterly-report" -> K6, used by a
   FederatedUser identity (sessionIssuer type IAMUser = reporting) for four S3 calls.
E. session-token (2026-11-04 00:29)
   IAM user ops-dan: a DescribeInstances with his AKIA key is denied (MFA required), then
   GetSessionToken with MFA -> K7 (expires "Nov 4, 2026, 12:30:12 PM"); calls with K7 show
   userIdentity IAMUser + accessKeyId K7. With K7 he assumes arn:aws:iam::111122223333:role/Deployer
   (session "dan-deploy") -> K8: parent K7, chainDepth 2, but NOT role chaining (the caller is an
   IAM user's session token).
F. reused-session-name (2026-11-02 23:20 and 2026-11-04 23:20)
   IAM user scheduler assumes arn:aws:iam::111122223333:role/NightlyJob with the same
   roleSessionName "nightly" (and sourceIdentity "scheduler") on both nights -> K9 and K10, two
   separate sessions with the same sessionArn; expirations fall at 12:20 AM the next day.
G. before-dump (2026-11-02 00:05-01:13, mostly eu-west-1)
   K11 is used by arn:aws:sts::111122223333:assumed-role/LegacyBatch/batch-77 (sessionContext
   creationDate 2026-11-01T22:00:00Z, sourceIdentity "svc-legacy"); its AssumeRole is not in the
   dump, so everything comes from the calls.
H. masked-and-placeholder (2026-11-02)
   (a) 10:00 IAM user etl-loader with key "AKIA****************" assumes EtlStaging; the issued
       key is "ASIA****************", and one later call carries that masked key.
   (b) 10:05 in 777788889999 an AssumedRole caller with accessKeyId "1111" assumes PipelineDeploy
       and gets accessKeyId "1111".
   (c) 14:41-15:04 session ci-runner/job-4411 (sessionContext creationDate 14:40:00) uses K12 and
       at 15:00 calls AssumeRole of ArtifactPublisher whose response carries K12 again. That
       issuance cannot be trusted: K12 is a session with kind null, described from its calls.
   None of these produce a self-parented session; (a) and (b) produce no session at all.
I. console (2026-11-03 09:00)
   IAM user carol: ConsoleLogin (AwsConsoleSignIn, MFAUsed "Yes", no accessKeyId), then five
   calls with K13 carrying "sessionCredentialFromConsole": "true" and userIdentity IAMUser.
"""

import calendar
import gzip
import json
import random
import re
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Fixtures"
DUMP = FIXTURES / "sessions"
EXPECTED = FIXTURES / "sessions.expected.json"

PROD = "111122223333"
SECURITY = "444455556666"
PARTNER = "777788889999"
HOME_REGION = "us-east-1"

KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
BASE64 = ALNUM + "+/"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

UA_REQUESTS = "python-requests/2.31.0"
UA_JAVA_EC2 = ("aws-sdk-java/2.29.6 Linux/6.1.115-126.197.amzn2023.x86_64 "
               "OpenJDK_64-Bit_Server_VM/17.0.13+11-LTS Java/17.0.13 vendor/Amazon.com_Inc. "
               "io/sync http/Apache cfg/retry-mode/legacy")
UA_CLI_KALI = ("aws-cli/2.19.1 md/awscrt#0.22.0 ua/2.0 os/linux#6.11.2-amd64 md/arch#x86_64 "
               "lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
               "md/distrib#kali.2024 md/prompt#off")
UA_CLI_MAC = ("aws-cli/2.18.11 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 "
              "lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
              "md/prompt#off")
UA_BOTO = ("Boto3/1.35.49 md/Botocore#1.35.49 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 "
           "md/arch#x86_64 lang/python#3.9.20 md/pyimpl#CPython cfg/retry-mode#legacy "
           "Botocore/1.35.49")
UA_GO = ("aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.22.9 md/GOOS#linux md/GOARCH#amd64 "
         "exec-env/legacy-batch")
UA_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/130.0.0.0 Safari/537.36")
UA_FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"
UA_GITLAB = ("aws-cli/2.17.59 md/awscrt#0.21.5 ua/2.0 os/linux#6.8.0-1016-aws md/arch#x86_64 "
             "lang/python#3.11.9 md/pyimpl#CPython exec-env/gitlab-runner cfg/retry-mode#standard "
             "md/installer#docker md/prompt#off")

ISSUING_CALLS = ("AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity",
                 "GetSessionToken", "GetFederationToken")


# ---------------------------------------------------------------------------------------------
# Time and text helpers


def at(day, hh, mm, ss=0, month=11):
    """Seconds since the epoch for 2026-<month>-<day>T<hh>:<mm>:<ss>Z."""
    return calendar.timegm((2026, month, day, hh, mm, ss, 0, 0, 0))


def iso(t):
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % time.gmtime(t)[:6]


def aws_expiration(t):
    """The way STS responses render expirations: "Nov 2, 2026, 3:04:05 PM" (UTC)."""
    g = time.gmtime(t)
    return "%s %d, %d, %d:%02d:%02d %s" % (MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_year,
                                           g.tm_hour % 12 or 12, g.tm_min, g.tm_sec,
                                           "PM" if g.tm_hour >= 12 else "AM")


EXPIRATION_RE = re.compile(r"^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}), (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$")


def expiration_to_iso(text):
    m = EXPIRATION_RE.match(text or "")
    if not m:
        return None
    mon, day, year, hour, minute, sec, half = m.groups()
    hour = int(hour) % 12 + (12 if half == "PM" else 0)
    t = calendar.timegm((int(year), MONTHS.index(mon) + 1, int(day), hour, int(minute),
                         int(sec), 0, 0, 0))
    return iso(t)


class Ids:
    """Every random identifier comes from this one seeded generator, in program order."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def uuid(self):
        h = "%032x" % self.rng.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def chars(self, alphabet, n):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def key(self, prefix):
        return prefix + self.chars(KEY_CHARS, 16)

    def principal(self, prefix):
        return prefix + self.chars(KEY_CHARS, 17)

    def token(self):
        return "IQoJb3JpZ2luX2VjE" + self.chars(BASE64, 140)

    def s3_request_id(self):
        return self.chars("ABCDEF0123456789", 16)

    def s3_host_id(self):
        return self.chars(BASE64, 56) + "="


# ---------------------------------------------------------------------------------------------
# Principals and the userIdentity blocks their calls carry


class User:
    def __init__(self, ids, account, name, masked=False):
        self.account, self.name = account, name
        self.principal = ids.principal("AIDA")
        self.key = "AKIA" + "*" * 16 if masked else ids.key("AKIA")

    @property
    def arn(self):
        return f"arn:aws:iam::{self.account}:user/{self.name}"

    def identity(self, key="long-term", context=None):
        """IAMUser identity; key=None leaves accessKeyId out (console sign-in)."""
        ui = {"type": "IAMUser", "principalId": self.principal, "arn": self.arn,
              "accountId": self.account}
        if key is not None:
            ui["accessKeyId"] = self.key if key == "long-term" else key
        ui["userName"] = self.name
        if context is not None:
            ui["sessionContext"] = context
        return ui

    def issuer(self):
        return {"type": "IAMUser", "principalId": self.principal, "arn": self.arn,
                "accountId": self.account, "userName": self.name}


class Role:
    def __init__(self, ids, account, name, path="/"):
        self.account, self.name, self.path = account, name, path
        self.principal = ids.principal("AROA")

    @property
    def arn(self):
        return f"arn:aws:iam::{self.account}:role{self.path}{self.name}"

    def session_arn(self, session):
        return f"arn:aws:sts::{self.account}:assumed-role/{self.name}/{session}"

    def issuer(self):
        return {"type": "Role", "principalId": self.principal, "arn": self.arn,
                "accountId": self.account, "userName": self.name}


def attributes(created, mfa):
    return {"creationDate": created if isinstance(created, str) else iso(created),
            "mfaAuthenticated": mfa}


def role_identity(role, session, key, created, mfa="false", source_identity=None, ec2=False):
    ctx = {"sessionIssuer": role.issuer(), "webIdFederationData": {},
           "attributes": attributes(created, mfa)}
    if source_identity is not None:
        ctx["sourceIdentity"] = source_identity
    if ec2:
        ctx["ec2RoleDelivery"] = "2.0"
    return {"type": "AssumedRole", "principalId": f"{role.principal}:{session}",
            "arn": role.session_arn(session), "accountId": role.account, "accessKeyId": key,
            "sessionContext": ctx}


def user_session_identity(user, key, created, mfa):
    """An IAM user's temporary key (GetSessionToken or console): still type IAMUser."""
    return user.identity(key, {"sessionIssuer": {}, "webIdFederationData": {},
                               "attributes": attributes(created, mfa)})


def federated_identity(user, name, key, created):
    return {"type": "FederatedUser", "principalId": f"{user.account}:{name}",
            "arn": f"arn:aws:sts::{user.account}:federated-user/{name}",
            "accountId": user.account, "accessKeyId": key,
            "sessionContext": {"sessionIssuer": user.issuer(), "webIdFederationData": {},
                               "attributes": attributes(created, "false")}}


class Caller:
    """Whoever makes a call: identity block, network origin, client, home account."""

    def __init__(self, identity, ip, ua, account, console=False):
        self.identity, self.ip, self.ua, self.account = identity, ip, ua, account
        self.console = console

    @property
    def key(self):
        return self.identity.get("accessKeyId")

    @property
    def arn(self):
        return self.identity.get("arn")


# ---------------------------------------------------------------------------------------------
# Record shapes


def tls_details(host):
    return {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": host}


def denied(caller, action, resource, why="no identity-based policy allows the {a} action"):
    return ("AccessDenied", f"User: {caller.arn} is not authorized to perform: {action} on "
                            f"resource: {resource} because " + why.format(a=action))


class Story:
    """One story's records plus what the story itself claims about its temporary keys."""

    def __init__(self, world, name):
        self.world, self.ids, self.name = world, world.ids, name
        self.records = []
        self.redeliver = []          # records delivered a second time in a later file
        self.claims = {}             # key -> {field: value} checked against the derivation
        self.calls = {}              # key -> distinct calls made with it (counted as we go)

    def claim(self, key, **fields):
        self.claims.setdefault(key, {}).update(fields)

    # -- generic record ----------------------------------------------------------------------
    def event(self, caller, t, source, name, region, request=None, response=None, *,
              read_only=True, error=None, additional=None, resources=None, category="Management",
              event_type="AwsApiCall", recipient=None, request_id=None, shared=None,
              identity=None, host=None, count=True):
        ids = self.ids
        ui = identity if identity is not None else caller.identity
        r = {"eventVersion": "1.09", "userIdentity": ui, "eventTime": iso(t),
             "eventSource": source, "eventName": name, "awsRegion": region,
             "sourceIPAddress": caller.ip, "userAgent": caller.ua}
        if error:
            r["errorCode"], r["errorMessage"] = error
        r["requestParameters"] = request
        r["responseElements"] = response
        if additional is not None:
            r["additionalEventData"] = additional
        if request_id is None:
            request_id = ids.s3_request_id() if source == "s3.amazonaws.com" else ids.uuid()
        r["requestID"] = request_id
        r["eventID"] = ids.uuid()
        r["readOnly"] = read_only
        if resources is not None:
            r["resources"] = resources
        r["eventType"] = event_type
        r["managementEvent"] = category == "Management"
        r["recipientAccountId"] = recipient or caller.account
        if shared is not None:
            r["sharedEventID"] = shared
        r["eventCategory"] = category
        if ui.get("type") != "AWSService":
            if host is None:
                svc = source.split(".")[0]
                host = (f"{svc}.amazonaws.com" if svc in ("iam", "sts")
                        else f"{svc}.{region}.amazonaws.com")
            r["tlsDetails"] = tls_details(host)
        if caller.console:
            r["sessionCredentialFromConsole"] = "true"
        self.records.append(r)
        key = ui.get("accessKeyId")
        if count and isinstance(key, str) and key.startswith("ASIA"):
            self.calls[key] = self.calls.get(key, 0) + 1
        return r

    # -- a few services ----------------------------------------------------------------------
    def caller_identity(self, c, t):
        return self.event(c, t, "sts.amazonaws.com", "GetCallerIdentity", HOME_REGION)

    def s3_object(self, c, t, region, bucket, owner, key, name="GetObject", size=None, **kw):
        host = f"{bucket}.s3.{region}.amazonaws.com"
        size = size if size is not None else self.world.rng.randint(2_000, 900_000)
        extra = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                 "bytesTransferredIn": size if name == "PutObject" else 0,
                 "AuthenticationMethod": "AuthHeader", "x-amz-id-2": self.ids.s3_host_id(),
                 "bytesTransferredOut": size if name == "GetObject" else 0}
        res = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
               {"accountId": owner, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
        resp = {"x-amz-server-side-encryption": "aws:kms"} if name == "PutObject" else None
        return self.event(c, t, "s3.amazonaws.com", name, region,
                          {"bucketName": bucket, "Host": host, "key": key}, resp,
                          read_only=name != "PutObject", additional=extra, resources=res,
                          category="Data", host=host, **kw)

    def s3_list_buckets(self, c, t):
        return self.event(c, t, "s3.amazonaws.com", "ListBuckets", HOME_REGION,
                          {"Host": "s3.amazonaws.com"}, None, host="s3.amazonaws.com",
                          additional={"SignatureVersion": "SigV4",
                                      "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                      "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                                      "x-amz-id-2": self.ids.s3_host_id(),
                                      "bytesTransferredOut": self.world.rng.randint(400, 4000)})

    # -- STS issuing calls -------------------------------------------------------------------
    def credentials(self, key, t, seconds):
        return {"accessKeyId": key, "sessionToken": self.ids.token(),
                "expiration": aws_expiration(t + seconds)}

    def assume_role(self, c, t, role, session, key, seconds=3600, source_identity=None,
                    owner_copy=False, region=HOME_REGION, token=None):
        """AssumeRole; with owner_copy also the role owner's copy (cross-account)."""
        request = {"roleArn": role.arn, "roleSessionName": session}
        if seconds != 3600 or source_identity is not None:
            request["durationSeconds"] = seconds
        if source_identity is not None:
            request["sourceIdentity"] = source_identity
        creds = self.credentials(key, t, seconds)
        if token is not None:
            creds["sessionToken"] = token
        response = {"credentials": creds,
                    "assumedRoleUser": {"assumedRoleId": f"{role.principal}:{session}",
                                        "arn": role.session_arn(session)}}
        if source_identity is not None:
            response["sourceIdentity"] = source_identity
        res = [{"accountId": role.account, "type": "AWS::IAM::Role", "ARN": role.arn}]
        if not owner_copy:
            return self.event(c, t, "sts.amazonaws.com", "AssumeRole", region, request, response,
                              resources=res, recipient=role.account
                              if c.identity.get("type") == "AWSService" else None)
        request_id, shared = self.ids.uuid(), self.ids.uuid()
        mine = self.event(c, t, "sts.amazonaws.com", "AssumeRole", region, request, response,
                          resources=res, request_id=request_id, shared=shared)
        owner_ui = {"type": "AWSAccount", "principalId": c.identity["principalId"],
                    "accountId": c.identity["accountId"]}
        self.event(c, t, "sts.amazonaws.com", "AssumeRole", region, request, response,
                   resources=res, request_id=request_id, shared=shared, identity=owner_ui,
                   recipient=role.account, count=False)
        return mine


class World:
    def __init__(self):
        self.ids = Ids(20261102)
        self.rng = random.Random(111122223333)  # sizes and delivery delays only
        self.stories = []

    def story(self, name):
        s = Story(self, name)
        self.stories.append(s)
        return s


# ---------------------------------------------------------------------------------------------
# The stories (see the module docstring)


def stolen_user_key(w):
    s, ids = w.story("stolen-user-key"), w.ids
    bot = User(ids, PROD, "build-bot")
    audit = Role(ids, SECURITY, "SecurityAudit")
    org_admin = Role(ids, SECURITY, "OrgAdmin")
    k1, k2 = ids.key("ASIA"), ids.key("ASIA")
    ip = "198.51.100.77"
    c0 = Caller(bot.identity(), ip, UA_REQUESTS, PROD)

    s.caller_identity(c0, at(3, 2, 1, 7))
    s.event(c0, at(3, 2, 1, 41), "sts.amazonaws.com", "AssumeRole", HOME_REGION,
            {"roleArn": org_admin.arn, "roleSessionName": "orgadmin"}, None,
            error=denied(c0, "sts:AssumeRole", org_admin.arn))
    t1 = at(3, 2, 2, 15)
    s.assume_role(c0, t1, audit, "audit", k1, owner_copy=True)

    c1 = Caller(role_identity(audit, "audit", k1, t1), ip, UA_REQUESTS, SECURITY)
    s.caller_identity(c1, at(3, 2, 3, 2))
    s.event(c1, at(3, 2, 3, 40), "iam.amazonaws.com", "ListRoles", HOME_REGION, {"maxItems": 1000})
    s.event(c1, at(3, 2, 4, 21), "iam.amazonaws.com", "ListUsers", HOME_REGION, {"maxItems": 1000})
    s.event(c1, at(3, 2, 5, 5), "iam.amazonaws.com", "GetAccountAuthorizationDetails", HOME_REGION,
            {"filter": ["User", "Role", "LocalManagedPolicy"]})
    t2 = at(3, 2, 6, 50)
    s.assume_role(c1, t2, org_admin, "orgadmin", k2)

    c2 = Caller(role_identity(org_admin, "orgadmin", k2, t2), ip, UA_REQUESTS, SECURITY)
    s.caller_identity(c2, at(3, 2, 7, 30))
    new_key = ids.key("AKIA")
    created = s.event(c2, at(3, 2, 8, 10), "iam.amazonaws.com", "CreateAccessKey", HOME_REGION,
                      {"userName": "svc-backup"},
                      {"accessKey": {"accessKeyId": new_key, "status": "Active",
                                     "userName": "svc-backup",
                                     "createDate": aws_expiration(at(3, 2, 8, 10))}},
                      read_only=False)
    s.redeliver.append(created)
    s.event(c2, at(3, 2, 9, 0), "secretsmanager.amazonaws.com", "ListSecrets", HOME_REGION,
            {"maxResults": 100})
    sm = f"arn:aws:secretsmanager:us-east-1:{SECURITY}:secret:"
    s.event(c2, at(3, 2, 9, 45), "secretsmanager.amazonaws.com", "GetSecretValue", HOME_REGION,
            {"secretId": "prod/db/credentials"},
            resources=[{"accountId": SECURITY, "type": "AWS::SecretsManager::Secret",
                        "ARN": sm + "prod/db/credentials-Qx7LmN"}])
    s.event(c2, at(3, 2, 10, 20), "secretsmanager.amazonaws.com", "GetSecretValue", HOME_REGION,
            {"secretId": "org/break-glass"},
            error=denied(c2, "secretsmanager:GetSecretValue", "org/break-glass",
                         "the secret's resource-based policy explicitly denies it"))

    s.claim(k1, kind="AssumeRole", parentAccessKeyId=None, chainDepth=1, roleChaining=False,
            crossAccount=True, roleArn=audit.arn, accountId=SECURITY,
            assumedBy={"type": "IAMUser", "arn": bot.arn, "accountId": PROD,
                       "accessKeyId": bot.key, "service": None},
            origin={"type": "IAMUser", "arn": bot.arn, "name": "build-bot", "service": None,
                    "resource": None})
    s.claim(k2, kind="AssumeRole", parentAccessKeyId=k1, chainDepth=2, roleChaining=True,
            crossAccount=False, errorCount=1, sourceIPAddresses=[ip], userAgents=[UA_REQUESTS],
            origin={"type": "IAMUser", "arn": bot.arn, "name": "build-bot", "service": None,
                    "resource": None})


def ec2_outside(w):
    s, ids = w.story("ec2-outside"), w.ids
    instance = "i-0abc1234def567890"
    web = Role(ids, PROD, "web-ec2")
    exporter = Role(ids, PROD, "DataExporter")
    k3, k4, k3b = ids.key("ASIA"), ids.key("ASIA"), ids.key("ASIA")
    ec2 = Caller({"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}, "ec2.amazonaws.com",
                 "ec2.amazonaws.com", PROD)
    t3 = at(4, 5, 47, 12)
    s.assume_role(ec2, t3, web, instance, k3, seconds=6 * 3600)

    inside = Caller(role_identity(web, instance, k3, t3, ec2=True), "10.0.1.15", UA_JAVA_EC2, PROD)
    bucket = "acme-web-config-111122223333"
    s.s3_object(inside, at(4, 6, 2, 11), HOME_REGION, bucket, PROD, "web/prod/app.yaml")
    s.event(inside, at(4, 6, 2, 13), "ssm.amazonaws.com", "GetParameter", HOME_REGION,
            {"name": "/web/prod/db-host", "withDecryption": False})
    s.event(inside, at(4, 6, 31, 40), "ec2.amazonaws.com", "DescribeTags", HOME_REGION,
            {"filterSet": {"items": [{"name": "resource-id",
                                      "valueSet": {"items": [{"value": instance}]}}]}})

    outside = Caller(inside.identity, "203.0.113.9", UA_CLI_KALI, PROD)
    s.caller_identity(outside, at(4, 9, 30, 5))
    s.s3_list_buckets(outside, at(4, 9, 31, 12))
    s.event(outside, at(4, 9, 32, 40), "iam.amazonaws.com", "ListRoles", HOME_REGION,
            {"maxItems": 100}, error=denied(outside, "iam:ListRoles", f"arn:aws:iam::{PROD}:role/"))
    t4 = at(4, 9, 34, 2)
    s.assume_role(outside, t4, exporter, "exporter", k4)

    thief = Caller(role_identity(exporter, "exporter", k4, t4), "203.0.113.9", UA_CLI_KALI, PROD)
    exports = "acme-customer-exports-111122223333"
    for i, t in enumerate((at(4, 9, 35, 10), at(4, 9, 35, 55), at(4, 9, 36, 30)), 1):
        s.s3_object(thief, t, HOME_REGION, exports, PROD, f"customers/2026-11/export-{i:03d}.csv.gz")
    # cross-account data event: requester copy (prod) and bucket-owner copy (partner)
    partner_bucket = "partner-exchange-777788889999"
    request_id, shared = ids.s3_request_id(), ids.uuid()
    size = w.rng.randint(2_000, 9_000)
    s.s3_object(thief, at(4, 9, 37, 12), HOME_REGION, partner_bucket, PARTNER,
                "inbound/manifest.json", size=size, request_id=request_id, shared=shared)
    s.s3_object(thief, at(4, 9, 37, 12), HOME_REGION, partner_bucket, PARTNER,
                "inbound/manifest.json", size=size, request_id=request_id, shared=shared,
                recipient=PARTNER, count=False)

    t3b = at(4, 11, 17, 12)  # EC2 refreshes the instance credentials; not used in the dump
    s.assume_role(ec2, t3b, web, instance, k3b, seconds=6 * 3600)

    origin = {"type": "AWSService", "arn": None, "name": None, "service": "ec2.amazonaws.com",
              "resource": instance}
    service = {"type": "AWSService", "arn": None, "accountId": None, "accessKeyId": None,
               "service": "ec2.amazonaws.com"}
    s.claim(k3, kind="AssumeRole", parentAccessKeyId=None, chainDepth=1, roleChaining=False,
            crossAccount=False, sessionName=instance, origin=origin, assumedBy=service,
            errorCount=1, sourceIPAddresses=["10.0.1.15", "203.0.113.9"],
            expiresAt="2026-11-04T11:47:12Z")
    s.claim(k4, kind="AssumeRole", parentAccessKeyId=k3, chainDepth=2, roleChaining=True,
            crossAccount=False, origin=origin, errorCount=0)
    s.claim(k3b, kind="AssumeRole", parentAccessKeyId=None, eventCount=0, firstEventTime=None,
            lastEventTime=None, sourceIPAddresses=[], userAgents=[], origin=origin)


def identity_center(w):
    s, ids = w.story("identity-center"), w.ids
    email = "maria.lopez@example.com"
    sso = Role(ids, PROD, "AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b",
               path="/aws-reserved/sso.amazonaws.com/")
    provider = f"arn:aws:iam::{PROD}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE"
    idp = ids.chars(BASE64, 27) + "="
    k5 = ids.key("ASIA")
    ip = "192.0.2.61"
    saml_user = {"type": "SAMLUser", "principalId": f"{idp}:{email}", "userName": email,
                 "identityProvider": idp}
    portal = Caller(saml_user, ip, UA_CHROME, PROD)
    t5 = at(5, 8, 15, 4)
    request = {"sAMLAssertionID": "_" + ids.uuid(), "roleSessionName": email,
               "durationSeconds": 3600, "roleArn": sso.arn, "principalArn": provider}
    response = {"credentials": s.credentials(k5, t5, 3600),
                "assumedRoleUser": {"assumedRoleId": f"{sso.principal}:{email}",
                                    "arn": sso.session_arn(email)},
                "subject": email, "subjectType": "persistent",
                "issuer": "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/"
                          + ids.chars(ALNUM, 40),
                "audience": "https://signin.aws.amazon.com/saml", "nameQualifier": idp}
    s.event(portal, t5, "sts.amazonaws.com", "AssumeRoleWithSAML", HOME_REGION, request, response,
            resources=[{"accountId": PROD, "type": "AWS::IAM::Role", "ARN": sso.arn},
                       {"accountId": PROD, "type": "AWS::IAM::SAMLProvider", "ARN": provider}],
            recipient=PROD)

    c = Caller(role_identity(sso, email, k5, t5), ip, UA_CLI_MAC, PROD)
    s.event(c, at(5, 8, 16, 30), "ec2.amazonaws.com", "DescribeInstances", HOME_REGION,
            {"instancesSet": {}, "filterSet": {}})
    s.s3_list_buckets(c, at(5, 8, 17, 10))
    s.event(c, at(5, 8, 20, 45), "s3.amazonaws.com", "GetBucketPolicy", HOME_REGION,
            {"bucketName": "acme-customer-exports-111122223333", "Host":
             "acme-customer-exports-111122223333.s3.us-east-1.amazonaws.com", "policy": ""},
            host="acme-customer-exports-111122223333.s3.us-east-1.amazonaws.com")
    s.event(c, at(5, 8, 25, 0), "cloudtrail.amazonaws.com", "LookupEvents", HOME_REGION,
            {"lookupAttributes": [{"attributeKey": "Username", "attributeValue": "build-bot"}],
             "maxResults": 50})

    s.claim(k5, kind="AssumeRoleWithSAML", roleArn=sso.arn, sessionName=email, accountId=PROD,
            crossAccount=False, parentAccessKeyId=None, chainDepth=1,
            assumedBy={"type": "SAMLUser", "arn": provider, "accountId": None,
                       "accessKeyId": None, "service": None},
            origin={"type": "IdentityCenterUser", "arn": provider, "name": email,
                    "service": None, "resource": None})


def federation_token(w):
    s, ids = w.story("federation-token"), w.ids
    user = User(ids, PROD, "reporting")
    k6 = ids.key("ASIA")
    ip = "10.0.7.20"
    c0 = Caller(user.identity(), ip, UA_BOTO, PROD)
    name = "quarterly-report"
    t6 = at(3, 14, 0, 31)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::acme-finance-111122223333",
                      "arn:aws:s3:::acme-finance-111122223333/reports/*"]}]},
        separators=(",", ":"))
    fed_arn = f"arn:aws:sts::{PROD}:federated-user/{name}"
    s.event(c0, t6, "sts.amazonaws.com", "GetFederationToken", HOME_REGION,
            {"name": name, "durationSeconds": 43200, "policy": policy},
            {"credentials": s.credentials(k6, t6, 43200),
             "federatedUser": {"federatedUserId": f"{PROD}:{name}", "arn": fed_arn},
             "packedPolicySize": 11},
            read_only=False)

    c = Caller(federated_identity(user, name, k6, t6), ip, UA_BOTO, PROD)
    bucket = "acme-finance-111122223333"
    host = f"{bucket}.s3.us-east-1.amazonaws.com"
    s.event(c, at(3, 14, 1, 10), "s3.amazonaws.com", "ListObjects", HOME_REGION,
            {"bucketName": bucket, "Host": host, "prefix": "reports/2026-q3/", "list-type": "2"},
            category="Data", host=host,
            resources=[{"accountId": PROD, "type": "AWS::S3::Bucket",
                        "ARN": f"arn:aws:s3:::{bucket}"}])
    s.s3_object(c, at(3, 14, 2, 0), HOME_REGION, bucket, PROD, "reports/2026-q3/revenue.parquet")
    s.s3_object(c, at(3, 14, 3, 30), HOME_REGION, bucket, PROD, "reports/2026-q3/costs.parquet")
    s.s3_object(c, at(3, 14, 5, 12), HOME_REGION, bucket, PROD, "reports/2026-q3/summary.pdf",
                name="PutObject")

    s.claim(k6, kind="GetFederationToken", roleArn=None, sessionName=name, sessionArn=fed_arn,
            accountId=PROD, parentAccessKeyId=None, chainDepth=1, roleChaining=False,
            expiresAt="2026-11-04T02:00:31Z",
            origin={"type": "IAMUser", "arn": user.arn, "name": "reporting", "service": None,
                    "resource": None})


def session_token(w):
    s, ids = w.story("session-token"), w.ids
    dan = User(ids, PROD, "ops-dan")
    deployer = Role(ids, PROD, "Deployer")
    k7, k8 = ids.key("ASIA"), ids.key("ASIA")
    ip = "192.0.2.88"
    c0 = Caller(dan.identity(), ip, UA_CLI_MAC, PROD)
    s.event(c0, at(4, 0, 29, 30), "ec2.amazonaws.com", "DescribeInstances", HOME_REGION,
            {"instancesSet": {}, "filterSet": {}},
            error=("Client.UnauthorizedOperation",
                   "You are not authorized to perform this operation. User: "
                   f"{dan.arn} is not authorized to perform: ec2:DescribeInstances with an "
                   "explicit deny in an identity-based policy"))
    t7 = at(4, 0, 30, 12)
    s.event(c0, t7, "sts.amazonaws.com", "GetSessionToken", HOME_REGION,
            {"durationSeconds": 43200, "serialNumber": f"arn:aws:iam::{PROD}:mfa/ops-dan"},
            {"credentials": s.credentials(k7, t7, 43200)})

    c7 = Caller(user_session_identity(dan, k7, t7, "true"), ip, UA_CLI_MAC, PROD)
    s.caller_identity(c7, at(4, 0, 31, 5))
    s.event(c7, at(4, 0, 32, 18), "ec2.amazonaws.com", "DescribeInstances", HOME_REGION,
            {"instancesSet": {}, "filterSet": {}})
    t8 = at(4, 0, 34, 50)
    s.assume_role(c7, t8, deployer, "dan-deploy", k8)

    c8 = Caller(role_identity(deployer, "dan-deploy", k8, t8), ip, UA_CLI_MAC, PROD)
    s.event(c8, at(4, 0, 36, 0), "cloudformation.amazonaws.com", "UpdateStack", HOME_REGION,
            {"stackName": "app-prod", "usePreviousTemplate": True,
             "capabilities": ["CAPABILITY_NAMED_IAM"]},
            {"stackId": f"arn:aws:cloudformation:us-east-1:{PROD}:stack/app-prod/"
                        "6f1e2d3c-4b5a-11ef-9c8d-0a1b2c3d4e5f"}, read_only=False)
    s.event(c8, at(4, 0, 39, 30), "cloudformation.amazonaws.com", "DescribeStacks", HOME_REGION,
            {"stackName": "app-prod"})

    dan_origin = {"type": "IAMUser", "arn": dan.arn, "name": "ops-dan", "service": None,
                  "resource": None}
    s.claim(k7, kind="GetSessionToken", roleArn=None, sessionName=None, sessionArn=None,
            accountId=PROD, parentAccessKeyId=None, chainDepth=1, origin=dan_origin,
            expiresAt="2026-11-04T12:30:12Z")
    s.claim(k8, kind="AssumeRole", parentAccessKeyId=k7, chainDepth=2, roleChaining=False,
            crossAccount=False, origin=dan_origin,
            assumedBy={"type": "IAMUser", "arn": dan.arn, "accountId": PROD, "accessKeyId": k7,
                       "service": None})


def reused_session_name(w):
    s, ids = w.story("reused-session-name"), w.ids
    scheduler = User(ids, PROD, "scheduler")
    nightly = Role(ids, PROD, "NightlyJob")
    ip = "10.0.3.21"
    c0 = Caller(scheduler.identity(), ip, UA_BOTO, PROD)
    bucket = "acme-batch-111122223333"
    # (day, seconds past 23:20 of the AssumeRole, (minute, second) of the three calls)
    for day, ss, calls in ((2, 5, ((20, 40), (27, 15), (33, 50))),
                           (4, 7, ((20, 44), (27, 1), (35, 12)))):
        key = ids.key("ASIA")
        t = at(day, 23, 20, ss)
        s.assume_role(c0, t, nightly, "nightly", key, source_identity="scheduler")
        c = Caller(role_identity(nightly, "nightly", key, t, source_identity="scheduler"), ip,
                   UA_BOTO, PROD)
        (m1, s1), (m2, s2), (m3, s3) = calls
        s.s3_object(c, at(day, 23, m1, s1), HOME_REGION, bucket, PROD, "jobs/nightly/config.json")
        s.event(c, at(day, 23, m2, s2), "rds.amazonaws.com", "CreateDBSnapshot", HOME_REGION,
                {"dBSnapshotIdentifier": f"nightly-2026-11-0{day}",
                 "dBInstanceIdentifier": "orders-db"}, None, read_only=False)
        s.s3_object(c, at(day, 23, m3, s3), HOME_REGION, bucket, PROD,
                    f"reports/nightly/2026-11-0{day}.json", name="PutObject")
        s.claim(key, kind="AssumeRole", sessionName="nightly",
                sessionArn=nightly.session_arn("nightly"), sourceIdentity="scheduler",
                parentAccessKeyId=None, chainDepth=1, eventCount=3,
                expiresAt="2026-11-0%dT00:20:%02dZ" % (day + 1, ss))


def before_dump(w):
    s, ids = w.story("before-dump"), w.ids
    legacy = Role(ids, PROD, "LegacyBatch")
    k11 = ids.key("ASIA")
    c = Caller(role_identity(legacy, "batch-77", k11, "2026-11-01T22:00:00Z",
                             source_identity="svc-legacy"), "10.0.9.40", UA_GO, PROD)
    region = "eu-west-1"
    bucket = "acme-legacy-batch-eu-111122223333"
    s.s3_object(c, at(2, 0, 5, 10), region, bucket, PROD, "inbox/2026-11-01/orders.csv")
    s.s3_object(c, at(2, 0, 40, 33), region, bucket, PROD, "outbox/2026-11-01/orders.parquet",
                name="PutObject")
    s.event(c, at(2, 1, 12, 48), "kms.amazonaws.com", "Decrypt", region,
            {"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
             "encryptionContext": {"aws:s3:arn": f"arn:aws:s3:::{bucket}"}},
            resources=[{"accountId": PROD, "type": "AWS::KMS::Key",
                        "ARN": f"arn:aws:kms:{region}:{PROD}:key/"
                               "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9"}])
    s.caller_identity(c, at(2, 1, 13, 2))
    s.claim(k11, kind=None, roleArn=legacy.arn, sessionName="batch-77",
            sessionArn=legacy.session_arn("batch-77"), accountId=PROD,
            issuedAt="2026-11-01T22:00:00Z", expiresAt=None, sourceIdentity="svc-legacy",
            assumedBy={"type": None, "arn": None, "accountId": None, "accessKeyId": None,
                       "service": None},
            origin={"type": None, "arn": None, "name": None, "service": None, "resource": None},
            issuingEventID=None, eventCount=4)


def masked_and_placeholder(w):
    s, ids = w.story("masked-and-placeholder"), w.ids
    # (a) a sanitised export: every key masked
    loader = User(ids, PROD, "etl-loader", masked=True)
    staging = Role(ids, PROD, "EtlStaging")
    masked = "ASIA" + "*" * 16
    ca = Caller(loader.identity(), "10.0.4.12", UA_BOTO, PROD)
    ta = at(2, 10, 0, 0)
    s.assume_role(ca, ta, staging, "etl-1102", masked, token="IQoJb3JpZ2luX2Vj" + "*" * 24)
    s.s3_list_buckets(Caller(role_identity(staging, "etl-1102", masked, ta), "10.0.4.12",
                             UA_BOTO, PROD), at(2, 10, 1, 30))
    # (b) placeholder keys, as rule-test fixtures write them
    runner = Role(ids, PARTNER, "PipelineRunner")
    deploy = Role(ids, PARTNER, "PipelineDeploy")
    cb = Caller(role_identity(runner, "run-1111", "1111", at(2, 9, 58, 0)), "192.0.2.150",
                UA_GITLAB, PARTNER)
    s.assume_role(cb, at(2, 10, 5, 0), deploy, "deploy", "1111")
    # (c) the issued key equals the caller's own key
    ci = Role(ids, PROD, "ci-runner")
    publisher = Role(ids, PROD, "ArtifactPublisher")
    k12 = ids.key("ASIA")
    cc = Caller(role_identity(ci, "job-4411", k12, at(2, 14, 40, 0)), "10.0.5.31", UA_GITLAB, PROD)
    s.caller_identity(cc, at(2, 14, 41, 20))
    s.s3_object(cc, at(2, 14, 52, 3), HOME_REGION, "acme-artifacts-111122223333", PROD,
                "builds/4411/app.tar.gz", name="PutObject")
    s.assume_role(cc, at(2, 15, 0, 0), publisher, "publish-4411", k12)
    s.event(cc, at(2, 15, 3, 30), "ecr.amazonaws.com", "GetAuthorizationToken", HOME_REGION,
            {"registryIds": [PROD]})
    s.claim(k12, kind=None, roleArn=ci.arn, sessionName="job-4411",
            sessionArn=ci.session_arn("job-4411"), accountId=PROD, issuedAt="2026-11-02T14:40:00Z",
            expiresAt=None, parentAccessKeyId=None, chainDepth=1, roleChaining=False,
            crossAccount=False, issuingEventID=None, eventCount=4,
            origin={"type": None, "arn": None, "name": None, "service": None, "resource": None})


def console(w):
    s, ids = w.story("console"), w.ids
    carol = User(ids, PROD, "carol")
    k13 = ids.key("ASIA")
    ip = "192.0.2.23"
    t = at(3, 9, 0, 0)
    login = Caller(carol.identity(key=None), ip, UA_FIREFOX, PROD)
    s.event(login, t, "signin.amazonaws.com", "ConsoleLogin", HOME_REGION, None,
            {"ConsoleLogin": "Success"}, read_only=False, event_type="AwsConsoleSignIn",
            additional={"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&"
                                   "isauthcode=true&state=hashArgsFromTB_us-east-1_"
                                   + ids.chars("0123456789abcdef", 16),
                        "MobileVersion": "No",
                        "MFAIdentifier": f"arn:aws:iam::{PROD}:mfa/carol", "MFAUsed": "Yes"},
            host="signin.aws.amazon.com")
    c = Caller(user_session_identity(carol, k13, t, "true"), ip, UA_FIREFOX, PROD, console=True)
    s.event(c, at(3, 9, 1, 12), "ec2.amazonaws.com", "DescribeInstances", HOME_REGION,
            {"instancesSet": {}, "filterSet": {}, "maxResults": 1000})
    s.event(c, at(3, 9, 2, 40), "ec2.amazonaws.com", "DescribeSecurityGroups", HOME_REGION,
            {"securityGroupSet": {}, "securityGroupIdSet": {}, "maxResults": 1000})
    s.event(c, at(3, 9, 15, 3), "cloudtrail.amazonaws.com", "LookupEvents", HOME_REGION,
            {"maxResults": 50, "lookupAttributes": [{"attributeKey": "ReadOnly",
                                                     "attributeValue": "false"}]})
    s.s3_list_buckets(c, at(3, 9, 40, 27))
    s.event(c, at(3, 9, 55, 10), "iam.amazonaws.com", "GetAccountSummary", HOME_REGION)
    s.claim(k13, kind="ConsoleLogin", roleArn=None, sessionName=None, sessionArn=None,
            accountId=PROD, issuedAt="2026-11-03T09:00:00Z", expiresAt=None,
            assumedBy={"type": "IAMUser", "arn": carol.arn, "accountId": PROD,
                       "accessKeyId": None, "service": None},
            origin={"type": "IAMUser", "arn": carol.arn, "name": "carol", "service": None,
                    "resource": None},
            eventCount=5, errorCount=0)


STORIES = (stolen_user_key, ec2_outside, identity_center, federation_token, session_token,
           reused_session_name, before_dump, masked_and_placeholder, console)


# ---------------------------------------------------------------------------------------------
# Writing the bucket dump


def stamp(t):
    return "%04d%02d%02dT%02d%02dZ" % time.gmtime(t)[:5]


def epoch(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def write_dump(w):
    """One gzip log file per (recipient account, region, 5-minute window)."""
    files = {}
    order = 0
    for story in w.stories:
        for r in story.records:
            t = epoch(r["eventTime"])
            group = (r["recipientAccountId"], r["awsRegion"], t - t % 300)
            files.setdefault(group, []).append((t, order, r))
            order += 1
    groups = sorted(files)
    for story in w.stories:
        for r in story.redeliver:
            t = epoch(r["eventTime"])
            later = [g for g in groups
                     if g[:2] == (r["recipientAccountId"], r["awsRegion"]) and g[2] > t - t % 300]
            assert later, "no later file to redeliver into"
            files[later[0]].insert(0, (None, -1, r))  # re-sent ahead of the file's own events
    written = []
    for account, region, window in groups:
        entries = files[(account, region, window)]
        entries.sort(key=lambda e: (e[0] is not None, e[0] or 0, e[1]))
        records = [e[2] for e in entries]
        delivered = window + 300 + 60 * w.rng.randint(2, 9)
        g = time.gmtime(delivered)
        name = (f"{account}_CloudTrail_{region}_{stamp(delivered)}_"
                f"{w.ids.chars(ALNUM, 16)}.json.gz")
        rel = (f"AWSLogs/{account}/CloudTrail/{region}/"
               f"{g.tm_year:04d}/{g.tm_mon:02d}/{g.tm_mday:02d}/{name}")
        text = json.dumps({"Records": records}, separators=(",", ":"), ensure_ascii=False)
        path = DUMP / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
        written.append(rel)
    return sorted(written)


def read_dump():
    records = []
    for path in sorted(p for p in DUMP.rglob("*.json.gz")):
        records.extend(json.loads(gzip.decompress(path.read_bytes()))["Records"])
    return records


# ---------------------------------------------------------------------------------------------
# The sessions contract, as a reference implementation over plain records

KEY_RE = re.compile(r"^(ASIA|AKIA)[A-Z0-9]{16}$")
STS_SESSION_ARN = re.compile(r"^arn:aws[a-z-]*:sts::\d{12}:(assumed-role|federated-user)/")
NULL_ASSUMED_BY = {"type": None, "arn": None, "accountId": None, "accessKeyId": None,
                   "service": None}
NULL_ORIGIN = {"type": None, "arn": None, "name": None, "service": None, "resource": None}


def plausible(key):
    return isinstance(key, str) and KEY_RE.match(key) is not None


def temporary(key):
    return plausible(key) and key.startswith("ASIA")


def dig(obj, *path):
    for p in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(p)
    return obj


def arn_account(arn):
    parts = (arn or "").split(":")
    return parts[4] or None if len(parts) > 5 else None


def derive_sessions(records):
    events, seen = [], set()
    for r in records:                      # a re-delivered eventID counts once
        if r["eventID"] not in seen:
            seen.add(r["eventID"])
            events.append(r)

    calls, issued = {}, {}
    for r in events:
        ui = r.get("userIdentity") or {}
        key = ui.get("accessKeyId")
        if temporary(key):                  # the two copies of a shared event count once
            ident = ("shared", r["sharedEventID"]) if r.get("sharedEventID") else ("id", r["eventID"])
            calls.setdefault(key, {}).setdefault(ident, r)
        if (r.get("eventSource") == "sts.amazonaws.com" and r.get("eventName") in ISSUING_CALLS
                and not r.get("errorCode")):
            new = dig(r, "responseElements", "credentials", "accessKeyId")
            if temporary(new):
                issued.setdefault(new, []).append(r)
    calls = {k: sorted(v.values(), key=lambda r: (r["eventTime"], r["eventID"]))
             for k, v in calls.items()}

    logins = [r for r in events if r.get("eventName") == "ConsoleLogin" and not r.get("errorCode")
              and dig(r, "responseElements", "ConsoleLogin") == "Success"]

    info = {}
    for key in sorted(set(calls) | set(issued)):
        cl = calls.get(key, [])
        first = cl[0] if cl else None
        issuing = None
        if key in issued:                  # prefer the caller's copy of a cross-account pair
            issuing = min(issued[key], key=lambda r: (dig(r, "userIdentity", "type") == "AWSAccount",
                                                      r["eventTime"], r["eventID"]))
            if dig(issuing, "userIdentity", "accessKeyId") == key:
                issuing = None             # issued key == caller's key: not trustworthy
        login = None
        if issuing is None and any(r.get("sessionCredentialFromConsole") in ("true", True)
                                   for r in cl):
            before = [x for x in logins
                      if dig(x, "userIdentity", "arn") == dig(first, "userIdentity", "arn")
                      and x["eventTime"] <= first["eventTime"]]
            login = max(before, key=lambda x: (x["eventTime"], x["eventID"])) if before else None

        s = {"accessKeyId": key}
        if issuing is not None:
            ui = issuing.get("userIdentity") or {}
            rq = issuing.get("requestParameters") or {}
            rs = issuing.get("responseElements") or {}
            name = issuing["eventName"]
            s["kind"] = name
            if name.startswith("AssumeRole"):
                s["roleArn"] = rq.get("roleArn")
                s["sessionName"] = rq.get("roleSessionName")
                s["sessionArn"] = dig(rs, "assumedRoleUser", "arn")
                s["accountId"] = arn_account(rq.get("roleArn"))
            else:
                s["roleArn"] = None
                s["sessionName"] = rq.get("name") if name == "GetFederationToken" else None
                s["sessionArn"] = (dig(rs, "federatedUser", "arn")
                                   if name == "GetFederationToken" else None)
                s["accountId"] = ui.get("accountId")
            s["issuedAt"] = issuing["eventTime"]
            s["expiresAt"] = expiration_to_iso(dig(rs, "credentials", "expiration"))
            kind = ui.get("type")
            arn = ui.get("arn")
            if kind == "SAMLUser":
                arn = rq.get("principalArn")
            elif kind == "WebIdentityUser":
                arn = ui.get("identityProvider")
            caller_key = ui.get("accessKeyId")
            s["assumedBy"] = {"type": kind, "arn": arn, "accountId": ui.get("accountId"),
                              "accessKeyId": caller_key if plausible(caller_key) else None,
                              "service": ui.get("invokedBy") if kind == "AWSService" else None}
            parent = caller_key if temporary(caller_key) and caller_key != key else None
            source_identity = rs.get("sourceIdentity") or rq.get("sourceIdentity")
            chaining = kind == "AssumedRole"
            event_id = issuing["eventID"]
        elif login is not None:
            ui = login.get("userIdentity") or {}
            s.update(kind="ConsoleLogin", roleArn=None, sessionName=None, sessionArn=None,
                     accountId=ui.get("accountId"), issuedAt=login["eventTime"], expiresAt=None)
            s["assumedBy"] = {"type": ui.get("type"), "arn": ui.get("arn"),
                              "accountId": ui.get("accountId"), "accessKeyId": None,
                              "service": None}
            parent, source_identity, chaining, event_id = None, None, False, login["eventID"]
        else:
            ui = first.get("userIdentity") or {}
            issuer = dig(ui, "sessionContext", "sessionIssuer") or {}
            arn = ui.get("arn") or ""
            m = STS_SESSION_ARN.match(arn)
            s["kind"] = None
            s["roleArn"] = issuer.get("arn") if issuer.get("type") == "Role" else None
            s["sessionName"] = arn.rsplit("/", 1)[1] if m else None
            s["sessionArn"] = arn if m else None
            s["accountId"] = ui.get("accountId")
            created = dig(ui, "sessionContext", "attributes", "creationDate")
            s["issuedAt"] = iso(epoch(created)) if created else None
            s["expiresAt"] = None
            s["assumedBy"] = dict(NULL_ASSUMED_BY)
            parent, source_identity, chaining, event_id = None, None, False, None
        if source_identity is None:
            source_identity = next((dig(r, "userIdentity", "sessionContext", "sourceIdentity")
                                    for r in cl
                                    if dig(r, "userIdentity", "sessionContext", "sourceIdentity")),
                                   None)
        s["parentAccessKeyId"] = parent
        s["origin"] = None                 # filled in below, once every session is known
        s["chainDepth"] = None
        s["roleChaining"] = chaining
        by_account = s["assumedBy"]["accountId"]
        s["crossAccount"] = by_account is not None and by_account != s["accountId"]
        s["sourceIdentity"] = source_identity
        s["eventCount"] = len(cl)
        s["firstEventTime"] = cl[0]["eventTime"] if cl else None
        s["lastEventTime"] = max(r["eventTime"] for r in cl) if cl else None
        s["sourceIPAddresses"] = sorted({r["sourceIPAddress"] for r in cl
                                         if r.get("sourceIPAddress") is not None})
        s["userAgents"] = sorted({r["userAgent"] for r in cl if r.get("userAgent") is not None})
        s["errorCount"] = sum(1 for r in cl if r.get("errorCode"))
        s["issuingEventID"] = event_id
        info[key] = (s, issuing, login, first)

    def own_origin(key):
        s, issuing, login, first = info[key]
        if issuing is not None:
            ui = issuing.get("userIdentity") or {}
            rq = issuing.get("requestParameters") or {}
            kind = ui.get("type")
            if kind == "IAMUser":
                return {"type": "IAMUser", "arn": ui.get("arn"), "name": ui.get("userName"),
                        "service": None, "resource": None}
            if kind == "Root":
                return {"type": "Root", "arn": ui.get("arn"), "name": None, "service": None,
                        "resource": None}
            if kind == "AWSService":
                return {"type": "AWSService", "arn": None, "name": None,
                        "service": ui.get("invokedBy"), "resource": rq.get("roleSessionName")}
            if kind == "SAMLUser":
                role_name = (rq.get("roleArn") or "").rsplit("/", 1)[-1]
                return {"type": "IdentityCenterUser" if role_name.startswith("AWSReservedSSO_")
                        else "SAMLUser", "arn": rq.get("principalArn"),
                        "name": ui.get("userName"), "service": None, "resource": None}
            if kind == "WebIdentityUser":
                return {"type": "WebIdentityUser", "arn": ui.get("identityProvider"),
                        "name": ui.get("userName"), "service": None, "resource": None}
            if kind == "AWSAccount":
                return {"type": "AWSAccount", "arn": None, "name": ui.get("accountId"),
                        "service": None, "resource": None}
            return dict(NULL_ORIGIN)
        if login is not None:
            ui = login.get("userIdentity") or {}
            return {"type": ui.get("type"), "arn": ui.get("arn"),
                    "name": ui.get("userName") if ui.get("type") == "IAMUser" else None,
                    "service": None, "resource": None}
        ui = first.get("userIdentity") or {}
        issuer = dig(ui, "sessionContext", "sessionIssuer") or {}
        if issuer.get("type") == "IAMUser":
            return {"type": "IAMUser", "arn": issuer.get("arn"), "name": issuer.get("userName"),
                    "service": None, "resource": None}
        if ui.get("type") in ("IAMUser", "Root"):
            return {"type": ui["type"], "arn": ui.get("arn"),
                    "name": ui.get("userName") if ui["type"] == "IAMUser" else None,
                    "service": None, "resource": None}
        return dict(NULL_ORIGIN)

    for key, (s, *_rest) in info.items():
        chain, k = [key], s["parentAccessKeyId"]
        while k is not None:
            assert k not in chain, f"parent cycle through {k}"
            chain.append(k)
            k = info[k][0]["parentAccessKeyId"]
        s["chainDepth"] = len(chain)
        s["origin"] = own_origin(chain[-1])

    sessions = [v[0] for v in info.values()]
    sessions.sort(key=lambda s: (s["issuedAt"] is None, s["issuedAt"] or "", s["accessKeyId"]))
    return sessions


# ---------------------------------------------------------------------------------------------


def story_keys(story):
    keys = []
    ordered = sorted(enumerate(story.records), key=lambda e: (e[1]["eventTime"], e[0]))
    for _, r in ordered:
        for k in (dig(r, "userIdentity", "accessKeyId"),
                  dig(r, "responseElements", "credentials", "accessKeyId"),
                  dig(r, "responseElements", "accessKey", "accessKeyId")):
            if isinstance(k, str) and k and k not in keys:
                keys.append(k)
    return keys


def check_claims(w, sessions):
    by_key = {s["accessKeyId"]: s for s in sessions}
    for story in w.stories:
        for key, fields in story.claims.items():
            assert key in by_key, f"{story.name}: {key} is not a session"
            for field, want in fields.items():
                got = by_key[key][field]
                assert got == want, f"{story.name}: {key}.{field} = {got!r}, story says {want!r}"
        for key, n in story.calls.items():
            if temporary(key):
                assert by_key[key]["eventCount"] == n, f"{story.name}: {key} eventCount"
            else:
                assert key not in by_key
        for key in story_keys(story):
            assert (key in by_key) == temporary(key), f"{story.name}: {key} session membership"
    for s in sessions:
        assert s["parentAccessKeyId"] != s["accessKeyId"]


def main():
    if DUMP.exists():
        shutil.rmtree(DUMP)
    DUMP.mkdir(parents=True)
    w = World()
    for make in STORIES:
        make(w)
    write_dump(w)
    sessions = derive_sessions(read_dump())
    check_claims(w, sessions)
    expected = {"sessions": sessions,
                "stories": {story.name: story_keys(story) for story in w.stories}}
    EXPECTED.write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")


if __name__ == "__main__":
    main()
