// The records formats of imports (docs/import.md, "Referrals", "One-to-ones"): one row per
// record with the day it happened, on the tables of import_csv.h. What may be recorded is the
// chapter's (DecideGiveReferral, DecideRecordOneToOne).

#include <array>
#include <charconv>
#include <optional>

#include "server/domain/import_csv.h"

namespace reciproca::domain {
namespace {

// In every records format, columns 0, 1 and 2 are the day, the member who acts (the giver, the
// member who records the one-to-one) and the other member; all three are required.
enum ReferralColumn {
  kReferralDate,
  kReferralGiver,
  kReferralReceiver,
  kReferralKind,
  kReferralTemperature,
  kReferralContactName,
  kReferralContactPhone,
  kReferralContactEmail,
  kReferralNote,
  kReferralColumnCount,
};

// English, Italian and Spanish headers, folded; docs/import.md has the table.
constexpr std::array kReferralAliases = {
    HeaderAlias{kReferralDate, "date"},
    HeaderAlias{kReferralDate, "dategiven"},
    HeaderAlias{kReferralDate, "data"},
    HeaderAlias{kReferralDate, "fecha"},
    HeaderAlias{kReferralGiver, "from"},
    HeaderAlias{kReferralGiver, "giver"},
    HeaderAlias{kReferralGiver, "givenby"},
    HeaderAlias{kReferralGiver, "da"},
    HeaderAlias{kReferralGiver, "datoda"},
    HeaderAlias{kReferralGiver, "de"},
    HeaderAlias{kReferralGiver, "dadapor"},
    HeaderAlias{kReferralReceiver, "to"},
    HeaderAlias{kReferralReceiver, "receiver"},
    HeaderAlias{kReferralReceiver, "givento"},
    HeaderAlias{kReferralReceiver, "a"},
    HeaderAlias{kReferralReceiver, "destinatario"},
    HeaderAlias{kReferralReceiver, "para"},
    HeaderAlias{kReferralKind, "kind"},
    HeaderAlias{kReferralKind, "type"},
    HeaderAlias{kReferralKind, "insideoutside"},
    HeaderAlias{kReferralKind, "tipo"},
    HeaderAlias{kReferralTemperature, "temperature"},
    HeaderAlias{kReferralTemperature, "temp"},
    HeaderAlias{kReferralTemperature, "temperatura"},
    HeaderAlias{kReferralContactName, "contact"},
    HeaderAlias{kReferralContactName, "contactname"},
    HeaderAlias{kReferralContactName, "contatto"},
    HeaderAlias{kReferralContactName, "contacto"},
    HeaderAlias{kReferralContactPhone, "phone"},
    HeaderAlias{kReferralContactPhone, "contactphone"},
    HeaderAlias{kReferralContactPhone, "telefono"},
    HeaderAlias{kReferralContactEmail, "email"},
    HeaderAlias{kReferralContactEmail, "contactemail"},
    HeaderAlias{kReferralContactEmail, "correo"},
    HeaderAlias{kReferralNote, "note"},
    HeaderAlias{kReferralNote, "notes"},
    HeaderAlias{kReferralNote, "comments"},
    HeaderAlias{kReferralNote, "commenti"},
    HeaderAlias{kReferralNote, "notas"},
};

enum OneToOneColumn {
  kOneToOneDate,
  kOneToOneMember,
  kOneToOneWith,
  kOneToOneNote,
  kOneToOneColumnCount,
};

constexpr std::array kOneToOneAliases = {
    HeaderAlias{kOneToOneDate, "date"},     HeaderAlias{kOneToOneDate, "data"},
    HeaderAlias{kOneToOneDate, "fecha"},    HeaderAlias{kOneToOneMember, "member"},
    HeaderAlias{kOneToOneMember, "from"},   HeaderAlias{kOneToOneMember, "socio"},
    HeaderAlias{kOneToOneMember, "da"},     HeaderAlias{kOneToOneMember, "miembro"},
    HeaderAlias{kOneToOneMember, "de"},     HeaderAlias{kOneToOneWith, "with"},
    HeaderAlias{kOneToOneWith, "metwith"},  HeaderAlias{kOneToOneWith, "con"},
    HeaderAlias{kOneToOneNote, "note"},     HeaderAlias{kOneToOneNote, "notes"},
    HeaderAlias{kOneToOneNote, "commenti"}, HeaderAlias{kOneToOneNote, "notas"},
};

// "inside", "interna", "I" ...; UNSPECIFIED for "" (the chapter decides by the contact), and
// nullopt for a word that is neither.
std::optional<v1::ReferralKind> KindOf(const std::string& text) {
  const std::string word = FoldHeader(text);
  for (const char* inside : {"inside", "in", "i", "internal", "interna", "interno"}) {
    if (word == inside) return v1::REFERRAL_KIND_INSIDE;
  }
  for (const char* outside :
       {"outside", "out", "o", "external", "esterna", "esterno", "externa", "externo"}) {
    if (word == outside) return v1::REFERRAL_KIND_OUTSIDE;
  }
  if (word.empty()) return v1::REFERRAL_KIND_UNSPECIFIED;
  return std::nullopt;
}

Error BadCell(const std::string& line, std::string_view column, const std::string& value,
              std::string_view reason, std::string_view rule) {
  return InvalidArgument("line " + line + ": " + std::string(column) + " \"" + value + "\" " +
                         std::string(rule))
      .Because(reason, {{"line", line}, {"column", std::string(column)}, {"value", value}});
}

// A records format's rows: `fill` reads a record's other columns into its request, given its
// day and its two members, or says why not.
template <class Request, class Fill>
RecordsParse<Request> ParseRecords(std::string_view bytes, const MemberMatcher& matcher,
                                   std::span<const HeaderAlias> aliases, int columns,
                                   const std::array<const char*, 3>& required, Fill fill) {
  RecordsParse<Request> out;
  const auto table = ReadImportTable(bytes, aliases, columns, out.rejected);
  if (!table) {
    return out;
  }
  out.lines = table->lines();
  const CsvRecord& header = table->records.front();
  for (size_t c = 0; c < required.size(); ++c) {
    if (table->at[c] < 0) {
      out.rejected.push_back(
          {header.line, InvalidArgument(std::string("no column names the ") + required[c] +
                                        " (docs/import.md has the headers)")
                            .Because(kImportColumnMissing, {{"column", required[c]}})});
      return out;
    }
  }
  std::set<std::string> unmatched;
  for (size_t r = 1; r < table->records.size(); ++r) {
    const CsvRecord& record = table->records[r];
    if (!CheckFieldCount(*table, record, out.rejected)) {
      continue;
    }
    const std::string day = table->Cell(record, 0);
    const auto date = ParseImportDate(day);
    if (!date) {
      out.rejected.push_back({record.line, NotADate(std::to_string(record.line), "date", day)});
      continue;
    }
    const auto member =
        MatchImportMember(matcher, table->Cell(record, 1), record.line, out.rejected, unmatched);
    const auto other =
        MatchImportMember(matcher, table->Cell(record, 2), record.line, out.rejected, unmatched);
    if (!member || !other) {
      continue;
    }
    ImportedRecord<Request> row{record.line, *date, {}};
    if (std::optional<Error> error = fill(*table, record, *date, *member, *other, &row.request)) {
      out.rejected.push_back({record.line, std::move(*error)});
      continue;
    }
    out.rows.push_back(std::move(row));
  }
  out.unmatched.assign(unmatched.begin(), unmatched.end());
  return out;
}

}  // namespace

ReferralsParse ParseReferrals(std::string_view bytes, const MemberMatcher& matcher) {
  return ParseRecords<v1::GiveReferralRequest>(
      bytes, matcher, kReferralAliases, kReferralColumnCount, {"date", "giver", "receiver"},
      [](const ImportTable& table, const CsvRecord& record, const std::string&,
         const std::string& giver, const std::string& receiver,
         v1::GiveReferralRequest* request) -> std::optional<Error> {
        auto cell = [&](ReferralColumn c) { return table.Cell(record, c); };
        const std::string line = std::to_string(record.line);
        const auto kind = KindOf(cell(kReferralKind));
        if (!kind) {
          return BadCell(line, "kind", cell(kReferralKind), kImportBadValue,
                         "is not a kind (inside or outside)");
        }
        int temperature = 3;
        if (const std::string text = cell(kReferralTemperature); !text.empty()) {
          auto [next, ec] = std::from_chars(text.data(), text.data() + text.size(), temperature);
          if (ec != std::errc() || next != text.data() + text.size()) {
            return BadCell(line, "temperature", text, kImportNotANumber,
                           "is not a temperature (1 to 5)");
          }
        }
        request->set_on_behalf_of(giver);
        v1::Referral* referral = request->mutable_referral();
        referral->set_receiver(receiver);
        referral->set_kind(*kind);
        referral->set_temperature(temperature);
        referral->set_contact_name(cell(kReferralContactName));
        referral->set_contact_phone(cell(kReferralContactPhone));
        referral->set_contact_email(cell(kReferralContactEmail));
        referral->set_note(cell(kReferralNote));
        return std::nullopt;
      });
}

OneToOnesParse ParseOneToOnes(std::string_view bytes, const MemberMatcher& matcher) {
  return ParseRecords<v1::RecordOneToOneRequest>(
      bytes, matcher, kOneToOneAliases, kOneToOneColumnCount, {"date", "member", "with"},
      [](const ImportTable& table, const CsvRecord& record, const std::string& date,
         const std::string& member, const std::string& with,
         v1::RecordOneToOneRequest* request) -> std::optional<Error> {
        request->set_on_behalf_of(member);
        v1::OneToOne* one_to_one = request->mutable_one_to_one();
        one_to_one->set_with_member(with);
        one_to_one->set_date(date);
        one_to_one->set_note(table.Cell(record, kOneToOneNote));
        return std::nullopt;
      });
}

}  // namespace reciproca::domain
