#!/usr/bin/env bash
# The README's test command: installs what is missing, builds from scratch, runs every test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export BUILD_DIR="${BUILD_DIR:-$root/build-test}"
bash "$root/deploy/setup.sh"
CLEAN=1 WERROR=ON bash "$root/deploy/build.sh"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)" --timeout 300
