#!/usr/bin/env bash
# The README's first command. Installs missing packages, builds, starts reciprocad on SQLite in
# ./data, seeds the demo chapter "chapters/demo", runs a short demo meeting through the CLI,
# prints the PALMS report and how to connect, then keeps serving until Ctrl-C.
#
#   deploy/quickstart.sh              # ... and keep serving on 127.0.0.1:50051
#   deploy/quickstart.sh --demo-only  # run the demo, stop the server, exit 0
#
# Rerunnable: the demo chapter and its members are created once; their tokens are kept in
# ./data/demo-tokens.env (mode 0600) and reused, and each run adds one more demo meeting.
# Environment: BUILD_DIR (default ./build), RECIPROCA_LISTEN (default 127.0.0.1:50051),
# RECIPROCA_HTTP_LISTEN (the web pages and JSON API; default 127.0.0.1:8080). The CTest
# quickstart.demo also sets QUICKSTART_DATA_DIR (default ./data) and QUICKSTART_SKIP_BUILD=1
# (its build directory is already built).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

demo_only=0
for arg in "$@"; do
  case "$arg" in
    --demo-only) demo_only=1 ;;
    -h | --help)
      sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "quickstart: unknown argument \"$arg\" (see --help)" >&2
      exit 2
      ;;
  esac
done

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ "${QUICKSTART_SKIP_BUILD:-0}" != 1 ]; then
  say "Installing missing packages (deploy/setup.sh --demo)"
  bash deploy/setup.sh --demo

  # Only what the demo runs: the server (with its plugin host; the web pages are compiled into
  # it), the CLI and the shipped plugins, as the Demo build type (-O1, no debug info);
  # deploy/test.sh builds and runs everything else.
  say "Building reciprocad, the CLI and the shipped plugins (deploy/build.sh)"
  BUILD_TYPE="${BUILD_TYPE:-Demo}" TESTS=OFF \
    TARGETS="reciprocad reciproca traffic_light leaderboard reciprocity" bash deploy/build.sh
fi
build="${BUILD_DIR:-$root/build}"
server_bin="$build/server/reciprocad"
cli_bin="$build/client/reciproca"

listen="${RECIPROCA_LISTEN:-127.0.0.1:50051}"
data="${QUICKSTART_DATA_DIR:-$root/data}"
mkdir -p "$data"
chmod 700 "$data"
port_file="$data/reciprocad.port"
http_listen="${RECIPROCA_HTTP_LISTEN:-127.0.0.1:8080}"
http_port_file="$data/reciprocad.http-port"
log_file="$data/reciprocad.log"
tokens_file="$data/demo-tokens.env"

server_pid=""
# shellcheck disable=SC2317  # Called from the EXIT trap.
stop_server() {
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "quickstart: stopping reciprocad (SIGTERM)"
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "quickstart: reciprocad did not stop within 30 s; killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT
trap 'echo; exit 0' INT TERM

say "Starting reciprocad on $listen (data in ./data, log in ./data/reciprocad.log)"
rm -f "$port_file" "$http_port_file"
# With the shipped plugins (traffic-light scores, leaderboards, reciprocity reminders) and the
# HTTP gateway (room display, phone page).
"$server_bin" --listen "$listen" --data-dir "$data" --port-file "$port_file" \
  --http-listen "$http_listen" --http-port-file "$http_port_file" \
  --plugin-dir "$build/plugins/lib" >>"$log_file" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  [ -s "$http_port_file" ] && break  # written last, once both listeners serve
  if ! kill -0 "$server_pid" 2>/dev/null; then
    server_pid=""
    echo "quickstart: reciprocad exited at start; the end of $log_file:" >&2
    tail -n 5 "$log_file" >&2
    echo "(is another reciprocad already serving $listen or using ./data?)" >&2
    exit 1
  fi
  sleep 0.1
done
if [ ! -s "$http_port_file" ]; then
  echo "quickstart: reciprocad did not start listening within 30 s (see $log_file)" >&2
  exit 1
fi
server="${listen%:*}:$(tr -d '[:space:]' <"$port_file")"
export RECIPROCA_SERVER="$server"
export RECIPROCA_WEB_URL="http://${http_listen%:*}:$(tr -d '[:space:]' <"$http_port_file")"
unset RECIPROCA_TOKEN

if [ -n "${RECIPROCA_ADMIN_TOKEN:-}" ]; then
  admin_token="$RECIPROCA_ADMIN_TOKEN"
else
  admin_token="$(tr -d '[:space:]' <"$data/admin.token")"
fi

# as WHO TOKEN ARGS...: shows the command, then runs reciproca with that token.
as() {
  local who="$1" token="$2"
  shift 2
  printf '\n\033[2m[%s]\033[0m $ reciproca' "$who"
  printf ' %q' "$@"
  printf '\n'
  RECIPROCA_TOKEN="$token" "$cli_bin" "$@"
}
# json_field KEY: the first "KEY" string value in the one-line JSON on stdin.
json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | sed -e "s/^\"$1\":\"//" -e 's/"$//'; }

