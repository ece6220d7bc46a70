#pragma once

// Reading other tools' exports (ImportService, docs/import.md): an RFC 4180 CSV reader (UTF-8,
// with or without a BOM; ',' or ';' separated, as English and Italian/Spanish spreadsheets
// export) and the PALMS-summary format on it: one row per member per period, the columns found
// by their English, Italian or Spanish headers, members matched by display name (case- and
// accent-insensitive) or by the organizer's map. Pure: what to record is decided elsewhere.

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reciproca/v1/events.pb.h"
#include "reciproca/v1/meeting_service.pb.h"
#include "reciproca/v1/referral_service.pb.h"
#include "reciproca/v1/resources.pb.h"
#include "server/domain/error_reasons.h"
#include "server/domain/result.h"

namespace reciproca::domain {

// One record of a CSV file: its fields and the line it starts on (1-based; the header is 1).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// The separator of a file: ';' when its first line has more ';' than ',' outside quotes.
char DetectSeparator(std::string_view text);

// The records of `bytes` (a leading UTF-8 BOM skipped; CRLF or LF; quoted fields with "" inside
// and line breaks). Blank lines are skipped. INVALID_ARGUMENT with reason kImportNotUtf8 or
// kImportUnterminatedQuote (param "line") otherwise.
Result<std::vector<CsvRecord>> ReadCsv(std::string_view bytes);

// A person's name folded for matching: NFD, marks removed, case folded, spaces collapsed
// ("  Nicolò  ROSSI" -> "nicolo rossi").
std::string FoldName(std::string_view name);

// A header folded for the alias table: FoldName without spaces, '_', '-', '.', '/'.
std::string FoldHeader(std::string_view header);

// Their names -> our members: the organizer's map first (their name -> a member resource name),
// then the active and past members' display names, folded.
class MemberMatcher {
 public:
  MemberMatcher(const std::map<std::string, v1::Member, std::less<>>& members,
                const std::map<std::string, std::string>& member_map);
  // The member's resource name; an error with kImportMemberUnmatched or kImportMemberAmbiguous.
  Result<std::string> Match(std::string_view their_name) const;

