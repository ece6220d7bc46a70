#!/usr/bin/env bash
# End to end: the built reciprocad and reciproca binaries through a whole meeting.
#
#   bash whole_meeting.sh PATH_TO_reciprocad PATH_TO_reciproca
#
# Starts a real server on 127.0.0.1:0 with a fresh data directory, runs a chapter through two
# meetings with the CLI (check-ins, PALMS records, segment speakers, referrals, thank-yous...),
# checks the chapter settings, the display and invite links (and that their tokens work), the
# event stream, the PALMS report and the error exit codes, then stops the server with SIGTERM,
# restarts it on the same data and checks nothing was lost. Every wait is bounded.
# The member variables (ana, ana_token, ...) are assigned indirectly by add_member.
# shellcheck disable=SC2154
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 PATH_TO_reciprocad PATH_TO_reciproca" >&2
  exit 2
fi
server_bin="$1"
cli_bin="$2"
for bin in "$server_bin" "$cli_bin"; do
  [ -x "$bin" ] || { echo "e2e: FAILED at step 'setup': $bin is not an executable" >&2; exit 1; }
done

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

step="reciprocad command line"
"$server_bin" --help >"$work/stdout" 2>"$work/stderr" || fail "reciprocad --help exited $?"
for want in "--listen ADDR" "--http-listen ADDR" "--config FILE" "--plugin-tick-seconds N" \
  "RECIPROCA_ADMIN_TOKEN"; do
  grep -q -- "$want" "$work/stdout" || fail "reciprocad --help lacks \"$want\""
done
server_fails 2 "bogus" --bogus
server_fails 2 "listen" --data-dir "$data" --listen
server_fails 2 "unexpected-word" unexpected-word
server_fails 2 "cannot read $work/missing.json" --config "$work/missing.json"
echo '{"listen": "127.0.0.1:0", "colour": "blue"}' >"$work/unknown.json"
server_fails 2 "unknown setting \"colour\"" --config "$work/unknown.json"
echo '{"listen": ' >"$work/broken.json"
server_fails 2 "not valid JSON" --config "$work/broken.json"
# The file's settings apply (the HTTP gateway and its port file come from it) and the flags win
# over it: start_server's --listen 127.0.0.1:0 replaces the file's unusable address.
printf '{"listen": "256.0.0.1:1", "http-listen": "127.0.0.1:0", "http-port-file": "%s",
 "threads": 3}\n' "$work/http-port" >"$work/config.json"
server_args+=(--config "$work/config.json")

step="start server"
start_server
[ -s "$work/http-port" ] || fail "--config's http-port-file was not written"
[ -s "$data/admin.token" ] || fail "no $data/admin.token"
perm="$(stat -c %a "$data/admin.token")"
expect "admin.token mode" "$perm" "600"
admin="$(tr -d '[:space:]' <"$data/admin.token")"

step="chapter create"
cli --token "$admin" chapter create --id e2e --name "E2E Breakfast" --weekday tue --time 07:00 \
  --timezone Europe/Rome --currency EUR --json
chapter="$(jget name <<<"$out")"
display_token="$(jget display_token <<<"$out")"
expect "chapter name" "$chapter" "chapters/e2e"
[ -n "$display_token" ] || fail "no display token"
cli --token "$admin" chapter get e2e
grep -q "^chapter chapters/e2e: E2E Breakfast" <<<"$out" || fail "chapter get: $out"

step="chapter update"
cli --token "$admin" chapter update --chapter e2e --display-amounts true --json
expect "display_amounts after update" "$(jget display_amounts <<<"$out")" "true"
cli --token "$admin" chapter get e2e
grep -q "^  room display: shows TYFCB amounts$" <<<"$out" || fail "chapter get after update: $out"
cli_fails 2 "nothing to update" --token "$admin" chapter update --chapter e2e
cli --token "$admin" chapter update --chapter e2e --language IT --json
expect "language after update" "$(jget language <<<"$out")" "it"
cli --token "$admin" chapter get e2e
grep -q "; language: it$" <<<"$out" || fail "chapter get after the language update: $out"
cli_fails 3 "not a well-formed BCP 47 language tag" --token "$admin" chapter update \
  --chapter e2e --language it_IT
