// Reciproca plugin SDK: amounts of money as the event log writes them ("1250.00"), parsed into
// exact integer cents. The server parses every amount it accepts with these functions and writes
// it back with FormatCents, so a plugin reading the log parses exactly what the server accepted.
//
// The syntax: one or more digits, optionally a '.' and one or two more digits; no sign, no
// spaces, no thousands separators. The limit: at most kMaxAmountDigits (12) integer digits,
// leading zeros not counted, that is at most 999999999999.99. Zero parses (the server itself
// refuses a zero thank-you). Header-only C++17, no dependencies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reciproca::sdk {

// The most integer digits an amount may have (leading zeros not counted).
inline constexpr int kMaxAmountDigits = 12;
// The largest amount, in cents: 999999999999.99.
inline constexpr int64_t kMaxAmountCents = 99'999'999'999'999;

// Why an amount does not parse, in the order they are checked.
enum class AmountProblem {
  kNone,
  kEmpty,            // ""
  kNotADecimal,      // a sign, a space, a letter, "1.", ".5", "1.2.3"
  kTooManyDecimals,  // "1.234"
  kTooLarge,         // more than kMaxAmountDigits integer digits
};

struct ParsedAmount {
  int64_t cents = 0;
  AmountProblem problem = AmountProblem::kNone;
  bool ok() const { return problem == AmountProblem::kNone; }
};

// "1250" -> 125000, "1250.5" -> 125050, "007.10" -> 710, "0" -> 0; otherwise the problem.
inline ParsedAmount ParseAmount(std::string_view amount) {
  if (amount.empty()) {
    return {0, AmountProblem::kEmpty};
  }
  const size_t dot = amount.find('.');
  std::string_view whole = amount.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : amount.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && fraction.empty())) {
    return {0, AmountProblem::kNotADecimal};
  }
  for (std::string_view part : {whole, fraction}) {
    for (char c : part) {
      if (c < '0' || c > '9') {
        return {0, AmountProblem::kNotADecimal};
      }
    }
  }
  if (fraction.size() > 2) {
    return {0, AmountProblem::kTooManyDecimals};
  }
  while (whole.size() > 1 && whole.front() == '0') {
    whole.remove_prefix(1);
  }
  if (whole.size() > static_cast<size_t>(kMaxAmountDigits)) {
    return {0, AmountProblem::kTooLarge};
  }
  int64_t cents = 0;
  for (char c : whole) {
    cents = cents * 10 + (c - '0');
  }
  for (size_t i = 0; i < 2; ++i) {
    cents = cents * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  }
  return {cents, AmountProblem::kNone};
}

// The cents of a well-formed amount; nullopt for anything ParseAmount refuses.
inline std::optional<int64_t> ParseCents(std::string_view amount) {
  const ParsedAmount parsed = ParseAmount(amount);
  return parsed.ok() ? std::optional<int64_t>(parsed.cents) : std::nullopt;
}

// Cents as a decimal with two decimals: 125050 -> "1250.50", -7 -> "-0.07".
inline std::string FormatCents(int64_t cents) {
  const bool negative = cents < 0;
  // -(cents + 1) + 1 so that the most negative value does not overflow.
  const uint64_t v =
      negative ? static_cast<uint64_t>(-(cents + 1)) + 1 : static_cast<uint64_t>(cents);
  std::string fraction = std::to_string(v % 100);
  if (fraction.size() < 2) {
    fraction.insert(0, "0");
  }
  return (negative ? "-" : "") + std::to_string(v / 100) + "." + fraction;
}

}  // namespace reciproca::sdk
