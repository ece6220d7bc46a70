#pragma once

// The words of the reminders: kind, specific, never shaming. Each suggests giving, learning or
// thanking. A reminder carries its kind and the parameters of its text; the text itself is the
// catalog message "reminder.<kind>" (texts/<language>.json) in the chapter's language. Names are
// display names; dates are UTC days ("2026-12-01").

#include <string>

#include "texts/catalogs.h"

namespace reciproca::reciprocity {

// one_sided: "Ana Rossi has given you 4 referrals in 90 days and you none yet: a one-to-one to
// learn what Ana Rossi needs?"
plugin_texts::Params OneSidedParams(const std::string& giver, int referrals, int days);

// not_contacted: "The referral from Ana Rossi (Luca Verdi, temperature 4) is waiting for your
// call since 2026-12-01: a call today keeps it warm." An empty contact is an inside referral (the
// giver is the customer); a temperature of 0 is left out.
plugin_texts::Params NotContactedParams(const std::string& giver, const std::string& contact,
                                        int temperature, const std::string& given_on);

// thank_you_missing: "The referral from Ana Rossi (Luca Verdi) closed won on 2026-12-05: a
// thank-you (TYFCB) lets Ana Rossi know it worked and what it was worth."
plugin_texts::Params ThankYouMissingParams(const std::string& giver, const std::string& contact,
                                           const std::string& closed_on);

// one_to_one_no_referral: "You met Luca Verdi for a one-to-one on 2026-12-01 and no referral has
// passed between you since: who do you know that needs what Luca Verdi offers?"
plugin_texts::Params OneToOneNoReferralParams(const std::string& other, const std::string& met_on);

// The text of a reminder of `kind` in the chapter's `language` (any BCP 47 tag).
std::string ReminderText(const plugin_texts::Catalogs& texts, const std::string& language,
                         const std::string& kind, const plugin_texts::Params& params);

}  // namespace reciproca::reciprocity
