#!/usr/bin/env bash
# deploy/reciprocad.service passes `systemd-analyze verify`, with its ExecStart pointed at the
# built reciprocad (verify checks that the binary exists).
#
#   bash systemd_unit.sh PATH_TO_reciprocad.service PATH_TO_reciprocad
set -euo pipefail
unit="$1"
server_bin="$2"
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze is not installed: run deploy/setup.sh (it installs systemd)" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sed "s#/usr/local/bin/reciprocad#$server_bin#" "$unit" >"$tmp/reciprocad.service"
if ! out="$(systemd-analyze verify "$tmp/reciprocad.service" 2>&1)"; then
  echo "systemd-analyze verify failed:" >&2
  echo "$out" >&2
  exit 1
fi
if grep -q "reciprocad.service" <<<"$out"; then
  echo "systemd-analyze verify complained about the unit:" >&2
  echo "$out" >&2
  exit 1
fi
echo "deploy/reciprocad.service: systemd-analyze verify is clean"
