#!/usr/bin/env bash
# Installs the Debian 12 packages Reciproca builds with, if any is missing. Idempotent.
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config libgrpc++-dev protobuf-compiler-grpc
  libprotobuf-dev protobuf-compiler libboost-dev libspdlog-dev libgtest-dev libgmock-dev
  libsqlite3-dev libssl-dev nlohmann-json3-dev tzdata sqlite3)
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
