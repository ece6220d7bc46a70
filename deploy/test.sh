#!/usr/bin/env bash
# The README's test command: installs what is missing, builds from scratch, runs every test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export BUILD_DIR="${BUILD_DIR:-$root/build-test}"
bash "$root/deploy/setup.sh"
# Demo (-O1, no debug info), as the quick start: it compiles in about 0.6 of the time of
# RelWithDebInfo (-O2 -g; measured on a unity batch of server/api: 31 s vs 50 s), which keeps the
# clean-clone CI run inside its budget; the tests check behaviour, not speed (bench/ does that,
# in its own Release tree). BUILD_TYPE=RelWithDebInfo for backtraces with local variables.
BUILD_TYPE="${BUILD_TYPE:-Demo}" CLEAN=1 WERROR=ON bash "$root/deploy/build.sh"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)" --timeout 300
