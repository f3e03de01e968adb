#!/usr/bin/env python3
"""Writes the tiny MaxMind-format databases that drive the geolocation and ASN tests.

    scripts/make-test-mmdb.py [--out FOLDER] [--check]

Writes FOLDER/test-city.mmdb and FOLDER/test-asn.mmdb (FOLDER defaults to Fixtures/geo). With
--check, writes them to a temporary folder instead and fails unless they are byte-identical to
the committed ones, so the fixtures cannot drift from this script.

The writer is our own, after MaxMind's published format (version 2.0): a binary search tree over
the bits of an IPv6 address (IPv4 networks sit under ::/96), 24-bit records, a 16-byte separator,
a data section of typed values, then the metadata map after the marker. Only the types these
databases use are written: maps, UTF-8 strings, doubles, unsigned integers and arrays.

Every network is documentation space (RFC 5737 and RFC 3849); the countries are ISO 3166's
user-assigned codes and the ASNs are RFC 5398's documentation numbers, so none of it is real.
"""

import argparse
import filecmp
import ipaddress
import os
import struct
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_EPOCH = 1_790_000_000  # Fixed, so that the output is byte-identical on every run.

# network, country code, country name, latitude, longitude
CITIES = [
    ("192.0.2.0/25", "XA", "Testland", 48.0, 2.0),
    ("192.0.2.128/25", "XA", "Testland", 48.5, 2.5),
    ("198.51.100.0/24", "XB", "Samplestan", 40.0, -74.0),
    ("203.0.113.0/24", "XC", "Exampleia", -34.0, 151.0),
    ("2001:db8::/32", "XD", "Docland", 35.0, 139.0),
]

# network, ASN, organisation
SYSTEMS = [
    ("192.0.2.0/24", 64496, "Test Carrier One"),
    ("198.51.100.0/24", 64497, "Sample Hosting Two"),
    ("203.0.113.0/25", 64498, "Example Cloud Three"),
    ("203.0.113.128/25", 64499, "Example Mobile Four"),
    ("2001:db8::/32", 64500, "Doc Transit Five"),
]


# MARK: - Data section values

def control(type_number, size):
    """The control byte(s) of a value: type in the top 3 bits (extended types after), then size."""
    if size < 29:
        first, tail = size, b""
    elif size < 29 + 256:
        first, tail = 29, bytes([size - 29])
    elif size < 285 + 65536:
        first, tail = 30, struct.pack(">H", size - 285)
    else:
        first, tail = 31, struct.pack(">I", size - 65821)[1:]
    if type_number <= 7:
        return bytes([(type_number << 5) | first]) + tail
    return bytes([first, type_number - 7]) + tail


def encode(value, unsigned_type=None):
    if isinstance(value, dict):
        body = b"".join(encode(key) + encode(item, unsigned_type=kind(key)) for key, item in value.items())
        return control(7, len(value)) + body
    if isinstance(value, list):
        return control(11, len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return control(2, len(data)) + data
    if isinstance(value, float):
        return control(3, 8) + struct.pack(">d", value)
    if isinstance(value, int):
        type_number, width = unsigned_type or (6, 4)
        data = value.to_bytes(width, "big").lstrip(b"\x00")
        return control(type_number, len(data)) + data
    raise TypeError(f"cannot encode {value!r}")


def kind(key):
    """The unsigned type of an integer member, by its name: (type number, maximum bytes)."""
    return {
        "node_count": (6, 4), "record_size": (5, 2), "ip_version": (5, 2), "build_epoch": (9, 8),
        "binary_format_major_version": (5, 2), "binary_format_minor_version": (5, 2),
    }.get(key, (6, 4))


# MARK: - Search tree

def bits(network):
    """The prefix bits of a network, as a path from the root of a 128-bit tree (IPv4 under ::/96)."""
    net = ipaddress.ip_network(network)
    value = int(net.network_address)
    length = net.prefixlen + (96 if net.version == 4 else 0)
    return [(value >> (127 - index)) & 1 for index in range(length)]


def build(entries, database_type, description):
    """The whole database for (network, record) entries whose networks do not overlap."""
    data = b""
    offsets = []
    for _, record in entries:
        offsets.append(len(data))
        data += encode(record)

    # Nodes as [left, right]; a child is ("node", index), ("data", entry index) or None.
    nodes = [[None, None]]
    for entry_index, (network, _) in enumerate(entries):
        path = bits(network)
        node = 0
        for depth, bit in enumerate(path):
            if depth == len(path) - 1:
                nodes[node][bit] = ("data", entry_index)
                break
            child = nodes[node][bit]
            if child is None:
                nodes.append([None, None])
                child = ("node", len(nodes) - 1)
                nodes[node][bit] = child
            node = child[1]

    count = len(nodes)

    def record(child):
        if child is None:
            return count
        if child[0] == "node":
            return child[1]
        return count + 16 + offsets[child[1]]

    tree = b"".join(struct.pack(">I", record(left))[1:] + struct.pack(">I", record(right))[1:] for left, right in nodes)
    metadata = {
        "binary_format_major_version": 2, "binary_format_minor_version": 0, "build_epoch": BUILD_EPOCH,
        "database_type": database_type, "description": {"en": description}, "ip_version": 6,
        "languages": ["en"], "node_count": count, "record_size": 24,
    }
    return tree + b"\x00" * 16 + data + b"\xab\xcd\xefMaxMind.com" + encode(metadata)


def city_database():
    entries = [(network, {"country": {"iso_code": code, "names": {"en": name}},
                          "location": {"latitude": latitude, "longitude": longitude}})
               for network, code, name, latitude, longitude in CITIES]
    return build(entries, "trailhound-Test-City", "trailhound test locations, documentation space only")


def asn_database():
    entries = [(network, {"autonomous_system_number": number, "autonomous_system_organization": organisation})
               for network, number, organisation in SYSTEMS]
    return build(entries, "trailhound-Test-ASN", "trailhound test networks, documentation space only")


def write(folder):
    os.makedirs(folder, exist_ok=True)
    for name, content in (("test-city.mmdb", city_database()), ("test-asn.mmdb", asn_database())):
        with open(os.path.join(folder, name), "wb") as file:
            file.write(content)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(ROOT, "Fixtures", "geo"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not args.check:
        write(args.out)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        write(folder)
        stale = [name for name in ("test-city.mmdb", "test-asn.mmdb")
                 if not filecmp.cmp(os.path.join(folder, name), os.path.join(args.out, name), shallow=False)]
    if stale:
        print(f"make-test-mmdb: {', '.join(stale)} differ from what the script writes; run it again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
