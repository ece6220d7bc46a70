// Measuring metrics over a window and turning them into points.

#include "score_card.h"

#include <algorithm>
#include <limits>

#include "reciproca/money.hpp"

namespace reciproca::traffic_light {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// An average month, for "per month" rates.
constexpr double kDaysPerMonth = 365.0 / 12.0;
// A prorated rate is divided by at least a week.
constexpr int kMinimumRateDays = 7;

using plugin_texts::DecimalParam;

struct Countable {
  const Timeline* timeline;
  bool weighted;  // sum the weights (credits) rather than count the entries
  const char* count_key;
};

Countable CountableOf(Quantity quantity, const MemberRecord& member) {
  switch (quantity) {
    case Quantity::kReferralsGiven:
      return {&member.referrals_given, false, "count.referrals_given"};
    case Quantity::kVisitors:
      return {&member.visitors, false, "count.visitors"};
    case Quantity::kTestimonials:
      return {&member.testimonials, false, "count.testimonials"};
    case Quantity::kOneToOnes:
      return {&member.one_to_ones, false, "count.one_to_ones"};
    case Quantity::kCeus:
    default:
      return {&member.ceus, true, "count.ceus"};
  }
}

// The value alone, or (`worded`) with the key and parameters that word it: after each event the
// plugin wants only the band, and the texts cost more than the measuring.
template <class MakeParams>
Measured Worded(bool worded, double value, const char* key, const char* count_key,
                const MakeParams& params) {
  if (!worded) {
    return {value, "", "", {}};
  }
  return {value, key, count_key, params()};
}

Measured MeasureAttendance(Quantity quantity, const AttendanceTotal& total, bool worded) {
  const auto meetings = [&] { return std::to_string(total.meetings); };
  switch (quantity) {
    case Quantity::kAbsences:
      return Worded(worded, static_cast<double>(total.absent), "measured.absences", "",
                    [&]() -> plugin_texts::Params {
                      return {{"absences", std::to_string(total.absent)}, {"meetings", meetings()}};
                    });
    case Quantity::kLates:
      return Worded(worded, static_cast<double>(total.late), "measured.lates", "",
                    [&]() -> plugin_texts::Params {
                      return {{"lates", std::to_string(total.late)}, {"meetings", meetings()}};
                    });
    case Quantity::kAttendanceRate:
    default: {
      // Medical absences are excused: they leave the meetings expected. No meeting to attend
      // counts as full attendance, like 0 absences.
      const int expected = std::max(total.meetings - total.medical, 0);
      const int attended = total.present + total.late + total.substitute;
      const double rate = expected == 0 ? 1.0 : static_cast<double>(attended) / expected;
      return Worded(worded, rate, "measured.attendance_rate", "", [&]() -> plugin_texts::Params {
        return {{"rate", DecimalParam(rate)},
                {"attended", std::to_string(attended)},
                {"expected", std::to_string(expected)},
                {"medical", std::to_string(total.medical)}};
      });
    }
  }
}

// How many days a member's rates are divided by in a window of `days` days: the window (or the
// member's tenure when prorated), less a week for each cancelled meeting in it (a holiday week is
// not a week the member could attend), at least a week.
int RateDays(const Config& config, const ChapterRecord& chapter, const MemberRecord& member,
             int days, int64_t now) {
  int64_t rate_days = days;
  if (config.prorate_by_tenure) {
    const int64_t tenure = now - member.tenure_start;
    rate_days = std::min<int64_t>((tenure + kSecondsPerDay - 1) / kSecondsPerDay, days);
  }
  rate_days -= 7 * chapter.CancelledMeetingsIn(now - rate_days * kSecondsPerDay, now);
  return static_cast<int>(std::max<int64_t>(rate_days, kMinimumRateDays));
}

// The title of a row in `language`: its catalog text, else the name the config gives it.
std::string RowTitle(const plugin_texts::Catalogs& texts, const std::string& language,
                     const Row& row) {
  const std::string key = "row." + row.title;
  return !row.title.empty() && texts.Has(language, key) ? texts.Render(language, key, {})
                                                        : row.name;
}

}  // namespace

