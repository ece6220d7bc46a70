#include "client/cli/args.h"

#include <charconv>
#include <cstdint>

namespace reciproca::cli {

bool ParsedArgs::Has(std::string_view flag) const { return values_.find(flag) != values_.end(); }

std::string ParsedArgs::Get(std::string_view flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::string() : it->second;
}

std::string ParsedArgs::GetOr(std::string_view flag, std::string fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::move(fallback) : it->second;
}

int64_t ParsedArgs::GetInt(std::string_view flag, int64_t fallback, int64_t min,
                           int64_t max) const {
  auto it = values_.find(flag);
  if (it == values_.end()) {
    return fallback;
  }
  int64_t value = 0;
  if (!ParseInt(it->second, INT64_MIN, INT64_MAX, &value)) {
    throw UsageError("--" + std::string(flag) + " expects a whole number, got \"" + it->second +
                     "\"");
  }
  if (value < min || value > max) {
    throw UsageError("--" + std::string(flag) + " must be between " + std::to_string(min) +
                     " and " + std::to_string(max) + ", got " + it->second);
  }
  return value;
}

std::string ParsedArgs::Positional(size_t index) const {
  return index < positionals_.size() ? positionals_[index] : std::string();
}

bool ParseInt(std::string_view text, int64_t min, int64_t max, int64_t* value) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  int64_t parsed = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
  if (text.empty() || ec != std::errc() || ptr != end || parsed < min || parsed > max) {
    return false;
  }
  *value = parsed;
  return true;
}

}  // namespace reciproca::cli
