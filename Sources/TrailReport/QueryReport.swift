import TrailCore
import TrailStore

/// Renders the result of `trailhound query`.
package enum QueryReport {
    package enum Format: String, CaseIterable, Sendable {
        case table, json, csv
    }

    package static func render(_ result: QueryResult, as format: Format) -> String {
        switch format {
        case .table:
            return TabularText.table(columns: result.columns, rows: result.rows.map { $0.map(text) })
        case .csv:
            return TabularText.csv(columns: result.columns, rows: result.rows.map { $0.map(text) })
        case .json:
            let objects = result.rows.map { row in
                JSONValue.object(zip(result.columns, row).map { ($0, json($1)) })
            }
            return JSONValue.array(objects).rendered() + "\n"
        }
    }

    private static func text(_ value: SQLiteValue) -> String {
        switch value {
        case .null: ""
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .text(let text): text
        case .blob(let bytes): "x'" + bytes.map { String($0, radix: 16).leftPaddedHex() }.joined() + "'"
        }
    }

    private static func json(_ value: SQLiteValue) -> JSONValue {
        switch value {
        case .null: .null
        case .integer(let number): .integer(number)
        case .real(let number): .double(number)
        case .text(let text): .string(text)
        case .blob(let bytes): .string(bytes.map { String($0, radix: 16).leftPaddedHex() }.joined())
        }
    }
}

extension String {
    fileprivate func leftPaddedHex() -> String {
        count == 1 ? "0" + self : self
    }
}