Measured Measure(const Metric& metric, TyfcbSide tyfcb_side, const ChapterRecord& chapter,
                 const MemberRecord& member, int days, int rate_days, int64_t now, bool worded) {
  const int64_t from = now - days * kSecondsPerDay;
  switch (metric.quantity) {
    case Quantity::kAbsences:
    case Quantity::kLates:
    case Quantity::kAttendanceRate:
      return MeasureAttendance(metric.quantity, member.AttendanceIn(from, now), worded);
    case Quantity::kTyfcbAmount: {
      const bool given = tyfcb_side == TyfcbSide::kGiven;
      const Timeline::Total total =
          (given ? member.tyfcb_given : member.tyfcb_received).In(from, now);
      return Worded(
          worded, static_cast<double>(total.sum) / 100.0, "measured.tyfcb_amount", "",
          [&]() -> plugin_texts::Params {
            const Timeline::Total other =
                (given ? member.tyfcb_given_other : member.tyfcb_received_other).In(from, now);
            return {{"amount", plugin_texts::MoneyParam(total.sum, chapter.currency())},
                    {"thank_yous", std::to_string(total.count)},
                    {"side", given ? "given" : "received"},
                    {"other", std::to_string(other.count)}};
          });
    }
    default:
      break;
  }
  const Countable countable = CountableOf(metric.quantity, member);
  const Timeline::Total total = countable.timeline->In(from, now);
  const int64_t n = countable.weighted ? total.sum : total.count;
  const auto count = [n] { return std::to_string(n); };
  switch (metric.per) {
    case Per::kWeek: {
      const double weeks = rate_days / 7.0;
      const double rate = static_cast<double>(n) / weeks;
      return Worded(
          worded, rate, "measured.per_week", countable.count_key, [&]() -> plugin_texts::Params {
            return {
                {"count", count()}, {"rate", DecimalParam(rate)}, {"weeks", DecimalParam(weeks)}};
          });
    }
    case Per::kMonth: {
      const double months = rate_days / kDaysPerMonth;
      const double rate = static_cast<double>(n) / months;
      return Worded(
          worded, rate, "measured.per_month", countable.count_key, [&]() -> plugin_texts::Params {
            return {
                {"count", count()}, {"rate", DecimalParam(rate)}, {"months", DecimalParam(months)}};
          });
    }
    case Per::kWindow:
    default:
      return Worded(worded, static_cast<double>(n), "measured.per_window", countable.count_key,
                    [&]() -> plugin_texts::Params {
                      return {{"count", count()}, {"days", std::to_string(days)}};
                    });
  }
}

std::string MeasuredText(const plugin_texts::Catalogs& texts, const std::string& language,
                         const Measured& measured) {
  if (measured.count_key.empty()) {
    return texts.Render(language, measured.key, measured.params);
  }
  plugin_texts::Params params = measured.params;
  params["what"] =
      texts.Render(language, measured.count_key, {{"count", measured.params.at("count")}});
  return texts.Render(language, measured.key, params);
}

plugin::v1::MemberScore Score(const Config& config, const plugin_texts::Catalogs* texts,
                              const ChapterRecord& chapter, const MemberRecord& member,
                              const Window& window, int64_t now) {
  const std::string language = texts != nullptr ? texts->Resolve(chapter.language()) : "";
  const int days = window.DaysAt(now);
  const int rate_days = RateDays(config, chapter, member, days, now);
  plugin::v1::MemberScore score;
  score.set_member(member.name);
  score.set_display_name(member.display_name);
  int points = 0;
  for (const Row& row : config.rows) {
    const Measured measured = Measure(row.metric, config.tyfcb_side, chapter, member, days,
                                      rate_days, now, /*worded=*/texts != nullptr);
    const int row_points = row.PointsFor(measured.value);
    points += row_points;
    if (texts == nullptr) {
      continue;  // the band alone
    }
    plugin::v1::ScoreRow* out = score.add_rows();
    out->set_points(row_points);
    out->set_max_points(row.max_points);
    out->set_kind(row.metric_name);
    out->set_name(RowTitle(*texts, language, row));
    out->set_measured(MeasuredText(*texts, language, measured));
    plugin_texts::SetParams(measured.params, out->mutable_params());
  }
  score.set_points(points);
  score.set_max_points(config.max_points);
  score.set_band(config.BandFor(points));

  // A member newer than the window is provisional until they have had the minimum of meetings:
  // a new chapter is never red after its first meeting.
  // (Counting a new member's meetings is cheap: they are all within the window.)
  const bool new_member = now - member.tenure_start < days * kSecondsPerDay;
  const int meetings = new_member && config.minimum_meetings > 0
                           ? member.AttendanceIn(std::numeric_limits<int64_t>::min(), now).meetings
                           : 0;
  if (new_member && meetings < config.minimum_meetings) {
    score.set_band(kProvisionalBand);
    if (texts != nullptr) {
      const plugin_texts::Params params = {
          {"meetings", std::to_string(meetings)},
          {"minimum_meetings", std::to_string(config.minimum_meetings)}};
      score.set_band_note(texts->Render(language, "note.provisional", params));
      plugin_texts::SetParams(params, score.mutable_band_note_params());
    }
  }
  return score;
}

}  // namespace reciproca::traffic_light
