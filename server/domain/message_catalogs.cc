#include "server/domain/message_catalogs.h"

#include <unicode/msgfmt.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace reciproca::domain {

const MessageCatalogs& MessageCatalogs::Get() {
  static const MessageCatalogs catalogs;
  return catalogs;
}

MessageCatalogs::MessageCatalogs() {
  for (const Asset& file : CatalogFiles()) {
    std::string_view path = file.path;  // "/it.json"
    if (!path.starts_with("/") || !path.ends_with(".json")) {
      continue;
    }
    const std::string language(path.substr(1, path.size() - 6));
    const nlohmann::json json =
        nlohmann::json::parse(file.body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) {
      spdlog::error("error message catalog {} is not a JSON object; not used", path);
      continue;
    }
    auto& patterns = patterns_[language];
    for (const auto& [reason, pattern] : json.items()) {
      if (pattern.is_string()) {
        patterns.emplace(reason, pattern.get<std::string>());
      }
    }
    languages_.push_back(language);
  }
  // English first: the fallback of every negotiation and every missing message.
  std::stable_partition(languages_.begin(), languages_.end(),
                        [](const std::string& tag) { return tag == "en"; });
}

std::string MessageCatalogs::Negotiate(std::string_view accept_language) const {
  if (accept_language.empty() || languages_.empty() || accept_language.size() > 256) {
    return "";
  }
  std::vector<const char*> available;
  for (const std::string& tag : languages_) {
    available.push_back(tag.c_str());
  }
  UErrorCode status = U_ZERO_ERROR;
  UEnumeration* locales = uenum_openCharStringsEnumeration(
      available.data(), static_cast<int32_t>(available.size()), &status);
  if (U_FAILURE(status)) {
    return "";
  }
  char result[ULOC_FULLNAME_CAPACITY];
  UAcceptResult outcome = ULOC_ACCEPT_FAILED;
  const std::string header(accept_language);
  const int32_t length = uloc_acceptLanguageFromHTTP(result, sizeof result, &outcome,
                                                     header.c_str(), locales, &status);
  uenum_close(locales);
  if (U_FAILURE(status) || outcome == ULOC_ACCEPT_FAILED || length <= 0 ||
      static_cast<size_t>(length) >= sizeof result) {
    return "";
  }
  return std::string(result, static_cast<size_t>(length));
}

std::vector<std::string> MessageCatalogs::Reasons(std::string_view language) const {
  std::vector<std::string> out;
  if (auto catalog = patterns_.find(language); catalog != patterns_.end()) {
    for (const auto& [reason, pattern] : catalog->second) {
      out.push_back(reason);
    }
  }
  return out;
}

const std::string* MessageCatalogs::Pattern(std::string_view language,
                                            std::string_view reason) const {
  auto catalog = patterns_.find(language);
  if (catalog == patterns_.end()) {
    return nullptr;
  }
  auto it = catalog->second.find(reason);
  return it == catalog->second.end() ? nullptr : &it->second;
}

std::string MessageCatalogs::Format(std::string_view language, std::string_view reason,
                                    const std::map<std::string, std::string>& params,
                                    std::string_view fallback) const {
  const std::string* pattern = Pattern(language, reason);
  std::string used(language);
  if (pattern == nullptr) {
    pattern = Pattern("en", reason);
    used = "en";
  }
  if (pattern == nullptr) {
    return std::string(fallback);
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::MessageFormat format(icu::UnicodeString::fromUTF8(*pattern), icu::Locale(used.c_str()),
                            status);
  if (U_FAILURE(status)) {
    spdlog::error("error message catalog {}: the pattern of {} does not parse ({})", used, reason,
                  u_errorName(status));
    return std::string(fallback);
  }
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (const auto& [name, value] : params) {
    names.push_back(icu::UnicodeString::fromUTF8(name));
    // A whole number formats as one (plurals, the language's digits and grouping); anything
    // else, and ids, as text.
    char* end = nullptr;
    const long long number = std::strtoll(value.c_str(), &end, 10);
    if (!value.empty() && end != nullptr && *end == '\0' && value.size() < 16 &&
        !name.ends_with("_id")) {
      values.emplace_back(static_cast<int64_t>(number));
    } else {
      values.emplace_back(icu::UnicodeString::fromUTF8(value));
    }
  }
  icu::UnicodeString out;
  format.format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) {
    return std::string(fallback);
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

}  // namespace reciproca::domain
