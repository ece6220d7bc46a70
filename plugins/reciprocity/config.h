#pragma once

// The reciprocity plugin's settings: the VCP thresholds and the reminder rules. Read from the
// plugin's JSON config; every key is optional and defaults to the value below (the same values
// as default_config.json next to this file).

#include <string>

namespace reciproca::reciprocity {

struct Config {
  // VCP, per direction A -> B, over the last `window_days` (see README.md).
  int window_days = 180;
  // CREDIBILITY: A gave B at least this many referrals in the window (or a testimonial).
  int credibility_referrals = 2;
  // PROFITABILITY: A gave B at least this many referrals in the window...
  int profitability_referrals = 3;
  // ...and at least this much closed business came of it: referrals of A to B in the window now
  // closed won, or TYFCB thank-yous from B to A in the window (whichever is more).
  int profitability_closed_business = 1;

  // one_sided: A gave B at least `one_sided_referrals` in `one_sided_days`, B gave A none.
  int one_sided_referrals = 4;
  int one_sided_days = 90;
  // not_contacted: a referral still GIVEN this many days after it was given.
  int not_contacted_days = 3;
  // thank_you_missing: a referral CLOSED_WON this many days ago with no thank-you linked to it.
  int thank_you_missing_days = 2;
  // one_to_one_no_referral: no referral either way within this many days after a one-to-one.
  int one_to_one_no_referral_days = 30;
};

// Parses the JSON config ("" and "{}" give the defaults). Throws std::invalid_argument naming
// the key and the rule ("reciprocity: config: \"one_sided.days\" must be an integer from 1 to
// 3650, got \"90\"") for malformed JSON, an unknown key or a value out of range.
Config ParseConfig(const std::string& json);

}  // namespace reciproca::reciprocity
