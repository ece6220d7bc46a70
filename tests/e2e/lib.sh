# Shared by the end-to-end scripts: a scratch directory, the real reciprocad started and stopped
# with bounded waits, and the CLI run with its exit code and output checked.
#
# Before sourcing, set server_bin and cli_bin; server_args (an array) adds reciprocad flags.
# shellcheck shell=bash
server_args=("${server_args[@]}")

work="$(mktemp -d "${TMPDIR:-/tmp}/reciproca-e2e.XXXXXX")"
data="$work/data"
server_pid=""
step="setup"
out=""
rc=0
unset RECIPROCA_TOKEN RECIPROCA_ADMIN_TOKEN

stop_server() {
  # SIGTERM, then up to 20 s for a clean exit, then SIGKILL. Sets server_rc.
  server_rc=""
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    for _ in $(seq 1 200); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "e2e: server did not exit within 20 s of SIGTERM; killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null
    fi
  fi
  wait "$server_pid" 2>/dev/null
  server_rc=$?
  server_pid=""
}

cleanup() {
  local status=$?
  stop_server
  jobs -p | xargs -r kill 2>/dev/null
  if [ $status -eq 0 ] && [ -z "${KEEP_WORK:-}" ]; then
    rm -rf "$work"
  else
    echo "e2e: left $work for inspection" >&2
  fi
}
trap cleanup EXIT

fail() {
  echo "e2e: FAILED at step '$step': $*" >&2
  if [ -s "$work/server.log" ]; then
    echo "--- last lines of the server log:" >&2
    tail -n 20 "$work/server.log" >&2
  fi
  exit 1
}

start_server() {
  rm -f "$work/port"
  "$server_bin" --listen 127.0.0.1:0 --port-file "$work/port" --data-dir "$data" \
    --log-level info "${server_args[@]}" >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    [ -s "$work/port" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "reciprocad exited before listening"
    sleep 0.1
  done
  [ -s "$work/port" ] || fail "no port file after 15 s"
  local port
  port="$(tr -d '[:space:]' <"$work/port")"
  export RECIPROCA_SERVER="127.0.0.1:$port"
}

# cli ARGS...: runs reciproca, which must exit 0; its stdout is left in $out.
cli() {
  out="$("$cli_bin" "$@" 2>"$work/stderr")"
  rc=$?
  [ $rc -eq 0 ] || fail "reciproca $* exited $rc: $(cat "$work/stderr")"
}

# cli_fails RC PATTERN ARGS...: reciproca must exit RC with PATTERN in its stderr.
cli_fails() {
  local want_rc="$1" pattern="$2"
  shift 2
  out="$("$cli_bin" "$@" 2>"$work/stderr")"
  rc=$?
  [ $rc -eq "$want_rc" ] || fail "reciproca $* exited $rc, expected $want_rc: $(cat "$work/stderr")"
  grep -q -- "$pattern" "$work/stderr" ||
    fail "reciproca $*: stderr lacks \"$pattern\": $(cat "$work/stderr")"
}

# server_fails RC PATTERN ARGS...: reciprocad must exit RC at once with PATTERN in its stderr.
server_fails() {
  local want_rc="$1" pattern="$2"
  shift 2
  timeout 20 "$server_bin" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  [ $rc -eq "$want_rc" ] ||
    fail "reciprocad $* exited $rc, expected $want_rc: $(cat "$work/stderr")"
  grep -q -- "$pattern" "$work/stderr" ||
    fail "reciprocad $*: stderr lacks \"$pattern\": $(cat "$work/stderr")"
}

# jget KEY: the first value of "KEY" in the one-line JSON on stdin (protobuf JSON as the CLI
# prints it; default values are left out, so an absent key gives ""). Plain sed, no jq/python.
jget() {
  grep -o "\"$1\":\(\"[^\"]*\"\|[^,}]*\)" | head -n 1 |
    sed -e "s/^\"$1\"://" -e 's/^"//' -e 's/"$//'
}

# expect WHAT ACTUAL WANTED
expect() {
  [ "$2" = "$3" ] || fail "$1: got \"$2\", expected \"$3\""
}