 private:
  std::map<std::string, std::string> mapped_;   // folded their name -> member
  std::map<std::string, std::string> by_name_;  // folded display name -> member ("" if two)
};

// What one imported file may hold (the server's --import-max-bytes and --import-max-lines;
// docs/limits.md): beyond, the file is refused whole (kImportTooLarge, kImportTooManyLines).
struct ImportLimits {
  size_t max_bytes = 1000 * 1000;
  int max_lines = 5000;
};

// A rejected line and why (reason and params as an Error carries them, error_reasons.h; line 0:
// the file).
struct ImportRejection {
  int line = 0;
  Error error;
};

// The tables under every format: a file's records, its header's fields resolved to the
// format's columns by header aliases, and what every format checks on a record.

// A header that names a column of a format (`header` as FoldHeader leaves it).
struct HeaderAlias {
  int column;
  std::string_view header;
};

struct ImportTable {
  std::vector<CsvRecord> records;  // the header first
  std::vector<int> at;             // per column of the format: its field, -1 when none
  // The data records (after the header).
  int lines() const { return static_cast<int>(records.size()) - 1; }
  // `record`'s field of `column` without leading and trailing spaces; "" when no header names
  // the column.
  std::string Cell(const CsvRecord& record, int column) const;
};

// The table of `bytes` for a format of `columns` columns (the first header naming a column
// wins); nullopt, with the file's rejection added to `rejected`, when ReadCsv refuses the file
// or it has no header line (kImportEmpty).
std::optional<ImportTable> ReadImportTable(std::string_view bytes,
                                           std::span<const HeaderAlias> aliases, int columns,
                                           std::vector<ImportRejection>& rejected);
// False, with the record's rejection (kImportColumnCount) added, when its number of fields is
// not the header's.
bool CheckFieldCount(const ImportTable& table, const CsvRecord& record,
                     std::vector<ImportRejection>& rejected);
// The member `their_name` names; nullopt, with the rejection added (and an unmatched name
// remembered in `unmatched`), when the matcher knows none or two.
std::optional<std::string> MatchImportMember(const MemberMatcher& matcher,
                                             const std::string& their_name, int line,
                                             std::vector<ImportRejection>& rejected,
                                             std::set<std::string>& unmatched);
// "2026-09-01", "01/09/2026", "1.9.2026" (day first, as in Italy and Spain) -> "2026-09-01";
// nullopt when it is not a real date.
std::optional<std::string> ParseImportDate(std::string_view text);
// The rejection of `line`'s `column` holding `value`, not a date (kImportBadDate).
Error NotADate(const std::string& line, std::string_view column, const std::string& value);
// An amount as written in either convention -> "1234.56": "1.234,56" (Italian, Spanish),
// "1,234.56" (English), "1234", "800 €". With both separators the last one is the decimal
// point; with one, it is the decimal point when one or two digits follow it and a thousands
// separator when three do ("1.250" and "1,250" are 1250). nullopt when it is not an amount.
std::optional<std::string> ParseImportAmount(std::string_view raw);

struct PalmsSummaryParse {
  int lines = 0;                               // data records read (after the header)
  std::vector<v1::PalmsSummaryImported> rows;  // member names resolved, source_line set
  std::vector<ImportRejection> rejected;
  std::vector<std::string> unmatched;  // their names that matched no member (each once)
};

// The rows of a PALMS-summary export. `period_start`/`period_end` ("YYYY-MM-DD", may be empty)
// are the file's period, for files without period columns. TYFCB amounts are in `currency`.
PalmsSummaryParse ParsePalmsSummary(std::string_view bytes, const MemberMatcher& matcher,
                                    std::string_view period_start, std::string_view period_end,
                                    std::string_view currency);

// One record of a records export (docs/import.md, "Referrals" ... "Visitors"): the day it
// happened and the request that records it, its member as on_behalf_of (an organizer types in
// the slips).
template <class Request>
struct ImportedRecord {
  int line = 0;
  std::string date;  // "YYYY-MM-DD"
  Request request;
};

template <class Request>
struct RecordsParse {
  int lines = 0;  // data records read (after the header)
  std::vector<ImportedRecord<Request>> rows;
  std::vector<ImportRejection> rejected;
  std::vector<std::string> unmatched;  // their names that matched no member (each once)
};
using ImportedReferral = ImportedRecord<v1::GiveReferralRequest>;
using ReferralsParse = RecordsParse<v1::GiveReferralRequest>;
using OneToOnesParse = RecordsParse<v1::RecordOneToOneRequest>;
using ThankYousParse = RecordsParse<v1::RecordThankYouRequest>;
using CeusParse = RecordsParse<v1::RecordEducationRequest>;
// A visitor's request names no meeting: occurred.date is the row's day, and the chapter finds
// the meeting of that day's week (Chapter::DecideImportVisitor).
using VisitorsParse = RecordsParse<v1::RegisterVisitorRequest>;

// The rows of a referrals export (import_records.cc): date, giver and receiver required;
// kind, temperature (3 when empty), contact name, phone, e-mail and note optional.
ReferralsParse ParseReferrals(std::string_view bytes, const MemberMatcher& matcher);
// The rows of a one-to-ones export (import_records.cc): date, member and the member met
// required, a note optional. The date is also the one-to-one's date.
OneToOnesParse ParseOneToOnes(std::string_view bytes, const MemberMatcher& matcher);
// The rows of a thank-yous export (import_records.cc): date, from (who thanks), to (who
// referred) and amount (ParseImportAmount, in `currency`) required; business type (new or
// repeat), the referral it closes (a referral id or resource name) and a note optional.
// A bare referral id is a referral of `chapter` ("chapters/{chapter}").
ThankYousParse ParseThankYous(std::string_view bytes, const MemberMatcher& matcher,
                              std::string_view chapter, std::string_view currency);
// The rows of an education-credits export (import_records.cc): date, member and credits (a
// whole number) required, a title optional (the record's note).
CeusParse ParseCeus(std::string_view bytes, const MemberMatcher& matcher);
// The rows of a visitors export (import_records.cc): date, inviting member, the visitor's name
// and business required; phone and e-mail optional.
VisitorsParse ParseVisitors(std::string_view bytes, const MemberMatcher& matcher);

}  // namespace reciproca::domain
