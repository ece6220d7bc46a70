// The shipped plugins' texts: every catalog of every plugin has exactly the English keys with the
// same parameters, and the renderer follows each language's rules through ICU (plurals, numbers,
// money, UTC days), for any chapter language tag.

#include <gtest/gtest.h>
#include <unicode/messagepattern.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "leaderboard/texts.h"
#include "reciprocity/texts.h"
#include "texts/catalogs.h"
#include "traffic_light/texts.h"

namespace reciproca::plugin_texts {
namespace {

struct Shipped {
  const char* plugin;
  std::span<const Asset> (*files)();
};

const Shipped kShipped[] = {{"traffic_light", &traffic_light::CatalogFiles},
                            {"reciprocity", &reciprocity::CatalogFiles},
                            {"leaderboard", &leaderboard::CatalogFiles}};

// The names of the arguments a pattern formats, as ICU parses it.
std::set<std::string> ArgumentNames(const std::string& pattern) {
  UParseError error;
  UErrorCode status = U_ZERO_ERROR;
  icu::MessagePattern parsed(icu::UnicodeString::fromUTF8(pattern), &error, status);
  EXPECT_TRUE(U_SUCCESS(status)) << pattern;
  std::set<std::string> names;
  for (int32_t i = 0; i < parsed.countParts(); ++i) {
    const icu::MessagePattern::Part& part = parsed.getPart(i);
    if (part.getType() == UMSGPAT_PART_TYPE_ARG_NAME) {
      std::string name;
      parsed.getSubstring(part).toUTF8String(name);
      names.insert(name);
    }
  }
  return names;
}

std::string PatternOf(std::span<const Asset> files, const std::string& language,
                      const std::string& key) {
  for (const Asset& file : files) {
    if (file.path == "/" + language + ".json") {
      return nlohmann::json::parse(file.body).at(key).get<std::string>();
    }
  }
  return "";
}

TEST(PluginTexts, EveryCatalogHasEveryKeyWithTheSameParameters) {
  for (const Shipped& shipped : kShipped) {
    const Catalogs catalogs(shipped.files());
    ASSERT_GE(catalogs.languages().size(), 3u) << shipped.plugin;
    EXPECT_EQ(catalogs.languages()[0], "en");
    const std::vector<std::string> english = catalogs.Keys("en");
    ASSERT_FALSE(english.empty());
    for (const std::string& language : catalogs.languages()) {
      EXPECT_EQ(catalogs.Keys(language), english)
          << shipped.plugin << "/texts/" << language << ".json has other keys than en.json";
      for (const std::string& key : english) {
        EXPECT_EQ(ArgumentNames(PatternOf(shipped.files(), language, key)),
                  ArgumentNames(PatternOf(shipped.files(), "en", key)))
            << shipped.plugin << "/texts/" << language << ".json: " << key;
      }
    }
  }
}

TEST(PluginTexts, ItalianAndSpanishAreShipped) {
  for (const Shipped& shipped : kShipped) {
    const Catalogs catalogs(shipped.files());
    EXPECT_EQ(catalogs.Resolve("it"), "it") << shipped.plugin;
    EXPECT_EQ(catalogs.Resolve("es"), "es") << shipped.plugin;
  }
}

TEST(PluginTexts, PluralsInEachLanguage) {
  const Catalogs texts(traffic_light::CatalogFiles());
  auto referrals = [&](const std::string& language, const char* count) {
    return texts.Render(language, "count.referrals_given", {{"count", count}});
  };
  EXPECT_EQ(referrals("en", "1"), "1 referral");
  EXPECT_EQ(referrals("en", "2"), "2 referrals");
  EXPECT_EQ(referrals("en", "0"), "0 referrals");
  EXPECT_EQ(referrals("it", "1"), "1 referenza");
  EXPECT_EQ(referrals("it", "2"), "2 referenze");
  EXPECT_EQ(referrals("es", "1"), "1 referencia");
  EXPECT_EQ(referrals("es", "2"), "2 referencias");
  // Numbers in the language's digits and grouping.
  EXPECT_EQ(referrals("en", "12500"), "12,500 referrals");
  EXPECT_EQ(referrals("it", "12500"), "12.500 referenze");
  EXPECT_EQ(texts.Render("it", "measured.per_week",
                         {{"rate", "0.769231"}, {"weeks", "26.000000"}, {"what", "20 referenze"}}),
            "0,77 a settimana (20 referenze in 26,0 settimane)");
}

TEST(PluginTexts, MoneyThroughIcu) {
  EXPECT_EQ(FormatMoney("it", 125000, "EUR"), "1.250,00\u00a0\u20ac");
  EXPECT_EQ(FormatMoney("en", 125000, "EUR"), "\u20ac1,250.00");
  EXPECT_EQ(FormatMoney("es", 125000, "EUR"), "1250,00\u00a0\u20ac");
  EXPECT_EQ(FormatMoney("es", 1250000, "EUR"), "12.500,00\u00a0\u20ac");
  EXPECT_EQ(FormatMoney("en", 5, "USD"), "$0.05");
  EXPECT_EQ(MoneyParam(125000, "EUR"), "1250.00 EUR");
  // A money parameter formats as money in the text.
  const Catalogs texts(traffic_light::CatalogFiles());
  EXPECT_EQ(
      texts.Render(
          "it", "measured.tyfcb_amount",
          {{"amount", "1250.00 EUR"}, {"thank_yous", "2"}, {"side", "received"}, {"other", "0"}}),
      "1.250,00\u00a0\u20ac (2 ringraziamenti ricevuti)");
}

TEST(PluginTexts, ChapterLanguageTags_FallBackToTheLanguageThenEnglish) {
  const Catalogs texts(reciprocity::CatalogFiles());
  EXPECT_EQ(texts.Resolve("it-CH"), "it");
  EXPECT_EQ(texts.Resolve("IT"), "it");
  EXPECT_EQ(texts.Resolve("es_419"), "es");
  EXPECT_EQ(texts.Resolve("pt-BR"), "en");
  EXPECT_EQ(texts.Resolve(""), "en");
  // A language the plugin has no catalog for reads English.
  EXPECT_EQ(texts.Render("pt", "relationship.one_to_ones", {{"count", "2"}}), "2 one-to-ones");
}

TEST(PluginTexts, DaysAreUtcDaysWhateverTheHostsTimeZone) {
  icu::TimeZone::adoptDefault(icu::TimeZone::createTimeZone("America/Los_Angeles"));
  const Catalogs texts(reciprocity::CatalogFiles());
  const Params params = {{"other", "Ana"}, {"met_on", "2026-12-01"}};
  EXPECT_NE(texts.Render("en", "reminder.one_to_one_no_referral", params).find("on 2026-12-01"),
            std::string::npos);
  EXPECT_NE(
      texts.Render("it", "reminder.one_to_one_no_referral", params).find("il 1 dicembre 2026"),
      std::string::npos);
  icu::TimeZone::adoptDefault(icu::TimeZone::getGMT()->clone());
}

TEST(PluginTexts, BadCatalogsAreRefused) {
  auto error = [](std::vector<Asset> files) {
    try {
      Catalogs catalogs(files);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error({{"/en.json", "application/json", R"({"a": "{count, plural, one {x}"})"}}),
            "text catalog /en.json: \"a\" is not an ICU MessageFormat pattern "
            "(U_PATTERN_SYNTAX_ERROR)");
  EXPECT_EQ(error({{"/en.json", "application/json", "[]"}}),
            "text catalog /en.json: not a JSON object");
  EXPECT_EQ(error({{"/it.json", "application/json", "{}"}}), "text catalogs: there is no en.json");
  const Catalogs texts(std::vector<Asset>{{"/en.json", "application/json", R"({"a": "{n}"})"}});
  EXPECT_THROW(texts.Render("en", "b", {}), std::invalid_argument);
}

}  // namespace
}  // namespace reciproca::plugin_texts
