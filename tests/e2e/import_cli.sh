#!/usr/bin/env bash
# End to end: `reciproca import` against the real reciprocad (docs/import.md).
#
#   bash import_cli.sh PATH_TO_reciprocad PATH_TO_reciproca DATA_DIR
#
# DATA_DIR is tests/data. A dry run prints what would be recorded and records nothing; a real
# run records the file and the PALMS report counts it (CSV, imported_summaries); the same file
# again records nothing and says so; a bad file prints every rejected line with its number and
# reason, records nothing and exits 3; --member-map maps a name; referrals with their dates;
# thank-yous with Italian amounts, counted in the PALMS TYFCB; a member is refused.
# shellcheck disable=SC2154
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 PATH_TO_reciprocad PATH_TO_reciproca DATA_DIR" >&2
  exit 2
fi
server_bin="$1"
cli_bin="$2"
files="$3"
server_args=()
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

step="start server"
start_server
admin="$(tr -d '[:space:]' <"$data/admin.token")"

step="chapter and members"
cli --token "$admin" chapter create --id imp --name "Import Breakfast" --timezone Europe/Rome \
  --currency EUR
add() {
  cli --token "$admin" member add --chapter imp --name "$1" --business "$1 Ltd" \
    --category "$2" "${@:4}" --json
  printf -v "$3" '%s' "$(jget name <<<"$out")"
  printf -v "${3}_token" '%s' "$(jget access_token <<<"$out")"
}
add "Olga Organizer" accountant olga --role vice-president
add "Nicolò Rossi" plumber nicolo
add "Maria Luisa De André" florist maria
export RECIPROCA_TOKEN="$olga_token"

# palms_cell MEMBER COLUMN: a cell of the PALMS CSV in $out.
palms_cell() {
  local column
  column="$(head -n 1 <<<"$out" | tr ',' '\n' | grep -n "^$2\$" | cut -d: -f1)"
  grep "^$1," <<<"$out" | cut -d, -f"$column"
}

step="a dry run prints the rows and records nothing"
cli import --chapter imp "$files/palms_summary_it.csv" --dry-run
grep -q "line 2: would record $nicolo 2026-09-01..2026-11-30: P 10 A 1" <<<"$out" ||
  fail "dry run: no row for line 2: $out"
grep -q "^dry run: nothing recorded" <<<"$out" || fail "dry run: $out"
cli report palms --chapter imp --csv
expect "present after the dry run" "$(palms_cell "$nicolo" present)" "0"

step="the file, then the same file again"
cli import --chapter imp "$files/palms_summary_it.csv" --kind palms-summary
grep -q "^recorded 2 rows" <<<"$out" || fail "import: $out"
cli report palms --chapter imp --csv
expect "present after the import" "$(palms_cell "$nicolo" present)" "10"
expect "referrals given after the import" "$(palms_cell "$nicolo" referrals_given)" "6"
expect "imported summaries" "$(palms_cell "$nicolo" imported_summaries)" "1"
imported="$out"
cli import --chapter imp "$files/palms_summary_it.csv"
grep -q "^already imported" <<<"$out" || fail "import again: $out"
cli report palms --chapter imp --csv
expect "PALMS after importing the same file twice" "$out" "$imported"
cli report palms --chapter imp
grep -q "IMPORTED" <<<"$out" || fail "the PALMS table has no IMPORTED column: $out"
cli watch --chapter imp --after-seq 4 --limit 1
grep -q "PALMS summary imported: $nicolo .*\[imported: chapters/imp/imports/" <<<"$out" ||
  fail "watch: $out"

step="a bad file: every rejected line, nothing recorded, exit 3"
cli chapter get imp --json
before="$(jget last_seq <<<"$out")"
out="$("$cli_bin" import --chapter imp "$files/palms_summary_bad.csv" 2>"$work/stderr")"
rc=$?
expect "exit code of a rejected file" "$rc" "3"
for want in "line 3: rejected IMPORT_NOT_A_NUMBER" "line 4: rejected IMPORT_MEMBER_UNMATCHED" \
  "line 8: rejected IMPORT_COLUMN_COUNT" "unmatched names .*\"Nobody Known\"" "^nothing recorded"; do
  grep -q -- "$want" <<<"$out" || fail "bad file: no \"$want\" in: $out"
