#!/usr/bin/env bash
# Installs the Debian 12 packages Reciproca builds with, if any is missing. Idempotent.
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config libgrpc++-dev protobuf-compiler-grpc
  libprotobuf-dev protobuf-compiler libboost-dev libspdlog-dev libgtest-dev libgmock-dev
  libsqlite3-dev libssl-dev nlohmann-json3-dev tzdata sqlite3 libqrencode-dev prometheus-cpp-dev
  chromium libpq-dev postgresql nginx-light systemd)
# Node.js for the browser tests' driver: the machine's own if it has one, else Debian's.
command -v node >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The browser tests' driver (playwright-core, pinned in tests/browser/package-lock.json; it uses
# Debian's chromium and downloads no browser).
root="$(cd "$(dirname "$0")/.." && pwd)"
want=$(node -p "require('$root/tests/browser/package.json').devDependencies['playwright-core']")
have=$(node -p "try { require('$root/tests/browser/node_modules/playwright-core/package.json').version } catch (e) { '' }")
if [ "$want" != "$have" ]; then
  echo "setup: npm ci in tests/browser (playwright-core $want)"
  npm ci --prefix "$root/tests/browser" --no-audit --no-fund --loglevel=error >/dev/null
fi
