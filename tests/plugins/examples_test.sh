#!/usr/bin/env bash
# The plugin SDK as a plugin author uses it, end to end:
#
#   bash examples_test.sh BUILD_DIR PATH_TO_reciprocad PATH_TO_reciproca PATH_TO_query_plugin \
#                         EXAMPLES_DIR
#
# 1. `cmake --install BUILD_DIR --prefix $work/prefix`; checks the SDK files are there.
# 2. Configures and builds plugins/examples/cpp_streak and c_counter, each its own CMake project,
#    against that prefix with find_package(Reciproca) only; runs cpp_streak's own test.
# 3. Starts the real reciprocad with both in --plugin-dir (cpp_streak.json: {"green_at": 2}),
#    runs three meetings with referrals through the CLI, and checks through PluginService and
#    InsightService (query_plugin) that both plugins are ACTIVE, saw every event, and answer
#    with the hand-computed numbers; unloads c_counter (GetScores then goes to cpp_streak) and
#    loads it again (it replays the log). Every wait is bounded.
#
# Prints "examples: ok" at the end. KEEP_WORK=1 keeps the work folder (the logs, the builds).
set -uo pipefail

if [ $# -ne 5 ]; then
  echo "usage: $0 BUILD_DIR PATH_TO_reciprocad PATH_TO_reciproca PATH_TO_query_plugin EXAMPLES_DIR" >&2
  exit 2
fi
build_dir="$1"
server_bin="$2"
cli_bin="$3"
query_bin="$4"
examples_dir="$5"
cmake="${CMAKE:-cmake}"
ctest="${CTEST:-ctest}"

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/../e2e/lib.sh"
prefix="$work/prefix"
plugin_dir="$work/plugins"
server_args=(--plugin-dir "$plugin_dir")
export RECIPROCA_ADMIN_TOKEN="examples-admin-token-0123456789"
admin="$RECIPROCA_ADMIN_TOKEN"
# The CLI acts as the admin unless told otherwise.
export RECIPROCA_TOKEN="$admin"

# run LOG COMMAND...: runs a build step with its output in $work/LOG, shown on failure.
run() {
  local log="$work/$1"
  shift
  timeout 200 "$@" >"$log" 2>&1
  local status=$?
  [ $status -eq 0 ] || { cat "$log" >&2; fail "$* exited $status"; }
}

# q ARGS...: query_plugin; must exit 0; stdout in $out.
q() {
  out="$(timeout 20 "$query_bin" "$server" "$admin" "$@" 2>"$work/stderr")" ||
    fail "query_plugin $* failed: $(cat "$work/stderr")"
}

# line_of PATTERN: the line of $out that matches PATTERN (fixed string).
line_of() {
  grep -F -- "$1" <<<"$out" | head -n 1
}

step="install"
run install.log "$cmake" --install "$build_dir" --prefix "$prefix"
for file in include/reciproca/plugin.h include/reciproca/plugin.hpp \
  share/reciproca/proto/reciproca/v1/resources.proto share/reciproca/proto/reciproca/v1/events.proto \
  share/reciproca/proto/reciproca/plugin/v1/plugin.proto \
  lib/cmake/Reciproca/ReciprocaConfig.cmake lib/cmake/Reciproca/ReciprocaConfigVersion.cmake \
  lib/cmake/Reciproca/ReciprocaPlugin.cmake lib/reciproca/plugins/traffic_light.so \
  lib/reciproca/plugins/traffic_light.json bin/reciprocad bin/reciproca; do
  [ -f "$prefix/$file" ] || fail "not installed: $file"
done

step="build the examples against the installed package"
for example in cpp_streak c_counter; do
  # A copy, as an author's own project would be: nothing may point back into this repository.
  cp -r "$examples_dir/$example" "$work/$example"
  rm -rf "$work/$example/build"
  run "$example.configure.log" "$cmake" -S "$work/$example" -B "$work/$example/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_COMPILE_WARNING_AS_ERROR=ON
  run "$example.build.log" "$cmake" --build "$work/$example/build" -j2
  [ -f "$work/$example/build/$example.so" ] || fail "no $example.so"
done
run streak_test.log "$ctest" --test-dir "$work/cpp_streak/build" --output-on-failure
# The C plugin needs no C++ runtime and no protobuf.
if readelf -d "$work/c_counter/build/c_counter.so" | grep -q 'NEEDED.*\(protobuf\|stdc++\)'; then
  fail "c_counter.so links protobuf or libstdc++: $(readelf -d "$work/c_counter/build/c_counter.so")"
fi

step="start reciprocad with both plugins"
mkdir -p "$plugin_dir"
cp "$work/cpp_streak/build/cpp_streak.so" "$work/c_counter/build/c_counter.so" "$plugin_dir/"
echo '{"green_at": 2}' >"$plugin_dir/cpp_streak.json"
start_server
server="$RECIPROCA_SERVER"

step="a chapter, three members"
cli chapter create --id examples --name "Examples" --weekday tue --time 07:00 --timezone UTC \
  --currency EUR --json
cli member add --chapter examples --name "Ana Rossi" --business "Rossi Accounting" --category accountant \
  --json
ana="$(jget name <<<"$out")"
ana_token="$(jget access_token <<<"$out")"
cli member add --chapter examples --name "Marco Bianchi" --business "Bianchi Estates" \
  --category "estate agent" --json
marco="$(jget name <<<"$out")"
marco_token="$(jget access_token <<<"$out")"
cli member add --chapter examples --name "Luca Verdi" --business "Verdi Plumbing" --category plumber --json
luca="$(jget name <<<"$out")"
[ -n "$ana_token" ] && [ -n "$marco_token" ] && [ -n "$luca" ] || fail "member add: $out"

# meeting N "GIVER_TOKEN:RECEIVER ...": schedule (an hour ahead), open, referrals, close.
meeting() {
  local start
  start="$(date -u -d "@$(($(date +%s) + 3600 * $1))" +%Y-%m-%dT%H:%MZ)"
  cli meeting schedule --chapter examples --start "$start" --json
  local m
  m="$(jget name <<<"$out")"
  cli meeting open "$m"
  local referral
  for referral in $2; do
    out="$(timeout 20 "$cli_bin" --token "${referral%%:*}" refer --to "${referral#*:}" \
      --temperature 3 --inside --meeting "$m" 2>"$work/stderr")" ||
      fail "refer in meeting $1: $(cat "$work/stderr")"
  done
  cli meeting close "$m"
}
step="meeting 1: Ana and Marco give"
meeting 1 "$ana_token:$marco $marco_token:$ana"
step="meeting 2: Ana gives"
meeting 2 "$ana_token:$luca"
step="meeting 3: Ana gives"
meeting 3 "$ana_token:$marco"

# The log: 1 chapter + 3 members + 3 x (scheduled, opened, closed) + 4 referrals = 17 events,
# and cpp_streak's band changes (green_at 2), each recorded once as a PluginOutputRecorded event:
#   meeting 1: Ana grey->amber, Marco grey->amber; meeting 2: Ana amber->green, Marco
#   amber->grey; meeting 3: none (Ana stays green at 3)  => 4 outputs, 21 events in all.
step="both plugins ACTIVE and caught up (21 events)"
for _ in $(seq 1 100); do
  q list
  c_line="$(line_of '"name":"c_counter"')"
  s_line="$(line_of '"name":"cpp_streak"')"
  [ "$(jget events_seen <<<"$c_line")" = 21 ] && [ "$(jget events_seen <<<"$s_line")" = 21 ] && break
  sleep 0.1
done
expect "c_counter state" "$(jget state <<<"$c_line")" "PLUGIN_STATE_ACTIVE"
expect "c_counter events_seen" "$(jget events_seen <<<"$c_line")" "21"
expect "c_counter version" "$(jget version <<<"$c_line")" "1.0.0"
expect "c_counter abi" "$(jget abi_version <<<"$c_line")" "1.1"
expect "cpp_streak state" "$(jget state <<<"$s_line")" "PLUGIN_STATE_ACTIVE"
expect "cpp_streak events_seen" "$(jget events_seen <<<"$s_line")" "21"
expect "cpp_streak outputs_recorded" "$(jget outputs_recorded <<<"$s_line")" "4"

step="GetScores: c_counter answers first (name order)"
q scores chapters/examples
chapter_line="$(line_of '"member":"(chapter)"')"
expect "c_counter points" "$(jget points <<<"$chapter_line")" "21"
expect "c_counter display_name" "$(jget display_name <<<"$chapter_line")" "events"
for kind in chapter_created:1 member_added:3 meeting_scheduled:3 meeting_opened:3 \
  referral_given:4 meeting_closed:3 plugin_output:4; do
  grep -qF "{\"name\":\"${kind%%:*}\",\"points\":${kind#*:}}" <<<"$chapter_line" ||
    fail "c_counter: no row ${kind%%:*} = ${kind#*:} in $chapter_line"
done

step="unload c_counter: GetScores goes to cpp_streak"
q unload c_counter
expect "unloaded" "$(jget state <<<"$out")" "PLUGIN_STATE_UNLOADED"
q scores chapters/examples all
expect "window" "$(jget window <<<"$out")" "all"
ana_line="$(line_of "\"member\":\"$ana\"")"
marco_line="$(line_of "\"member\":\"$marco\"")"
luca_line="$(line_of "\"member\":\"$luca\"")"
expect "Ana's streak" "$(jget points <<<"$ana_line")" "3"
expect "Ana's band" "$(jget band <<<"$ana_line")" "green"
expect "green_at from cpp_streak.json" "$(jget max_points <<<"$ana_line")" "2"
grep -qF '"measured":"gave referrals at the last 3 meeting(s)"' <<<"$ana_line" ||
  fail "Ana's why: $ana_line"
