#pragma once

// How the shipped plugins count an imported PALMS summary (PalmsSummaryImported: a member's
// counts over a period, from another tool): like recorded history, spread evenly over the
// meetings of its period. The one home of that rule (plugins/traffic_light/README.md, "Imported
// history"; docs/import.md).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace reciproca::plugin_texts {

// "2026-12-01" -> midnight UTC in Unix seconds; false if it is not a valid date.
inline bool ParseDay(const std::string& text, int64_t* seconds) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char rest = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &rest) != 3) {
    return false;
  }
  const std::chrono::year_month_day day{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!day.ok()) {
    return false;
  }
  *seconds = std::chrono::sys_seconds{std::chrono::sys_days{day}}.time_since_epoch().count();
  return true;
}

// A part of a summary's count, counted at one of its period's meetings.
struct Share {
  int64_t time = 0;  // Unix seconds
  int64_t amount = 0;
};

// The first day (midnight UTC) of a summary's period, or false when its dates are not valid.
template <class Summary>
bool PeriodStart(const Summary& summary, int64_t* seconds) {
  int64_t end = 0;
  return ParseDay(summary.period_start(), seconds) && ParseDay(summary.period_end(), &end) &&
         end >= *seconds;
}

// `total` (a count, credits or cents) of `summary` (a reciproca.v1.PalmsSummaryImported) spread
// evenly over its period's meetings. The period, period_start to period_end inclusive, holds as
// many meetings as the summary has attendance records (present + absent + late + medical +
// substitute: each meeting has one), or one a week (rounded up) when it has none; meeting i of n
// is at the middle of the i-th n-th of the period. Meeting i gets total / n, the first total % n
// meetings one more; shares of 0 are left out. Nothing for an invalid period or total <= 0.
template <class Summary>
std::vector<Share> SpreadOverMeetings(const Summary& summary, int64_t total) {
  constexpr int64_t kDaySeconds = 86400;
  int64_t start = 0;
  int64_t end = 0;
  if (total <= 0 || !PeriodStart(summary, &start) || !ParseDay(summary.period_end(), &end)) {
    return {};
  }
  const int64_t length = end + kDaySeconds - start;
  int64_t meetings = int64_t{summary.present()} + summary.absent() + summary.late() +
                     summary.medical() + summary.substitute();
  if (meetings <= 0) {
    meetings = (length / kDaySeconds + 6) / 7;
  }
  std::vector<Share> shares;
  for (int64_t i = 0; i < meetings; ++i) {
    const int64_t amount = total / meetings + (i < total % meetings ? 1 : 0);
    if (amount > 0) {
      shares.push_back({start + (2 * i + 1) * length / (2 * meetings), amount});
    }
  }
  return shares;
}

}  // namespace reciproca::plugin_texts
