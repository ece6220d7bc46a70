#pragma once

// The words of the reminders: kind, specific, never shaming. Each suggests giving, learning or
// thanking. Names are display names; dates are UTC days ("2026-12-01").

#include <string>

namespace reciproca::reciprocity {

// "Ana Rossi has given you 4 referrals in 90 days and you none yet: a one-to-one to learn what
// Ana Rossi needs?"
std::string OneSidedText(const std::string& giver, int referrals, int days);

// "The referral from Ana Rossi (Luca Verdi, temperature 4) is waiting for your call since
// 2026-12-01: a call today keeps it warm." An empty contact is an inside referral (the giver is
// the customer); a temperature of 0 is left out.
std::string NotContactedText(const std::string& giver, const std::string& contact, int temperature,
                             const std::string& given_on);

// "The referral from Ana Rossi (Luca Verdi) closed won on 2026-12-05: a thank-you (TYFCB) lets Ana
// Rossi know it worked and what it was worth."
std::string ThankYouMissingText(const std::string& giver, const std::string& contact,
                                const std::string& closed_on);

// "You met Luca Verdi for a one-to-one on 2026-12-01 and no referral has passed between you
// since: who do you know that needs what Luca Verdi offers?"
std::string OneToOneNoReferralText(const std::string& other, const std::string& met_on);

}  // namespace reciproca::reciprocity