cli_fails 2 "display-amounts must be true or false" --token "$admin" chapter update \
  --chapter e2e --display-amounts maybe

step="member add"
# add_member VAR NAME BUSINESS CATEGORY [FLAGS...]: sets VAR to the member and VAR_token.
add_member() {
  local var="$1" name="$2" business="$3" category="$4"
  shift 4
  cli --token "$admin" member add --chapter e2e --name "$name" --business "$business" \
    --category "$category" "$@" --json
  printf -v "$var" '%s' "$(jget name <<<"$out")"
  printf -v "${var}_token" '%s' "$(jget access_token <<<"$out")"
  [ -n "${!var}" ] || fail "member add $name: no member name in $out"
  local token_var="${var}_token"
  [ -n "${!token_var}" ] || fail "member add $name: no access token"
}
add_member org "Olga Organizer" "Olga Events" "event planner" --role vice-president \
  --email olga@example.com
add_member ana "Ana Rossi" "Rossi Accounting" "accountant" --phone "+39 333 0000001"
add_member marco "Marco Bianchi" "Bianchi Estates" "estate agent"
add_member luca "Luca Verdi" "Verdi Plumbing" "plumber"
add_member sara "Sara Neri" "Neri Law" "lawyer"
case "$ana" in chapters/e2e/members/*) ;; *) fail "member name $ana" ;; esac
ana_id="${ana##*/}"
cli --token "$org_token" whoami
grep -q "vice-president\|organizer" <<<"$out" || fail "whoami as organizer: $out"
cli --token "$ana_token" whoami --json
expect "whoami member" "$(jget member <<<"$out")" "$ana"
cli --token "$ana_token" member list
[ "$(grep -c '^chapters/e2e/members/' <<<"$out")" -eq 5 ] || fail "member list: $out"
cli --token "$ana_token" member update "$ana_id" --phone "+39 333 0000002" --json
expect "member update phone" "$(jget phone <<<"$out")" "+39 333 0000002"

step="display-url and invite-link"
cli --token "$org_token" display-url --chapter e2e --web-url http://example.test:8080/
expect "display-url" "$out" \
  "http://example.test:8080/display/#chapter=chapters%2Fe2e&token=$display_token"
cli --token "$org_token" display-url --chapter e2e
expect "display-url default web" "$out" \
  "http://127.0.0.1:8080/display/#chapter=chapters%2Fe2e&token=$display_token"
out="$(RECIPROCA_WEB_URL=https://meet.example.org "$cli_bin" --token "$admin" display-url \
  --chapter e2e 2>"$work/stderr")" ||
  fail "display-url with RECIPROCA_WEB_URL: $(cat "$work/stderr")"
expect "display-url from RECIPROCA_WEB_URL" "$out" \
  "https://meet.example.org/display/#chapter=chapters%2Fe2e&token=$display_token"
cli --token "${out##*token=}" whoami
expect "whoami with the display-url token" "$out" "display in chapters/e2e"
cli --token "$org_token" member invite-link --chapter e2e --member "$ana_id" \
  --web-url https://meet.example.org
expect "invite-link" "$out" "https://meet.example.org/app/#token=$ana_token"
cli --token "${out##*token=}" whoami --json
expect "whoami with the invite-link token" "$(jget member <<<"$out")" "$ana"
cli --token "$admin" member invite-link --member "$marco" --qr
expect "invite-link --qr first line" "$(head -n 1 <<<"$out")" \
  "http://127.0.0.1:8080/app/#token=$marco_token"
qr="$(tail -n +3 <<<"$out")"
[ "$(wc -l <<<"$qr")" -ge 15 ] || fail "invite-link --qr: QR code too short: $out"
grep -q "█" <<<"$qr" || fail "invite-link --qr: no half blocks: $out"
grep -qv '^[█▀▄ ]*$' <<<"$qr" && fail "invite-link --qr: unexpected characters: $out"
# Every line as wide as the others (one column per module), counted whatever the locale.
[ "$(sed -e 's/█/x/g' -e 's/▀/x/g' -e 's/▄/x/g' <<<"$qr" | awk '{ print length($0) }' |
  sort -u | wc -l)" -eq 1 ] || fail "invite-link --qr: lines of different widths: $out"
