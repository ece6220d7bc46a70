#include "server/domain/money.h"

#include <algorithm>
#include <array>
#include <string>

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

constexpr int64_t kMaxCents = 99'999'999'999'999;  // 999999999999.99

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
  return InvalidArgument(std::move(message));
}

Result<int64_t> ParseAmountCents(std::string_view field, std::string_view amount) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument(std::string(field) + ": \"" + std::string(amount) + "\" " +
                           std::string(why));
  };
  if (amount.empty()) {
    return InvalidArgument(std::string(field) +
                           ": is required (a positive amount like \"1250.00\")");
  }
  std::string_view integer = amount;
  std::string_view fraction;
  size_t dot = amount.find('.');
  if (dot != std::string_view::npos) {
    integer = amount.substr(0, dot);
    fraction = amount.substr(dot + 1);
    if (fraction.empty()) {
      return bad("is not a decimal amount like \"1250.00\"");
    }
  }
  if (integer.empty()) {
    return bad("is not a decimal amount like \"1250.00\"");
  }
  for (std::string_view part : {integer, fraction}) {
    for (char c : part) {
      if (c < '0' || c > '9') {
        return bad("is not a decimal amount like \"1250.00\"");
      }
    }
  }
  if (fraction.size() > 2) {
    return bad("has more than two decimals");
  }
  while (integer.size() > 1 && integer.front() == '0') {
    integer.remove_prefix(1);
  }
  if (integer.size() > 12) {
    return bad("is more than 999999999999.99");
  }
  int64_t cents = 0;
  for (char c : integer) {
    cents = cents * 10 + (c - '0');
  }
  int64_t frac = 0;
  for (size_t i = 0; i < 2; ++i) {
    frac = frac * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  }
  cents = cents * 100 + frac;
  if (cents <= 0) {
    return bad("must be more than zero");
  }
  if (cents > kMaxCents) {
    return bad("is more than 999999999999.99");
  }
  return cents;
}

std::string FormatCents(int64_t cents) {
  bool negative = cents < 0;
  uint64_t v = negative ? static_cast<uint64_t>(-(cents + 1)) + 1 : static_cast<uint64_t>(cents);
  std::string frac = std::to_string(v % 100);
  if (frac.size() < 2) {
    frac.insert(0, "0");
  }
  return (negative ? "-" : "") + std::to_string(v / 100) + "." + frac;
}

}  // namespace reciproca::domain
