#include "reminder_texts.h"

namespace reciproca::reciprocity {

plugin_texts::Params OneSidedParams(const std::string& giver, int referrals, int days) {
  return {
      {"giver", giver}, {"referrals", std::to_string(referrals)}, {"days", std::to_string(days)}};
}

plugin_texts::Params NotContactedParams(const std::string& giver, const std::string& contact,
                                        int temperature, const std::string& given_on) {
  return {{"giver", giver},
          {"contact", contact},
          {"inside", contact.empty() ? "yes" : "no"},
          {"temperature", std::to_string(temperature)},
          {"given_on", given_on}};
}

plugin_texts::Params ThankYouMissingParams(const std::string& giver, const std::string& contact,
                                           const std::string& closed_on) {
  return {{"giver", giver},
          {"contact", contact},
          {"inside", contact.empty() ? "yes" : "no"},
          {"closed_on", closed_on}};
}

plugin_texts::Params OneToOneNoReferralParams(const std::string& other, const std::string& met_on) {
  return {{"other", other}, {"met_on", met_on}};
}

std::string ReminderText(const plugin_texts::Catalogs& texts, const std::string& language,
                         const std::string& kind, const plugin_texts::Params& params) {
  return texts.Render(texts.Resolve(language), "reminder." + kind, params);
}

}  // namespace reciproca::reciprocity
