import TrailCore

/// Everything `trailhound report` writes: the dump's summary, the incidents and their plans.
///
/// The renderers in TrailReport only lay this out.
package struct CaseReport: Sendable {
    package var generatedAt: String
    package var dump: DumpSummary
    package var incidents: [Incident]
    /// The isolation plan of each incident, by incident id; absent when none could be made.
    package var plans: [String: IsolationPlan]
    /// Why a plan could not be made, by incident id.
    package var planProblems: [String: String]
    /// The indicators of each incident's tree over the incident's time, by incident id.
    package var investigations: [String: Investigation] = [:]

    /// Triages the case at `databasePath` and plans the containment of each incident.
    ///
    /// - Parameters:
    ///   - databasePath: The case database, already brought up to date.
    ///   - options: Which principals and which time window.
    ///   - generatedAt: The report's time, ISO 8601; also the default token issue time of the plans.
    ///   - indicators: The baseline length and the databases for each incident's indicators; the
    ///     subjects and the scope are the incident's.
    package static func build(
        databasePath: String,
        options: Triage.Options,
        generatedAt: String,
        indicators: Investigator.Options = Investigator.Options(subjects: [])
    ) throws -> CaseReport {
        var triage = try Triage(databasePath: databasePath, options: options)
        let incidents = try triage.run()
        var report = CaseReport(
            generatedAt: generatedAt,
            dump: try DumpSummary.read(databasePath: databasePath),
            incidents: incidents,
            plans: [:],
            planProblems: [:]
        )
        let techniques = try TechniqueTable.bundled()
        for incident in incidents {
            report.investigations[incident.id] = try investigate(
                incident,
                databasePath: databasePath,
                template: indicators,
                techniques: techniques
            )
            let subjects = isolationSubjects(of: incident)
            guard !subjects.isEmpty else {
                report.planProblems[incident.id] = "No principal or session of this incident can be contained"
                continue
            }
            let planOptions = IsolationPlanner.Options(
                subjects: subjects,
                tokenIssueTime: generatedAt,
                generatedAt: generatedAt
            )
            do {
                var planner = try IsolationPlanner(databasePath: databasePath, options: planOptions)
                report.plans[incident.id] = try planner.makePlan()
            } catch {
                report.planProblems[incident.id] = String(describing: error)
            }
        }
        return report
    }

    /// The incident's indicators: its origin (or its sessions, without an origin ARN) from its
    /// first technique outside the routine to its last call, against the days before.
    private static func investigate(
        _ incident: Incident,
        databasePath: String,
        template: Investigator.Options,
        techniques: TechniqueTable
    ) throws -> Investigation? {
        var options = template
        options.subjects = incident.origin.arn != nil ? [incident.originKey] : incident.sessions.map(\.accessKeyId)
        let live = incident.techniques.filter { $0.count > $0.routineCount }.compactMap(\.firstSeen)
        options.from = live.min() ?? incident.firstSeen
        options.to = incident.lastSeen
        options.scopeRule = "from the incident's first technique outside its routine to its last call"
        guard !options.subjects.isEmpty, options.from != nil, options.to != nil else { return nil }
        do {
            return try Investigator.investigate(databasePath: databasePath, options: options, techniques: techniques)
        } catch SessionChain.LookupError.notFound {
            return nil
        }
    }

    /// What to hand the isolation planner: the origin when it is an IAM principal, else the
    /// sessions at the top of the tree (the planner follows their descendants).
    static func isolationSubjects(of incident: Incident) -> [String] {
        if let arn = incident.origin.arn, arn.hasPrefix("arn:") {
            return [arn]
        }
        let keys = Set(incident.sessions.map(\.accessKeyId))
        return incident.sessions.filter { session in
            session.parentAccessKeyId.map { !keys.contains($0) } ?? true
        }.map(\.accessKeyId)
    }

    /// The count of incidents at each severity, most severe first, leaving out zero counts.
    package var severityCounts: [(String, Int)] {
        TechniqueTable.severities.reversed().compactMap { severity in
            let count = incidents.filter { $0.severity == severity }.count
            return count > 0 ? (severity, count) : nil
        }
    }
}

// MARK: - JSON

extension CaseReport {
    /// The `report.json` contract object.
    package var jsonValue: JSONValue {
        .object([
            ("generatedAt", .string(generatedAt)),
            ("dump", dump.jsonValue),
            ("incidents", .array(incidents.map(incidentValue))),
        ])
    }

    /// The investigation without its indicators, which the incident lists itself.
    private static func investigationSummary(_ investigation: Investigation) -> JSONValue {
        guard case .object(let members) = investigation.jsonValue else { return .null }
        return .object(members.filter { $0.0 != "indicators" && $0.0 != "subject" })
    }

    private func incidentValue(_ incident: Incident) -> JSONValue {
        guard case .object(var members) = incident.jsonValue else { return incident.jsonValue }
        members.append(("isolation", plans[incident.id]?.jsonValue ?? .null))
        let investigation = investigations[incident.id]
        members.append(("indicators", .array(investigation?.indicators.map(\.jsonValue) ?? [])))
        members.append(("investigation", investigation.map(Self.investigationSummary) ?? .null))
        if let problem = planProblems[incident.id] {
            members.append(("isolationProblem", .string(problem)))
        }
        return .object(members)
    }
}
