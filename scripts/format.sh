#!/usr/bin/env bash
# Formats the Swift sources in place, then lints them as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
swift format format --in-place --recursive Package.swift Sources Tests
swift format lint --strict --recursive Package.swift Sources Tests