cli --token "$org_token" member invite-link --chapter e2e --member "ana rossi" \
  --web-url https://meet.example.org
expect "invite-link by display name" "$out" "https://meet.example.org/app/#token=$ana_token"
cli_fails 2 "no member of chapters/e2e is named \"Ana\"" --token "$org_token" member invite-link \
  --chapter e2e --member "Ana"
cli_fails 2 "must start with http:// or https://" --token "$org_token" display-url \
  --chapter e2e --web-url ftp://example.test
cli_fails 2 "must start with http:// or https://" --token "$org_token" member invite-link \
  --member "$ana_id" --web-url example.test:8080
cli_fails 3 "error: PERMISSION_DENIED: only organizers of chapters/e2e" --token "$ana_token" \
  display-url
cli_fails 3 "error: PERMISSION_DENIED" --token "$ana_token" member invite-link --member "$ana_id"

step="meeting 1 (starts in an hour: check-ins are present)"
now="$(date +%s)"
start1="$(date -u -d "@$(((now + 3600) / 60 * 60))" +%Y-%m-%dT%H:%MZ)"
cli --token "$org_token" meeting schedule --start "$start1" --json
m1="$(jget name <<<"$out")"
case "$m1" in chapters/e2e/meetings/*) ;; *) fail "meeting name $m1" ;; esac
cli --token "$org_token" meeting open "$m1"
grep -q "^meeting $m1: open" <<<"$out" || fail "meeting open: $out"
cli --token "$org_token" meeting segment "$m1" --name "60-second presentations" --seconds 60 --json
expect "meeting state" "$(jget state <<<"$out")" "MEETING_STATE_IN_PROGRESS"
expect "segment title" "$(jget title <<<"$out")" "60-second presentations"
cli --token "$ana_token" checkin --meeting "$m1" --json
expect "ana check-in" "$(jget status <<<"$out")" "ATTENDANCE_STATUS_PRESENT"
cli --token "$org_token" checkin --meeting "$m1" --json
expect "organizer check-in" "$(jget status <<<"$out")" "ATTENDANCE_STATUS_PRESENT"
cli --token "$org_token" checkin --meeting "$m1" --member "$marco" --json
expect "marco check-in by the organizer" "$(jget status <<<"$out")" "ATTENDANCE_STATUS_PRESENT"
cli --token "$org_token" attendance --meeting "$m1" --member "${luca##*/}" --status medical --json
expect "luca medical" "$(jget status <<<"$out")" "ATTENDANCE_STATUS_MEDICAL"

step="segment speakers"
# Roster order: Olga, Ana, Marco, Luca, Sara. Luca is medical, so after Ana comes Marco.
cli --token "$org_token" meeting segment "$m1" --name "60-second presentations" --seconds 60 \
  --speaker "$ana_id" --json
expect "segment speaker" "$(jget speaker <<<"$out")" "$ana"
expect "segment next speaker" "$(jget next_speaker <<<"$out")" "$marco"
cli --token "$org_token" meeting segment "${m1##*/}" --name "60-second presentations" \
  --seconds 60 --speaker "$marco"
grep -q "^    speaker: Marco Bianchi ($marco); next: nobody$" <<<"$out" ||
  fail "segment speaker text (Luca is medical, Sara has no record): $out"
cli_fails 3 "error: NOT_FOUND: speaker: member chapters/e2e/members/999 not found" \
  --token "$org_token" meeting segment "$m1" --name "Feature presentation" --speaker 999

step="visitor"
cli --token "$ana_token" visitor add --meeting "$m1" --name "Giulia Neri" --business "Neri Design" \
  --email giulia@example.com --json
expect "visitor invited_by" "$(jget invited_by <<<"$out")" "$ana"

step="visitor pipeline"
cli --token "$marco_token" visitor invite --meeting "$m1" --name "Irene Moro" --business "Moro Design" --json
iv="$(jget name <<<"$out")"
expect "invited visitor state" "$(jget state <<<"$out")" "VISITOR_STATE_INVITED"
cli_fails 3 "error: PERMISSION_DENIED" --token "$marco_token" visitor move "$iv" --to declined
cli --token "$org_token" visitor move "${m1##*/}/${iv##*/}" --to declined --note "moved away"
grep -q "^  state: declined$" <<<"$out" || fail "visitor move: $out"
cli_fails 3 "error: FAILED_PRECONDITION: state: Irene Moro is DECLINED and cannot move to APPLIED" \
  --token "$org_token" visitor move "$iv" --to applied
