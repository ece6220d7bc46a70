// ICU MessageFormat over compiled-in catalogs, and ICU money.

#include "texts/catalogs.h"

#include <unicode/datefmt.h>
#include <unicode/fmtable.h>
#include <unicode/msgfmt.h>
#include <unicode/numberformatter.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "reciproca/money.hpp"

namespace reciproca::plugin_texts {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "2026-12-01" -> midnight UTC in ICU's milliseconds.
std::optional<UDate> Day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !AllDigits(text.substr(0, 4)) ||
      !AllDigits(text.substr(5, 2)) || !AllDigits(text.substr(8, 2))) {
    return std::nullopt;
  }
  const std::chrono::year_month_day day{
      std::chrono::year{std::atoi(std::string(text.substr(0, 4)).c_str())},
      std::chrono::month{static_cast<unsigned>(std::atoi(std::string(text.substr(5, 2)).c_str()))},
      std::chrono::day{static_cast<unsigned>(std::atoi(std::string(text.substr(8, 2)).c_str()))}};
  if (!day.ok()) {
    return std::nullopt;
  }
  const auto seconds = std::chrono::sys_seconds{std::chrono::sys_days{day}}.time_since_epoch();
  return static_cast<UDate>(seconds.count()) * 1000.0;
}

// "1250.00 EUR" -> (cents, "EUR").
std::optional<std::pair<int64_t, std::string>> Money(std::string_view text) {
  const size_t space = text.find(' ');
  if (space == std::string_view::npos || text.size() != space + 4) {
    return std::nullopt;
  }
  const std::string_view code = text.substr(space + 1);
  if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return std::nullopt;
  }
  const std::optional<int64_t> cents = sdk::ParseCents(text.substr(0, space));
  if (!cents) {
    return std::nullopt;
  }
  return std::make_pair(*cents, std::string(code));
}

// A parameter as ICU formats it (see catalogs.h for the forms).
icu::Formattable Typed(std::string_view language, const std::string& value) {
  const std::string_view digits =
      !value.empty() && value[0] == '-' ? std::string_view(value).substr(1) : value;
  if (AllDigits(digits) && digits.size() < 16) {
    return icu::Formattable(static_cast<int64_t>(std::strtoll(value.c_str(), nullptr, 10)));
  }
  if (const size_t dot = digits.find('.'); dot != std::string_view::npos && dot > 0 &&
                                           AllDigits(digits.substr(0, dot)) &&
                                           AllDigits(digits.substr(dot + 1))) {
    return icu::Formattable(std::strtod(value.c_str(), nullptr));
  }
  if (const std::optional<UDate> day = Day(value)) {
    return icu::Formattable(*day, icu::Formattable::kIsDate);
  }
  if (const auto money = Money(value)) {
    return icu::Formattable(
        icu::UnicodeString::fromUTF8(FormatMoney(language, money->first, money->second)));
  }
  return icu::Formattable(icu::UnicodeString::fromUTF8(value));
}

// A pattern compiled for `language`, its dates shown as UTC days whatever the host's time zone.
std::unique_ptr<icu::MessageFormat> Compile(const std::string& pattern, const std::string& language,
                                            UErrorCode& status) {
  auto format = std::make_unique<icu::MessageFormat>(icu::UnicodeString::fromUTF8(pattern),
                                                     icu::Locale(language.c_str()), status);
  if (U_FAILURE(status)) {
    return nullptr;
  }
  std::unique_ptr<icu::StringEnumeration> names(format->getFormatNames(status));
  for (const icu::UnicodeString* name = names ? names->snext(status) : nullptr;
       name != nullptr && U_SUCCESS(status); name = names->snext(status)) {
    if (auto* date = dynamic_cast<icu::DateFormat*>(format->getFormat(*name, status))) {
      date->setTimeZone(*icu::TimeZone::getGMT());
    }
  }
  return U_FAILURE(status) ? nullptr : std::move(format);
}

}  // namespace

struct Catalogs::Compiled {
  std::unique_ptr<icu::MessageFormat> format;
};

