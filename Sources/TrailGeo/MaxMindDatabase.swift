import CMaxMindDB

/// A MaxMind-format (`.mmdb`) database opened with libmaxminddb, such as GeoLite2 City or ASN.
///
/// Owns the library's `MMDB_s` handle, which holds the memory map of the file; the handle lives
/// in heap storage because the library keeps pointers into it. All raw libmaxminddb calls of
/// trailhound are in this file. Related documentation: <https://maxmind.github.io/libmaxminddb/>.
package final class MaxMindDatabase {
    /// A database that could not be opened, or a lookup the library refused.
    package struct OpenError: Error, CustomStringConvertible {
        package var path: String
        package var message: String
        package var description: String { "Unable to open '\(path)': \(message)" }
    }

    /// The `database_type` of the file's metadata, such as `GeoLite2-City`.
    package let databaseType: String
    private let handle: UnsafeMutablePointer<MMDB_s>

    /// Opens the database at `path`, memory-mapped.
    ///
    /// The corresponding C function is `MMDB_open`.
    package init(path: String) throws(OpenError) {
        handle = UnsafeMutablePointer<MMDB_s>.allocate(capacity: 1)
        handle.initialize(to: MMDB_s())

        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), handle)
        guard status == MMDB_SUCCESS else {
            // "If the open fails, the MMDB_s structure is left in an undefined state": nothing to
            // close, only our storage to free.
            handle.deallocate()
            throw OpenError(path: path, message: Self.message(status))
        }

        databaseType = handle.pointee.metadata.database_type.map { String(cString: $0) } ?? ""
    }

    deinit {
        MMDB_close(handle)
        handle.deallocate()
    }

    /// What the database records for `address` (IPv4 or IPv6 text); nil when the address is
    /// not an IP address or the database has nothing for it.
    ///
    /// The corresponding C functions are `MMDB_lookup_string` and `MMDB_get_value`.
    package func lookup(_ address: String) -> GeoRecord? {
        var resolverError: Int32 = 0
        var databaseError: Int32 = 0
        var result = MMDB_lookup_string(handle, address, &resolverError, &databaseError)
        guard resolverError == 0, databaseError == MMDB_SUCCESS, result.found_entry else { return nil }

        var record = GeoRecord()
        // A City or Country database gives the country where the address is used, and for some
        // addresses (anycast, satellite) only the country where its network is registered.
        record.countryCode =
            string(in: &result.entry, "country", "iso_code")
            ?? string(in: &result.entry, "registered_country", "iso_code")
        record.latitude = double(in: &result.entry, "location", "latitude")
        record.longitude = double(in: &result.entry, "location", "longitude")
        record.autonomousSystemNumber = unsigned(in: &result.entry, "autonomous_system_number")
        record.autonomousSystemOrganization = string(in: &result.entry, "autonomous_system_organization")
        return record
    }

    // MARK: - Values

    private func value(in entry: inout MMDB_entry_s, _ key: String, _ member: String?) -> MMDB_entry_data_s? {
        var data = MMDB_entry_data_s()
        let status =
            member.map { trailhound_mmdb_value2(&entry, &data, key, $0) } ?? trailhound_mmdb_value1(&entry, &data, key)
        return status == MMDB_SUCCESS && data.has_data ? data : nil
    }

    private func string(in entry: inout MMDB_entry_s, _ key: String, _ member: String? = nil) -> String? {
        guard let data = value(in: &entry, key, member), data.type == MMDB_DATA_TYPE_UTF8_STRING,
            let start = data.utf8_string
        else { return nil }
        // The library's strings are not NUL-terminated: they end after `data_size` bytes.
        let bytes = UnsafeRawBufferPointer(start: start, count: Int(data.data_size))
        return String(decoding: bytes, as: UTF8.self)
    }

    private func double(in entry: inout MMDB_entry_s, _ key: String, _ member: String) -> Double? {
        guard let data = value(in: &entry, key, member) else { return nil }
        switch Int32(data.type) {
        case MMDB_DATA_TYPE_DOUBLE: return data.double_value
        case MMDB_DATA_TYPE_FLOAT: return Double(data.float_value)
        default: return nil
        }
    }

    private func unsigned(in entry: inout MMDB_entry_s, _ key: String) -> UInt32? {
        guard let data = value(in: &entry, key, nil) else { return nil }
        switch Int32(data.type) {
        case MMDB_DATA_TYPE_UINT16: return UInt32(data.uint16)
        case MMDB_DATA_TYPE_UINT32: return data.uint32
        default: return nil
        }
    }

    private static func message(_ status: Int32) -> String {
        MMDB_strerror(status).map { String(cString: $0) } ?? "libmaxminddb error \(status)"
    }
}

@available(*, unavailable)
extension MaxMindDatabase: Sendable {}

/// What a MaxMind database says about one address: a City database gives the country and
/// location, an ASN database the autonomous system.
package struct GeoRecord: Equatable, Sendable {
    /// The ISO 3166 alpha-2 code, such as `DE`.
    package var countryCode: String?
    package var latitude: Double?
    package var longitude: Double?
    package var autonomousSystemNumber: UInt32?
    package var autonomousSystemOrganization: String?

    package init() {}
}