cli --token "$org_token" visitor list --state declined --csv
expect "visitor list --csv header" "$(head -1 <<<"$out")" \
  "visitor,state,display_name,business,invited_by,invited_by_name,meeting,since,member,email,phone"
grep -q "^$iv,declined,Irene Moro,Moro Design,$marco,Marco Bianchi,$m1," <<<"$out" ||
  fail "visitor list --csv: $out"

step="referrals"
cli --token "$ana_token" refer --to "$marco" --temperature 4 --inside --note "my office lease" \
  --meeting "$m1" --json
r1="$(jget name <<<"$out")"
expect "r1 giver" "$(jget giver <<<"$out")" "$ana"
expect "r1 status" "$(jget status <<<"$out")" "REFERRAL_STATUS_GIVEN"
cli --token "$marco_token" refer --to "$ana_id" --temperature 3 --contact-name "Paolo Gialli" \
  --contact-phone "+39 333 1234567"
want="^referral chapters/e2e/referrals/[^:]*: Marco Bianchi -> Ana Rossi, temperature 3, outside"
grep -q "$want (Paolo Gialli, +39 333 1234567), given" <<<"$out" ||
  fail "outside referral output: $out"
cli --token "$org_token" refer --to "$sara" --temperature 2 --inside --on-behalf-of "$luca" --json
r3="$(jget name <<<"$out")"
expect "r3 giver (on behalf)" "$(jget giver <<<"$out")" "$luca"

step="idempotent retry"
cli --token "$ana_token" refer --to "$luca" --temperature 5 --inside --request-id e2e-retry-1 --json
r4="$(jget name <<<"$out")"
cli --token "$ana_token" refer --to "$luca" --temperature 5 --inside --request-id e2e-retry-1 --json
expect "same request_id, same referral" "$(jget name <<<"$out")" "$r4"
cli_fails 3 "error: INVALID_ARGUMENT" --token "$ana_token" refer --to "$luca" --temperature 4 \
  --inside --request-id e2e-retry-1

step="referral status"
cli --token "$marco_token" referral status "${r1##*/}" --status contacted --json
expect "r1 contacted" "$(jget status <<<"$out")" "REFERRAL_STATUS_CONTACTED"
cli_fails 3 "error: PERMISSION_DENIED" --token "$ana_token" referral status "$r1" \
  --status meeting-set

step="thanks"
cli --token "$marco_token" thanks --to "$ana" --amount 1250.00 --currency EUR --referral "$r1" \
  --json
expect "thanks to" "$(jget to_member <<<"$out")" "$ana"
expect "thanks from" "$(jget from_member <<<"$out")" "$marco"
cli --token "$ana_token" referral get "$r1" --json
expect "r1 after thanks" "$(jget status <<<"$out")" "REFERRAL_STATUS_CLOSED_WON"
cli --token "$ana_token" referral list --receiver "$marco" --json
expect "referral list --receiver" "$(jget name <<<"$out")" "$r1"

step="one-to-one, ceu, testimonial"
# The day they met, in the chapter's time zone (issue 11: --date is when it happened).
cli --token "$ana_token" one-to-one --with "$sara" --date "$(TZ=Europe/Rome date +%Y-%m-%d)" \
  --note "coffee"
grep -q "^one-to-one chapters/e2e/" <<<"$out" || fail "one-to-one output: $out"
cli_fails 2 "--date" --token "$luca_token" ceu --credits 1 --date 2026-02-30
cli_fails 3 "is after today" --token "$luca_token" ceu --credits 1 --date 2999-01-01
cli --token "$luca_token" ceu --credits 2 --note "podcast"
grep -q "^education chapters/e2e/" <<<"$out" || fail "ceu output: $out"
cli --token "$sara_token" testimonial --for "$ana" --text "Ana saved my business."
grep -q "^testimonial chapters/e2e/" <<<"$out" || fail "testimonial output: $out"

