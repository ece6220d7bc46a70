// Parsing and validating the traffic light's JSON configuration.

#include "config.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <utility>

namespace reciproca::traffic_light {
namespace {

using nlohmann::json;

// Measured values are compared with a little slack so that a rate computed in floating point
// (13 referrals / 26 weeks) meets a bound written in decimal (0.5) exactly.
constexpr double kSlack = 1e-9;

[[noreturn]] void Fail(const std::string& field, const std::string& what) {
  throw std::invalid_argument("traffic_light config: " + field + ": " + what);
}

void CheckKeys(const json& object, const std::string& field,
               std::initializer_list<std::string_view> known) {
  if (!object.is_object()) {
    Fail(field, "must be an object");
  }
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (std::string_view k : known) {
        list += (list.empty() ? "" : ", ") + std::string(k);
      }
      Fail(field.empty() ? key : field + "." + key, "unknown field (known: " + list + ")");
    }
  }
}

const json& Required(const json& object, const std::string& field, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) {
    Fail(field.empty() ? key : field + "." + key, "is required");
  }
  return *it;
}

std::string String(const json& value, const std::string& field) {
  if (!value.is_string() || value.get<std::string>().empty()) {
    Fail(field, "must be a non-empty string");
  }
  return value.get<std::string>();
}

int Integer(const json& value, const std::string& field, int min, int max) {
  if (!value.is_number_integer() || value.get<int64_t>() < min || value.get<int64_t>() > max) {
    Fail(field, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<int>(value.get<int64_t>());
}

double Number(const json& value, const std::string& field) {
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    Fail(field, "must be a number");
  }
  return value.get<double>();
}

const json& Array(const json& value, const std::string& field) {
  if (!value.is_array() || value.empty()) {
    Fail(field, "must be a non-empty array");
  }
  return value;
}

struct MetricName {
  std::string_view name;
  Metric metric;
};

std::vector<MetricName> MetricNames() {
  std::vector<MetricName> names = {
      {"absences", {Quantity::kAbsences, Per::kWindow}},
      {"lates", {Quantity::kLates, Per::kWindow}},
      {"attendance_rate", {Quantity::kAttendanceRate, Per::kWindow}},
      {"tyfcb_amount", {Quantity::kTyfcbAmount, Per::kWindow}},
  };
  static const std::pair<std::string_view, Quantity> kCountable[] = {
      {"referrals_given", Quantity::kReferralsGiven},
      {"visitors", Quantity::kVisitors},
      {"testimonials", Quantity::kTestimonials},
      {"one_to_ones", Quantity::kOneToOnes},
      {"ceus", Quantity::kCeus},
  };
  static const std::string kSuffixed[] = {
      "referrals_given_per_week", "referrals_given_per_month", "visitors_per_week",
      "visitors_per_month",       "testimonials_per_week",     "testimonials_per_month",
      "one_to_ones_per_week",     "one_to_ones_per_month",     "ceus_per_week",
      "ceus_per_month",
  };
  int i = 0;
  for (const auto& [name, quantity] : kCountable) {
    names.push_back({name, {quantity, Per::kWindow}});
    names.push_back({kSuffixed[i++], {quantity, Per::kWeek}});
    names.push_back({kSuffixed[i++], {quantity, Per::kMonth}});
  }
  return names;
}

Metric ParseMetric(const json& value, const std::string& field) {
  const std::string name = String(value, field);
  std::string known;
  for (const MetricName& m : MetricNames()) {
    if (m.name == name) {
      return m.metric;
    }
    known += (known.empty() ? "" : ", ") + std::string(m.name);
  }
  Fail(field, "unknown metric \"" + name + "\" (known: " + known + ")");
}

Step ParseStep(const json& value, const std::string& field, bool last) {
  CheckKeys(value, field, {"below", "at_most", "points"});
  Step step;
  step.points = Integer(Required(value, field, "points"), field + ".points", 0, 1000);
  const bool below = value.contains("below");
  const bool at_most = value.contains("at_most");
  if (below && at_most) {
    Fail(field, "has both \"below\" and \"at_most\"; give one");
  }
  if (last) {
    if (below || at_most) {
      Fail(field, "the last step catches every other value: give it only \"points\"");
    }
    return step;
  }
  if (!below && !at_most) {
    Fail(field, "needs \"below\" or \"at_most\" (only the last step has neither)");
  }
  step.bound = below ? Step::Bound::kBelow : Step::Bound::kAtMost;
  const char* key = below ? "below" : "at_most";
  step.value = Number(value.at(key), field + "." + key);
  return step;
}

Row ParseRow(const json& value, const std::string& field) {
  CheckKeys(value, field, {"name", "title", "metric", "steps", "goal", "weight"});
  Row row;
  row.name = String(Required(value, field, "name"), field + ".name");
  if (value.contains("title")) {
    row.title = String(value.at("title"), field + ".title");
  }
  row.metric_name = String(Required(value, field, "metric"), field + ".metric");
  row.metric = ParseMetric(value.at("metric"), field + ".metric");
  const bool proportional = value.contains("goal") || value.contains("weight");
  if (proportional) {
    // points = min(value / goal, 1) x weight: a proportional row has no steps.
    if (value.contains("steps")) {
      Fail(field, "has both \"steps\" and \"goal\"/\"weight\"; give steps or a goal");
    }
    row.goal = Number(Required(value, field, "goal"), field + ".goal");
    if (row.goal <= 0) {
      Fail(field + ".goal", "must be a number above 0");
    }
    row.max_points = Integer(Required(value, field, "weight"), field + ".weight", 0, 1000);
    return row;
  }
  const json& steps = Array(Required(value, field, "steps"), field + ".steps");
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string step_field = field + ".steps[" + std::to_string(i) + "]";
    Step step = ParseStep(steps[i], step_field, i + 1 == steps.size());
    if (!row.steps.empty() && step.bound != Step::Bound::kOtherwise) {
      // Bounds increase; "at_most x" may follow "below x" (it then catches exactly x).
      const Step& previous = row.steps.back();
      const bool increases =
          step.value > previous.value ||
          (step.value == previous.value && previous.bound == Step::Bound::kBelow &&
           step.bound == Step::Bound::kAtMost);
      if (!increases) {
        Fail(step_field, "bounds must increase from step to step");
      }
    }
    row.max_points = std::max(row.max_points, step.points);
    row.steps.push_back(step);
  }
  return row;
}

}  // namespace

