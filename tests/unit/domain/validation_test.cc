#include "server/domain/validation.h"

#include <gtest/gtest.h>

#include "server/domain/money.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;

TEST(Trim, RemovesSurroundingWhiteSpaceOnly) {
  EXPECT_EQ(Trim("  a b \t\n"), "a b");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(CodePointCount, CountsUtf8CodePointsNotBytes) {
  EXPECT_EQ(CodePointCount("abc"), 3);
  EXPECT_EQ(CodePointCount("caff\xC3\xA8"), 5);      // caffè
  EXPECT_EQ(CodePointCount("\xE2\x82\xAC"), 1);      // €
  EXPECT_EQ(CodePointCount("\xF0\x9F\x98\x80"), 1);  // 😀
}

TEST(CheckText, TrimsAndAcceptsWithinLimits) {
  auto r = CheckText("member.display_name", "  Ana  ", 1, 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Ana");
}

TEST(CheckText, RejectsBlankWhenRequired) {
  EXPECT_TRUE(IsError(CheckText("member.display_name", "   ", 1, 100), ErrorCode::kInvalidArgument,
                      {"member.display_name", "required"}));
}

TEST(CheckText, CountsCodePointsForTheUpperLimit) {
  std::string hundred_euros;
  for (int i = 0; i < 100; ++i) {
    hundred_euros += "\xE2\x82\xAC";
  }
  EXPECT_TRUE(CheckText("f", hundred_euros, 1, 100).ok());
  EXPECT_TRUE(IsError(CheckText("f", hundred_euros + "x", 1, 100), ErrorCode::kInvalidArgument,
                      {"f:", "got 101"}));
}

TEST(CheckOptionalEmail, AcceptsEmptyAndValidAddresses) {
  EXPECT_TRUE(CheckOptionalEmail("email", "").ok());
  auto r = CheckOptionalEmail("email", " ana@example.com ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "ana@example.com");
  EXPECT_TRUE(CheckOptionalEmail("email", "a.b+c@mail.example.co.uk").ok());
}

TEST(CheckOptionalEmail, RejectsMalformedAddresses) {
  for (const char* bad : {"ana", "ana@", "@example.com", "ana@example", "ana@@example.com",
                          "a na@example.com", "ana@.com", "ana@example.", "ana@exa..mple.com"}) {
    EXPECT_TRUE(IsError(CheckOptionalEmail("member.email", bad), ErrorCode::kInvalidArgument,
                        {"member.email"}))
        << bad;
  }
}

TEST(CheckOptionalEmail, RejectsMoreThan254Characters) {
  std::string long_address = std::string(60, 'a') + "@" + std::string(190, 'b') + ".com";
  ASSERT_GT(long_address.size(), 254u);
  EXPECT_TRUE(
      IsError(CheckOptionalEmail("email", long_address), ErrorCode::kInvalidArgument, {"254"}));
}

TEST(CheckOptionalPhone, AcceptsCommonFormats) {
  for (const char* good :
       {"+39 06 1234567", "(06) 123-456", "06.123.456", "123456", "+1 (555) 010/9999"}) {
    EXPECT_TRUE(CheckOptionalPhone("phone", good).ok()) << good;
  }
  EXPECT_TRUE(CheckOptionalPhone("phone", "").ok());
}

TEST(CheckOptionalPhone, RejectsLettersTooFewDigitsAndLength) {
  EXPECT_TRUE(IsError(CheckOptionalPhone("member.phone", "06 CALL ME"), ErrorCode::kInvalidArgument,
                      {"member.phone"}));
  EXPECT_TRUE(IsError(CheckOptionalPhone("member.phone", "+1 (23) 45"), ErrorCode::kInvalidArgument,
                      {"at least 6 digits"}));
  EXPECT_TRUE(
      IsError(CheckOptionalPhone("member.phone", "12345"), ErrorCode::kInvalidArgument, {"6..30"}));
  EXPECT_TRUE(IsError(CheckOptionalPhone("member.phone", std::string(31, '1')),
                      ErrorCode::kInvalidArgument, {"6..30"}));
}

TEST(IsValidTimeOfDay, AcceptsHhMmWithinTheDay) {
  EXPECT_TRUE(IsValidTimeOfDay("00:00"));
  EXPECT_TRUE(IsValidTimeOfDay("07:30"));
  EXPECT_TRUE(IsValidTimeOfDay("23:59"));
  EXPECT_FALSE(IsValidTimeOfDay("24:00"));
  EXPECT_FALSE(IsValidTimeOfDay("12:60"));
  EXPECT_FALSE(IsValidTimeOfDay("7:30"));
  EXPECT_FALSE(IsValidTimeOfDay("07-30"));
  EXPECT_FALSE(IsValidTimeOfDay("07:30:00"));
}

TEST(IsValidTimeZoneSyntax, AcceptsIanaShapedNames) {
  for (const char* good : {"UTC", "Europe/Rome", "America/Argentina/Buenos_Aires", "Etc/GMT+3",
                           "America/Port-au-Prince"}) {
    EXPECT_TRUE(IsValidTimeZoneSyntax(good)) << good;
  }
  for (const char* bad :
       {"", "/Europe", "Europe/", "Europe//Rome", "Europe/Ro me", "+01:00", "Europe/Rome;rm"}) {
    EXPECT_FALSE(IsValidTimeZoneSyntax(bad)) << bad;
  }
}

TEST(IsValidDate, ChecksTheCalendar) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_TRUE(IsValidDate("2000-02-29"));
  EXPECT_FALSE(IsValidDate("1900-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_FALSE(IsValidDate("2024-04-31"));
  EXPECT_FALSE(IsValidDate("2024-13-01"));
  EXPECT_FALSE(IsValidDate("2024-1-01"));
  EXPECT_FALSE(IsValidDate("24-01-01"));
}

TEST(UtcDate, FormatsTheUtcDay) {
  EXPECT_EQ(UtcDate(testing::At(testing::kNow)), "2023-11-14");
  EXPECT_EQ(UtcDate(testing::At(0)), "1970-01-01");
}

TEST(Timestamps, RoundTripNanoseconds) {
  TimePoint t = testing::At(testing::kNow) + std::chrono::nanoseconds(123);
  auto ts = ToTimestamp(t);
  EXPECT_EQ(ts.seconds(), testing::kNow);
  EXPECT_EQ(ts.nanos(), 123);
  EXPECT_EQ(ToNanos(ts), ToNanos(t));
}

TEST(Currency, AcceptsActiveIsoCodesOnly) {
  for (const char* good : {"EUR", "USD", "GBP", "CHF", "JPY", "XCD", "ZAR"}) {
    EXPECT_TRUE(IsIsoCurrency(good)) << good;
  }
  for (const char* bad : {"eur", "EU", "EURO", "XYZ", "", "HRK"}) {
    EXPECT_FALSE(IsIsoCurrency(bad)) << bad;
  }
}

TEST(Currency, LowerCaseCodeSuggestsUpperCase) {
  EXPECT_TRUE(IsError(CheckCurrency("chapter.currency", "eur"), ErrorCode::kInvalidArgument,
                      {"chapter.currency", "\"EUR\""}));
}

TEST(ParseAmountCents, ParsesPositiveDecimalsWithUpToTwoDecimals) {
  EXPECT_EQ(*ParseAmountCents("a", "1250"), 125000);
  EXPECT_EQ(*ParseAmountCents("a", "1250.5"), 125050);
  EXPECT_EQ(*ParseAmountCents("a", "0.01"), 1);
  EXPECT_EQ(*ParseAmountCents("a", "007.10"), 710);
  EXPECT_EQ(*ParseAmountCents("a", "999999999999.99"), 99999999999999);
}

TEST(ParseAmountCents, RejectsNonPositiveMalformedAndTooLarge) {
  for (const char* bad : {"abc", "-5", "0", "0.00", "1.234", "", "1.", ".5", "1,5", "+5", "1e3",
                          "1000000000000", "1000000000000.00", " 5"}) {
    EXPECT_TRUE(IsError(ParseAmountCents("thank_you.amount.amount", bad),
                        ErrorCode::kInvalidArgument, {"thank_you.amount.amount"}))
        << bad;
  }
}

TEST(CheckLanguageTag, AcceptsWellFormedTagsInCanonicalForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"it", "it"},       {"IT", "it"},       {" es ", "es"},
      {"es-es", "es-ES"}, {"pt-BR", "pt-BR"}, {"sr-latn", "sr-Latn"},
      {"en-GB", "en-GB"}, {"", "en"},         {"es-419", "es-419"}};
  for (const auto& [in, out] : cases) {
    auto r = CheckLanguageTag("chapter.language", in);
    ASSERT_TRUE(r.ok()) << in << ": " << r.error().message;
    EXPECT_EQ(out, *r) << in;
  }
}

TEST(CheckLanguageTag, RejectsWhatIsNotATag) {
  for (const char* bad : {"es_ES", "italiano!", "i t", "und", "-it", "it-", "x", "\xc3\xa9",
                          "it-toolongsubtagvalue"}) {
    auto r = CheckLanguageTag("chapter.language", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(ErrorCode::kInvalidArgument, r.error().code) << bad;
    EXPECT_NE(std::string::npos, r.error().message.find("chapter.language: ")) << bad;
  }
  auto long_tag = CheckLanguageTag("chapter.language", std::string(36, 'a'));
  ASSERT_FALSE(long_tag.ok());
  EXPECT_NE(std::string::npos, long_tag.error().message.find("at most 35 characters, got 36"));
}

TEST(FormatCents, RendersTwoDecimals) {
  EXPECT_EQ(sdk::FormatCents(125000), "1250.00");
  EXPECT_EQ(sdk::FormatCents(123450), "1234.50");
  EXPECT_EQ(sdk::FormatCents(7), "0.07");
  EXPECT_EQ(sdk::FormatCents(0), "0.00");
}

}  // namespace
}  // namespace reciproca::domain