step="close meeting 1"
cli --token "$org_token" meeting close "$m1" --json
expect "meeting 1 state" "$(jget state <<<"$out")" "MEETING_STATE_CLOSED"
# Attendance entries print as {"member":"...","status":"..."} (proto field order).
for pair in "$org:PRESENT" "$ana:PRESENT" "$marco:PRESENT" "$luca:MEDICAL" "$sara:ABSENT"; do
  grep -q "{\"member\":\"${pair%:*}\",\"status\":\"ATTENDANCE_STATUS_${pair##*:}\"" \
    <<<"$out" || fail "meeting 1 attendance lacks ${pair%:*} ${pair##*:}: $out"
done
[ "$(grep -o '"member":' <<<"$out" | wc -l)" -eq 5 ] || fail "meeting 1 attendance: $out"

step="meeting 2 (started two minutes ago, local time: a check-in is late)"
start2_epoch=$((($(date +%s) - 120) / 60 * 60))
start2_local="$(TZ=Europe/Rome date -d "@$start2_epoch" +%Y-%m-%dT%H:%M)"
cli --token "$org_token" meeting schedule --chapter e2e --start "$start2_local" --json
m2="$(jget name <<<"$out")"
expect "meeting 2 start (Europe/Rome -> UTC)" "$(jget start_time <<<"$out")" \
  "$(date -u -d "@$start2_epoch" +%Y-%m-%dT%H:%M:%SZ)"
cli --token "$org_token" meeting open "${m2##*/}"
cli --token "$ana_token" checkin --meeting "${m2##*/}" --json
expect "late check-in" "$(jget status <<<"$out")" "ATTENDANCE_STATUS_LATE"
cli --token "$org_token" meeting close "$m2"
cli --token "$ana_token" meeting list --json
[ "$(grep -o '"name":"chapters/e2e/meetings/[0-9]*"' <<<"$out" | wc -l)" -eq 2 ] ||
  fail "meeting list: $out"

step="the week's PALMS: submitted, then corrected; a holiday"
cli --token "$org_token" meeting submit "${m2##*/}"
grep -q "^  PALMS submitted: " <<<"$out" || fail "meeting submit: $out"
cli_fails 3 "error: FAILED_PRECONDITION: referral.meeting: the PALMS of meeting $m2 was submitted" \
  --token "$ana_token" refer --to "$marco" --temperature 3 --inside --meeting "${m2##*/}"
cli --token "$org_token" attendance --meeting "${m2##*/}" --member "${ana##*/}" --status late
cli --token "$org_token" meeting get "${m2##*/}"
grep -q "; 1 correction since$" <<<"$out" || fail "meeting get after a correction: $out"
cli --token "$org_token" meeting schedule --chapter e2e --start 2030-08-15T07:00Z --json
m3="$(jget name <<<"$out")"
cli --token "$org_token" meeting cancel "${m3##*/}" --reason Ferragosto
grep -q "^  cancelled: Ferragosto$" <<<"$out" || fail "meeting cancel: $out"
cli_fails 3 "error: FAILED_PRECONDITION" --token "$ana_token" checkin --meeting "${m3##*/}"

step="errors"
cli_fails 3 "error: INVALID_ARGUMENT" --token "$ana_token" refer --to "$ana" --temperature 3 \
  --inside
cli_fails 3 "error: INVALID_ARGUMENT" --token "$ana_token" refer --to "$marco" --temperature 6 \
  --inside
cli_fails 3 "error: INVALID_ARGUMENT" --token "$ana_token" refer --to "$marco" --temperature 3 \
  --contact-name "No Way To Reach"
cli_fails 3 "error: INVALID_ARGUMENT" --token "$marco_token" thanks --to "$ana" --amount -5 \
  --currency EUR
cli_fails 3 "error: FAILED_PRECONDITION" --token "$marco_token" checkin --meeting "$m1"
cli_fails 3 "error: FAILED_PRECONDITION" --token "$org_token" meeting close "$m1"
cli_fails 3 "error: PERMISSION_DENIED" --token "$ana_token" meeting schedule \
  --start 2030-01-01T07:00Z
