#pragma once

// Amounts of money as the event log writes them ("1250.00") and as the leaderboard shows them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reciproca::leaderboard {

// "1250.00", "1250.5" or "1250" -> 125000, 125050, 125000 cents; nullopt for anything else
// (a sign, more than two decimals, more than 15 integer digits, stray characters).
std::optional<int64_t> ParseCents(std::string_view amount);

// 125000, "EUR" -> "1250.00 EUR".
std::string FormatMoney(int64_t cents, const std::string& currency);

}  // namespace reciproca::leaderboard
