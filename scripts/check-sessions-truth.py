#!/usr/bin/env python3
"""Compares `trailhound sessions --format json` with gen-trail.py's ground truth.

    scripts/check-sessions-truth.py TRUTH.json SESSIONS.json

The truth's field names and kinds differ from the contract; this maps them (see the README and
Tests/TrailAnalysisTests/GeneratedCorpusTests.swift, which checks the same at 20,000 events).
Exits 1 when any session differs.
"""
import json, sys
from collections import Counter
truth = {t['accessKeyId']: t for t in json.load(open(sys.argv[1])) if t['kind'] != 'iam-user-key'}
got = {s['accessKeyId']: s for s in json.load(open(sys.argv[2]))}
KIND = {'assume-role':'AssumeRole','instance-profile':'AssumeRole','service-role':'AssumeRole','saml':'AssumeRoleWithSAML','web-identity':'AssumeRoleWithWebIdentity','session-token':'GetSessionToken','federation-token':'GetFederationToken','console':'ConsoleLogin'}
problems = Counter(); examples = {}
def bad(field, key, exp, act):
    problems[field] += 1
    examples.setdefault(field, (key, exp, act))
print('truth', len(truth), 'got', len(got), 'missing', len(set(truth)-set(got)), 'extra', len(set(got)-set(truth)))
for k in list(set(got)-set(truth))[:3]: print('extra', got[k])
def root(t):
    while t['parentAccessKeyId'] and t['parentAccessKeyId'].startswith('ASIA'):
        t = truth[t['parentAccessKeyId']]
    return t
for k, t in truth.items():
    s = got.get(k)
    if not s: continue
    if s['kind'] != KIND[t['kind']]: bad('kind', k, KIND[t['kind']], s['kind'])
    p = t['parentAccessKeyId']
    if p and p.startswith('AKIA'):
        if s['parentAccessKeyId'] is not None: bad('parent', k, None, s['parentAccessKeyId'])
        if s['assumedBy']['accessKeyId'] != p: bad('assumedBy.key', k, p, s['assumedBy']['accessKeyId'])
    elif s['parentAccessKeyId'] != p: bad('parent', k, p, s['parentAccessKeyId'])
    for f in ['roleArn','sessionName','accountId','crossAccount','issuedAt','eventCount']:
        if s[f] != t[f]: bad(f, k, t[f], s[f])
    if s['expiresAt'] != t['expiration'] and t['kind'] != 'console': bad('expiresAt', k, t['expiration'], s['expiresAt'])
    if s['chainDepth'] != t['depth']: bad('depth', k, t['depth'], s['chainDepth'])
    parent_kind = truth[p]['kind'] if p and p in truth else None
    exp_chain = t['chained'] and parent_kind != 'session-token'
    if s['roleChaining'] != exp_chain: bad('roleChaining', k, exp_chain, s['roleChaining'])
    if s['sessionArn'] != (t['principalArn'] if t['kind'] not in ('session-token','console') else None): bad('sessionArn', k, t['principalArn'], s['sessionArn'])
    ab = t['assumedBy']
    if ab['type'] != s['assumedBy']['type']: bad('assumedBy.type', k, ab, s['assumedBy'])
    if ab.get('arn') != s['assumedBy']['arn'] and ab['type'] not in ('AWSService',): bad('assumedBy.arn', k, ab, s['assumedBy'])
    if ab.get('service') != s['assumedBy']['service']: bad('assumedBy.service', k, ab, s['assumedBy'])
    r = root(t); o = s['origin']; rab = r['assumedBy']
    if rab['type'] == 'AWSService':
        ok = o['type']=='AWSService' and o['service']==rab['service'] and o['resource']==r['sessionName']
    elif rab['type'] == 'SAMLUser':
        ok = o['type'] in ('SAMLUser','IdentityCenterUser') and o['arn']==rab['arn'] and o['name']==r['sessionName']
    elif rab['type'] == 'AWSAccount':
        ok = o['type']=='AWSAccount'
    else:
        ok = o['type']==rab['type'] and o['arn']==rab.get('arn')
    if not ok: bad('origin', k, (rab, r['sessionName']), o)
for f,c in problems.most_common(): print(f, c, examples[f])
print(f"{len(truth)} sessions in the truth, {len(got)} found, {sum(problems.values())} field mismatches")
sys.exit(1 if problems or set(truth) != set(got) else 0)
