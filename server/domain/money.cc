#include "server/domain/money.h"

#include <algorithm>
#include <array>
#include <string>

#include "reciproca/money.hpp"
#include "server/domain/error_reasons.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// The active ISO 4217 alphabetic codes (funds and precious metals included), sorted for binary
// search. From the ISO 4217 list as shipped by Debian's iso-codes 4.15, without HRK (withdrawn in
// 2023), with XCG and ZWG (introduced in 2024/2025).
constexpr std::array<std::string_view, 182> kCurrencies = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL",
    "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
    "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR",
    "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
};

}  // namespace

bool IsIsoCurrency(std::string_view code) {
  return std::binary_search(kCurrencies.begin(), kCurrencies.end(), code);
}

Status CheckCurrency(std::string_view field, std::string_view code) {
  if (IsIsoCurrency(code)) {
    return {};
  }
  std::string message =
      std::string(field) + ": \"" + std::string(code) + "\" is not an ISO 4217 currency code";
  std::string upper(code);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  if (upper != code && IsIsoCurrency(upper)) {
    message += " (codes are upper case: did you mean \"" + upper + "\"?)";
  }
  return InvalidArgument(std::move(message))
      .Because(kUnknownCurrency, {{"value", std::string(code)}});
}

Result<int64_t> ParseAmountCents(std::string_view field, std::string_view amount) {
  const sdk::ParsedAmount parsed = sdk::ParseAmount(amount);
  std::string why;
  switch (parsed.problem) {
    case sdk::AmountProblem::kNone:
      if (parsed.cents > 0) {
        return parsed.cents;
      }
      return InvalidArgument(std::string(field) + ": \"" + std::string(amount) +
                             "\" must be more than zero")
          .Because(kAmountNotPositive, {{"value", std::string(amount)}});
    case sdk::AmountProblem::kEmpty:
      return Required(field, "a positive amount like \"1250.00\"");
    case sdk::AmountProblem::kNotADecimal:
      why = "is not a decimal amount like \"1250.00\"";
      break;
    case sdk::AmountProblem::kTooManyDecimals:
      why = "has more than two decimals";
      break;
    case sdk::AmountProblem::kTooLarge:
      why = "is more than " + sdk::FormatCents(sdk::kMaxAmountCents);
      break;
  }
  return InvalidArgument(std::string(field) + ": \"" + std::string(amount) + "\" " + why);
}

}  // namespace reciproca::domain
