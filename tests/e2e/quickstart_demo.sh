#!/usr/bin/env bash
# CTest quickstart.demo: runs deploy/quickstart.sh --demo-only against an already built build
# directory, in a temporary data directory, on free loopback ports. Fails if any step of the demo
# fails (the script stops at the first failing command) or its output lacks what a newcomer reads.
#   quickstart_demo.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir="$1"
build_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="$work/out.txt"
if ! QUICKSTART_SKIP_BUILD=1 BUILD_DIR="$build_dir" QUICKSTART_DATA_DIR="$work/data" \
  RECIPROCA_LISTEN=127.0.0.1:0 RECIPROCA_HTTP_LISTEN=127.0.0.1:0 \
  "$source_dir/deploy/quickstart.sh" --demo-only >"$out" 2>&1; then
  echo "quickstart.demo: deploy/quickstart.sh --demo-only failed; its output:" >&2
  cat "$out" >&2
  echo "--- the end of reciprocad's log:" >&2
  tail -n 20 "$work/data/reciprocad.log" >&2 || true
  exit 1
fi
# What the demo must have shown: the PALMS report, each plugin's answer, the links.
for want in "PALMS chapters/demo" "EUR 1250.00" "Leaderboard referrals_given" "/100  " \
  "Ana Rossi <-> Marco Bianchi" "/display/#chapter=" "/app/#token="; do
  if ! grep -qF -- "$want" "$out"; then
    echo "quickstart.demo: the demo's output lacks \"$want\"; its output:" >&2
    cat "$out" >&2
    exit 1
  fi
done
echo "quickstart.demo: the demo ran end to end"
