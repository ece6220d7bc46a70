#pragma once

// Reading other tools' exports (ImportService, docs/import.md): an RFC 4180 CSV reader (UTF-8,
// with or without a BOM; ',' or ';' separated, as English and Italian/Spanish spreadsheets
// export) and the PALMS-summary format on it: one row per member per period, the columns found
// by their English, Italian or Spanish headers, members matched by display name (case- and
// accent-insensitive) or by the organizer's map. Pure: what to record is decided elsewhere.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reciproca/v1/events.pb.h"
#include "reciproca/v1/resources.pb.h"
#include "server/domain/result.h"

namespace reciproca::domain {

// Reasons of a rejected line or file (the ErrorInfo-like reason of a rejection; docs/import.md).
inline constexpr std::string_view kImportNotUtf8 = "IMPORT_NOT_UTF8";
inline constexpr std::string_view kImportUnterminatedQuote = "IMPORT_UNTERMINATED_QUOTE";
inline constexpr std::string_view kImportEmpty = "IMPORT_EMPTY";
inline constexpr std::string_view kImportColumnMissing = "IMPORT_COLUMN_MISSING";
inline constexpr std::string_view kImportColumnCount = "IMPORT_COLUMN_COUNT";
inline constexpr std::string_view kImportNotANumber = "IMPORT_NOT_A_NUMBER";
inline constexpr std::string_view kImportBadDate = "IMPORT_BAD_DATE";
inline constexpr std::string_view kImportPeriodMissing = "IMPORT_PERIOD_MISSING";
inline constexpr std::string_view kImportPeriodReversed = "IMPORT_PERIOD_REVERSED";
inline constexpr std::string_view kImportMemberUnmatched = "IMPORT_MEMBER_UNMATCHED";
inline constexpr std::string_view kImportMemberAmbiguous = "IMPORT_MEMBER_AMBIGUOUS";

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

// A rejected line and why (reason and params as an Error carries them; line 0: the file).
struct ImportRejection {
  int line = 0;
  Error error;
};

struct PalmsSummaryParse {
  std::vector<v1::PalmsSummaryImported> rows;  // member names resolved, source_line set
  std::vector<ImportRejection> rejected;
  std::vector<std::string> unmatched;  // their names that matched no member (each once)
};

// The rows of a PALMS-summary export. `period_start`/`period_end` ("YYYY-MM-DD", may be empty)
// are the file's period, for files without period columns. TYFCB amounts are in `currency`.
PalmsSummaryParse ParsePalmsSummary(std::string_view bytes, const MemberMatcher& matcher,
                                    std::string_view period_start, std::string_view period_end,
                                    std::string_view currency);

}  // namespace reciproca::domain
