// Measuring metrics over a window and turning them into points.

#include "score_card.h"

#include <cstdio>

namespace reciproca::traffic_light {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// An average month, for "per month" rates.
constexpr double kDaysPerMonth = 365.0 / 12.0;

std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string Counted(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Cents(int64_t cents) {
  return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
         std::to_string(cents % 100);
}

struct Countable {
  const Timeline* timeline;
  bool weighted;  // sum the weights (credits) rather than count the entries
  const char* one;
  const char* many;
};

Countable CountableOf(Quantity quantity, const MemberRecord& member) {
  switch (quantity) {
    case Quantity::kReferralsGiven:
      return {&member.referrals_given, false, "referral", "referrals"};
    case Quantity::kVisitors:
      return {&member.visitors, false, "visitor", "visitors"};
    case Quantity::kTestimonials:
      return {&member.testimonials, false, "testimonial", "testimonials"};
    case Quantity::kOneToOnes:
      return {&member.one_to_ones, false, "one-to-one", "one-to-ones"};
    case Quantity::kCeus:
    default:
      return {&member.ceus, true, "credit", "credits"};
  }
}

Measured MeasureAttendance(Quantity quantity, const AttendanceTotal& total) {
  const std::string of_meetings = " in " + Counted(total.meetings, "meeting", "meetings");
  switch (quantity) {
    case Quantity::kAbsences:
      return {static_cast<double>(total.absent),
              Counted(total.absent, "absence", "absences") + of_meetings};
    case Quantity::kLates:
      if (total.late == 0) {
        return {0, "never late" + of_meetings};
      }
      return {static_cast<double>(total.late), Counted(total.late, "late", "lates") + of_meetings};
    case Quantity::kAttendanceRate:
    default: {
      // Medical absences are excused: they leave the meetings expected.
      const int expected = total.meetings - total.medical;
      const int attended = total.present + total.late + total.substitute;
      std::string excused = total.medical > 0
                                ? ", " + Counted(total.medical, "medical", "medicals") + " excused"
                                : "";
      if (expected <= 0) {
        return {1.0, "no meetings to attend" + excused + " (counts as full attendance)"};
      }
      const double rate = static_cast<double>(attended) / expected;
      return {rate, Fixed(100.0 * rate, 0) + "% (" + std::to_string(attended) + " of " +
                        std::to_string(expected) + " meetings attended" + excused + ")"};
    }
  }
}

}  // namespace

Measured Measure(const Metric& metric, TyfcbSide tyfcb_side, const ChapterRecord& chapter,
                 const MemberRecord& member, int days, int64_t now) {
  const int64_t from = now - days * kSecondsPerDay;
  switch (metric.quantity) {
    case Quantity::kAbsences:
    case Quantity::kLates:
    case Quantity::kAttendanceRate:
      return MeasureAttendance(metric.quantity, member.AttendanceIn(from, now));
    case Quantity::kTyfcbAmount: {
      const bool given = tyfcb_side == TyfcbSide::kGiven;
      const Timeline::Total total =
          (given ? member.tyfcb_given : member.tyfcb_received).In(from, now);
      const Timeline::Total other =
          (given ? member.tyfcb_given_other : member.tyfcb_received_other).In(from, now);
      std::string text = Cents(total.sum) + " " + chapter.currency() + " (" +
                         Counted(total.count, "thank-you", "thank-yous") +
                         (given ? " given" : " received");
      if (other.count > 0) {
        text +=
            "; " + Counted(other.count, "thank-you", "thank-yous") + " in other currencies ignored";
      }
      return {static_cast<double>(total.sum) / 100.0, text + ")"};
    }
    default:
      break;
  }
  const Countable countable = CountableOf(metric.quantity, member);
  const Timeline::Total total = countable.timeline->In(from, now);
  const int64_t n = countable.weighted ? total.sum : total.count;
  const std::string what = Counted(n, countable.one, countable.many);
  switch (metric.per) {
    case Per::kWeek: {
      const double weeks = days / 7.0;
      const double rate = static_cast<double>(n) / weeks;
      return {rate, Fixed(rate, 2) + " per week (" + what + " in " + Fixed(weeks, 1) + " weeks)"};
    }
    case Per::kMonth: {
      const double months = days / kDaysPerMonth;
      const double rate = static_cast<double>(n) / months;
      return {rate,
              Fixed(rate, 2) + " per month (" + what + " in " + Fixed(months, 1) + " months)"};
    }
    case Per::kWindow:
    default:
      return {static_cast<double>(n), what + " in " + std::to_string(days) + " days"};
  }
}

plugin::v1::MemberScore Score(const Config& config, const ChapterRecord& chapter,
                              const MemberRecord& member, const Window& window, int64_t now) {
  plugin::v1::MemberScore score;
  score.set_member(member.name);
  score.set_display_name(member.display_name);
  int points = 0;
  for (const Row& row : config.rows) {
    const Measured measured =
        Measure(row.metric, config.tyfcb_side, chapter, member, window.days, now);
    plugin::v1::ScoreRow* out = score.add_rows();
    out->set_name(row.name);
    out->set_measured(measured.text);
    out->set_points(row.PointsFor(measured.value));
    out->set_max_points(row.max_points);
    points += out->points();
  }
  score.set_points(points);
  score.set_max_points(config.max_points);
  score.set_band(config.BandFor(points));
  return score;
}

}  // namespace reciproca::traffic_light
