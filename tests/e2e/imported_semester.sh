#!/usr/bin/env bash
# End to end (issue 11 item 5): a chapter that moves to Reciproca mid-semester.
#
#   bash imported_semester.sh PATH_TO_reciprocad PATH_TO_reciproca SHIPPED_PLUGIN_DIR
#
# Starts the real server with the shipped plugins, imports six months of the chapter's PALMS
# summaries from a CSV export (a dry run first, then the file twice: the second run records
# nothing), runs this week's meeting with paper slips typed after it (`refer --meeting M`: they
# count at the meeting), a one-to-one typed in later for the meeting (`one-to-one --meeting M`)
# and last week's holiday (`meeting cancel`), submits the week (after which a member's late
# record into it, or one dated before they joined, is refused), and checks
# the week's PALMS, the semester's PALMS, the traffic light (points and the why of each row) and
# the leaderboard against the numbers worked out by hand below. Every wait is bounded.
#
# The member variables (ana, ana_token, ...) are assigned indirectly by add_member.
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

# The chapter's time zone is the one where it is about noon now, so that "today" is the same
# day for the whole run (a meeting that started a few minutes ago is today's, whatever the hour
# the test runs at).
utc_hour=$((10#$(date -u +%H)))
offset=$((12 - utc_hour))
if [ $offset -gt 0 ]; then
  zone="Etc/GMT-$offset"
elif [ $offset -lt 0 ]; then
  zone="Etc/GMT+$((-offset))"
else
  zone="Etc/UTC"
fi
# day N: the date N days before today in the chapter's zone.
day() { TZ="$zone" date -d "@$(($(date +%s) - $1 * 86400))" +%Y-%m-%d; }
utc_minutes_ago() { date -u -d "@$(($(date +%s) - $1 * 60))" +%Y-%m-%dT%H:%MZ; }

step="start server with the shipped plugins"
start_server
admin="$(tr -d '[:space:]' <"$data/admin.token")"

step="chapter and members"
cli --token "$admin" chapter create --id sem --name "Semester Breakfast" --timezone "$zone" \
  --currency EUR --json
add_member() {
  local var="$1" name="$2" category="$3"
  shift 3
  cli --token "$admin" member add --chapter sem --name "$name" --business "$name Ltd" \
    --category "$category" "$@" --json
  printf -v "$var" '%s' "$(jget name <<<"$out")"
  printf -v "${var}_token" '%s' "$(jget access_token <<<"$out")"
  [ -n "${!var}" ] || fail "member add $name: no member name in $out"
}
add_member olga "Olga Organizer" "event planner" --role vice-president
add_member ana "Ana Rossi" florist
add_member bruno "Bruno Verdi" plumber
add_member carla "Carla Bianchi" lawyer

# Six months in the other tool: 24 weeks, from 175 days ago to 8 days ago (both inclusive),
# one summary per member. Each summary is spread over 24 meetings (its P + A + L + M + S), all of
# them inside the traffic light's 182 days. A semicolon-separated Italian-style export would do
# as well; this one is BNI Connect's English headers.
period_start="$(day 175)"
period_end="$(day 8)"
cat >"$work/palms.csv" <<EOF
Member,P,A,L,M,S,RGI,RGO,RR,V,121,TYFCB,CEU,T,Period start,Period end
Ana Rossi,23,1,0,0,0,18,4,5,3,10,3000,2,1,$period_start,$period_end
BRUNO VERDI,24,0,0,0,0,6,0,20,1,8,0,0,0,$period_start,$period_end
Carla Bianchi,20,2,2,0,0,12,0,0,6,4,"6.000,00",4,3,$period_start,$period_end
EOF

# palms_row MEMBER: the member's row of the PALMS CSV in $out (empty when absent).
palms_row() { grep "^$1," <<<"$out"; }
# expect_counts WHAT MEMBER P,A,L,M,S,REF_GIVEN,REF_RECEIVED,VISITORS,ONE_TO_ONES,CEU,TESTIMONIALS
expect_counts() {
  local row
  row="$(palms_row "$2")"
  [ -n "$row" ] || fail "$1: no row for $2 in: $out"
  expect "$1, $2" "$(cut -d, -f4-14 <<<"$row")" "$3"
}

step="import: a dry run records nothing"
cli --token "$olga_token" import --chapter sem "$work/palms.csv" --kind palms-summary --dry-run
cli --token "$olga_token" report palms --chapter sem --csv
expect_counts "PALMS after the dry run" "$ana" "0,0,0,0,0,0,0,0,0,0,0"

step="import: the file, then the same file again"
cli --token "$olga_token" import --chapter sem "$work/palms.csv" --kind palms-summary
cli --token "$olga_token" report palms --chapter sem --csv
imported="$out"
expect_counts "PALMS after the import" "$ana" "23,1,0,0,0,22,5,3,10,2,1"
cli --token "$olga_token" import --chapter sem "$work/palms.csv" --kind palms-summary
cli --token "$olga_token" report palms --chapter sem --csv
expect "PALMS after importing the same file twice" "$out" "$imported"

step="last week's holiday"
cli --token "$olga_token" meeting schedule --chapter sem --start "$(utc_minutes_ago $((7 * 1440)))" \
  --json
holiday="$(jget name <<<"$out")"
cli --token "$olga_token" meeting cancel "$holiday" --reason "Holiday"

step="this week's meeting"
cli --token "$olga_token" meeting schedule --chapter sem --start "$(utc_minutes_ago 5)" --json
meeting="$(jget name <<<"$out")"
cli --token "$olga_token" meeting open "$meeting"
cli --token "$olga_token" attendance --meeting "$meeting" --member "$ana" --status present
cli --token "$olga_token" attendance --meeting "$meeting" --member "$bruno" --status present
cli --token "$carla_token" checkin --meeting "$meeting"  # after the start: late
cli --token "$ana_token" refer --to "$bruno" --temperature 4 --inside
cli --token "$olga_token" meeting close "$meeting"  # Olga never checked in: absent

step="paper slips typed after the meeting count at it"
for _ in 1 2; do
  cli --token "$olga_token" refer --to "$ana" --temperature 3 --inside --meeting "$meeting" \
    --on-behalf-of "$carla"
done
# Ana types in the one-to-one she had with Bruno at the meeting: it counts there.
cli --token "$ana_token" one-to-one --with "$bruno" --meeting "$meeting"
cli --token "$olga_token" meeting submit "$meeting"
# After the week is submitted, only an organizer's correction goes into it; and nobody dates a
# record before they joined (everyone joined today: older history is the import's).
cli_fails 3 "only an organizer can still change it" --token "$ana_token" one-to-one --with "$carla" --meeting "$meeting"
cli_fails 3 "joined" --token "$ana_token" one-to-one --with "$carla" \
  --date "$(day 2)"

step="the week's PALMS"
# From the holiday to today: one meeting held (+1 cancelled, in nobody's attendance), Carla's
# two slips in it. Nothing imported: the summaries end the day before the holiday.
#   Ana: present, 1 referral given (to Bruno), 2 received (Carla's slips), 1 one-to-one.
#   Bruno: present, 1 received, 1 one-to-one. Carla: late, 2 given. Olga: absent.
cli --token "$olga_token" report palms --chapter sem --from "$(day 7)" --to "$(day 0)"
grep -q "1 meeting (+1 cancelled)" <<<"$out" || fail "the week's PALMS header: $out"
cli --token "$olga_token" report palms --chapter sem --from "$(day 7)" --to "$(day 0)" --csv
expect_counts "week" "$ana" "1,0,0,0,0,1,2,0,1,0,0"
expect_counts "week" "$bruno" "1,0,0,0,0,0,1,0,1,0,0"
expect_counts "week" "$carla" "0,0,1,0,0,2,0,0,0,0,0"
expect_counts "week" "$olga" "0,1,0,0,0,0,0,0,0,0,0"

step="the semester's PALMS"
# The summaries plus the week: Ana 23 + 1 present, 18 + 4 + 1 given, 5 + 2 received, 10 + 1
# one-to-ones; Bruno 24 + 1 present, 20 + 1 received, 8 + 1 one-to-ones; Carla 2 + 1 late, 12 + 2
# given.
cli --token "$olga_token" report palms --chapter sem --csv
expect_counts "semester" "$ana" "24,1,0,0,0,23,7,3,11,2,1"
expect_counts "semester" "$bruno" "25,0,0,0,0,6,21,1,9,0,0"
expect_counts "semester" "$carla" "20,2,3,0,0,14,0,6,4,4,3"

step="the traffic light, with the why"
# uk.json over 182 days up to the last event: 25 meetings (24 imported, this week's; the holiday
# counts in no attendance), and rates over 182 - 7 (the holiday's week) = 175 days, 25.0 weeks.
# Tenure: since the summaries' start (175 days), shorter than the window, but 25 meetings are
# more than minimum_meetings (6): scored, not provisional.
#   Ana: 1 absence -> 10; 23 referrals, 0.92 a week -> 10; 3 visitors, 0.12 -> 5; 3,000.00 EUR
#     -> 10; 1 testimonial, 0.04 -> 5; never late -> 5; 2 CEUs -> 10: 55, amber.
#   Bruno: 0 absences -> 15; 6 referrals, 0.24 -> 0; 1 visitor, 0.04 -> 0; no TYFCB -> 0; 0
#     testimonials -> 5; never late -> 5; 0 CEUs -> 0: 25, grey.
#   Carla: 2 absences -> 5; 14 referrals, 0.56 -> 5; 6 visitors, 0.24 -> 10; 6,000.00 EUR -> 15;
#     3 testimonials, 0.12 -> 10; 3 lates -> 0; 4 CEUs -> 15: 60, amber.
#   Olga: one meeting (absent) since she joined today: provisional.
# why_row WHAT ROW POINTS MEASURED_REGEX: a row of `scores --member X --why` in $out.
why_row() {
  grep -Eq "^ +$2 +$3 +$4\$" <<<"$out" || fail "$1's why: no \"$2  $3  $4\" in: $out"
}
cli --token "$ana_token" scores --member "$ana" --why
grep -Eq "Ana Rossi +55/100 +amber$" <<<"$out" || fail "Ana's score: $out"
why_row Ana "Absences" 10/15 "1 absence in 25 meetings"
why_row Ana "Referrals given" 10/20 "0\.92 per week \(23 referrals in 25\.0 weeks\)"
why_row Ana "Visitors" 5/20 "0\.12 per week \(3 visitors in 25\.0 weeks\)"
why_row Ana "TYFCB" 10/15 "€3,000\.00.*"
why_row Ana "Testimonials" 5/10 "0\.04 per week \(1 testimonial in 25\.0 weeks\)"
why_row Ana "Never late" 5/5 "never late in 25 meetings"
why_row Ana "Trainings \(CEUs\)" 10/15 "2 credits in 182 days"
cli --token "$carla_token" scores --member "$carla" --why
grep -Eq "Carla Bianchi +60/100 +amber$" <<<"$out" || fail "Carla's score: $out"
why_row Carla "Absences" 5/15 "2 absences in 25 meetings"
why_row Carla "Referrals given" 5/20 "0\.56 per week \(14 referrals in 25\.0 weeks\)"
why_row Carla "Visitors" 10/20 "0\.24 per week \(6 visitors in 25\.0 weeks\)"
why_row Carla "TYFCB" 15/15 "€6,000\.00.*"
why_row Carla "Testimonials" 10/10 "0\.12 per week \(3 testimonials in 25\.0 weeks\)"
why_row Carla "Never late" 0/5 "3 lates? in 25 meetings"
why_row Carla "Trainings \(CEUs\)" 15/15 "4 credits in 182 days"
cli --token "$bruno_token" scores
grep -Eq "Bruno Verdi +25/100 +grey$" <<<"$out" || fail "Bruno's score: $out"
grep -Eq "Olga Organizer +[0-9]+/100 +provisional$" <<<"$out" || fail "Olga's score: $out"
# Sorted by points: Carla, Ana, Bruno.
expect "scores order" "$(grep -Eo "(Ana Rossi|Bruno Verdi|Carla Bianchi)" <<<"$out" | tr '\n' ,)" \
  "Carla Bianchi,Ana Rossi,Bruno Verdi,"

step="the leaderboard"
# Referrals given over all time: Ana 22 imported + 1, Carla 12 + 2 slips, Bruno 6.
cli --token "$bruno_token" leaderboard --board referrals_given
grep -Eq "^1 +[^ ]+ +Ana Rossi +23$" <<<"$out" || fail "leaderboard first: $out"
grep -Eq "^2 +[^ ]+ +Carla Bianchi +14$" <<<"$out" || fail "leaderboard second: $out"
grep -Eq "^3 +[^ ]+ +Bruno Verdi +6$" <<<"$out" || fail "leaderboard third: $out"

step="stop"
stop_server
expect "exit status on SIGTERM" "$server_rc" "0"
echo "e2e imported semester: ok"
