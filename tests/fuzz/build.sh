#!/usr/bin/env bash
# Configures and builds the fuzz tree: this project again, with clang-14, ASan + UBSan and
# libFuzzer's coverage instrumentation, building only the harnesses (tests/fuzz/README.md).
#
#   tests/fuzz/build.sh SOURCE_DIR FUZZ_BUILD_DIR
set -euo pipefail
src=${1:?usage: build.sh SOURCE_DIR FUZZ_BUILD_DIR}
out=${2:?usage: build.sh SOURCE_DIR FUZZ_BUILD_DIR}
cmake=${CMAKE:-cmake}
cc=${RECIPROCA_FUZZ_CC:-clang-14}
cxx=${RECIPROCA_FUZZ_CXX:-clang++-14}

if ! command -v "$cxx" >/dev/null || ! command -v "$cc" >/dev/null; then
  echo "fuzz: $cxx is not installed; the fuzz tests need Debian's clang-14 and" \
    "libclang-rt-14-dev (deploy/setup.sh installs them)" >&2
  exit 1
fi
runtime=$("$cxx" -print-file-name=libclang_rt.fuzzer-x86_64.a)
if [ ! -f "$runtime" ]; then
  echo "fuzz: $cxx has no libFuzzer runtime (libclang_rt.fuzzer-x86_64.a); install" \
    "libclang-rt-14-dev (deploy/setup.sh installs it)" >&2
  exit 1
fi

# RECIPROCA_FUZZ_OPT: -O1 (the default) to fuzz for hours; the test suite passes -O0, which
# compiles the tree about 2.5 times faster (Beast's templates under ASan + UBSan dominate) and is
# enough to replay the corpus for a few seconds. Line tables: stack traces with lines. Every UB
# report aborts (libFuzzer then saves the input as a crash).
opt=${RECIPROCA_FUZZ_OPT:--O1}
flags="$opt -gline-tables-only -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link"
flags+=" -fno-sanitize-recover=all"
# Unity batches as in deploy/build.sh (the generated protobuf code stays out, proto/CMakeLists.txt):
# the big headers are compiled a few times per library instead of once per file.
start=$(date +%s)
"$cmake" -S "$src" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz -DRECIPROCA_FUZZ=ON \
  -DCMAKE_UNITY_BUILD=ON \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >"$out.configure.log" 2>&1 || {
  cat "$out.configure.log" >&2
  exit 1
}
"$cmake" --build "$out" --target fuzz_harnesses -- -j"${RECIPROCA_FUZZ_JOBS:-2}"
echo "fuzz: the harnesses built ($opt) in $(($(date +%s) - start)) s"