cli_fails 3 "error: UNAUTHENTICATED" member list --chapter e2e
cli_fails 3 "error: UNAUTHENTICATED" --token not-a-token member list --chapter e2e
cli_fails 3 "error: NOT_FOUND" --token "$ana_token" member get 999
cli_fails 3 "error: ALREADY_EXISTS" --token "$admin" member add --chapter e2e --name "Other Acc" \
  --business "Other" --category "Accountant"
cli_fails 3 "error: OUT_OF_RANGE" --token "$ana_token" watch --after-seq 999999 --limit 1
cli_fails 2 "bogus" --token "$ana_token" member list --bogus
cli_fails 2 "temperature" --token "$ana_token" refer --to "$marco" --temperature hot --inside
cli_fails 2 "unknown command" --token "$ana_token" meeting reschedule 1
cli_fails 4 "cannot reach reciprocad at 127.0.0.1:1" --server 127.0.0.1:1 --token "$ana_token" \
  member list

step="cli command line"
cli --help
for want in "Exit codes: 0 ok, 2 usage error" "member add" "report palms" "--server HOST:PORT"; do
  grep -q -- "$want" <<<"$out" || fail "reciproca --help lacks \"$want\""
done
cli help member add
for want in "usage: reciproca member add --chapter C --name N" "--category K" "REQUIRED" \
  "--request-id ID"; do
  grep -q -- "$want" <<<"$out" || fail "reciproca help member add lacks \"$want\""
done
cli meeting close --help
grep -q -- "usage: reciproca meeting close M" <<<"$out" || fail "meeting close --help: $out"
cli_fails 2 "member needs a subcommand" member
cli_fails 2 "unknown command \"nonsense\"" nonsense
cli_fails 2 "unknown command \"member watch\"" member watch
cli_fails 2 "--name is required" --token "$admin" member add --chapter e2e --business B \
  --category K
cli_fails 2 "missing required flag --name" --token "$admin" member add --chapter e2e --name "" \
  --business B --category K
cli_fails 2 "chapter" --token "$ana_token" member list --chapter
cli_fails 2 "missing argument" --token "$org_token" meeting close
cli_fails 2 "unexpected argument \"2\"" --token "$org_token" meeting close 1 2
cli_fails 2 "run 'reciproca member list --help'" --token "$ana_token" member list --bogus
# Global flags anywhere on the line, --flag=value, and the last of a repeated flag wins.
cli member list --chapter=e2e --token=not-a-token --json --token "$ana_token"
grep -q "\"name\":\"$ana\"" <<<"$out" || fail "member list with flags after the command: $out"
add_member paolo "Paolo Gialli" "Gialli Bikes" "bike shop"
cli --token "$org_token" member remove "$paolo" --json
expect "removed member state" "$(jget state <<<"$out")" "MEMBER_STATE_LEFT"
cli_fails 3 "error: FAILED_PRECONDITION" --token "$ana_token" refer --to "$paolo" \
  --temperature 3 --inside
cli_fails 3 "error: FAILED_PRECONDITION: name: $paolo (Paolo Gialli) has left the chapter" \
  --token "$org_token" member invite-link --member "$paolo"

step="watch (replay)"
cli --token "$ana_token" chapter get --json
last_seq="$(jget last_seq <<<"$out")"
[ "${last_seq:-0}" -gt 20 ] || fail "last_seq is \"$last_seq\""
out="$(timeout 30 "$cli_bin" --token "$ana_token" watch --chapter e2e --after-seq 0 \
  --limit "$last_seq" --json 2>"$work/stderr")" || fail "watch exited $?: $(cat "$work/stderr")"
seqs="$(grep -o '^{"chapter":"chapters/e2e","seq":"[0-9]*"' <<<"$out" | grep -o '[0-9]*"$' |
  tr -d '"' | tr '\n' ' ')"
expect "replayed seqs" "$seqs" "$(seq -s ' ' 1 "$last_seq") "
grep "\"on_behalf_of\":\"$luca\"" <<<"$out" | grep -q '"referral_given"' ||
  fail "no referral_given event on behalf of $luca"
out="$(timeout 30 "$cli_bin" --token "$display_token" watch --chapter e2e \
  --after-seq $((last_seq - 2)) --limit 2 2>"$work/stderr")" ||
  fail "watch with the display token exited $?: $(cat "$work/stderr")"
