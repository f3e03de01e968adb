/// The text of `--help` and `trailhound help COMMAND`.
enum HelpText {
    static let usageLine = "Usage: trailhound <command> [options]"

    static let overview = """
        trailhound: offline CloudTrail forensics on a dump of a CloudTrail log bucket.

        \(usageLine)

        Commands:
          ingest      Read a bucket dump (or files) into the case database
          query       Run read-only SQL on the case database
          show        Print events' exact records as stored, by eventID
          sessions    List every set of temporary credentials and who obtained it
          chain       Show the lineage of a session or principal as a tree
          isolate     Plan the containment of principals and everything derived from them
          verify      Check the dump against CloudTrail's digest files, offline
          report      Ingest dumps, find the incidents and write the report folder
          timeline    Show what a principal and every session derived from it did, in order
          investigate Find indicators of compromise of a principal against its baseline
          help        Show help for a command

        Options:
          --help, -h   Show this help
          --version    Show the version

        See 'trailhound help <command>' for a command's options.
        """

    private static let ingest = """
        Usage: trailhound ingest PATH... [--db FILE] [--format text|json] [--jobs N] [--max-file-bytes N]
                                [--quiet] [--verbose]

        Reads every CloudTrail log file at or below each PATH (a bucket dump folder such as
        what 'aws s3 sync' leaves, any folder below it, or single files) into the case database.
        Files are recognised by content, gzip or plain: CloudTrail delivery files, lookup-events
        output, JSON lines, JSON arrays, EventBridge events and CloudWatch Logs payloads. Digest,
        Insights and notification files are skipped with the reason. Running it again reads only
        new or changed files.

        Options:
          --db FILE        Case database (default: trailhound.db in the current folder)
          --format FORMAT  Summary as 'text' (default) or one 'json' object on stdout
          --jobs N         Decoding threads (default: the number of processors)
          --max-file-bytes N
                           Stop reading a file past N decompressed bytes, a gzip bomb's defence;
                           K, M, G suffixes (default 16G)
          --quiet          No progress output
          --verbose        Also print each file as it is committed

        Each file that cannot be read in full gets one line on stderr: 'path: problem (at byte N)'.
        Exit status: 0 when every file was read, 1 when some were not (all others are ingested),
        64 for usage errors.
        """

    private static let query = """
        Usage: trailhound query SQL [--db FILE] [--format table|json|csv]

        Runs one SQL statement on the case database, opened read-only. The tables 'events',
        'files' and 'runs' are described in the README. Each event's exact record is
        raw_record(raw, raw_block, raw_offset, raw_length), for example
          SELECT json_extract(raw_record(raw, raw_block, raw_offset, raw_length),
                              '$.requestParameters') FROM events
        and 'trailhound show EVENT-ID' prints it.

        Options:
          --db FILE        Case database (default: trailhound.db)
          --format FORMAT  'table' (default), 'json' (an array of objects keyed by column) or 'csv'
        """

    private static let show = """
        Usage: trailhound show EVENT-ID... [--db FILE] [--format text|json]

        Prints the exact record of each event with this eventID: its bytes in the dump (for a
        record embedded in a JSON string, as in lookup-events output, the string's decoded text).
        Every copy of an eventID (other recipient accounts, another eventTime) is printed, in the
        order stored. On a terminal, control characters are shown escaped; otherwise the bytes
        are unchanged.

        Options:
          --db FILE        Case database (default: trailhound.db)
          --format FORMAT  'text' (default: each record, then a newline) or 'json' (an array of
                           {eventID, recipientAccountID, file, recordIndex, byteOffset, raw})

        Exit status: 0 when every eventID was found, 1 otherwise (the others are printed), 64 for
        usage errors.
        """

    private static let sessions = """
        Usage: trailhound sessions [--db FILE] [--account ID] [--role ARN] [--principal ARN|KEY]...
                                   [--from T] [--to T] [--format table|json]

        Lists every set of temporary credentials seen in the case database: how it was issued
        (AssumeRole*, GetSessionToken, GetFederationToken, console sign-in), by whom, its parent
        credentials and the origin principal at the root of its chain, and what was done with it.

        Options:
          --account ID       Sessions in this account
          --role ARN         Sessions of this role
          --principal X      Sessions obtained by this ARN or access key, and every session derived
                             from them (repeatable)
          --from, --to T     Sessions active in this window (YYYY-MM-DD or ISO 8601, UTC)
          --format FORMAT    'table' (default) or 'json' (the documented contract)
        """

    private static let chain = """
        Usage: trailhound chain KEY|SESSION-ARN|PRINCIPAL-ARN [--db FILE] [--format tree|json]

        Shows the lineage from the origin principal down to the session, and every session started
        from it, transitively. Given a principal (an IAM user, a role, a key), shows every chain it
        started.

        Options:
          --format FORMAT    'tree' (default) or 'json' ({ancestors, session, descendants})
        """

    private static let isolate = """
        Usage: trailhound isolate ARN|KEY... [--db FILE] [--token-issue-time T] [--sns-topic ARN]
                                  [--format sh|json|md]

        Prints the containment plan for the named principals, sessions or access keys and for every
        session derived from them: AWSDenyAll and deactivated keys for IAM users, a policy revoking
        older sessions for roles, Identity Center users to disable, root and instance steps, the
        principals the attacker created, and the EventBridge rule that alerts when containment is
        applied. Also reports containment already applied in the logs and whether it held.

        Options:
          --token-issue-time T  Revoke role sessions issued before T (default: now)
          --sns-topic ARN       The SNS topic for the containment alert
          --format FORMAT       'sh' (default: a script for review that runs nothing without --apply),
                                'json' (the documented contract) or 'md'
        """

