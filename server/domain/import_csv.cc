#include "server/domain/import_csv.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <optional>
#include <set>
#include <span>
#include <utility>

#include "server/domain/money.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsUtf8(std::string_view s) {
  int32_t i = 0;
  const auto n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

Error Rejected(std::string message, std::string_view reason, ErrorParams params) {
  return InvalidArgument(std::move(message)).Because(reason, std::move(params));
}

// The columns of a PALMS summary, and the headers (folded) that name them.
enum Column {
  kName,
  kPresent,
  kAbsent,
  kLate,
  kMedical,
  kSubstitute,
  kGivenInside,
  kGivenOutside,
  kReceived,
  kVisitors,
  kOneToOnes,
  kTyfcb,
  kCeu,
  kTestimonials,
  kPeriodStart,
  kPeriodEnd,
  kColumnCount,
};

using Alias = HeaderAlias;

// English (BNI Connect), Italian and Spanish headers; docs/import.md has the table.
constexpr std::array kAliases = {
    Alias{kName, "member"},
    Alias{kName, "name"},
    Alias{kName, "membername"},
    Alias{kName, "socio"},
    Alias{kName, "membro"},
    Alias{kName, "nome"},
    Alias{kName, "nominativo"},
    Alias{kName, "miembro"},
    Alias{kName, "nombre"},
    Alias{kName, "socia"},
    Alias{kPresent, "p"},
    Alias{kPresent, "present"},
    Alias{kPresent, "presente"},
    Alias{kPresent, "presenze"},
    Alias{kPresent, "presencias"},
    Alias{kAbsent, "a"},
    Alias{kAbsent, "absent"},
    Alias{kAbsent, "assente"},
    Alias{kAbsent, "assenze"},
    Alias{kAbsent, "ausente"},
    Alias{kAbsent, "ausencias"},
    Alias{kLate, "l"},
    Alias{kLate, "late"},
    Alias{kLate, "ritardo"},
    Alias{kLate, "ritardi"},
    Alias{kLate, "tarde"},
    Alias{kLate, "retrasos"},
    Alias{kMedical, "m"},
    Alias{kMedical, "medical"},
    Alias{kMedical, "medico"},
    Alias{kMedical, "malattia"},
    Alias{kMedical, "medica"},
    Alias{kSubstitute, "s"},
    Alias{kSubstitute, "substitute"},
    Alias{kSubstitute, "sostituto"},
    Alias{kSubstitute, "sostituti"},
    Alias{kSubstitute, "sustituto"},
    Alias{kSubstitute, "sustitutos"},
    Alias{kGivenInside, "rgi"},
    Alias{kGivenInside, "referralsgiveninside"},
    Alias{kGivenInside, "referenzedateinterne"},
    Alias{kGivenInside, "rdi"},
    Alias{kGivenInside, "referenciasdadasinternas"},
    Alias{kGivenOutside, "rgo"},
    Alias{kGivenOutside, "referralsgivenoutside"},
    Alias{kGivenOutside, "referenzedateesterne"},
    Alias{kGivenOutside, "rde"},
    Alias{kGivenOutside, "referenciasdadasexternas"},
    Alias{kReceived, "rri"},
    Alias{kReceived, "rro"},
    Alias{kReceived, "referralsreceived"},
    Alias{kReceived, "referenzericevute"},
    Alias{kReceived, "rr"},
    Alias{kReceived, "referenciasrecibidas"},
    Alias{kVisitors, "v"},
    Alias{kVisitors, "visitors"},
    Alias{kVisitors, "ospiti"},
    Alias{kVisitors, "visitatori"},
    Alias{kVisitors, "invitados"},
    Alias{kVisitors, "visitantes"},
    Alias{kOneToOnes, "121"},
    Alias{kOneToOnes, "1to1"},
    Alias{kOneToOnes, "onetoones"},
    Alias{kOneToOnes, "oneonones"},
    Alias{kOneToOnes, "facciaafaccia"},
    Alias{kOneToOnes, "unoauno"},
    Alias{kTyfcb, "tyfcb"},
    Alias{kTyfcb, "grazieperaffarichiusi"},
    Alias{kTyfcb, "gpac"},
    Alias{kTyfcb, "graciaspornegocioscerrados"},
    Alias{kCeu, "ceu"},
    Alias{kCeu, "ceus"},
    Alias{kCeu, "formazione"},
    Alias{kCeu, "formacion"},
    Alias{kTestimonials, "t"},
    Alias{kTestimonials, "testimonials"},
    Alias{kTestimonials, "testimonianze"},
    Alias{kTestimonials, "testimonios"},
    Alias{kPeriodStart, "periodstart"},
    Alias{kPeriodStart, "from"},
    Alias{kPeriodStart, "dal"},
    Alias{kPeriodStart, "iniziop"},
    Alias{kPeriodStart, "inizioperiodo"},
    Alias{kPeriodStart, "desde"},
    Alias{kPeriodStart, "iniciodelperiodo"},
    Alias{kPeriodStart, "inicioperiodo"},
    Alias{kPeriodEnd, "periodend"},
    Alias{kPeriodEnd, "to"},
    Alias{kPeriodEnd, "al"},
    Alias{kPeriodEnd, "fineperiodo"},
    Alias{kPeriodEnd, "hasta"},
    Alias{kPeriodEnd, "findelperiodo"},
    Alias{kPeriodEnd, "finperiodo"},
};

