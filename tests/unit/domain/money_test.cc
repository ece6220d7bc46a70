// The SDK's amount syntax (plugins/include/reciproca/money.hpp), which the domain, the shipped
// plugins and these tests share: its edges, one by one.

#include "reciproca/money.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "server/domain/money.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::sdk {
namespace {

TEST(SdkMoney, ParsesWholeAndOneOrTwoDecimals) {
  EXPECT_EQ(ParseCents("1250"), 125000);
  EXPECT_EQ(ParseCents("1250.5"), 125050);
  EXPECT_EQ(ParseCents("1250.05"), 125005);
  EXPECT_EQ(ParseCents("0.01"), 1);
  EXPECT_EQ(ParseCents("0"), 0);
  EXPECT_EQ(ParseCents("0.00"), 0);
}

TEST(SdkMoney, LimitIsTwelveIntegerDigitsNotCountingLeadingZeros) {
  EXPECT_EQ(kMaxAmountDigits, 12);
  EXPECT_EQ(ParseCents("999999999999.99"), kMaxAmountCents);
  EXPECT_EQ(ParseCents("000999999999999.99"), kMaxAmountCents);
  EXPECT_EQ(ParseCents("007.10"), 710);
  EXPECT_EQ(ParseAmount("1000000000000").problem, AmountProblem::kTooLarge);
  EXPECT_EQ(ParseAmount("9999999999999.99").problem, AmountProblem::kTooLarge);
}

TEST(SdkMoney, NamesTheProblemInCheckOrder) {
  EXPECT_EQ(ParseAmount("").problem, AmountProblem::kEmpty);
  for (const char* bad : {"abc", "-5", "+5", " 5", "5 ", "1,5", "1e3", "1.", ".5", "1.2.3", "."}) {
    EXPECT_EQ(ParseAmount(bad).problem, AmountProblem::kNotADecimal) << bad;
    EXPECT_FALSE(ParseCents(bad).has_value()) << bad;
  }
  EXPECT_EQ(ParseAmount("1.234").problem, AmountProblem::kTooManyDecimals);
  // Malformed wins over too many decimals, and too many decimals over too large.
  EXPECT_EQ(ParseAmount("1.23x").problem, AmountProblem::kNotADecimal);
  EXPECT_EQ(ParseAmount("1000000000000.123").problem, AmountProblem::kTooManyDecimals);
}

TEST(SdkMoney, FormatsTwoDecimalsAndEveryInt64) {
  EXPECT_EQ(FormatCents(125050), "1250.50");
  EXPECT_EQ(FormatCents(7), "0.07");
  EXPECT_EQ(FormatCents(0), "0.00");
  EXPECT_EQ(FormatCents(-7), "-0.07");
  EXPECT_EQ(FormatCents(kMaxAmountCents), "999999999999.99");
  EXPECT_EQ(FormatCents(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
}

TEST(SdkMoney, FormatThenParseIsTheIdentity) {
  for (int64_t cents :
       {int64_t{0}, int64_t{1}, int64_t{99}, int64_t{100}, int64_t{125050}, kMaxAmountCents}) {
    EXPECT_EQ(ParseCents(FormatCents(cents)), cents) << cents;
  }
}

TEST(DomainMoney, AcceptsWhatTheSdkParsesAboveZeroWithMessagesNamingTheRule) {
  using domain::testing::IsError;
  EXPECT_EQ(*domain::ParseAmountCents("a", "12.5"), *ParseCents("12.5"));
  EXPECT_TRUE(
      IsError(domain::ParseAmountCents("a", ""), ErrorCode::kInvalidArgument, {"a: is required"}));
  EXPECT_TRUE(IsError(domain::ParseAmountCents("a", "0.00"), ErrorCode::kInvalidArgument,
                      {"must be more than zero"}));
  EXPECT_TRUE(IsError(domain::ParseAmountCents("a", "1.x"), ErrorCode::kInvalidArgument,
                      {"is not a decimal amount"}));
  EXPECT_TRUE(IsError(domain::ParseAmountCents("a", "1.234"), ErrorCode::kInvalidArgument,
                      {"has more than two decimals"}));
  EXPECT_TRUE(IsError(domain::ParseAmountCents("a", "1000000000000"), ErrorCode::kInvalidArgument,
                      {"is more than 999999999999.99"}));
}

}  // namespace
}  // namespace reciproca::sdk