[ "$(wc -l <<<"$out")" -eq 2 ] || fail "watch --limit 2 printed: $out"
grep -q "^#$last_seq " <<<"$out" || fail "watch text lines: $out"

step="watch (live)"
timeout 30 "$cli_bin" --token "$ana_token" watch --after-seq "$last_seq" --limit 1 --json \
  >"$work/live.json" 2>"$work/live.err" &
watch_pid=$!
sleep 1
cli --token "$luca_token" ceu --credits 1
wait "$watch_pid" || fail "live watch exited $?: $(cat "$work/live.err")"
expect "live event seq" "$(jget seq <"$work/live.json")" "$((last_seq + 1))"
expect "live event payload" "$(jget credits <"$work/live.json")" "1"
last_seq=$((last_seq + 1))

step="report palms"
cli --token "$org_token" report palms --chapter e2e --csv
head -n 1 <<<"$out" | grep -q "^member,display_name,state,present,absent,late" ||
  fail "CSV header: $(head -n 1 <<<"$out")"
# cell NAME FIELD: a cell of the CSV report in $out (PALMS, absences), by member display name
# (column 2) and column header.
cell() {
  awk -F, -v name="$1" -v field="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
    $2 == name { print $(column[field]); found = 1 }
    END { if (!found) print "(no row)" }' <<<"$out"
}
check_palms() {
  local name="$1" pair
  shift
  for pair in "$@"; do
    expect "PALMS $name ${pair%=*}" "$(cell "$name" "${pair%=*}")" "${pair#*=}"
  done
}
check_palms "Olga Organizer" present=1 absent=1 late=0 medical=0 referrals_given=0
check_palms "Ana Rossi" present=1 absent=0 late=1 medical=0 referrals_given=2 \
  referrals_received=1 visitors=1 one_to_ones=1
check_palms "Marco Bianchi" present=1 absent=1 late=0 referrals_given=1 referrals_received=1
check_palms "Luca Verdi" present=0 absent=1 medical=1 referrals_given=1 referrals_received=1 ceus=3
check_palms "Sara Neri" present=0 absent=2 referrals_received=1 testimonials_given=1
case "$(cell "Ana Rossi" tyfcb_received)" in *EUR\ 1250*) ;; *) fail "Ana's TYFCB received" ;; esac
case "$(cell "Marco Bianchi" tyfcb_given)" in *EUR\ 1250*) ;; *) fail "Marco's TYFCB given" ;; esac
today="$(TZ=Europe/Rome date +%Y-%m-%d)"
cli --token "$org_token" report palms --chapter e2e --from "$today" --to "$today"
grep -q "^PALMS chapters/e2e" <<<"$out" || fail "PALMS table: $out"
grep -q "Ana Rossi" <<<"$out" || fail "PALMS table lacks Ana: $out"
cli --token "$org_token" report palms --chapter e2e
grep -q "^PALMS chapters/e2e, .*, 2 meetings (+1 cancelled), 1 correction after submission$" \
  <<<"$out" || fail "PALMS table header: $(head -n 1 <<<"$out")"

step="report matrix and absences"
cli --token "$org_token" report matrix --chapter e2e --csv
head -n 1 <<<"$out" | grep -q "^giver,giver_name,receiver,receiver_name,referrals,referrals_back," ||
  fail "matrix CSV header: $(head -n 1 <<<"$out")"
