#pragma once

// A member's traffic-light score: each row's measured value, its points, the total and the band,
// with the texts of the *why* in the chapter's language.

#include <cstdint>
#include <string>

#include "chapter_record.h"
#include "config.h"
#include "member_record.h"
#include "reciproca/plugin/v1/plugin.pb.h"
#include "texts/catalogs.h"

namespace reciproca::traffic_light {

// A metric over a window: a number the steps compare, and what was measured as a text key of the
// catalogs with its parameters.
struct Measured {
  double value = 0;
  // "measured.per_week".
  std::string key;
  // For a count: the key that words it ("count.referrals_given"), rendered into the
  // parameter "what" of `key`; "" otherwise.
  std::string count_key;
  // {"count": "20", "rate": "0.769231", "weeks": "26.000000"}.
  plugin_texts::Params params;
};

// The window is the `days` days up to `now`: from now - days * 86400 (excluded) to now
// (included), in Unix seconds. Rates are divided by `rate_days` (the window's days, or a
// member's tenure when prorated). Not `worded`: the value alone (key and params empty).
Measured Measure(const Metric& metric, TyfcbSide tyfcb_side, const ChapterRecord& chapter,
                 const MemberRecord& member, int days, int rate_days, int64_t now,
                 bool worded = true);

// "0.77 per week (20 referrals in 26.0 weeks)", in `language` (one of texts.languages()).
std::string MeasuredText(const plugin_texts::Catalogs& texts, const std::string& language,
                         const Measured& measured);

// Every row of `config` for `member`, the total, the band ("provisional" for a member with less
// tenure than the window and fewer meetings than config.minimum_meetings), with the texts in the
// chapter's language. When `texts` is null the band alone is wanted (after each event): no rows
// and no texts, only member, display_name, points, max_points and band.
plugin::v1::MemberScore Score(const Config& config, const plugin_texts::Catalogs* texts,
                              const ChapterRecord& chapter, const MemberRecord& member,
                              const Window& window, int64_t now);

}  // namespace reciproca::traffic_light
