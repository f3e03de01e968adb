#!/usr/bin/env python3
"""Adds hourly CloudTrail digest files to a generated dump, so that `trailhound verify` can be
benchmarked and tried on it. The generator (../shared/bench/gen-trail.py) writes no digests.

    scripts/make-digests.py DUMP [--sign KEY.pem]

Per account and region, one digest per hour, from the first log file's hour to the last (empty
hours get a digest with no files, as CloudTrail writes them), lists that hour's log files with the
SHA-256 of their decompressed content, chained to the previous digest. With --sign, each digest is signed
with the RSA key (openssl) and DUMP/../<name>.keys.json and .signatures.json are written in the
shapes `verify --public-keys/--signatures` read.
"""

import argparse
import base64
import datetime
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

NAME = re.compile(r"^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{2})\d{2}Z_.*\.json\.gz$")
BUCKET = "trailhound-bench-bucket"


def sign(key_file, text):
    with tempfile.NamedTemporaryFile("w", delete=False) as handle:
        handle.write(text)
    try:
        result = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_file, handle.name],
                                check=True, capture_output=True)
    finally:
        os.unlink(handle.name)
    return result.stdout.hex()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dump")
    parser.add_argument("--sign")
    args = parser.parse_args()

    groups = {}
    logs = os.path.join(args.dump, "AWSLogs")
    for directory, _, names in os.walk(logs):
        for name in names:
            match = NAME.match(name)
            if match:
                account, region, hour = match.groups()
                key = os.path.relpath(os.path.join(directory, name), args.dump)
                groups.setdefault((account, region), {}).setdefault(hour, []).append(key)

    signatures = {}
    count = 0
    for (account, region), hours in sorted(groups.items()):
        previous = None
        first = datetime.datetime.strptime(min(hours), "%Y%m%dT%H")
        last = datetime.datetime.strptime(max(hours), "%Y%m%dT%H")
        moment = first
        while moment <= last:
            hour = moment.strftime("%Y%m%dT%H")
            start = moment.strftime("%Y-%m-%dT%H:00:00Z")
            end = (moment + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:00:00Z")
            moment += datetime.timedelta(hours=1)
            stamp = (moment).strftime("%Y%m%dT%H0000Z")
            key = (f"AWSLogs/{account}/CloudTrail-Digest/{region}/{hour[0:4]}/{hour[4:6]}/{hour[6:8]}/"
                   f"{account}_CloudTrail-Digest_{region}_bench-trail_{region}_{stamp}.json.gz")
            entries = []
            for log_key in sorted(hours.get(hour, [])):
                with open(os.path.join(args.dump, log_key), "rb") as handle:
                    content = gzip.decompress(handle.read())
                entries.append({"s3Bucket": BUCKET, "s3Object": log_key,
                                "hashValue": hashlib.sha256(content).hexdigest(), "hashAlgorithm": "SHA-256"})
            digest = {
                "awsAccountId": account, "digestStartTime": start, "digestEndTime": end,
                "digestS3Bucket": BUCKET, "digestS3Object": key,
                "digestPublicKeyFingerprint": "bench-key", "digestSignatureAlgorithm": "SHA256withRSA",
                "previousDigestS3Bucket": BUCKET if previous else None,
                "previousDigestS3Object": previous[0] if previous else None,
                "previousDigestHashValue": previous[1] if previous else None,
                "previousDigestHashAlgorithm": "SHA-256" if previous else None,
                "previousDigestSignature": previous[2] if previous else None,
                "logFiles": entries,
            }
            text = json.dumps(digest, separators=(",", ":")).encode()
            sha = hashlib.sha256(text).hexdigest()
            signature = None
            if args.sign:
                signed = "\n".join([end, f"{BUCKET}/{key}", sha, previous[2] if previous else "null"])
                signature = sign(args.sign, signed)
                signatures[key] = {"Metadata": {"signature": signature, "signature-algorithm": "SHA256withRSA"}}
            path = os.path.join(args.dump, key)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(gzip.compress(text, mtime=0))
            previous = (key, sha, signature or "")
            count += 1

    if args.sign:
        der = subprocess.run(["openssl", "rsa", "-in", args.sign, "-RSAPublicKey_out", "-outform", "DER"],
                             check=True, capture_output=True).stdout
        base = os.path.normpath(args.dump)
        with open(base + ".keys.json", "w") as handle:
            json.dump({"PublicKeyList": [{"Value": base64.b64encode(der).decode(), "Fingerprint": "bench-key"}]},
                      handle)
        with open(base + ".signatures.json", "w") as handle:
            json.dump(signatures, handle)
    print(f"make-digests: {count} digests for {sum(len(h) for h in groups.values())} account-region hours",
          file=sys.stderr)


if __name__ == "__main__":
    main()