grep -qF '{"name":"Last announced band","measured":"green"}' <<<"$ana_line" ||
  fail "Ana's announced band (from the recorded output): $ana_line"
expect "Marco's streak" "$(jget points <<<"$marco_line")" ""  # 0: left out of the JSON
expect "Marco's band" "$(jget band <<<"$marco_line")" "grey"
expect "Luca's band" "$(jget band <<<"$luca_line")" "grey"
expect "Luca's name" "$(jget display_name <<<"$luca_line")" "Luca Verdi"

step="cpp_streak's errors reach the caller"
out="$(timeout 20 "$query_bin" "$server" "$admin" scores chapters/examples 30d 2>&1)" &&
  fail "a 30d window was accepted: $out"
grep -qF 'cpp_streak has one window' <<<"$out" || fail "error message: $out"

step="load c_counter again: it replays the log"
q load c_counter "$plugin_dir/c_counter.so"
for _ in $(seq 1 100); do
  q list
  c_line="$(line_of '"name":"c_counter"')"
  [ "$(jget state <<<"$c_line")" = PLUGIN_STATE_ACTIVE ] && break
  sleep 0.1
done
expect "reloaded c_counter state" "$(jget state <<<"$c_line")" "PLUGIN_STATE_ACTIVE"
expect "reloaded c_counter events_seen" "$(jget events_seen <<<"$c_line")" "21"
q scores chapters/examples
expect "reloaded c_counter points" "$(jget points <<<"$(line_of '"member":"(chapter)"')")" "21"

step="stop"
stop_server
echo "examples: ok"
