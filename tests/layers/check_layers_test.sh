#!/usr/bin/env bash
# The layer check itself: a tree that keeps the layers passes; each kind of violation fails with
# the offending file:line and the rule.
#
#   check_layers_test.sh CHECK_LAYERS_SH
set -euo pipefail
check=${1:?usage: check_layers_test.sh CHECK_LAYERS_SH}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

put() {  # put FILE LINE...: writes a source file of the fake tree
  mkdir -p "$(dirname "$tree/$1")"
  printf '%s\n' "${@:2}" >"$tree/$1"
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

put server/domain/chapter.h '#pragma once' '#include <string>' '#include "reciproca/v1/events.pb.h"' \
  '#include "server/domain/result.h"'
put server/stream/event_feed.h '#include <mutex>' '#include "server/stream/shared_bytes.h"'
put server/engine/engine.h '#include <boost/asio/strand.hpp>' '#include "server/stream/event_feed.h"'
put server/api/call.h '#include <grpcpp/grpcpp.h>' '#include "server/engine/engine.h"'
put server/http/gateway.cc '#include "reciproca/v1/event_service.grpc.pb.h"'
put server/main.cpp '#include "server/app/server.h"'
"$check" "$tree" >/dev/null 2>&1 || fail "a tree that keeps the layers was rejected"

expect_violation() {  # expect_violation FILE LINE EXPECTED_OUTPUT
  local output
  put "$1" '#pragma once' "$2"
  if output=$("$check" "$tree" 2>&1); then
    fail "'$2' in $1 was accepted"
  fi
  grep -qF -- "$3" <<<"$output" || fail "'$2' in $1: expected '$3' in: $output"
  rm "$tree/$1"
}
expect_violation server/domain/bad.h '#include <grpcpp/grpcpp.h>' \
  'server/domain/bad.h:2: includes <grpcpp/grpcpp.h>: the domain is rules'
expect_violation server/domain/bad.cc '  #  include "reciproca/v1/chapter_service.grpc.pb.h"' \
  'server/domain/bad.cc:2: includes <reciproca/v1/chapter_service.grpc.pb.h>'
expect_violation server/domain/bad.h '#include <sqlite3.h>' 'server/domain/bad.h:2: includes <sqlite3.h>'
expect_violation server/domain/bad.h '#include "server/store/event_store.h"' \
  'server/domain/bad.h:2: includes "server/store/event_store.h": the domain layer may include only server/{domain}'
expect_violation server/stream/bad.cc '#include <grpcpp/support/slice.h>' \
  'server/stream/bad.cc:2: includes <grpcpp/support/slice.h>: the stream fans out bytes'
expect_violation server/stream/bad.cc '#include "server/engine/engine.h"' \
  'server/stream/bad.cc:2: includes "server/engine/engine.h"'
expect_violation server/engine/bad.cc '#include "server/api/call.h"' \
  'server/engine/bad.cc:2: includes "server/api/call.h"'
expect_violation server/plugins/bad.cc '#include <grpcpp/grpcpp.h>' 'server/plugins/bad.cc:2'
expect_violation server/http/bad.cc '#include "server/api/status.h"' \
  'the http layer may include only server/{domain,store,stream,engine,http}'
expect_violation server/misc/new.h '#include <string>' 'server/misc/ is not a known layer'

"$check" "$tree" >/dev/null 2>&1 || fail "the tree was rejected after the violations were removed"
echo "the layer check accepts the layers and catches every kind of violation"