say "Seeding the demo chapter"
if [ -s "$tokens_file" ]; then
  # shellcheck disable=SC1090
  . "$tokens_file"
fi
if ! created="$(RECIPROCA_TOKEN="$admin_token" "$cli_bin" chapter create --id demo \
  --name "Demo Breakfast Club" --weekday tue --time 07:00 --timezone Europe/Rome \
  --currency EUR --json 2>"$data/quickstart.err")"; then
  if grep -q "ALREADY_EXISTS" "$data/quickstart.err"; then
    echo "chapters/demo exists already: reusing it"
  else
    cat "$data/quickstart.err" >&2
    exit 1
  fi
else
  echo "created chapters/demo (Demo Breakfast Club, Tuesdays 07:00 Europe/Rome)"
  DEMO_DISPLAY_TOKEN="$(json_field display_token <<<"$created")"
fi
rm -f "$data/quickstart.err"

# write_tokens: saves what is known of the demo's names and tokens (mode 0600, atomically).
write_tokens() {
  local var token_var
  (
    umask 077
    {
      echo "# The demo chapter's tokens, written by deploy/quickstart.sh. Keep this file private."
      echo "DEMO_DISPLAY_TOKEN='${DEMO_DISPLAY_TOKEN:-}'"
      for var in DEMO_ORGANIZER DEMO_ANA DEMO_MARCO DEMO_LUCA DEMO_SARA; do
        token_var="${var}_TOKEN"
        echo "$var='${!var:-}'"
        echo "$token_var='${!token_var:-}'"
      done
    } >"$tokens_file.tmp"
  )
  chmod 600 "$tokens_file.tmp"
  mv "$tokens_file.tmp" "$tokens_file"
}
if [ -n "${created:-}" ]; then
  write_tokens
fi

# add_member VAR NAME BUSINESS CATEGORY [FLAGS...]: creates the member unless the tokens file
# already has VAR (its resource name) and VAR_TOKEN.
add_member() {
  local var="$1" name="$2" business="$3" category="$4" response
  shift 4
  local token_var="${var}_TOKEN"
  if [ -n "${!var:-}" ] && [ -n "${!token_var:-}" ]; then
    return 0
  fi
  response="$(RECIPROCA_TOKEN="$admin_token" "$cli_bin" member add --chapter demo --name "$name" \
    --business "$business" --category "$category" "$@" --json)"
  printf -v "$var" '%s' "$(json_field name <<<"$response")"
  printf -v "$token_var" '%s' "$(json_field access_token <<<"$response")"
  echo "added ${!var}: $name, $business ($category)"
  write_tokens
}
if [ -z "${created:-}" ] && ! [ -s "$tokens_file" ]; then
  echo "quickstart: chapters/demo exists but $tokens_file is missing, so the demo members'" >&2
  echo "tokens are unknown. Stop the server and move ./data away to start afresh." >&2
  exit 1
fi
add_member DEMO_ORGANIZER "Giulia Conti" "Conti Events" "event planner" --role vice-president \
  --email giulia@example.com
add_member DEMO_ANA "Ana Rossi" "Rossi Accounting" "accountant" --phone "+39 06 5550101"
add_member DEMO_MARCO "Marco Bianchi" "Bianchi Estates" "estate agent"
add_member DEMO_LUCA "Luca Verdi" "Verdi Plumbing" "plumber"
add_member DEMO_SARA "Sara Neri" "Neri Law" "lawyer"

say "A short demo meeting"
org="$DEMO_ORGANIZER_TOKEN"
# The meeting starts two minutes from now, in the chapter's time zone: check-ins are on time.
start="$(TZ=Europe/Rome date -d '+2 min' +%Y-%m-%dT%H:%M)"
meeting="$(RECIPROCA_TOKEN="$org" "$cli_bin" meeting schedule --start "$start" --json |
  json_field name)"
echo "scheduled $meeting, starting $start Europe/Rome"
as Giulia "$org" meeting open "$meeting"
as Giulia "$org" meeting segment "$meeting" --name "Open networking"
as Ana "$DEMO_ANA_TOKEN" checkin --meeting "$meeting"
as Marco "$DEMO_MARCO_TOKEN" checkin --meeting "$meeting"
as Giulia "$org" checkin --meeting "$meeting"
as Giulia "$org" attendance --meeting "$meeting" --member "$DEMO_LUCA" --status substitute \
  --substitute "Paolo Verdi"
as Ana "$DEMO_ANA_TOKEN" visitor add --meeting "$meeting" --name "Laura Ferri" \
  --business "Ferri Bakery" --phone "+39 06 5550199"
