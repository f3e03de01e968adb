import TrailAnalysis

/// Renders `index.html` of the report folder. (Being written: the helper replaces this file.)
package enum IncidentHTML {
    package static func render(_ report: CaseReport) -> String {
        "<!doctype html><title>trailhound report</title>"
    }
}
