// The referrals format of imports (docs/import.md, "Referrals"): one row per referral slip, on
// the tables of import_csv.h. What may be recorded is the chapter's (DecideGiveReferral).

#include <array>
#include <charconv>

#include "server/domain/import_csv.h"

namespace reciproca::domain {
namespace {

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

}  // namespace

ReferralsParse ParseReferrals(std::string_view bytes, const MemberMatcher& matcher) {
  ReferralsParse out;
  const auto table = ReadImportTable(bytes, kReferralAliases, kReferralColumnCount, out.rejected);
  if (!table) {
    return out;
  }
  out.lines = table->lines();
  const CsvRecord& header = table->records.front();
  for (const auto& [column, name] :
       {std::pair{kReferralDate, "date"}, std::pair{kReferralGiver, "giver"},
        std::pair{kReferralReceiver, "receiver"}}) {
    if (table->at[column] < 0) {
      out.rejected.push_back(
          {header.line, InvalidArgument(std::string("no column names the referral's ") + name +
                                        " (\"Date\", \"From\", \"To\"; docs/import.md)")
                            .Because(kImportColumnMissing, {{"column", name}})});
      return out;
    }
  }
  std::set<std::string> unmatched;
  for (size_t r = 1; r < table->records.size(); ++r) {
    const CsvRecord& record = table->records[r];
    const std::string line = std::to_string(record.line);
    if (!CheckFieldCount(*table, record, out.rejected)) {
      continue;
    }
    auto cell = [&](ReferralColumn c) { return table->Cell(record, c); };
    auto reject = [&](Error e) { out.rejected.push_back({record.line, std::move(e)}); };
    ImportedReferral row;
    row.line = record.line;
    const auto date = ParseImportDate(cell(kReferralDate));
    if (!date) {
      reject(NotADate(line, "date", cell(kReferralDate)));
      continue;
    }
    row.date = *date;
    const auto giver =
        MatchImportMember(matcher, cell(kReferralGiver), record.line, out.rejected, unmatched);
    const auto receiver =
        MatchImportMember(matcher, cell(kReferralReceiver), record.line, out.rejected, unmatched);
    if (!giver || !receiver) {
      continue;
    }
    const auto kind = KindOf(cell(kReferralKind));
    if (!kind) {
      reject(BadCell(line, "kind", cell(kReferralKind), kImportBadValue,
                     "is not a kind (inside or outside)"));
      continue;
    }
    int temperature = 3;
    if (const std::string text = cell(kReferralTemperature); !text.empty()) {
      auto [next, ec] = std::from_chars(text.data(), text.data() + text.size(), temperature);
      if (ec != std::errc() || next != text.data() + text.size()) {
        reject(
            BadCell(line, "temperature", text, kImportNotANumber, "is not a temperature (1 to 5)"));
        continue;
      }
    }
    row.request.set_on_behalf_of(*giver);
    v1::Referral* referral = row.request.mutable_referral();
    referral->set_receiver(*receiver);
    referral->set_kind(*kind);
    referral->set_temperature(temperature);
    referral->set_contact_name(cell(kReferralContactName));
    referral->set_contact_phone(cell(kReferralContactPhone));
    referral->set_contact_email(cell(kReferralContactEmail));
    referral->set_note(cell(kReferralNote));
    out.rows.push_back(std::move(row));
  }
  out.unmatched.assign(unmatched.begin(), unmatched.end());
  return out;
}

}  // namespace reciproca::domain
