#include "config.h"

#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace reciproca::reciprocity {

namespace {

using Json = nlohmann::json;

[[noreturn]] void Fail(const std::string& message) {
  throw std::invalid_argument("reciprocity: config: " + message);
}

struct Setting {
  int* value;
  int min;
  int max;
};

// Reads the section `section` of `root` into `settings`, rejecting unknown keys.
void ReadSection(const Json& root, const std::string& section,
                 const std::map<std::string, Setting>& settings) {
  const auto found = root.find(section);
  if (found == root.end()) {
    return;
  }
  if (!found->is_object()) {
    Fail("\"" + section + "\" must be an object, got " + found->dump());
  }
  for (const auto& [key, value] : found->items()) {
    const auto setting = settings.find(key);
    const std::string path = section + "." + key;
    if (setting == settings.end()) {
      std::string known;
      for (const auto& [name, unused] : settings) {
        known += (known.empty() ? "" : ", ") + name;
      }
      Fail("unknown key \"" + path + "\"; \"" + section + "\" takes " + known);
    }
    const Setting& s = setting->second;
    if (!value.is_number_integer() || value.get<int64_t>() < s.min ||
        value.get<int64_t>() > s.max) {
      Fail("\"" + path + "\" must be an integer from " + std::to_string(s.min) + " to " +
           std::to_string(s.max) + ", got " + value.dump());
    }
    *s.value = value.get<int>();
  }
}

}  // namespace

Config ParseConfig(const std::string& json) {
  Config config;
  if (json.empty()) {
    return config;
  }
  const Json root = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    Fail("must be a JSON object, got: " + json);
  }
  const std::map<std::string, std::map<std::string, Setting>> sections = {
      {"vcp",
       {{"window_days", {&config.window_days, 1, 3650}},
        {"credibility_referrals", {&config.credibility_referrals, 1, 1000}},
        {"profitability_referrals", {&config.profitability_referrals, 1, 1000}},
        {"profitability_closed_business", {&config.profitability_closed_business, 0, 1000}}}},
      {"one_sided",
       {{"referrals", {&config.one_sided_referrals, 1, 1000}},
        {"days", {&config.one_sided_days, 1, 3650}}}},
      {"not_contacted", {{"days", {&config.not_contacted_days, 1, 3650}}}},
      {"thank_you_missing", {{"days", {&config.thank_you_missing_days, 1, 3650}}}},
      {"one_to_one_no_referral", {{"days", {&config.one_to_one_no_referral_days, 1, 3650}}}},
  };
  for (const auto& [key, unused] : root.items()) {
    if (!sections.contains(key)) {
      Fail("unknown key \"" + key +
           "\"; one of vcp, one_sided, not_contacted, thank_you_missing, "
           "one_to_one_no_referral");
    }
  }
  for (const auto& [section, settings] : sections) {
    ReadSection(root, section, settings);
  }
  if (config.profitability_referrals < config.credibility_referrals) {
    Fail("\"vcp.profitability_referrals\" (" + std::to_string(config.profitability_referrals) +
         ") must be at least \"vcp.credibility_referrals\" (" +
         std::to_string(config.credibility_referrals) + ")");
  }
  return config;
}

}  // namespace reciproca::reciprocity