int Row::PointsFor(double value) const {
  if (goal > 0) {
    const double share = std::clamp(value / goal, 0.0, 1.0);
    return static_cast<int>(std::floor(share * max_points + kSlack));
  }
  for (const Step& step : steps) {
    switch (step.bound) {
      case Step::Bound::kBelow:
        if (value < step.value - kSlack) {
          return step.points;
        }
        break;
      case Step::Bound::kAtMost:
        if (value <= step.value + kSlack) {
          return step.points;
        }
        break;
      case Step::Bound::kOtherwise:
        return step.points;
    }
  }
  return 0;  // unreachable: validation makes the last step kOtherwise
}

int Window::DaysAt(int64_t now) const {
  if (months == 0) {
    return days;
  }
  using namespace std::chrono;
  const sys_seconds at{seconds{now}};
  const sys_days today = floor<std::chrono::days>(at);
  const year_month_day date{today};
  year_month_day start = date - std::chrono::months{months};
  if (!start.ok()) {
    start = year_month_day_last{start.year(), month_day_last{start.month()}};
  }
  return static_cast<int>((today - sys_days{start}).count());
}

const Window* Config::FindWindow(std::string_view name) const {
  if (name.empty()) {
    name = default_window;
  }
  for (const Window& window : windows) {
    if (window.name == name) {
      return &window;
    }
  }
  return nullptr;
}

const std::string& Config::BandFor(int points) const {
  for (const Band& band : bands) {
    if (points >= band.min) {
      return band.name;
    }
  }
  return bands.back().name;  // unreachable: validation makes the lowest min at most 0
}

std::string Config::WindowNames() const {
  std::string names;
  for (const Window& window : windows) {
    names += (names.empty() ? "" : ", ") + window.name;
  }
  return names;
}

