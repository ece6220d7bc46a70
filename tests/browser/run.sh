#!/usr/bin/env bash
# Browser tests of the room display (/display) and the phone page (/app): a real reciprocad (fresh
# data directory, shipped plugins), the real CLI, and Debian's Chromium driven by playwright-core.
#
#   tests/browser/run.sh BUILD_DIR [TEST_FILE...]    (default: every *.test.mjs here)
#
# Environment: ARTIFACT_DIR (screenshots; default BUILD_DIR/browser-artifacts),
# UPDATE_DOCS_SCREENSHOTS=1 (also copy them to docs/display.png and docs/app.png),
# CHROMIUM_BIN (default /usr/bin/chromium), KEEP_WORK=1 (keep the server's data and log),
# RECIPROCA_WEB_DIR=$PWD/client/web (serve the pages from that folder instead of the ones compiled
# into reciprocad: working on the pages without rebuilding the server).
# Needs `npm ci --prefix tests/browser` and the chromium package: deploy/setup.sh installs both.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: tests/browser/run.sh BUILD_DIR [TEST_FILE...]" >&2
  exit 2
fi
build="$(cd "$1" && pwd)"
shift
tests=("$@")

fail_setup() {
  echo "browser tests: $*" >&2
  echo "browser tests: run deploy/setup.sh (it installs chromium and runs npm ci --prefix tests/browser)" >&2
  exit 1
}

server_bin="$build/server/reciprocad"
cli_bin=""
for candidate in "$build/client/reciproca" "$build/client/cli/reciproca"; do
  if [ -x "$candidate" ]; then
    cli_bin="$candidate"
    break
  fi
done
[ -x "$server_bin" ] || { echo "browser tests: no $server_bin (build the project first)" >&2; exit 1; }
[ -n "$cli_bin" ] || { echo "browser tests: no reciproca CLI in $build/client (build the project first)" >&2; exit 1; }
plugin_dir="$build/plugins/lib"
[ -d "$plugin_dir" ] || { echo "browser tests: no plugins in $plugin_dir (build the project first)" >&2; exit 1; }

command -v node >/dev/null || fail_setup "node is not installed"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail_setup "node $node_major is too old (20 or newer is needed)"
[ -f "$here/node_modules/playwright-core/package.json" ] || fail_setup "playwright-core is not installed in tests/browser/node_modules"
chromium="${CHROMIUM_BIN:-/usr/bin/chromium}"
[ -x "$chromium" ] || fail_setup "Chromium is not installed at $chromium"

export RECIPROCAD_BIN="$server_bin" RECIPROCA_CLI_BIN="$cli_bin" RECIPROCA_PLUGIN_DIR="$plugin_dir"
export CHROMIUM_BIN="$chromium" DOCS_DIR="$root/docs"
export ARTIFACT_DIR="${ARTIFACT_DIR:-$build/browser-artifacts}"
mkdir -p "$ARTIFACT_DIR"
# The browser talks to 127.0.0.1 only: keep any proxy out of the way.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
cd "$here"
[ ${#tests[@]} -gt 0 ] || tests=(*.test.mjs)
exec node --test --test-reporter=spec --test-concurrency=1 "${tests[@]}"
