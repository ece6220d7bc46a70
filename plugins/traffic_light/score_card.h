#pragma once

// A member's traffic-light score: each row's measured value, its points, the total and the band.

#include <cstdint>
#include <string>

#include "chapter_record.h"
#include "config.h"
#include "member_record.h"
#include "reciproca/plugin/v1/plugin.pb.h"

namespace reciproca::traffic_light {

// A metric over a window, as a number the steps compare and as text for people.
struct Measured {
  double value = 0;
  // "0.77 per week (20 referrals in 26.0 weeks)".
  std::string text;
};

// The window is the `days` days up to `now`: from now - days * 86400 (excluded) to now
// (included), in Unix seconds.
Measured Measure(const Metric& metric, TyfcbSide tyfcb_side, const ChapterRecord& chapter,
                 const MemberRecord& member, int days, int64_t now);

// Every row of `config` for `member`, the total, the band. display_name and member are set.
plugin::v1::MemberScore Score(const Config& config, const ChapterRecord& chapter,
                              const MemberRecord& member, const Window& window, int64_t now);

}  // namespace reciproca::traffic_light
