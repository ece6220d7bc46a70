#include "money.h"

#include <cstdio>

namespace reciproca::leaderboard {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<int64_t> ParseCents(std::string_view amount) {
  const size_t dot = amount.find('.');
  const std::string_view whole = amount.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : amount.substr(dot + 1);
  if (whole.empty() || whole.size() > 15 || fraction.size() > 2 ||
      (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  int64_t cents = 0;
  for (char c : whole) {
    if (!IsDigit(c)) {
      return std::nullopt;
    }
    cents = cents * 10 + (c - '0');
  }
  for (size_t i = 0; i < 2; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (!IsDigit(c)) {
      return std::nullopt;
    }
    cents = cents * 10 + (c - '0');
  }
  return cents;
}

std::string FormatMoney(int64_t cents, const std::string& currency) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%lld.%02lld", static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  return std::string(buffer) + " " + currency;
}

}  // namespace reciproca::leaderboard
