#pragma once

// Money in the domain: ISO 4217 codes and decimal amounts held as exact integer cents. The
// amount syntax and its limit are the plugin SDK's (plugins/include/reciproca/money.hpp), so
// plugins parse exactly what the server accepts; this adds the messages and "more than zero".

#include <cstdint>
#include <string>
#include <string_view>

#include "reciproca/money.hpp"  // sdk::FormatCents writes amounts
#include "server/domain/result.h"

namespace reciproca::domain {

// True for an active ISO 4217 alphabetic code, upper case ("EUR"; "eur" is not).
bool IsIsoCurrency(std::string_view code);

// OK for an ISO 4217 code; otherwise INVALID_ARGUMENT naming `field`, suggesting the upper-case
// spelling when that is a code.
Status CheckCurrency(std::string_view field, std::string_view code);

// A positive amount as sdk::ParseAmount parses it (at most two decimals, at most
// 999999999999.99), as cents ("1250" -> 125000, "0.5" -> 50). INVALID_ARGUMENT naming `field`
// and the rule otherwise.
Result<int64_t> ParseAmountCents(std::string_view field, std::string_view amount);

}  // namespace reciproca::domain