done
cli chapter get imp --json
expect "last seq after the bad file" "$(jget last_seq <<<"$out")" "$before"

step="--member-map"
printf 'Member,P,A,Period start,Period end\nN. Rossi,3,0,2026-08-03,2026-08-30\n' >"$work/short.csv"
printf '# their name,member\nN. Rossi,%s\n' "${nicolo##*/}" >"$work/map.csv"
cli import --chapter imp "$work/short.csv" --member-map "$work/map.csv"
grep -q "^recorded 1 row" <<<"$out" || fail "member map: $out"

step="referrals with their dates"
cli import --chapter imp "$files/referrals_it.csv" --kind referrals --dry-run
grep -q "line 2: would record referral $nicolo -> $maria, outside, temperature 4, given 2026-11-03" \
  <<<"$out" || fail "referrals dry run: $out"
grep -q "line 3: rejected SELF_REFERRAL" <<<"$out" || fail "referrals dry run: $out"
cli import --chapter imp "$files/referrals_en.csv" --kind referrals
grep -q "^recorded 2 rows" <<<"$out" || fail "referrals: $out"
cli referral list --chapter imp --json
grep -q "Roberto Gallo" <<<"$out" || fail "referral list: $out"
# The export marks each imported record with its import.
cli report records --chapter imp --kind referrals --csv
expect "referral export header" "$(head -n 1 <<<"$out" | awk -F, '{print $NF}')" "imported_from"
expect "imported referrals in the export" "$(grep -c ",chapters/imp/imports/[0-9a-f]*$" <<<"$out")" "2"

step="thank-yous: Italian headers and amounts, in the PALMS TYFCB"
cli report palms --chapter imp --csv
expect "Maria's TYFCB before the thank-yous" "$(palms_cell "$maria" tyfcb_given)" ""
out="$("$cli_bin" import --chapter imp "$files/thank_yous_it.csv" --kind thank-yous 2>"$work/stderr")"
rc=$?
expect "exit code of the thank-yous with bad lines" "$rc" "3"
for want in "line 2: would record thank-you $maria -> $nicolo, EUR 1234.56, new, on 2026-11-03" \
  "line 4: rejected THANK_YOU_SELF" "line 5: rejected IMPORT_MEMBER_UNMATCHED" \
  "line 6: rejected IMPORT_NOT_A_NUMBER" "line 9: rejected AMOUNT_NOT_POSITIVE" "^nothing recorded"; do
  grep -q -- "$want" <<<"$out" || fail "thank-yous: no \"$want\" in: $out"
done
head -n 3 "$files/thank_yous_it.csv" >"$work/thank_yous_good.csv"
cli import --chapter imp "$work/thank_yous_good.csv" --kind thank-yous
grep -q "^recorded 2 rows" <<<"$out" || fail "thank-yous: $out"
grep -q "line 3: recorded thank-you $nicolo -> $maria, EUR 800.00, repeat, on 2026-11-10" \
  <<<"$out" || fail "thank-yous: $out"
cli report palms --chapter imp --csv
# Her summary's TYFCB was 0,00; now the 1.234,56 she thanked Nicolò for on 2026-11-03.
expect "Maria's TYFCB after the thank-yous" "$(palms_cell "$maria" tyfcb_given)" "EUR 1234.56"
expect "Maria's TYFCB received" "$(palms_cell "$maria" tyfcb_received)" "EUR 800.00"
cli import --chapter imp "$work/thank_yous_good.csv" --kind thank-yous
grep -q "^already imported" <<<"$out" || fail "thank-yous again: $out"

step="a member is refused"
cli_fails 3 "PERMISSION_DENIED" --token "$nicolo_token" import --chapter imp \
  "$files/palms_summary_es.csv" --dry-run

echo "e2e import_cli: ok"
