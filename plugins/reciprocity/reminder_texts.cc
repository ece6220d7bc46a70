#include "reminder_texts.h"

namespace reciproca::reciprocity {

namespace {

std::string Contact(const std::string& giver, const std::string& contact) {
  return contact.empty() ? "inside: " + giver + " is the customer" : contact;
}

}  // namespace

std::string OneSidedText(const std::string& giver, int referrals, int days) {
  return giver + " has given you " + std::to_string(referrals) +
         (referrals == 1 ? " referral" : " referrals") + " in " + std::to_string(days) +
         " days and you none yet: a one-to-one to learn what " + giver + " needs?";
}

std::string NotContactedText(const std::string& giver, const std::string& contact, int temperature,
                             const std::string& given_on) {
  std::string about = Contact(giver, contact);
  if (temperature > 0) {
    about += ", temperature " + std::to_string(temperature);
  }
  return "The referral from " + giver + " (" + about + ") is waiting for your call since " +
         given_on + ": a call today keeps it warm.";
}

std::string ThankYouMissingText(const std::string& giver, const std::string& contact,
                                const std::string& closed_on) {
  return "The referral from " + giver + " (" + Contact(giver, contact) + ") closed won on " +
         closed_on + ": a thank-you (TYFCB) lets " + giver +
         " know it worked and what it was worth.";
}

std::string OneToOneNoReferralText(const std::string& other, const std::string& met_on) {
  return "You met " + other + " for a one-to-one on " + met_on +
         " and no referral has passed between you since: who do you know that needs what " + other +
         " offers?";
}

}  // namespace reciproca::reciprocity
