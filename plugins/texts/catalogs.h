#pragma once

// Texts in the chapter's language for the shipped plugins: one message catalog per language
// (<plugin>/texts/<tag>.json, compiled into the plugin), each mapping a stable key to an ICU
// MessageFormat pattern over the text's parameters. Plural rules, numbers, dates and money are
// ICU's (CLDR), never hand-written. Adding a language is adding a file (docs/i18n.md, "Plugin
// texts").
//
// Parameters are strings (they travel beside the text as plugin.v1.TextParam) and are typed by
// their form when a pattern is formatted:
//   "12", "-3"                       an integer: plural rules, the language's digits and grouping
//   "0.769231"                       a decimal number ({rate, number, ::.00} rounds it)
//   "2026-12-01"                     a day (UTC): {given_on, date, medium} or a date pattern
//   "1250.00 EUR"                    an amount of money: the language's money format ("1.250,00 €")
//   anything else                    text, as it is

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reciproca::plugin_texts {

// A compiled-in file (cmake/EmbedWebAssets.cmake): "/it.json".
struct Asset {
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

using Params = std::map<std::string, std::string>;

class Catalogs {
 public:
  // Parses the "/<tag>.json" files (an object of key -> pattern). Throws std::invalid_argument
  // naming the file and key for a catalog that is not such an object, has a pattern that ICU does
  // not parse, or when there is no "en" catalog: the plugin then refuses to load.
  explicit Catalogs(std::span<const Asset> files);
  ~Catalogs();
  Catalogs(Catalogs&&) noexcept;
  Catalogs& operator=(Catalogs&&) noexcept;

  // The tags there is a catalog for, "en" first.
  const std::vector<std::string>& languages() const { return languages_; }
  // The catalog for a chapter's BCP 47 tag: the tag itself ("pt-BR"), else its language
  // ("it-CH" -> "it"), else "en". Case-insensitive; "_" counts as "-".
  std::string Resolve(std::string_view tag) const;
  // The keys of a catalog, sorted (empty for an unknown language).
  std::vector<std::string> Keys(std::string_view language) const;
  bool Has(std::string_view language, std::string_view key) const;

  // The pattern of `key` in `language` (or in English when the language lacks it), formatted by
  // ICU with `params`. Throws std::invalid_argument when no catalog has the key or the
  // parameters do not fit the pattern (a bug of the plugin, which its tests catch).
  std::string Render(std::string_view language, std::string_view key, const Params& params) const;

 private:
  // Each pattern, compiled once.
  struct Compiled;
  std::vector<std::string> languages_;
  std::map<std::string, std::map<std::string, std::unique_ptr<Compiled>, std::less<>>, std::less<>>
      patterns_;
};

// Follows a chapter's language through its events (a reciproca.v1.Event): ChapterCreated and
// ChapterUpdated carry the chapter with its language (BCP 47); other events leave it.
template <class Event>
void FollowLanguage(const Event& event, std::string* language) {
  const std::string* given = nullptr;
  if (event.has_chapter_created()) {
    given = &event.chapter_created().chapter().language();
  } else if (event.has_chapter_updated()) {
    given = &event.chapter_updated().chapter().language();
  }
  if (given != nullptr && !given->empty()) {
    *language = *given;
  }
}

// Writes `params` (sorted by name, as the map keeps them) into a repeated plugin.v1.TextParam
// field, and reads them back.
template <class RepeatedTextParam>
void SetParams(const Params& params, RepeatedTextParam* out) {
  out->Clear();
  for (const auto& [name, value] : params) {
    auto* param = out->Add();
    param->set_name(name);
    param->set_value(value);
  }
}
template <class RepeatedTextParam>
Params ParamsOf(const RepeatedTextParam& in) {
  Params params;
  for (const auto& param : in) {
    params[param.name()] = param.value();
  }
  return params;
}

// An amount in the language's money format, through ICU: cents 125000 in "EUR" is "1.250,00 €"
// in Italian, "€1,250.00" in English. An unknown currency code shows as the code.
std::string FormatMoney(std::string_view language, int64_t cents, std::string_view currency);

// The money parameter of an amount: "1250.00 EUR".
std::string MoneyParam(int64_t cents, std::string_view currency);

// A decimal parameter with enough digits for any rounding a pattern asks for: "0.769231".
std::string DecimalParam(double value);

}  // namespace reciproca::plugin_texts
