#!/usr/bin/env bash
# Runs one fuzz harness of the fuzz tree for a bounded time on its seed corpus; fails on any
# crash, leak, UB report, timeout or broken promise (libFuzzer saves the input that did it).
#
#   tests/fuzz/run.sh FUZZ_BUILD_DIR HARNESS SECONDS [libFuzzer options...]
#
# New inputs go to FUZZ_BUILD_DIR/run/HARNESS/corpus; the seeds in tests/fuzz/corpus/HARNESS are
# only read.
set -uo pipefail
tree=${1:?usage: run.sh FUZZ_BUILD_DIR HARNESS SECONDS [options...]}
harness=${2:?usage: run.sh FUZZ_BUILD_DIR HARNESS SECONDS [options...]}
seconds=${3:?usage: run.sh FUZZ_BUILD_DIR HARNESS SECONDS [options...]}
shift 3
here=$(cd "$(dirname "$0")" && pwd)
bin=$tree/tests/fuzz/fuzz_$harness
if [ ! -x "$bin" ]; then
  echo "fuzz: $bin is not built (see the fuzz.build test: clang-14 and libclang-rt-14-dev are" \
    "needed, deploy/setup.sh installs them)" >&2
  exit 1
fi
work=$tree/run/$harness
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
dict=()
[ -f "$here/$harness.dict" ] && dict=(-dict="$here/$harness.dict")
# Leaks are checked at the end of each input and at exit; a UB report aborts (build.sh).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:handle_abort=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$bin" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=3072 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "${dict[@]}" "$@" "$work/corpus" "$here/corpus/$harness" \
  >"$work/log" 2>&1
rc=$?
grep -E "^(#[0-9]+\s+(INITED|DONE)|stat::number_of_executed_units|stat::average_exec_per_sec|Done [0-9]+ runs)" \
  "$work/log" || true
if [ $rc -ne 0 ] || ! grep -qE "^Done [0-9]+ runs" "$work/log"; then
  echo "fuzz: $harness FAILED (exit $rc); the input is in $work/artifacts/:" >&2
  ls -l "$work/artifacts" >&2
  grep -m1 -A40 -E "ERROR: |runtime error|broken promise|Sanitizer" "$work/log" >&2 ||
    tail -40 "$work/log" >&2
  echo "reproduce: $bin $work/artifacts/<file>" >&2
  exit 1
fi
echo "fuzz: $harness passed"