Config ParseConfig(std::string_view text) {
  json merged = json::parse(DefaultConfigJson());
  if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    json given;
    try {
      given = json::parse(text);
    } catch (const json::parse_error& e) {
      throw std::invalid_argument(std::string("traffic_light config: not valid JSON: ") + e.what());
    }
    CheckKeys(given, "",
              {"description", "rules_version", "windows", "default_window", "announce_windows",
               "tyfcb_side", "rows", "bands", "minimum_meetings", "prorate_by_tenure"});
    if (!given.contains("announce_windows") &&
        (given.contains("default_window") || given.contains("windows"))) {
      merged.erase("announce_windows");  // then it follows the given default window
    }
    for (const auto& [key, value] : given.items()) {
      merged[key] = value;
    }
  }

  if (merged.contains("rules_version")) {
    const json& version = merged.at("rules_version");
    if (!version.is_number_integer() || version.get<int64_t>() != kRulesVersion) {
      Fail("rules_version", "unknown version " + version.dump() +
                                " (accepted: " + std::to_string(kRulesVersion) + ")");
    }
  }

  Config config;
  std::set<std::string> seen;
  const json& windows = Array(Required(merged, "", "windows"), "windows");
  for (size_t i = 0; i < windows.size(); ++i) {
    const std::string field = "windows[" + std::to_string(i) + "]";
    CheckKeys(windows[i], field, {"name", "days", "months"});
    Window window;
    window.name = String(Required(windows[i], field, "name"), field + ".name");
    if (windows[i].contains("days") == windows[i].contains("months")) {
      Fail(field, "needs either \"days\" or \"months\"");
    }
    if (windows[i].contains("months")) {
      window.months = Integer(windows[i].at("months"), field + ".months", 1, 120);
    } else {
      window.days = Integer(windows[i].at("days"), field + ".days", 1, 3660);
    }
    if (!seen.insert(window.name).second) {
      Fail(field + ".name", "\"" + window.name + "\" is given twice");
    }
    config.windows.push_back(window);
  }
  config.default_window = String(Required(merged, "", "default_window"), "default_window");
  if (!seen.contains(config.default_window)) {
    Fail("default_window", "\"" + config.default_window + "\" is not one of the windows (" +
                               config.WindowNames() + ")");
  }
  if (merged.contains("announce_windows")) {
    const json& announce = merged.at("announce_windows");
    if (!announce.is_array()) {
      Fail("announce_windows", "must be an array of window names");
    }
    for (size_t i = 0; i < announce.size(); ++i) {
      const std::string field = "announce_windows[" + std::to_string(i) + "]";
      std::string name = String(announce[i], field);
      if (!seen.contains(name)) {
        Fail(field, "\"" + name + "\" is not one of the windows (" + config.WindowNames() + ")");
      }
      if (std::find(config.announce_windows.begin(), config.announce_windows.end(), name) ==
          config.announce_windows.end()) {
        config.announce_windows.push_back(std::move(name));
      }
    }
  } else {
    config.announce_windows = {config.default_window};
  }
  if (merged.contains("tyfcb_side")) {
    const std::string side = String(merged.at("tyfcb_side"), "tyfcb_side");
    if (side != "given" && side != "received") {
      Fail("tyfcb_side", "must be \"given\" or \"received\", got \"" + side + "\"");
    }
    config.tyfcb_side = side == "given" ? TyfcbSide::kGiven : TyfcbSide::kReceived;
  }
  if (merged.contains("minimum_meetings")) {
    config.minimum_meetings = Integer(merged.at("minimum_meetings"), "minimum_meetings", 0, 1000);
  }
  if (merged.contains("prorate_by_tenure")) {
    if (!merged.at("prorate_by_tenure").is_boolean()) {
      Fail("prorate_by_tenure", "must be true or false");
    }
    config.prorate_by_tenure = merged.at("prorate_by_tenure").get<bool>();
  }

  const json& rows = Array(Required(merged, "", "rows"), "rows");
  seen.clear();
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string field = "rows[" + std::to_string(i) + "]";
    Row row = ParseRow(rows[i], field);
    if (!seen.insert(row.name).second) {
      Fail(field + ".name", "\"" + row.name + "\" is given twice");
    }
    config.max_points += row.max_points;
    config.rows.push_back(std::move(row));
  }

  const json& bands = Array(Required(merged, "", "bands"), "bands");
  seen.clear();
  for (size_t i = 0; i < bands.size(); ++i) {
    const std::string field = "bands[" + std::to_string(i) + "]";
    CheckKeys(bands[i], field, {"name", "min"});
    Band band;
    band.name = String(Required(bands[i], field, "name"), field + ".name");
    if (band.name == kProvisionalBand) {
      Fail(field + ".name",
           std::string("\"") + kProvisionalBand +
               "\" is the band of new members (minimum_meetings); name it otherwise");
    }
    band.min = Integer(Required(bands[i], field, "min"), field + ".min", -1000000, 1000000);
    if (!seen.insert(band.name).second) {
      Fail(field + ".name", "\"" + band.name + "\" is given twice");
    }
    config.bands.push_back(band);
  }
  std::stable_sort(config.bands.begin(), config.bands.end(),
                   [](const Band& a, const Band& b) { return a.min > b.min; });
  if (config.bands.back().min > 0) {
    Fail("bands", "the lowest band must have \"min\" 0 (or less) so that every score has a band");
  }
  return config;
}

}  // namespace reciproca::traffic_light
