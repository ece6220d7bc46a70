#pragma once

// The traffic light's configuration: windows, rows (a metric and its points steps), bands.
// The JSON format is documented in README.md; uk.json is the default.

#include <string>
#include <string_view>
#include <vector>

namespace reciproca::traffic_light {

// What a row measures.
enum class Quantity {
  kAbsences,        // ABSENT records at meetings in the window
  kLates,           // LATE records at meetings in the window
  kAttendanceRate,  // (present + late + substitute) / (meetings - medical), 0..1
  kTyfcbAmount,     // thank-you amounts in the chapter currency, in currency units
  kReferralsGiven,
  kVisitors,      // visitors the member invited
  kTestimonials,  // testimonials the member wrote
  kOneToOnes,
  kCeus,  // education credits
};

// How a countable quantity is expressed: a count over the window, or a rate.
enum class Per { kWindow, kWeek, kMonth };

struct Metric {
  Quantity quantity = Quantity::kAbsences;
  Per per = Per::kWindow;
};

// One step of a row: the points for a measured value that is below (or at most) `bound`; the
// last step of a row has no bound and catches everything else.
struct Step {
  enum class Bound { kBelow, kAtMost, kOtherwise };
  Bound bound = Bound::kOtherwise;
  double value = 0;
  int points = 0;
};

struct Row {
  // The row's title when the chapter's language has no text for `title` (and in every language
  // when `title` is empty).
  std::string name;
  // The key of the row's title in the text catalogs ("never_late" is "row.never_late"), or "".
  std::string title;
  std::string metric_name;
  Metric metric;
  // A tiered row: steps tried in order. Empty for a proportional row.
  std::vector<Step> steps;
  // A proportional row ("goal" and "weight" instead of steps): points = min(value / goal, 1) x
  // weight, rounded down to a whole point. goal > 0 when set, 0 for a tiered row.
  double goal = 0;
  // The highest points of its steps (a proportional row: its weight).
  int max_points = 0;

  // The points of the first step the value falls into (a proportional row: its share of the
  // weight).
  int PointsFor(double value) const;
};

struct Band {
  std::string name;
  int min = 0;
};

// A rolling window up to "now": `days` days, or `months` calendar months (same day of the month
// and time of day, the day clamped to the month's last: 6 months before 31 August is 28 or 29
// February). Exactly one of the two is above 0.
struct Window {
  std::string name;
  int days = 0;
  int months = 0;

  // The window's length in days at `now` (Unix seconds): `days`, or the days from `months`
  // calendar months before `now` to `now`.
  int DaysAt(int64_t now) const;
};

// The version of the rules' format this plugin reads ("rules_version"; a config without one is
// this version).
inline constexpr int kRulesVersion = 1;

// Which thank-yous count for a member: those they gave (from_member, the member who closed the
// business and reports it) or those they received (to_member, the referrer thanked).
enum class TyfcbSide { kGiven, kReceived };

struct Config {
  std::vector<Window> windows;
  std::string default_window;
  // The windows whose band changes are recorded as outputs (default: the default window).
  std::vector<std::string> announce_windows;
  TyfcbSide tyfcb_side = TyfcbSide::kGiven;
  std::vector<Row> rows;
  // Sorted by min, highest first.
  std::vector<Band> bands;
  // The sum of the rows' max_points.
  int max_points = 0;
  // A member whose tenure is shorter than the window is "provisional" (not scored red or green)
  // until they have had this many meetings; 0 scores everyone from the start.
  int minimum_meetings = 0;
  // Rates (per week, per month) of a member whose tenure is shorter than the window are divided
  // by their tenure (at least a week) rather than by the whole window.
  bool prorate_by_tenure = false;

  // nullptr when there is no such window; "" is the default window.
  const Window* FindWindow(std::string_view name) const;
  // The band of a total: the one with the highest min not above it.
  const std::string& BandFor(int points) const;
  // "6m, 30d".
  std::string WindowNames() const;
};

// The band of a member who has not had `minimum_meetings` meetings yet (see Config).
inline constexpr const char* kProvisionalBand = "provisional";

// Parses and validates a configuration. Top-level keys of `json` replace those of the default
// (uk.json), so "{}" (or "") is the default and {"announce_windows": ["6m", "30d"]} changes only
// that. Throws std::invalid_argument naming the offending field ("traffic_light config:
// rows[1].steps[2].below: must be a number").
Config ParseConfig(std::string_view json);

// uk.json, compiled in (default_config.cc is generated from it by CMake).
std::string_view DefaultConfigJson();

}  // namespace reciproca::traffic_light
