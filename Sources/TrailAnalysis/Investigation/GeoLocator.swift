import Foundation
import TrailGeo

/// Looks source addresses up in the analyst's MaxMind databases (a City one for countries and
/// locations, an ASN one for networks), once per address.
final class GeoLocator {
    /// Where an address is, as far as the databases say.
    struct Place: Equatable {
        var countryCode: String?
        var latitude: Double?
        var longitude: Double?
        var autonomousSystem: String?

        var hasLocation: Bool { latitude != nil && longitude != nil }
    }

    let hasCities: Bool
    let hasNetworks: Bool
    private let cities: MaxMindDatabase?
    private let networks: MaxMindDatabase?
    private var cache: [String: Place?] = [:]

    /// Opens the databases at the paths given; either may be absent.
    init(cityDatabasePath: String?, asnDatabasePath: String?) throws {
        cities = try cityDatabasePath.map { path throws in try MaxMindDatabase(path: path) }
        networks = try asnDatabasePath.map { path throws in try MaxMindDatabase(path: path) }
        hasCities = cities != nil
        hasNetworks = networks != nil
    }

    /// The place of `address`; nil when it is not an IP address or no database knows it.
    func place(of address: String?) -> Place? {
        guard let address, hasCities || hasNetworks else { return nil }
        if let known = cache[address] { return known }
        let isAddress = IPNetwork.bytes(of: address) != nil
        let city = isAddress ? cities?.lookup(address) : nil
        let network = isAddress ? networks?.lookup(address) : nil
        var place: Place?
        if city != nil || network != nil {
            place = Place(
                countryCode: city?.countryCode,
                latitude: city?.latitude,
                longitude: city?.longitude,
                autonomousSystem: network?.autonomousSystemNumber.map { number in
                    "AS\(number)" + (network?.autonomousSystemOrganization.map { " \($0)" } ?? "")
                }
            )
        }
        cache[address] = place
        return place
    }

    /// The great-circle distance between two places in kilometres, by the haversine formula.
    static func distanceKm(from start: Place, to end: Place) -> Double? {
        guard let lat1 = start.latitude, let lon1 = start.longitude, let lat2 = end.latitude,
            let lon2 = end.longitude
        else { return nil }
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians
        let dLon = (lon2 - lon1) * radians
        let a =
            sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 6371 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }
}
