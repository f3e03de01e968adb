import CSQLite

/// The SQL function `raw_record(raw, raw_block, raw_offset, raw_length)`: an event's exact
/// text, whether it is stored in `raw` (events ingested before schema 5) or in a compressed
/// block of `raw_blocks`.
///
/// Every connection has it. It keeps the last few inflated blocks, so rows read in id order,
/// which sit in the same blocks, inflate each block once.
final class RawRecordFunction {
    /// The SQL name.
    static let name = "raw_record"

    /// Inflated blocks kept per connection: 8 of up to about 24 KiB.
    private static let cachedBlocks = 8

    private let database: OpaquePointer
    private var lookup: OpaquePointer?
    private let decompressor = RawBlocks.Decompressor()
    private var cache: [(id: Int64, records: [UInt8])] = []
    private var nextEviction = 0

    private init(database: OpaquePointer) {
        self.database = database
    }

    /// Registers the function on `database`; the returned object must outlive the registration
    /// and be ``finish()``ed before the database is closed.
    static func register(on database: OpaquePointer) -> RawRecordFunction {
        let function = RawRecordFunction(database: database)
        sqlite3_create_function_v2(
            database,
            name,
            4,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC,
            Unmanaged.passUnretained(function).toOpaque(),
            { context, _, arguments in
                guard let context, let arguments, let function = sqlite3_user_data(context) else { return }
                Unmanaged<RawRecordFunction>.fromOpaque(function).takeUnretainedValue()
                    .call(context, arguments: arguments)
            },
            nil,
            nil,
            nil
        )
        return function
    }

    /// Finalizes the block lookup, which would otherwise keep the database from closing.
    func finish() {
        sqlite3_finalize(lookup)
        lookup = nil
        cache.removeAll()
    }

    private func call(_ context: OpaquePointer, arguments: UnsafeMutablePointer<OpaquePointer?>) {
        guard sqlite3_value_type(arguments[1]) != SQLITE_NULL else {
            sqlite3_result_value(context, arguments[0])
            return
        }
        let block = sqlite3_value_int64(arguments[1])
        let offset = Int(sqlite3_value_int64(arguments[2]))
        let length = Int(sqlite3_value_int64(arguments[3]))
        guard let records = records(ofBlock: block) else {
            sqlite3_result_error(context, "raw_record: block \(block) of raw_blocks is missing or damaged", -1)
            return
        }
        guard offset >= 0, length > 0, offset <= records.count - length else {
            sqlite3_result_error(context, "raw_record: bytes \(offset)+\(length) lie outside block \(block)", -1)
            return
        }
        records.withUnsafeBytes { buffer in
            // The slice is within the block (checked above); SQLite copies it (SQLITE_TRANSIENT).
            guard let base = buffer.baseAddress else { return }
            let start = base.advanced(by: offset).assumingMemoryBound(to: CChar.self)
            sqlite3_result_text(context, start, Int32(length), trailhound_sqlite_transient())
        }
    }

    private func records(ofBlock id: Int64) -> [UInt8]? {
        if let hit = cache.first(where: { $0.id == id }) {
            return hit.records
        }
        guard let records = read(block: id) else { return nil }
        if cache.count < Self.cachedBlocks {
            cache.append((id, records))
        } else {
            cache[nextEviction] = (id, records)
            nextEviction = (nextEviction + 1) % Self.cachedBlocks
        }
        return records
    }

    private func read(block id: Int64) -> [UInt8]? {
        if lookup == nil {
            let sql = "SELECT size, data FROM raw_blocks WHERE id = ?"
            guard sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &lookup, nil) == SQLITE_OK
            else { return nil }
        }
        defer { sqlite3_reset(lookup) }
        sqlite3_bind_int64(lookup, 1, id)
        guard sqlite3_step(lookup) == SQLITE_ROW else { return nil }
        let size = Int(sqlite3_column_int64(lookup, 0))
        let count = Int(sqlite3_column_bytes(lookup, 1))
        guard let data = sqlite3_column_blob(lookup, 1) else { return nil }
        return RawBlocks.unpack(UnsafeRawBufferPointer(start: data, count: count), size: size, with: decompressor)
    }
}

@available(*, unavailable)
extension RawRecordFunction: Sendable {}

extension Schema {
    /// The SQL expression for the exact text of the event row `alias` (an `events` alias, or
    /// `nil` for the bare columns).
    package static func rawRecord(of alias: String? = nil) -> String {
        let prefix = alias.map { $0 + "." } ?? ""
        return "\(RawRecordFunction.name)(\(prefix)raw, \(prefix)raw_block, \(prefix)raw_offset, \(prefix)raw_length)"
    }
}
