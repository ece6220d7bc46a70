// The records formats of imports (docs/import.md, "Referrals" to "Visitors"): one row per
// record with the day it happened, on the tables of import_csv.h. What may be recorded is the
// chapter's (DecideGiveReferral, DecideRecordOneToOne, DecideRecordThankYou,
// DecideRecordEducation, DecideRegisterVisitor).

#include <array>
#include <charconv>
#include <optional>

#include "server/domain/import_csv.h"
#include "server/domain/names.h"

namespace reciproca::domain {
namespace {

// In every records format, column 0 is the day and the columns after it are the members the
// record names (the giver, the member who records it, then the other member if there is one);
// they and the format's other required columns come first.
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

enum ThankYouColumn {
  kThankYouDate,
  kThankYouFrom,
  kThankYouTo,
  kThankYouAmount,
  kThankYouBusinessType,
  kThankYouReferral,
  kThankYouNote,
  kThankYouColumnCount,
};

// "from" thanks (earned the business), "to" is thanked (referred it).
constexpr std::array kThankYouAliases = {
    HeaderAlias{kThankYouDate, "date"},
    HeaderAlias{kThankYouDate, "data"},
    HeaderAlias{kThankYouDate, "fecha"},
    HeaderAlias{kThankYouFrom, "from"},
    HeaderAlias{kThankYouFrom, "giver"},
    HeaderAlias{kThankYouFrom, "thankedby"},
    HeaderAlias{kThankYouFrom, "da"},
    HeaderAlias{kThankYouFrom, "grazieda"},
    HeaderAlias{kThankYouFrom, "de"},
    HeaderAlias{kThankYouFrom, "graciasde"},
    HeaderAlias{kThankYouTo, "to"},
    HeaderAlias{kThankYouTo, "receiver"},
    HeaderAlias{kThankYouTo, "thanked"},
    HeaderAlias{kThankYouTo, "a"},
    HeaderAlias{kThankYouTo, "destinatario"},
    HeaderAlias{kThankYouTo, "para"},
    HeaderAlias{kThankYouAmount, "amount"},
    HeaderAlias{kThankYouAmount, "value"},
    HeaderAlias{kThankYouAmount, "tyfcb"},
    HeaderAlias{kThankYouAmount, "importo"},
    HeaderAlias{kThankYouAmount, "valore"},
    HeaderAlias{kThankYouAmount, "gpac"},
    HeaderAlias{kThankYouAmount, "importe"},
    HeaderAlias{kThankYouAmount, "monto"},
    HeaderAlias{kThankYouAmount, "valor"},
    HeaderAlias{kThankYouBusinessType, "businesstype"},
    HeaderAlias{kThankYouBusinessType, "type"},
    HeaderAlias{kThankYouBusinessType, "newrepeat"},
    HeaderAlias{kThankYouBusinessType, "tipo"},
    HeaderAlias{kThankYouBusinessType, "tipoaffare"},
    HeaderAlias{kThankYouBusinessType, "tiponegocio"},
    HeaderAlias{kThankYouReferral, "referral"},
    HeaderAlias{kThankYouReferral, "referenza"},
    HeaderAlias{kThankYouReferral, "referencia"},
    HeaderAlias{kThankYouNote, "note"},
    HeaderAlias{kThankYouNote, "notes"},
    HeaderAlias{kThankYouNote, "comments"},
    HeaderAlias{kThankYouNote, "commenti"},
    HeaderAlias{kThankYouNote, "notas"},
    HeaderAlias{kThankYouNote, "comentarios"},
};

enum CeuColumn {
  kCeuDate,
  kCeuMember,
  kCeuCredits,
  kCeuTitle,
  kCeuColumnCount,
};

constexpr std::array kCeuAliases = {
    HeaderAlias{kCeuDate, "date"},        HeaderAlias{kCeuDate, "data"},
    HeaderAlias{kCeuDate, "fecha"},       HeaderAlias{kCeuMember, "member"},
    HeaderAlias{kCeuMember, "socio"},     HeaderAlias{kCeuMember, "membro"},
    HeaderAlias{kCeuMember, "miembro"},   HeaderAlias{kCeuMember, "socia"},
    HeaderAlias{kCeuCredits, "credits"},  HeaderAlias{kCeuCredits, "ceu"},
    HeaderAlias{kCeuCredits, "ceus"},     HeaderAlias{kCeuCredits, "hours"},
    HeaderAlias{kCeuCredits, "crediti"},  HeaderAlias{kCeuCredits, "ore"},
    HeaderAlias{kCeuCredits, "creditos"}, HeaderAlias{kCeuCredits, "horas"},
    HeaderAlias{kCeuTitle, "title"},      HeaderAlias{kCeuTitle, "course"},
    HeaderAlias{kCeuTitle, "titolo"},     HeaderAlias{kCeuTitle, "corso"},
    HeaderAlias{kCeuTitle, "titulo"},     HeaderAlias{kCeuTitle, "curso"},
};

enum VisitorColumn {
  kVisitorDate,
  kVisitorInvitedBy,
  kVisitorName,
  kVisitorBusiness,
  kVisitorPhone,
  kVisitorEmail,
  kVisitorColumnCount,
};

constexpr std::array kVisitorAliases = {
    HeaderAlias{kVisitorDate, "date"},
    HeaderAlias{kVisitorDate, "data"},
    HeaderAlias{kVisitorDate, "fecha"},
    HeaderAlias{kVisitorInvitedBy, "invitedby"},
    HeaderAlias{kVisitorInvitedBy, "inviter"},
    HeaderAlias{kVisitorInvitedBy, "host"},
    HeaderAlias{kVisitorInvitedBy, "invitatoda"},
    HeaderAlias{kVisitorInvitedBy, "invitatada"},
    HeaderAlias{kVisitorInvitedBy, "invitadopor"},
    HeaderAlias{kVisitorInvitedBy, "invitadapor"},
    HeaderAlias{kVisitorName, "visitor"},
    HeaderAlias{kVisitorName, "visitorname"},
    HeaderAlias{kVisitorName, "name"},
    HeaderAlias{kVisitorName, "ospite"},
    HeaderAlias{kVisitorName, "visitatore"},
    HeaderAlias{kVisitorName, "nome"},
    HeaderAlias{kVisitorName, "visitante"},
    HeaderAlias{kVisitorName, "invitado"},
    HeaderAlias{kVisitorName, "nombre"},
    HeaderAlias{kVisitorBusiness, "business"},
    HeaderAlias{kVisitorBusiness, "company"},
    HeaderAlias{kVisitorBusiness, "profession"},
    HeaderAlias{kVisitorBusiness, "azienda"},
    HeaderAlias{kVisitorBusiness, "professione"},
    HeaderAlias{kVisitorBusiness, "attivita"},
    HeaderAlias{kVisitorBusiness, "empresa"},
    HeaderAlias{kVisitorBusiness, "profesion"},
    HeaderAlias{kVisitorBusiness, "negocio"},
    HeaderAlias{kVisitorPhone, "phone"},
    HeaderAlias{kVisitorPhone, "mobile"},
    HeaderAlias{kVisitorPhone, "telefono"},
    HeaderAlias{kVisitorPhone, "cellulare"},
    HeaderAlias{kVisitorPhone, "movil"},
    HeaderAlias{kVisitorEmail, "email"},
    HeaderAlias{kVisitorEmail, "mail"},
    HeaderAlias{kVisitorEmail, "correo"},
    HeaderAlias{kVisitorEmail, "correoelectronico"},
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

// "new", "nuovo", "repeat", "ripetuto", "repetido" ...; UNSPECIFIED for "" (the chapter records
// new business), and nullopt for a word that is neither.
std::optional<v1::BusinessType> BusinessTypeOf(const std::string& text) {
  const std::string word = FoldHeader(text);
  for (const char* fresh : {"new", "n", "nuovo", "nuova", "nuevo", "nueva"}) {
    if (word == fresh) return v1::BUSINESS_TYPE_NEW;
  }
  for (const char* repeat : {"repeat", "r", "repeated", "ripetuto", "ripetuta", "ricorrente",
                             "repetido", "repetida", "recurrente"}) {
    if (word == repeat) return v1::BUSINESS_TYPE_REPEAT;
  }
  if (word.empty()) return v1::BUSINESS_TYPE_UNSPECIFIED;
  return std::nullopt;
}

Error BadCell(const std::string& line, std::string_view column, const std::string& value,
              std::string_view reason, std::string_view rule) {
  return InvalidArgument("line " + line + ": " + std::string(column) + " \"" + value + "\" " +
                         std::string(rule))
      .Because(reason, {{"line", line}, {"column", std::string(column)}, {"value", value}});
}

// A records format's rows: `fill` reads a record's other columns into its request, given its
// day and its `members` members (columns 1..members), or says why not. The columns of
// `required` (in column order from 0) must have a header.
template <class Request, class Fill>
RecordsParse<Request> ParseRecords(std::string_view bytes, const MemberMatcher& matcher,
                                   std::span<const HeaderAlias> aliases, int columns,
                                   std::span<const char* const> required, int members, Fill fill) {
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
    std::vector<std::string> named;
    for (int m = 1; m <= members; ++m) {
      if (auto member = MatchImportMember(matcher, table->Cell(record, m), record.line,
                                          out.rejected, unmatched)) {
        named.push_back(std::move(*member));
      }
    }
    if (named.size() != static_cast<size_t>(members)) {
      continue;
    }
    ImportedRecord<Request> row{record.line, *date, {}};
    if (std::optional<Error> error = fill(*table, record, *date, named, &row.request)) {
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
  static constexpr std::array<const char*, 3> kRequired = {"date", "giver", "receiver"};
  return ParseRecords<v1::GiveReferralRequest>(
      bytes, matcher, kReferralAliases, kReferralColumnCount, kRequired, 2,
      [](const ImportTable& table, const CsvRecord& record, const std::string&,
         const std::vector<std::string>& members,
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
        request->set_on_behalf_of(members[0]);
        v1::Referral* referral = request->mutable_referral();
        referral->set_receiver(members[1]);
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
  static constexpr std::array<const char*, 3> kRequired = {"date", "member", "with"};
  return ParseRecords<v1::RecordOneToOneRequest>(
      bytes, matcher, kOneToOneAliases, kOneToOneColumnCount, kRequired, 2,
      [](const ImportTable& table, const CsvRecord& record, const std::string& date,
         const std::vector<std::string>& members,
         v1::RecordOneToOneRequest* request) -> std::optional<Error> {
        request->set_on_behalf_of(members[0]);
        v1::OneToOne* one_to_one = request->mutable_one_to_one();
        one_to_one->set_with_member(members[1]);
        one_to_one->set_date(date);
        one_to_one->set_note(table.Cell(record, kOneToOneNote));
        return std::nullopt;
      });
}

ThankYousParse ParseThankYous(std::string_view bytes, const MemberMatcher& matcher,
                              std::string_view chapter, std::string_view currency) {
  static constexpr std::array<const char*, 4> kRequired = {"date", "from", "to", "amount"};
  return ParseRecords<v1::RecordThankYouRequest>(
      bytes, matcher, kThankYouAliases, kThankYouColumnCount, kRequired, 2,
      [chapter, currency](const ImportTable& table, const CsvRecord& record, const std::string&,
                          const std::vector<std::string>& members,
                          v1::RecordThankYouRequest* request) -> std::optional<Error> {
        auto cell = [&](ThankYouColumn c) { return table.Cell(record, c); };
        const std::string line = std::to_string(record.line);
        const auto amount = ParseImportAmount(cell(kThankYouAmount));
        if (!amount) {
          return BadCell(line, "amount", cell(kThankYouAmount), kImportNotANumber,
                         "is not an amount (1.234,56 or 1,234.56)");
        }
        const auto business_type = BusinessTypeOf(cell(kThankYouBusinessType));
        if (!business_type) {
          return BadCell(line, "business type", cell(kThankYouBusinessType), kImportBadValue,
                         "is not a business type (new or repeat)");
        }
        std::string referral = cell(kThankYouReferral);
        if (!referral.empty() && referral.find_first_not_of("0123456789") == std::string::npos) {
          int64_t id = 0;
          auto [next, ec] = std::from_chars(referral.data(), referral.data() + referral.size(), id);
          if (ec != std::errc() || next != referral.data() + referral.size()) {
            return BadCell(line, "referral", referral, kImportBadValue,
                           "is not a referral (its id or chapters/.../referrals/ID)");
          }
          referral = ChildName(chapter, NameKind::kReferral, id);
        }
        request->set_on_behalf_of(members[0]);
        v1::ThankYou* thank_you = request->mutable_thank_you();
        thank_you->set_to_member(members[1]);
        thank_you->mutable_amount()->set_currency(std::string(currency));
        thank_you->mutable_amount()->set_amount(*amount);
        thank_you->set_business_type(*business_type);
        thank_you->set_referral(referral);
        thank_you->set_note(cell(kThankYouNote));
        return std::nullopt;
      });
}

CeusParse ParseCeus(std::string_view bytes, const MemberMatcher& matcher) {
  static constexpr std::array<const char*, 3> kRequired = {"date", "member", "credits"};
  return ParseRecords<v1::RecordEducationRequest>(
      bytes, matcher, kCeuAliases, kCeuColumnCount, kRequired, 1,
      [](const ImportTable& table, const CsvRecord& record, const std::string&,
         const std::vector<std::string>& members,
         v1::RecordEducationRequest* request) -> std::optional<Error> {
        const std::string text = table.Cell(record, kCeuCredits);
        int credits = 0;
        auto [next, ec] = std::from_chars(text.data(), text.data() + text.size(), credits);
        if (text.empty() || ec != std::errc() || next != text.data() + text.size()) {
          return BadCell(std::to_string(record.line), "credits", text, kImportNotANumber,
                         "is not a number of credits (a whole number from 1 to 100)");
        }
        request->set_on_behalf_of(members[0]);
        request->mutable_education()->set_credits(credits);
        request->mutable_education()->set_note(table.Cell(record, kCeuTitle));
        return std::nullopt;
      });
}

VisitorsParse ParseVisitors(std::string_view bytes, const MemberMatcher& matcher) {
  static constexpr std::array<const char*, 4> kRequired = {"date", "invited by", "visitor",
                                                           "business"};
  return ParseRecords<v1::RegisterVisitorRequest>(
      bytes, matcher, kVisitorAliases, kVisitorColumnCount, kRequired, 1,
      [](const ImportTable& table, const CsvRecord& record, const std::string& date,
         const std::vector<std::string>& members,
         v1::RegisterVisitorRequest* request) -> std::optional<Error> {
        auto cell = [&](VisitorColumn c) { return table.Cell(record, c); };
        v1::Visitor* visitor = request->mutable_visitor();
        visitor->set_invited_by(members[0]);
        visitor->set_display_name(cell(kVisitorName));
        visitor->set_business(cell(kVisitorBusiness));
        visitor->set_phone(cell(kVisitorPhone));
        visitor->set_email(cell(kVisitorEmail));
        request->mutable_occurred()->set_date(date);
        return std::nullopt;
      });
}

}  // namespace reciproca::domain