std::string TrimCell(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::optional<std::string> ParseImportAmount(std::string_view raw) {
  std::string digits;
  for (char c : raw) {
    if ((c >= '0' && c <= '9') || c == '.' || c == ',') digits += c;
  }
  if (digits.empty()) return std::nullopt;
  const size_t last_dot = digits.rfind('.');
  const size_t last_comma = digits.rfind(',');
  size_t decimal = std::string::npos;
  if (last_dot != std::string::npos && last_comma != std::string::npos) {
    decimal = std::max(last_dot, last_comma);
  } else {
    const size_t only = last_dot != std::string::npos ? last_dot : last_comma;
    // One separator followed by 1 or 2 digits is decimal; by 3, thousands ("1.250").
    if (only != std::string::npos && digits.size() - only - 1 <= 2 &&
        digits.find(digits[only]) == only) {
      decimal = only;
    }
  }
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i == decimal) {
      out += '.';
    } else if (digits[i] >= '0' && digits[i] <= '9') {
      out += digits[i];
    }
  }
  // Anything else than digits, separators, spaces and a currency sign is not an amount.
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !(c >= '0' && c <= '9') && c != '.' && c != ',' && c != ' ' && c != '$') {
      return std::nullopt;
    }
  }
  if (out.empty() || out == ".") return std::nullopt;
  return out;
}

char DetectSeparator(std::string_view text) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  int commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    commas += c == ',';
    semicolons += c == ';';
  }
  return semicolons > commas ? ';' : ',';
}

Result<std::vector<CsvRecord>> ReadCsv(std::string_view bytes) {
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  if (!IsUtf8(bytes)) {
    return Rejected("the file is not UTF-8 text: export it as \"CSV UTF-8\"", kImportNotUtf8, {});
  }
  const char sep = DetectSeparator(bytes);
  std::vector<CsvRecord> records;
  CsvRecord current;
  std::string field;
  int line = 1;
  int record_line = 1;
  bool quoted = false;
  bool any = false;  // the record has a character (a blank line is no record)
  auto end_record = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    if (any) {
      current.line = record_line;
      records.push_back(std::move(current));
    }
    current = {};
    any = false;
  };
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < bytes.size() && bytes[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == sep) {
      current.fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
      end_record();
      ++line;
      record_line = line;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) {
    return Rejected("line " + std::to_string(record_line) + ": a quoted field is not closed",
                    kImportUnterminatedQuote, {{"line", std::to_string(record_line)}});
  }
  end_record();
  return records;
}

std::string FoldName(std::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(text, status) : text;
  if (U_FAILURE(status)) decomposed = text;
  icu::UnicodeString kept;
  bool space = false;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (u_isUWhiteSpace(c)) {
      space = !kept.isEmpty();
      continue;
    }
    if (space) kept.append(static_cast<UChar>(' '));
    space = false;
    kept.append(c);
  }
  kept.foldCase();
  std::string out;
  kept.toUTF8String(out);
  return out;
}

std::string FoldHeader(std::string_view header) {
  std::string out;
  for (char c : FoldName(header)) {
    if (c != ' ' && c != '_' && c != '-' && c != '.' && c != '/' && c != '#') out += c;
  }
  return out;
}

MemberMatcher::MemberMatcher(const std::map<std::string, v1::Member, std::less<>>& members,
                             const std::map<std::string, std::string>& member_map) {
  for (const auto& [theirs, ours] : member_map) mapped_[FoldName(theirs)] = ours;
  for (const auto& [name, member] : members) {
    auto [it, inserted] = by_name_.emplace(FoldName(member.display_name()), name);
    if (!inserted) it->second.clear();  // two members fold alike: only the map tells them apart
  }
}

