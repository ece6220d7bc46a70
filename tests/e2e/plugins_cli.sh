#!/usr/bin/env bash
# End to end: the shipped plugins in the real reciprocad, driven by the reciproca CLI.
#
#   bash plugins_cli.sh PATH_TO_reciprocad PATH_TO_reciproca SHIPPED_PLUGIN_DIR
#
# Starts the server with --plugin-dir, records a small meeting with the CLI, then checks
# `plugin list|reload|unload|load`, `scores --why`, `leaderboard`, `reminders` and
# `relationships` (text and --json), and that members cannot manage plugins.
# shellcheck disable=SC2154
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 PATH_TO_reciprocad PATH_TO_reciproca SHIPPED_PLUGIN_DIR" >&2
  exit 2
fi
server_bin="$1"
cli_bin="$2"
plugin_dir="$3"
server_args=(--plugin-dir "$plugin_dir")
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

step="start server with the shipped plugins"
start_server
admin="$(tr -d '[:space:]' <"$data/admin.token")"
cli --token "$admin" plugin list
for plugin in leaderboard reciprocity traffic_light; do
  grep -q "^$plugin .*PLUGIN_STATE_ACTIVE\|^$plugin .*active" <<<"$out" ||
    fail "plugin list: $plugin not active: $out"
done

step="a small meeting"
cli --token "$admin" chapter create --id plug --name "Plugin Breakfast" --timezone Europe/Rome
add() {
  cli --token "$admin" member add --chapter plug --name "$1" --business "$1 Ltd" \
    --category "$2" --json
  printf -v "$3" '%s' "$(jget name <<<"$out")"
  printf -v "${3}_token" '%s' "$(jget access_token <<<"$out")"
}
add "Ana Rossi" florist ana
add "Marco Bianchi" plumber marco
add "Vera Vice" accountant vera
cli --token "$admin" member update "$vera" --role vice-president
start="$(date -u -d "@$(($(date +%s) + 3600))" +%Y-%m-%dT%H:%MZ)"
cli --token "$vera_token" meeting schedule --chapter plug --start "$start" --json
meeting="$(jget name <<<"$out")"
cli --token "$vera_token" meeting open "$meeting"
cli --token "$ana_token" checkin --meeting "$meeting"
for _ in 1 2 3 4; do
  cli --token "$ana_token" refer --to "$marco" --temperature 4 --inside
done
cli --token "$vera_token" meeting close "$meeting"

step="scores"
cli --token "$ana_token" scores --why
grep -q "Ana Rossi" <<<"$out" || fail "scores: $out"
grep -q "Referrals given" <<<"$out" || fail "scores --why has no rows: $out"
cli --token "$ana_token" scores --member "$ana" --json
expect "ana's score member" "$(jget member <<<"$out")" "$ana"

step="leaderboard"
cli --token "$marco_token" leaderboard --board referrals_given --json
expect "leader" "$(jget member <<<"$out")" "$ana"
expect "leader's referrals" "$(jget value <<<"$out")" "4"
cli --token "$marco_token" leaderboard --board referrals_given --window 30d
grep -q "^1 .*Ana Rossi *4$" <<<"$out" || fail "leaderboard table: $out"
cli_fails 3 "INVALID_ARGUMENT" --token "$marco_token" leaderboard --board karma

step="reminders and relationships"
cli --token "$marco_token" reminders
grep -q "Ana Rossi has given you 4 referrals" <<<"$out" || fail "marco's reminders: $out"
cli_fails 3 "PERMISSION_DENIED" --token "$ana_token" reminders --member "$marco"
cli --token "$ana_token" relationships --member "$marco"
grep -q "Ana Rossi <-> Marco Bianchi\|Marco Bianchi <-> Ana Rossi" <<<"$out" ||
  fail "relationships: $out"

step="plugin admin"
cli_fails 3 "PERMISSION_DENIED" --token "$ana_token" plugin list
cli --token "$admin" plugin reload leaderboard --json
expect "reloaded" "$(jget name <<<"$out")" "leaderboard"
cli --token "$admin" plugin unload leaderboard
cli_fails 3 "FAILED_PRECONDITION" --token "$marco_token" leaderboard --board referrals_given
cli --token "$admin" plugin load "$plugin_dir/leaderboard.so" --name leaderboard
# Loaded through the API, a plugin serves only the chapters it is enabled in.
cli_fails 3 "plugin enable NAME --chapter" --token "$marco_token" leaderboard \
  --board referrals_given
cli --token "$admin" plugin enable leaderboard --chapter chapters/plug
cli --token "$marco_token" leaderboard --board referrals_given --json
expect "leader after unload and load" "$(jget member <<<"$out")" "$ana"
cli_fails 3 "INVALID_ARGUMENT" --token "$admin" plugin load "$plugin_dir/leaderboard.so" \
  --name other --config "{nope"
cli_fails 2 "config" --token "$admin" plugin load x.so --config "{}" --config-file y.json

step="stop"
stop_server
expect "exit status on SIGTERM" "$server_rc" "0"
echo "e2e plugins: ok"
