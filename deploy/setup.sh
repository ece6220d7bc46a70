#!/usr/bin/env bash
# Installs the Debian 12 packages Reciproca builds with, if any is missing. Idempotent.
#
#   deploy/setup.sh          # everything: the build, and the browser tests' Chromium and Node.js
#   deploy/setup.sh --demo   # only what deploy/quickstart.sh builds and runs
set -euo pipefail
demo=0
case "${1:-}" in
  "") ;;
  --demo) demo=1 ;;
  *)
    echo "setup: unknown argument \"$1\" (expected nothing or --demo)" >&2
    exit 2
    ;;
esac
packages=(build-essential cmake ninja-build pkg-config libgrpc++-dev protobuf-compiler-grpc
  libprotobuf-dev protobuf-compiler libboost-dev libspdlog-dev
  libsqlite3-dev libssl-dev nlohmann-json3-dev tzdata sqlite3 libqrencode-dev prometheus-cpp-dev
  libcli11-dev libhowardhinnant-date-dev libicu-dev libpq-dev
  # openssl(1): deploy/make-certs.sh makes the local CA and the server certificate with it.
  openssl)
# The demo installs without Recommends (108 packages on a minimal Debian 12 instead of 167: no
# gnupg, fonts or image codecs); the full set keeps them, as the browser tests' Chromium wants.
apt_options=(--no-install-recommends)
if [ "$demo" = 0 ]; then
  apt_options=()
  packages+=(libgtest-dev libgmock-dev)
  # The browser tests: Debian's Chromium, and Node.js for their driver (the machine's own if it
  # has one, else Debian's).
  packages+=(chromium)
  # zbarimg: the browser tests read the organizers' invite QR code back from a screenshot with a
  # decoder of its own (tests/browser/pages.test.mjs).
  packages+=(zbar-tools)
  # The fuzz tests (tests/fuzz): libFuzzer, ASan and UBSan come with Debian's clang 14.
  packages+=(clang-14 libclang-rt-14-dev)
  command -v node >/dev/null || packages+=(nodejs npm)
  # The replica tests: a private PostgreSQL cluster, nginx's grpc_pass in front of two replicas,
  # and systemd-analyze to verify the unit file.
  packages+=(postgresql nginx-light systemd)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # dpkg without an fsync per file (as Debian's container images do): unpacking Boost's 14,000
  # headers took 63 s with it and 6 s without on a 2-core VM. A power cut mid-install is repaired by
  # `apt-get install --reinstall` of the package that was unpacking.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o Dpkg::Options::=--force-unsafe-io \
    "${apt_options[@]}" "${missing[@]}" >/dev/null
fi

if [ "$demo" = 1 ]; then
  exit 0
fi

# The tests' node modules, each folder pinned by its package-lock.json: tests/browser
# (playwright-core, the driver, which uses Debian's chromium and downloads no browser; axe-core,
# the accessibility checks) and tests/push (http_ece and jose: the test push service that
# decrypts and verifies Web Push messages independently of the server, docs/push.md). npm ci
# runs in a folder when any of its modules is missing or of another version.
root="$(cd "$(dirname "$0")/.." && pwd)"
for folder in browser push; do
  stale=$(node -e "
    const dir = '$root/tests/$folder';
    const want = require(dir + '/package.json').devDependencies;
    const stale = Object.keys(want).filter((name) => {
      try { return require(dir + '/node_modules/' + name + '/package.json').version !== want[name]; } catch (e) { return true; }
    });
    console.log(stale.join(' '));")
  if [ -n "$stale" ]; then
    echo "setup: npm ci in tests/$folder ($stale)"
    npm ci --prefix "$root/tests/$folder" --no-audit --no-fund --loglevel=error >/dev/null
  fi
done