# pair GIVER RECEIVER FIELD: a cell of the matrix CSV in $out, by display names and column header.
pair() {
  awk -F, -v giver="$1" -v receiver="$2" -v field="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
    $2 == giver && $4 == receiver { print $(column[field]); found = 1 }
    END { if (!found) print "(no row)" }' <<<"$out"
}
# By hand from the steps above: Ana -> Marco (r1, thanked EUR 1250.00 by Marco), Marco -> Ana,
# Luca -> Sara (r3, on behalf), Ana -> Luca (r4, retried once), Ana and Sara's one-to-one.
expect "matrix rows" "$(($(wc -l <<<"$out") - 1))" "6"
expect "Ana > Marco referrals" "$(pair "Ana Rossi" "Marco Bianchi" referrals)" "1"
expect "Ana > Marco back" "$(pair "Ana Rossi" "Marco Bianchi" referrals_back)" "1"
expect "Ana > Marco TYFCB" "$(pair "Ana Rossi" "Marco Bianchi" tyfcb)" "EUR 1250.00"
expect "Marco > Ana TYFCB" "$(pair "Marco Bianchi" "Ana Rossi" tyfcb)" ""
expect "Ana > Luca back" "$(pair "Ana Rossi" "Luca Verdi" referrals_back)" "0"
expect "Luca > Sara referrals" "$(pair "Luca Verdi" "Sara Neri" referrals)" "1"
expect "Sara > Ana one-to-ones" "$(pair "Sara Neri" "Ana Rossi" one_to_ones)" "1"
expect "Sara > Ana referrals" "$(pair "Sara Neri" "Ana Rossi" referrals)" "0"
cli --token "$org_token" report matrix --chapter e2e --grid referrals --csv
expect "referral grid header" "$(head -n 1 <<<"$out")" \
  'giver \ receiver,Ana Rossi,Luca Verdi,Marco Bianchi,Olga Organizer,Sara Neri'
expect "referral grid, Ana's row" "$(sed -n 2p <<<"$out")" "Ana Rossi,,1,1,0,0"
cli_fails 3 "error: PERMISSION_DENIED" --token "$ana_token" report matrix --chapter e2e
cli_fails 2 "--grid: must be referrals, tyfcb or one-to-ones" --token "$org_token" report matrix \
  --chapter e2e --grid hugs
cli --token "$org_token" report absences --chapter e2e --csv
# Sara missed both meetings, Olga, Marco and Luca the second (Luca's first was medical leave).
expect "first absence row" "$(sed -n 2p <<<"$out" | cut -d, -f2-5)" "Sara Neri,2,2,false"
expect "Olga's absences" "$(cell "Olga Organizer" absences)" "1"
expect "Luca's absences" "$(cell "Luca Verdi" absences)" "1"
expect "Ana's absences" "$(cell "Ana Rossi" absences)" "0"
cli_fails 3 "error: PERMISSION_DENIED" --token "$ana_token" report absences --chapter e2e
cli --token "$org_token" report records --chapter e2e --kind thank-yous --csv
expect "thank-you export header" "$(head -n 1 <<<"$out")" \
  "thank_you,time,from_member,from_name,to_member,to_name,amount,referral,note,imported_from"
expect "thank-you export, the one row" "$(sed -n 2p <<<"$out" | cut -d, -f4,6,7,8)" \
  "Marco Bianchi,Ana Rossi,EUR 1250.00,$r1"
cli --token "$org_token" report records --chapter e2e --kind referrals --csv
expect "referral export rows" "$(($(wc -l <<<"$out") - 1))" "4"
grep -q ",Paolo Gialli,+39 333 1234567," <<<"$out" || fail "the organizer's export has the contact: $out"
cli_fails 2 "--kind: must be one of referrals, thank-yous" --token "$org_token" report records \
  --chapter e2e --kind hugs
cli_fails 3 "error: PERMISSION_DENIED" --token "$ana_token" report records --chapter e2e \
  --kind referrals

step="SIGTERM"
stop_server
expect "reciprocad exit code after SIGTERM" "$server_rc" "0"

step="restart on the same data"
start_server
cli --token "$admin" chapter get e2e --json
expect "last_seq after restart" "$(jget last_seq <<<"$out")" "$last_seq"
cli --token "$ana_token" referral get "$r1" --json
expect "r1 after restart" "$(jget status <<<"$out")" "REFERRAL_STATUS_CLOSED_WON"
cli --token "$ana_token" meeting get "$m1" --json
expect "meeting 1 after restart" "$(jget state <<<"$out")" "MEETING_STATE_CLOSED"
cli --token "$ana_token" referral get "$r3" --json
expect "r3 after restart" "$(jget giver <<<"$out")" "$luca"
out="$(timeout 30 "$cli_bin" --token "$ana_token" watch --chapter e2e --after-seq 0 \
  --limit "$last_seq" --json 2>"$work/stderr")" || fail "watch after restart exited $?"
expect "events after restart" "$(wc -l <<<"$out")" "$last_seq"
stop_server
expect "reciprocad exit code after the second SIGTERM" "$server_rc" "0"

step="done"
echo "e2e: ok"
