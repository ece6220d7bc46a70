#!/usr/bin/env bash
# The layers of server/ (docs/architecture.md), checked on every #include: a file may include
# only the folders of server/ its layer may depend on, and none of the libraries its layer must
# not use. Prints every offending file:line with the rule it breaks; exits 1 if there is one.
#
#   check_layers.sh SOURCE_ROOT
#
# A new folder under server/ is a new layer: add it to both tables here and to the docs.
set -euo pipefail
root=${1:?usage: check_layers.sh SOURCE_ROOT}

# The folders of server/ a layer may include (server/main.cpp and server/admin_main.cpp belong
# to app).
declare -A may_include=(
  [domain]="domain"
  [store]="domain store"
  [stream]="stream"
  [engine]="domain store stream engine"
  [plugins]="domain store stream engine plugins"
  [api]="domain store stream engine plugins push api"
  [http]="domain store stream engine http"
  [push]="domain store stream engine push"
  [app]="domain store stream engine plugins api http push app"
  [plugin_host_process]="plugins plugin_host_process"
)

# The libraries a layer must not include: an extended regex over the included path, and why.
grpc='^grpcpp?/|\.grpc\.pb\.h$'
declare -A forbidden=(
  [domain]="$grpc|^boost/|^sqlite3\.h$"
  [store]="$grpc|^boost/"
  [stream]="$grpc|^boost/|^sqlite3\.h$|^google/protobuf/|^reciproca/"
  [engine]="$grpc|^sqlite3\.h$"
  [plugins]="$grpc|^sqlite3\.h$"
  [api]=""
  [http]=""
  [push]="$grpc|^sqlite3\.h$"
  [app]=""
  [plugin_host_process]="$grpc|^sqlite3\.h$"
)
declare -A why=(
  [domain]="the domain is rules over the protobuf messages: no gRPC, Boost or SQLite"
  [store]="the store is SQLite or PostgreSQL under the domain: no gRPC or Boost"
  [stream]="the stream fans out bytes: no gRPC, Boost, SQLite or protobuf"
  [engine]="gRPC is for the api and http layers only, SQLite for the store"
  [plugins]="gRPC is for the api and http layers only, SQLite for the store"
  [push]="gRPC is for the api and http layers only, SQLite for the store"
  [plugin_host_process]="the plugin host process shares only the wire codec and the ABI checks"
)

violations=0
report() {
  echo "$1: $2" >&2
  violations=$((violations + 1))
}

while IFS= read -r -d '' file; do
  relative=${file#"$root"/}
  if [[ $relative == server/main.cpp || $relative == server/admin_main.cpp ]]; then
    layer=app
  elif [[ $relative == server/*/* ]]; then
    layer=${relative#server/}
    layer=${layer%%/*}
  else
    report "$relative" "not in a layer: put it in a folder of server/"
    continue
  fi
  if [[ -z ${may_include[$layer]+set} ]]; then
    report "$relative" "server/$layer/ is not a known layer: add it to tests/layers/check_layers.sh and docs/architecture.md"
    continue
  fi
  while IFS= read -r hit; do
    line=${hit%%:*}
    included=$(sed -E 's/^[^:]*:[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' <<<"$hit")
    if [[ $included == server/*/* ]]; then
      target=${included#server/}
      target=${target%%/*}
      if [[ " ${may_include[$layer]} " != *" $target "* ]]; then
        report "$relative:$line" "includes \"$included\": the $layer layer may include only server/{${may_include[$layer]// /,}}"
      fi
    elif [[ -n ${forbidden[$layer]} ]] && grep -qE "${forbidden[$layer]}" <<<"$included"; then
      report "$relative:$line" "includes <$included>: ${why[$layer]}"
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' "$file" || true)
done < <(find "$root/server" -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cc' -o -name '*.cpp' \) -print0 | sort -z)

if ((violations > 0)); then
  echo "$violations include(s) break the layers of server/ (see docs/architecture.md)" >&2
  exit 1
fi
echo "every include of server/ respects its layer"
