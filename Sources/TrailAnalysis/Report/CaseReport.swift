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

    /// Triages the case at `databasePath` and plans the containment of each incident.
    ///
    /// - Parameters:
    ///   - databasePath: The case database, already brought up to date.
    ///   - options: Which principals and which time window.
    ///   - generatedAt: The report's time, ISO 8601; also the default token issue time of the plans.
    package static func build(databasePath: String, options: Triage.Options, generatedAt: String) throws -> CaseReport {
        var triage = try Triage(databasePath: databasePath, options: options)
        let incidents = try triage.run()
        var report = CaseReport(
            generatedAt: generatedAt,
            dump: try DumpSummary.read(databasePath: databasePath),
            incidents: incidents,
            plans: [:],
            planProblems: [:]
        )
        for incident in incidents {
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

    private func incidentValue(_ incident: Incident) -> JSONValue {
        guard case .object(var members) = incident.jsonValue else { return incident.jsonValue }
        members.append(("isolation", plans[incident.id]?.jsonValue ?? .null))
        if let problem = planProblems[incident.id] {
            members.append(("isolationProblem", .string(problem)))
        }
        return .object(members)
    }
}
