// The error catalogs and the rich error details (server/domain/error_details.h,
// message_catalogs.h): every reason has a message in every language, every pattern formats, the
// language is negotiated by ICU, and Localize adds the localized message and the field violation.

#include "server/domain/error_details.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "server/domain/error_reasons.h"
#include "server/domain/message_catalogs.h"

namespace reciproca::domain {
namespace {

// Parameters for every pattern: each reason's own, and some it does not use.
const std::map<std::string, std::string> kSampleParams = {{"value", "6"},
                                                          {"count", "2001"},
                                                          {"min", "1"},
                                                          {"max", "2000"},
                                                          {"category", "Florist"},
                                                          {"holder", "Anna Maria De Santis"},
                                                          {"chapter", "rome"},
                                                          {"member", "Marco Bianchi"},
                                                          {"state", "CLOSED"},
                                                          {"after_seq", "1000"},
                                                          {"last_seq", "11"},
                                                          {"token_chapter", "chapters/rome"},
                                                          {"from", "REFERRAL_STATUS_CLOSED_LOST"},
                                                          {"to", "REFERRAL_STATUS_CONTACTED"},
                                                          {"field", "referral.temperature"},
                                                          {"kind", "thank_you"},
                                                          {"name", "chapters/rome/thank-yous/9"},
                                                          {"request_id", "same-1"},
                                                          {"message", "the English message"},
                                                          {"plugin", "traffic_light"},
                                                          {"problem", "rows[0].goal: above 0"},
                                                          {"absences", "3"},
                                                          {"alert_at", "3"},
                                                          {"meetings", "20"},
                                                          {"day", "2026-11-24"},
                                                          {"joined", "2026-12-01"},
                                                          {"weeks", "8"},
                                                          {"line", "7"},
                                                          {"got", "3"},
                                                          {"want", "16"},
                                                          {"column", "TYFCB"},
                                                          {"start", "2026-11-30"},
                                                          {"end", "2026-09-01"},
                                                          {"bytes", "2000000"},
                                                          {"lines", "7000"},
                                                          {"date", "2027-01-05"},
                                                          {"giver", "Ana Rossi"},
                                                          {"temperature", "4"},
                                                          {"amount", "1250.00 EUR"},
                                                          {"visitor", "Elena Ospite"},
                                                          {"host", "Paola Presidente"},
                                                          {"minutes", "15"},
                                                          {"inviter", "Ana Rossi"},
                                                          {"business", "Studio Ospite"},
                                                          {"days", "3"}};

TEST(MessageCatalogs, HasEnglishItalianAndSpanish_EnglishFirst) {
  const auto& languages = MessageCatalogs::Get().languages();
  ASSERT_FALSE(languages.empty());
  EXPECT_EQ("en", languages.front());
  const std::set<std::string> all(languages.begin(), languages.end());
  EXPECT_TRUE(all.count("it"));
  EXPECT_TRUE(all.count("es"));
}

TEST(MessageCatalogs, EveryReasonAndTextHasAMessageInEveryLanguage_AndEachFormats) {
  const MessageCatalogs& catalogs = MessageCatalogs::Get();
  for (const std::string& language : catalogs.languages()) {
    std::vector<std::string_view> keys(kAllReasons.begin(), kAllReasons.end());
    keys.insert(keys.end(), kAllTexts.begin(), kAllTexts.end());
    for (std::string_view reason : keys) {
      const std::string* pattern = catalogs.Pattern(language, reason);
      ASSERT_NE(nullptr, pattern) << language << ".json has no message for " << reason;
      const std::string text = catalogs.Format(language, reason, kSampleParams, "FALLBACK");
      EXPECT_NE("FALLBACK", text) << language << ": " << reason << " does not format";
      EXPECT_EQ(std::string::npos, text.find('{')) << language << ": " << reason << ": " << text;
    }
  }
}

TEST(MessageCatalogs, NoCatalogHasAKeyTheCodeDoesNotUse) {
  const MessageCatalogs& catalogs = MessageCatalogs::Get();
  std::set<std::string_view> known(kAllReasons.begin(), kAllReasons.end());
  known.insert(kAllTexts.begin(), kAllTexts.end());
  for (const std::string& language : catalogs.languages()) {
    for (const std::string& reason : catalogs.Reasons(language)) {
      EXPECT_TRUE(known.count(reason)) << language << ".json: " << reason << " is not a reason";
    }
  }
}

TEST(MessageCatalogs, PluralsAndNumbersFollowTheLanguage) {
  const MessageCatalogs& catalogs = MessageCatalogs::Get();
  EXPECT_EQ(
      "Il capitolo ha finora 1 evento; non c’è niente dopo il numero 1.000.",
      catalogs.Format("it", kAfterSeqBeyondEnd, {{"after_seq", "1000"}, {"last_seq", "1"}}, ""));
  EXPECT_EQ(
      "Por ahora el capítulo tiene 11 eventos; no hay nada después del número 1.000.",
      catalogs.Format("es", kAfterSeqBeyondEnd, {{"after_seq", "1000"}, {"last_seq", "11"}}, ""));
  EXPECT_EQ(
      "This has 2,001 characters: 1 to 2,000 are needed.",
      catalogs.Format("en", kTextLength, {{"count", "2001"}, {"min", "1"}, {"max", "2000"}}, ""));
  // A reason no catalog has: the fallback (the English developer message).
  EXPECT_EQ("as sent", catalogs.Format("it", "NO_SUCH_REASON", {}, "as sent"));
}

TEST(MessageLanguage, AcceptLanguageFirst_ThenTheChapters_ThenEnglish) {
  EXPECT_EQ("it", MessageLanguage("it-IT,it;q=0.9,en;q=0.5", "es"));
  EXPECT_EQ("es", MessageLanguage("de-DE,es;q=0.8", "it"));
  EXPECT_EQ("es", MessageLanguage("", "es-AR"));
  EXPECT_EQ("it", MessageLanguage("de", "it"));
  EXPECT_EQ("en", MessageLanguage("", ""));
  EXPECT_EQ("en", MessageLanguage("xx;q=garbage,,,", "pt-BR"));
}

TEST(FieldOfMessage, TakesTheLeadingFieldPathOnly) {
  EXPECT_EQ("referral.temperature", FieldOfMessage("referral.temperature: must be 1..5"));
  EXPECT_EQ("page_size", FieldOfMessage("page_size: must not be negative, got -1"));
  EXPECT_EQ("", FieldOfMessage("only organizers may schedule meetings"));
  EXPECT_EQ("", FieldOfMessage("chapter chapters/rome does not exist"));
  EXPECT_EQ("", FieldOfMessage("referral.: x"));
  EXPECT_EQ("", FieldOfMessage(": x"));
}

TEST(Localize, AddsTheLocalizedMessageAndTheFieldViolation) {
  const Error error = InvalidArgument("referral.temperature: must be between 1 and 5, got 6")
                          .Because(kTemperatureOutOfRange, {{"value", "6"}});
  const google::rpc::Status details =
      Localize(MakeDetails(static_cast<int32_t>(ToRpcCode(error.code)), error.message, error.reason,
                           error.params),
               "it");
  EXPECT_EQ(3, details.code());
  google::rpc::ErrorInfo info;
  google::rpc::BadRequest bad;
  google::rpc::LocalizedMessage localized;
  for (const auto& any : details.details()) {
    any.UnpackTo(&info) || any.UnpackTo(&bad) || any.UnpackTo(&localized);
  }
  EXPECT_EQ("TEMPERATURE_OUT_OF_RANGE", info.reason());
  EXPECT_EQ("reciproca", info.domain());
  EXPECT_EQ("6", info.metadata().at("value"));
  EXPECT_EQ("referral.temperature", info.metadata().at("field"));
  ASSERT_EQ(1, bad.field_violations_size());
  EXPECT_EQ("referral.temperature", bad.field_violations(0).field());
  EXPECT_EQ(error.message, bad.field_violations(0).description());
  EXPECT_EQ("it", localized.locale());
  EXPECT_EQ("La temperatura va da 1 a 5; 6 è fuori da questo intervallo.", localized.message());
  EXPECT_EQ(localized.message(), bad.field_violations(0).localized_message().message());
  // Localizing again changes nothing.
  EXPECT_EQ(details.SerializeAsString(), Localize(details, "es").SerializeAsString());
}

TEST(Localize, AnErrorWithoutAReasonGetsTheOneOfItsCode) {
  const google::rpc::Status details = Localize(MakeDetails(5, "member m not found"), "es");
  google::rpc::ErrorInfo info;
  google::rpc::LocalizedMessage localized;
  for (const auto& any : details.details()) {
    any.UnpackTo(&info) || any.UnpackTo(&localized);
  }
  EXPECT_EQ("NOT_FOUND", info.reason());
  EXPECT_EQ("No se ha encontrado: puede que se haya eliminado.", localized.message());
}

}  // namespace
}  // namespace reciproca::domain