Catalogs::~Catalogs() = default;
Catalogs::Catalogs(Catalogs&&) noexcept = default;
Catalogs& Catalogs::operator=(Catalogs&&) noexcept = default;

Catalogs::Catalogs(std::span<const Asset> files) {
  for (const Asset& file : files) {
    const std::string_view path = file.path;
    if (!path.starts_with("/") || !path.ends_with(".json")) {
      continue;
    }
    const std::string language = Lower(path.substr(1, path.size() - 6));
    const nlohmann::json json =
        nlohmann::json::parse(file.body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) {
      throw std::invalid_argument("text catalog " + std::string(path) + ": not a JSON object");
    }
    auto& patterns = patterns_[language];
    for (const auto& [key, pattern] : json.items()) {
      UErrorCode status = U_ZERO_ERROR;
      auto compiled = std::make_unique<Compiled>();
      if (pattern.is_string()) {
        compiled->format = Compile(pattern.get<std::string>(), language, status);
      }
      if (!compiled->format) {
        throw std::invalid_argument("text catalog " + std::string(path) + ": \"" + key +
                                    "\" is not an ICU MessageFormat pattern (" +
                                    u_errorName(status) + ")");
      }
      patterns.emplace(key, std::move(compiled));
    }
    languages_.push_back(language);
  }
  if (!patterns_.contains("en")) {
    throw std::invalid_argument("text catalogs: there is no en.json");
  }
  std::sort(languages_.begin(), languages_.end());
  std::stable_partition(languages_.begin(), languages_.end(),
                        [](const std::string& tag) { return tag == "en"; });
}

std::string Catalogs::Resolve(std::string_view tag) const {
  const std::string wanted = Lower(tag);
  if (patterns_.contains(wanted)) {
    return wanted;
  }
  const std::string language = wanted.substr(0, wanted.find('-'));
  return patterns_.contains(language) ? language : "en";
}

std::vector<std::string> Catalogs::Keys(std::string_view language) const {
  std::vector<std::string> keys;
  if (auto catalog = patterns_.find(language); catalog != patterns_.end()) {
    for (const auto& [key, pattern] : catalog->second) {
      keys.push_back(key);
    }
  }
  return keys;
}

bool Catalogs::Has(std::string_view language, std::string_view key) const {
  auto catalog = patterns_.find(language);
  return catalog != patterns_.end() && catalog->second.contains(key);
}

std::string Catalogs::Render(std::string_view language, std::string_view key,
                             const Params& params) const {
  std::string used(Has(language, key) ? language : "en");
  if (!Has(used, key)) {
    throw std::invalid_argument("no text catalog has \"" + std::string(key) + "\"");
  }
  const icu::MessageFormat& format = *patterns_.find(used)->second.find(key)->second->format;
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (const auto& [name, value] : params) {
    names.push_back(icu::UnicodeString::fromUTF8(name));
    values.push_back(Typed(used, value));
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out;
  format.format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) {
    throw std::invalid_argument("text \"" + std::string(key) + "\" in " + used +
                                ": the parameters do not fit its pattern (" + u_errorName(status) +
                                ")");
  }
  return Utf8(out);
}

std::string FormatMoney(std::string_view language, int64_t cents, std::string_view currency) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString code = icu::UnicodeString::fromUTF8(currency);
  const icu::CurrencyUnit unit(code.getTerminatedBuffer(), status);
  const std::string amount = sdk::FormatCents(cents);
  if (U_FAILURE(status)) {
    return amount + " " + std::string(currency);
  }
  const icu::number::FormattedNumber formatted =
      icu::number::NumberFormatter::withLocale(icu::Locale(std::string(language).c_str()))
          .unit(unit)
          .formatDecimal(amount, status);
  const icu::UnicodeString text = formatted.toString(status);
  return U_FAILURE(status) ? amount + " " + std::string(currency) : Utf8(text);
}

std::string MoneyParam(int64_t cents, std::string_view currency) {
  return sdk::FormatCents(cents) + " " + std::string(currency);
}

std::string DecimalParam(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

}  // namespace reciproca::plugin_texts