as Giulia "$org" meeting segment "$meeting" --name "60-second presentations" --seconds 60
as Giulia "$org" meeting segment "$meeting" --name "Referral round"
referral="$(RECIPROCA_TOKEN="$DEMO_ANA_TOKEN" "$cli_bin" refer --to "$DEMO_MARCO" \
  --temperature 4 --contact-name "Roberto Gallo" --contact-phone "+39 333 5550123" \
  --note "selling his flat in Trastevere, expects your call" --meeting "$meeting" --json |
  json_field name)"
as Ana "$DEMO_ANA_TOKEN" referral get "$referral"
as Marco "$DEMO_MARCO_TOKEN" refer --to "$DEMO_ANA" --temperature 3 --inside \
  --note "our year-end accounts" --meeting "$meeting"
as Giulia "$org" refer --to "$DEMO_SARA" --temperature 2 --inside --on-behalf-of "$DEMO_LUCA" \
  --note "paper slip: tenancy contract review" --meeting "$meeting"
as Marco "$DEMO_MARCO_TOKEN" referral status "$referral" --status contacted
as Marco "$DEMO_MARCO_TOKEN" thanks --to "$DEMO_ANA" --amount 1250.00 --currency EUR \
  --referral "$referral" --note "commission on the Trastevere flat"
as Sara "$DEMO_SARA_TOKEN" one-to-one --with "$DEMO_ANA" --note "coffee after the meeting"
as Ana "$DEMO_ANA_TOKEN" ceu --credits 1 --note "podcast: givers gain"
as Sara "$DEMO_SARA_TOKEN" testimonial --for "$DEMO_ANA" \
  --text "Ana sorted out three years of our books in a week."
as Giulia "$org" meeting close "$meeting"

say "PALMS report"
as Giulia "$org" report palms --chapter demo

say "What the plugins make of it"
as Giulia "$org" leaderboard --chapter demo --board referrals_given --window all
as Giulia "$org" scores --chapter demo --window 30d
as Giulia "$org" relationships --chapter demo

say "The room display and the phone page"
echo "On the projector (the chapter's read-only display token is in the link's #fragment):"
as Giulia "$org" display-url --chapter demo
echo
echo "For Ana's phone (scan it, or open the link):"
as Giulia "$org" member invite-link --member "$DEMO_ANA" --qr

say "How to connect"
cat <<EOF
reciprocad is serving gRPC on $server and the web on $RECIPROCA_WEB_URL
(/display, /app, /api, /healthz, /metrics); data in ./data, log in ./data/reciprocad.log.
The CLI is $cli_bin; the demo tokens are in ./data/demo-tokens.env,
the admin token in ./data/admin.token.

  export PATH="$build/client:\$PATH"
  export RECIPROCA_SERVER=$server
  # Giulia Conti, the demo chapter's vice-president (an organizer):
  export RECIPROCA_TOKEN=\$(. ./data/demo-tokens.env; echo \$DEMO_ORGANIZER_TOKEN)
  reciproca watch --chapter chapters/demo --after-seq 0      # the chapter's events, then live
  reciproca report palms --chapter demo
  reciproca scores --why                                        # traffic light, row by row
  reciproca leaderboard --board tyfcb_generated
  reciproca --help

For phones on the room's Wi-Fi, serve HTTPS: on plain HTTP everyone on the Wi-Fi can read the
tokens, and phones keep the page's offline mode only over HTTPS. With this machine's LAN
address (hostname -I shows it; 192.168.1.20 below), once:
  deploy/make-certs.sh 192.168.1.20     # a local CA, data/tls/ca.crt, and a server certificate
then restart reciprocad with it (Ctrl-C here first):
  $server_bin --data-dir ./data --plugin-dir $build/plugins/lib \\
    --listen 0.0.0.0:50051 --tls-cert data/tls/server.crt --tls-key data/tls/server.key \\
    --http-listen 0.0.0.0:8443 --http-tls-cert data/tls/server.crt --http-tls-key data/tls/server.key
send data/tls/ca.crt to each phone and trust it there once (docs/tls.md, step 3), and use
  export RECIPROCA_SERVER=192.168.1.20:50051 RECIPROCA_CA_CERT=data/tls/ca.crt
  export RECIPROCA_WEB_URL=https://192.168.1.20:8443
What else is limited, and who sees what: README.md, "Security".
EOF

if [ "$demo_only" = 1 ]; then
  exit 0
fi
echo
echo "Serving until Ctrl-C."
# Ctrl-C reaches reciprocad too (same process group): it drains and exits 0 by itself.
server_rc=0
wait "$server_pid" || server_rc=$?
server_pid=""
echo "quickstart: reciprocad stopped (exit code $server_rc)"
exit "$server_rc"
