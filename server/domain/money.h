#pragma once

// Money in the domain: ISO 4217 codes and decimal amounts held as exact integer cents.

#include <cstdint>
#include <string>
#include <string_view>

#include "server/domain/result.h"

namespace reciproca::domain {

// True for an active ISO 4217 alphabetic code, upper case ("EUR"; "eur" is not).
bool IsIsoCurrency(std::string_view code);

// OK for an ISO 4217 code; otherwise INVALID_ARGUMENT naming `field`, suggesting the upper-case
// spelling when that is a code.
Status CheckCurrency(std::string_view field, std::string_view code);

// A positive decimal with at most two decimals and at most 999999999999.99, as cents
// ("1250" -> 125000, "0.5" -> 50). INVALID_ARGUMENT naming `field` otherwise.
Result<int64_t> ParseAmountCents(std::string_view field, std::string_view amount);

// Cents as a decimal with two decimals: 125050 -> "1250.50".
std::string FormatCents(int64_t cents);

}  // namespace reciproca::domain
