#!/usr/bin/env bash
# Configures and builds Reciproca into BUILD_DIR (default ./build). Used by quickstart and test.
# TARGETS (space-separated) builds only those targets and what they need; unset builds everything.
# BUILD_TYPE (default RelWithDebInfo; the quick start uses Demo: -O1, no debug info). UNITY=ON
# (the default) compiles each library's files as a few unity batches, so the big headers (gRPC,
# protobuf, Beast) are parsed a few times instead of once per file; developers' own builds are
# usually plain (CMAKE_UNITY_BUILD=OFF), so files must compile both ways. TESTS=OFF configures without the tests (and GoogleTest).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
jobs="${JOBS:-$(nproc)}"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ "${CLEAN:-0}" = 1 ]; then rm -rf "$build"; fi
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DRECIPROCA_WERROR="${WERROR:-OFF}" -DCMAKE_UNITY_BUILD="${UNITY:-ON}" \
  -DRECIPROCA_BUILD_TESTS="${TESTS:-ON}" >/dev/null
targets=()
for target in ${TARGETS:-}; do
  targets+=(--target "$target")
done
cmake --build "$build" -j "$jobs" "${targets[@]}"