Result<std::string> MemberMatcher::Match(std::string_view their_name) const {
  const std::string folded = FoldName(their_name);
  if (auto m = mapped_.find(folded); m != mapped_.end()) return m->second;
  const auto it = by_name_.find(folded);
  if (it == by_name_.end()) {
    return Rejected("no member is called \"" + std::string(their_name) +
                        "\": add them, or map the name to a member",
                    kImportMemberUnmatched, {{"name", std::string(their_name)}});
  }
  if (it->second.empty()) {
    return Rejected(
        "two members are called \"" + std::string(their_name) + "\": map the name to one of them",
        kImportMemberAmbiguous, {{"name", std::string(their_name)}});
  }
  return it->second;
}

std::optional<std::string> ParseImportDate(std::string_view s) {
  if (IsValidDate(s)) return std::string(s);
  int d = 0, m = 0, y = 0;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  auto number = [&](int& out) {
    auto [next, ec] = std::from_chars(p, end, out);
    if (ec != std::errc() || next == p) return false;
    p = next;
    return true;
  };
  if (!number(d) || p == end || (*p != '/' && *p != '.' && *p != '-')) return std::nullopt;
  const char sep = *p++;
  if (!number(m) || p == end || *p != sep) return std::nullopt;
  ++p;
  if (!number(y) || p != end) return std::nullopt;
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
  if (!IsValidDate(out)) return std::nullopt;
  return std::string(out);
}

Error NotADate(const std::string& line, std::string_view column, const std::string& value) {
  return Rejected("line " + line + ": " + std::string(column) + " \"" + value +
                      "\" is not a date (2026-09-01 or 01/09/2026)",
                  kImportBadDate,
                  {{"line", line}, {"column", std::string(column)}, {"value", value}});
}

std::string ImportTable::Cell(const CsvRecord& record, int column) const {
  const int field = at[static_cast<size_t>(column)];
  return field < 0 ? std::string() : TrimCell(record.fields[static_cast<size_t>(field)]);
}

std::optional<ImportTable> ReadImportTable(std::string_view bytes,
                                           std::span<const HeaderAlias> aliases, int columns,
                                           std::vector<ImportRejection>& rejected) {
  auto records = ReadCsv(bytes);
  if (!records.ok()) {
    int line = 0;
    for (const auto& [k, v] : records.error().params) {
      if (k == "line") line = std::stoi(v);
    }
    rejected.push_back({line, records.error()});
    return std::nullopt;
  }
  if (records->empty()) {
    rejected.push_back({0, Rejected("the file has no header line", kImportEmpty, {})});
    return std::nullopt;
  }
  ImportTable table;
  table.records = std::move(records).value();
  table.at.assign(static_cast<size_t>(columns), -1);
  const CsvRecord& header = table.records.front();
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string folded = FoldHeader(header.fields[i]);
    for (const HeaderAlias& alias : aliases) {
      if (alias.header == folded && table.at[static_cast<size_t>(alias.column)] < 0) {
        table.at[static_cast<size_t>(alias.column)] = static_cast<int>(i);
      }
    }
  }
  return table;
}

bool CheckFieldCount(const ImportTable& table, const CsvRecord& record,
                     std::vector<ImportRejection>& rejected) {
  const size_t want = table.records.front().fields.size();
  if (record.fields.size() == want) {
    return true;
  }
  const std::string line = std::to_string(record.line);
  rejected.push_back(
      {record.line, Rejected("line " + line + ": " + std::to_string(record.fields.size()) +
                                 " fields, the header has " + std::to_string(want),
                             kImportColumnCount,
                             {{"line", line},
                              {"got", std::to_string(record.fields.size())},
                              {"want", std::to_string(want)}})});
  return false;
}

std::optional<std::string> MatchImportMember(const MemberMatcher& matcher,
                                             const std::string& their_name, int line,
                                             std::vector<ImportRejection>& rejected,
                                             std::set<std::string>& unmatched) {
  auto member = matcher.Match(their_name);
  if (!member.ok()) {
    if (member.error().reason == kImportMemberUnmatched) unmatched.insert(their_name);
    rejected.push_back({line, member.error()});
    return std::nullopt;
  }
  return std::move(member).value();
}