    private static let verify = """
        Usage: trailhound verify DUMP... [--db FILE] [--public-keys FILE] [--signatures FILE]
                                 [--format table|json]

        Checks each log file against the CloudTrail digest files in the dump: valid, modified,
        missing, or with data after its first gzip member; finds log files no digest covers, gaps
        and missing or moved digests in the chain, and checks each digest's previous-digest hash.
        Signatures are checked when the analyst saved CloudTrail's public keys and the digests'
        metadata; otherwise the report says they were not checked. Verdicts are stored in the case
        database. Exit status: 0 when all checked evidence is valid, 1 otherwise.

        Options:
          --public-keys FILE   Output of 'aws cloudtrail list-public-keys'
          --signatures FILE    A JSON object from each digest's S3 key to its 'aws s3api head-object' output
          --format FORMAT      'table' (default) or 'json'
        """

    private static let timeline = """
        Usage: trailhound timeline ARN|KEY [--db FILE] [--from T] [--to T] [--format table|json|jsonl|csv|md]

        The time-ordered calls of a principal (an IAM user or role ARN, a session ARN, an access key)
        and of every session derived from it, transitively, each with the chain of access keys it
        was made through and a summary of its request.

        Options:
          --from, --to T   Only calls in this window (YYYY-MM-DD or ISO 8601, UTC)
          --format FORMAT  'table' (default), 'json', 'jsonl' (Timesketch), 'csv' or 'md'
        """

    private static let investigate = """
        Usage: trailhound investigate ARN|KEY [--db FILE] [--from T] [--to T] [--baseline-days N]
                                      [--geoip FILE.mmdb] [--asn FILE.mmdb] [--flagged-ips FILE]
                                      [--format table|json|md|html]

        Investigates a principal (an IAM user or role ARN, a session ARN, an access key) and every
        session derived from it over a scope time, as Amazon Detective does: techniques observed,
        behaviour new against the baseline (API calls, source IPs, user agents, regions, and with
        the databases countries and autonomous systems), impossible travel, flagged IPs, call
        volume and failed-call rate, instance credentials used elsewhere and related sessions,
        each with its evidence and a severity, and what could not be checked.

        The scope is --from to --to; without them, the last 24 hours of the principal's activity.
        The baseline is the N days before the scope (default 45); with less than 14 days of
        history before the scope, new behaviour and volume are not judged, and the output says so.

        Options:
          --from, --to T       The scope (YYYY-MM-DD or ISO 8601, UTC)
          --baseline-days N    Days of baseline before the scope (default 45)
          --geoip FILE.mmdb    A MaxMind City or Country database (e.g. GeoLite2-City.mmdb)
          --asn FILE.mmdb      A MaxMind ASN database (e.g. GeoLite2-ASN.mmdb)
          --flagged-ips FILE   Flagged addresses: one IP or CIDR network a line, then an optional
                               label; '#' starts a comment
          --format FORMAT      'table' (default), 'json' (the documented contract), 'md' or 'html'
        """

    private static let report = """
        Usage: trailhound report [DUMP...] [-o DIR] [--db FILE] [--principal P]... [--from T] [--to T] [--fail-on S]
                                 [--baseline-days N] [--geoip FILE.mmdb] [--asn FILE.mmdb] [--flagged-ips FILE]

        Ingests each DUMP (only what is new) into the case database, finds the incidents (origin
        principals whose sessions show attacker techniques outside their routine) and writes the
        report folder: index.html, report.md, report.json, timeline.jsonl (Timesketch) and
        timeline.csv. Without DUMP it reports on the case database as it is.

        Options:
          -o, --output DIR       The report folder (default 'trailhound-report')
          --db FILE              The case database (default 'trailhound.db')
          --principal P          Report on the origins of this ARN or access key only (repeatable)
          --from, --to T         Only calls in this window (YYYY-MM-DD or ISO 8601, UTC)
          --fail-on S            Exit 2 when an incident is at least this severe: informational,
                                 low, medium, high or critical
          --baseline-days N, --geoip FILE, --asn FILE, --flagged-ips FILE
                                 For each incident's indicators, as in 'trailhound investigate'
          --jobs N               Decoding threads for the ingest
          --max-file-bytes N     Decompressed bytes read from one file at most (default 16G)
          --quiet, --verbose     No progress, or a line per file read
        Exit status: 0, 1 when some input could not be read, 2 with --fail-on (before 1), 64 for usage.
        """

    static func help(for command: String) -> String? {
        switch command {
        case "ingest": ingest
        case "query": query
        case "show": show
        case "sessions": sessions
        case "chain": chain
        case "isolate": isolate
        case "verify": verify
        case "timeline": timeline
        case "investigate": investigate
        case "report": report
        case "help": overview
        default: nil
        }
    }

    /// The usage line of `command`.
    static func usage(of command: String) -> String? {
        help(for: command)?.split(separator: "\n").first.map(String.init)
    }
}