PalmsSummaryParse ParsePalmsSummary(std::string_view bytes, const MemberMatcher& matcher,
                                    std::string_view period_start, std::string_view period_end,
                                    std::string_view currency) {
  PalmsSummaryParse out;
  const auto table = ReadImportTable(bytes, kAliases, kColumnCount, out.rejected);
  if (!table) {
    return out;
  }
  out.lines = table->lines();
  const CsvRecord& header = table->records.front();
  const std::vector<int>& at = table->at;
  if (at[kName] < 0) {
    out.rejected.push_back(
        {header.line, Rejected("no column names the member (\"Member\", \"Socio\", \"Miembro\")",
                               kImportColumnMissing, {{"column", "member"}})});
    return out;
  }
  const bool has_period = at[kPeriodStart] >= 0 && at[kPeriodEnd] >= 0;
  if (!has_period && (period_start.empty() || period_end.empty())) {
    out.rejected.push_back(
        {header.line, Rejected("the file has no period columns: give the period of the file",
                               kImportPeriodMissing, {})});
    return out;
  }
  std::set<std::string> unmatched;
  for (size_t r = 1; r < table->records.size(); ++r) {
    const CsvRecord& record = table->records[r];
    const std::string line = std::to_string(record.line);
    auto reject = [&](Error e) { out.rejected.push_back({record.line, std::move(e)}); };
    if (!CheckFieldCount(*table, record, out.rejected)) {
      continue;
    }
    auto cell = [&](Column c) { return table->Cell(record, c); };
    v1::PalmsSummaryImported row;
    row.set_source_line(record.line);
    const auto member =
        MatchImportMember(matcher, cell(kName), record.line, out.rejected, unmatched);
    if (!member) {
      continue;
    }
    row.set_member(*member);
    bool bad = false;
    auto count = [&](Column c, std::string_view header_name, auto set) {
      if (bad) return;
      const std::string text = cell(c);
      int value = 0;
      if (!text.empty()) {
        auto [next, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || next != text.data() + text.size() || value < 0 || value > 100000) {
          reject(Rejected("line " + line + ": " + std::string(header_name) + " \"" + text +
                              "\" is not a count (a whole number from 0)",
                          kImportNotANumber,
                          {{"line", line}, {"column", std::string(header_name)}, {"value", text}}));
          bad = true;
          return;
        }
      }
      (row.*set)(value);
    };
    using S = v1::PalmsSummaryImported;
    count(kPresent, "P", &S::set_present);
    count(kAbsent, "A", &S::set_absent);
    count(kLate, "L", &S::set_late);
    count(kMedical, "M", &S::set_medical);
    count(kSubstitute, "S", &S::set_substitute);
    count(kGivenInside, "referrals given inside", &S::set_referrals_given_inside);
    count(kGivenOutside, "referrals given outside", &S::set_referrals_given_outside);
    count(kReceived, "referrals received", &S::set_referrals_received);
    count(kVisitors, "visitors", &S::set_visitors);
    count(kOneToOnes, "one-to-ones", &S::set_one_to_ones);
    count(kCeu, "CEU", &S::set_ceu);
    count(kTestimonials, "testimonials", &S::set_testimonials);
    if (bad) continue;
    if (const std::string tyfcb = cell(kTyfcb); !tyfcb.empty()) {
      const auto amount = ParseImportAmount(tyfcb);
      const bool zero = amount && amount->find_first_not_of("0.") == std::string::npos;
      if (!amount || (!zero && !ParseAmountCents("tyfcb", *amount).ok())) {
        reject(Rejected("line " + line + ": TYFCB \"" + tyfcb + "\" is not an amount",
                        kImportNotANumber,
                        {{"line", line}, {"column", "TYFCB"}, {"value", tyfcb}}));
        continue;
      }
      if (!zero) {
        row.mutable_tyfcb()->set_currency(std::string(currency));
        row.mutable_tyfcb()->set_amount(*amount);
      }
    }
    std::string start(period_start), end(period_end);
    if (has_period) {
      auto date = [&](Column c, std::string_view header_name) -> std::optional<std::string> {
        const std::string text = cell(c);
        auto parsed = ParseImportDate(text);
        if (!parsed) {
          reject(NotADate(line, header_name, text));
        }
        return parsed;
      };
      auto s = date(kPeriodStart, "period start");
      if (!s) continue;
      auto e = date(kPeriodEnd, "period end");
      if (!e) continue;
      start = *s;
      end = *e;
    }
    if (end < start) {
      reject(Rejected(
          "line " + line + ": the period ends (" + end + ") before it starts (" + start + ")",
          kImportPeriodReversed, {{"line", line}, {"start", start}, {"end", end}}));
      continue;
    }
    row.set_period_start(start);
    row.set_period_end(end);
    out.rows.push_back(std::move(row));
  }
  out.unmatched.assign(unmatched.begin(), unmatched.end());
  return out;
}

}  // namespace reciproca::domain
