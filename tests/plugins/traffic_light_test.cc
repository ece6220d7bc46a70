// The traffic_light plugin against hand-computed expectations: the UK table row by row, its
// boundaries, the two windows, the US variant, band-change outputs and their replay, config and
// query errors, and the C table containing every exception.

#include "traffic_light.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "config.h"
#include "plugin_test_support.h"
#include "texts/palms_summary.h"

namespace reciproca::traffic_light {
namespace {

using plugin_testing::At;
using plugin_testing::EventLog;
using plugin_testing::kDay;
using plugin_testing::kDay0;
using plugin_testing::Param;
using plugin_testing::RecordingHost;
namespace pv1 = reciproca::plugin::v1;

constexpr int64_t kWeek = 7 * kDay;
constexpr int64_t kHour = 3600;

// The start of weekly meeting k (1..26): the 26th is exactly 182 days after kDay0.
int64_t MeetingStart(int k) { return kDay0 + k * kWeek; }
// "Now" for most tests: the start of the 26th meeting; the 6m window is (kDay0, kNow].
constexpr int64_t kNow = kDay0 + 26 * kWeek;

std::string ReadFile(const std::string& name) {
  std::ifstream in(std::string(RECIPROCA_PLUGIN_CONFIG_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Meeting(int k) { return "chapters/rome/meetings/" + std::to_string(k); }

// The UK table with every member scored from their first day (no provisional band): for the
// tests of the table and its announcements, which start with members who just joined.
const std::string kScoredFromTheStart = R"({"minimum_meetings": 0})";

// A plugin fed through a chapter's log the way reciprocad does it: every output is recorded in
// the log (once per key) and fed back as a PluginOutputRecorded event.
class Chapter {
 public:
  explicit Chapter(const std::string& json = "{}", const std::string& plugin_name = "traffic_light")
      : plugin_(host_.host(), Config(json, plugin_name)), plugin_name_(plugin_name) {}

  static pv1::PluginConfig Config(const std::string& json, const std::string& plugin_name) {
    pv1::PluginConfig config;
    config.set_plugin_name(plugin_name);
    config.set_json(json);
    return config;
  }

  std::string Member(int id) const { return log_.Member(id); }
  TrafficLight& plugin() { return plugin_; }
  RecordingHost& host() { return host_; }
  const std::vector<v1::Event>& events() const { return events_; }

  template <class Fill>
  void Add(int64_t time, Fill fill) {
    Feed(log_.Next(time, "admin", fill));
  }

  void Create(const std::string& currency = "EUR", const std::string& language = "",
              int64_t time = kDay0 - kDay) {
    Add(time, [&](v1::Event& e) {
      e.mutable_chapter_created()->mutable_chapter()->set_name(log_.chapter());
      e.mutable_chapter_created()->mutable_chapter()->set_currency(currency);
      e.mutable_chapter_created()->mutable_chapter()->set_language(language);
    });
  }
  // UpdateChapter --language.
  void SetLanguage(const std::string& language, int64_t time) {
    Add(time, [&](v1::Event& e) {
      e.mutable_chapter_updated()->mutable_chapter()->set_name(log_.chapter());
      e.mutable_chapter_updated()->mutable_chapter()->set_language(language);
      e.mutable_chapter_updated()->add_changed_fields("language");
    });
  }
  void Join(int id, const std::string& display_name, int64_t time = kDay0 - kDay) {
    Add(time, [&](v1::Event& e) {
      v1::Member* m = e.mutable_member_added()->mutable_member();
      m->set_name(Member(id));
      m->set_display_name(display_name);
      m->set_state(v1::MEMBER_STATE_ACTIVE);
    });
  }
  void Leave(int id, int64_t time) {
    Add(time, [&](v1::Event& e) { e.mutable_member_left()->set_member(Member(id)); });
  }
  void Schedule(int k) {
    Add(MeetingStart(k) - kDay, [&](v1::Event& e) {
      e.mutable_meeting_scheduled()->set_meeting(Meeting(k));
      *e.mutable_meeting_scheduled()->mutable_start_time() = At(MeetingStart(k));
    });
  }
  void Attend(int k, int id, v1::AttendanceStatus status) {
    Add(MeetingStart(k) + 60, [&](v1::Event& e) {
      e.mutable_attendance_recorded()->set_meeting(Meeting(k));
      e.mutable_attendance_recorded()->mutable_attendance()->set_member(Member(id));
      e.mutable_attendance_recorded()->mutable_attendance()->set_status(status);
    });
  }
  void Close(int k, const std::vector<int>& absent) {
    Add(MeetingStart(k) + 2 * kHour, [&](v1::Event& e) {
      e.mutable_meeting_closed()->set_meeting(Meeting(k));
      for (int id : absent) {
        e.mutable_meeting_closed()->add_absent_members(Member(id));
      }
    });
  }
  // Meeting k: scheduled, everyone in `present` checks in, `absent` are absent at the close.
  void Hold(int k, const std::vector<int>& present, const std::vector<int>& absent = {}) {
    Schedule(k);
    for (int id : present) {
      Attend(k, id, v1::ATTENDANCE_STATUS_PRESENT);
    }
    Close(k, absent);
  }
  void Refer(int from, int to, int64_t time) {
    Add(time, [&](v1::Event& e) {
      e.mutable_referral_given()->mutable_referral()->set_giver(Member(from));
      e.mutable_referral_given()->mutable_referral()->set_receiver(Member(to));
    });
  }
  void Visitor(int inviter, int64_t time) {
    Add(time, [&](v1::Event& e) {
      e.mutable_visitor_registered()->mutable_visitor()->set_invited_by(Member(inviter));
    });
  }
  void Thank(int from, int to, const std::string& amount, const std::string& currency,
             int64_t time) {
    Add(time, [&](v1::Event& e) {
      v1::ThankYou* t = e.mutable_thank_you_recorded()->mutable_thank_you();
      t->set_from_member(Member(from));
      t->set_to_member(Member(to));
      t->mutable_amount()->set_amount(amount);
      t->mutable_amount()->set_currency(currency);
    });
  }
  void Educate(int id, int credits, int64_t time) {
    Add(time, [&](v1::Event& e) {
      e.mutable_education_recorded()->mutable_education()->set_member(Member(id));
      e.mutable_education_recorded()->mutable_education()->set_credits(credits);
    });
  }
  void Testify(int from, int to, int64_t time) {
    Add(time, [&](v1::Event& e) {
      e.mutable_testimonial_recorded()->mutable_testimonial()->set_from_member(Member(from));
      e.mutable_testimonial_recorded()->mutable_testimonial()->set_for_member(Member(to));
    });
  }
  void OneToOne(int a, int b, int64_t time) {
    Add(time, [&](v1::Event& e) {
      e.mutable_one_to_one_recorded()->mutable_one_to_one()->set_member(Member(a));
      e.mutable_one_to_one_recorded()->mutable_one_to_one()->set_with_member(Member(b));
    });
  }
  void Tick(int64_t now) {
    pv1::Tick tick;
    *tick.mutable_now() = At(now);
    plugin_.OnTick(tick);
    RecordOutputs();
  }

  pv1::Scores Scores(const std::string& window = "", const std::string& member = "",
                     int64_t now = kNow) {
    pv1::Query query;
    query.set_chapter(log_.chapter());
    *query.mutable_now() = At(now);
    query.mutable_scores()->set_window(window);
    query.mutable_scores()->set_member(member);
    return plugin_.Query(query).scores();
  }
  pv1::MemberScore ScoreOf(int id, const std::string& window = "", int64_t now = kNow) {
    pv1::Scores scores = Scores(window, Member(id), now);
    EXPECT_EQ(scores.scores_size(), 1);
    return scores.scores(0);
  }

  // The outputs the host recorded, in order.
  std::vector<pv1::Output> recorded;

 private:
  void Feed(const v1::Event& event) {
    events_.push_back(event);
    plugin_.OnEvent(event);
    RecordOutputs();
  }
  // What the host does with emitted outputs: record each new key once, as an event of the log.
  void RecordOutputs() {
    while (next_output_ < host_.outputs.size()) {
      const pv1::Output output = host_.outputs[next_output_++];
      if (!keys_.insert(output.key()).second) {
        continue;
      }
      recorded.push_back(output);
      Feed(log_.Next(events_.back().time().seconds(), "plugin:" + plugin_name_, [&](v1::Event& e) {
        e.mutable_plugin_output()->set_plugin(plugin_name_);
        *e.mutable_plugin_output()->mutable_output() = output;
      }));
    }
  }

  RecordingHost host_;
  EventLog log_;
  TrafficLight plugin_;
  std::string plugin_name_;
  std::vector<v1::Event> events_;
  size_t next_output_ = 0;
  std::set<std::string> keys_;
};

const pv1::ScoreRow& RowNamed(const pv1::MemberScore& score, const std::string& name) {
  for (const pv1::ScoreRow& row : score.rows()) {
    if (row.name() == name) {
      return row;
    }
  }
  throw std::out_of_range("no row " + name);
}

// ---------------------------------------------------------------- configuration

TEST(TrafficLightConfig, EmbeddedDefault_EqualsUkJsonFile) {
  EXPECT_EQ(std::string(DefaultConfigJson()), ReadFile("uk.json"));
  EXPECT_EQ(nlohmann::json::parse(DefaultConfigJson()), nlohmann::json::parse(ReadFile("uk.json")));
}

TEST(TrafficLightConfig, Default_IsTheUkTable) {
  for (const std::string text : {"{}", "", "  "}) {
    const Config config = ParseConfig(text);
    ASSERT_EQ(config.rows.size(), 7u);
    EXPECT_EQ(config.max_points, 100);
    EXPECT_EQ(config.default_window, "6m");
    EXPECT_EQ(config.announce_windows, std::vector<std::string>{"6m"});
    EXPECT_EQ(config.tyfcb_side, TyfcbSide::kGiven);
    ASSERT_NE(config.FindWindow("30d"), nullptr);
    EXPECT_EQ(config.FindWindow("30d")->days, 30);
    EXPECT_EQ(config.FindWindow("")->days, 182);
    const std::vector<int> max = {15, 20, 20, 15, 10, 5, 15};
    for (size_t i = 0; i < max.size(); ++i) {
      EXPECT_EQ(config.rows[i].max_points, max[i]) << config.rows[i].name;
    }
    EXPECT_EQ(config.BandFor(100), "green");
    EXPECT_EQ(config.BandFor(70), "green");
    EXPECT_EQ(config.BandFor(69), "amber");
    EXPECT_EQ(config.BandFor(50), "amber");
    EXPECT_EQ(config.BandFor(49), "red");
    EXPECT_EQ(config.BandFor(30), "red");
    EXPECT_EQ(config.BandFor(29), "grey");
    EXPECT_EQ(config.BandFor(0), "grey");
  }
}

TEST(TrafficLightConfig, UkSteps_MatchThePublishedTableAtEveryBoundary) {
  const Config config = ParseConfig("{}");
  auto points = [&](const std::string& row, double value) {
    for (const Row& r : config.rows) {
      if (r.name == row) {
        return r.PointsFor(value);
      }
    }
    throw std::out_of_range(row);
  };
  // Absences 0 -> 15, 1 -> 10, 2 -> 5, more -> 0.
  EXPECT_EQ(points("Absences", 0), 15);
  EXPECT_EQ(points("Absences", 1), 10);
  EXPECT_EQ(points("Absences", 2), 5);
  EXPECT_EQ(points("Absences", 3), 0);
  EXPECT_EQ(points("Absences", 9), 0);
  // Referrals per week < 0.5 -> 0, < 0.75 -> 5, < 1 -> 10, < 1.2 -> 15, else 20.
  EXPECT_EQ(points("Referrals given", 0.49), 0);
  EXPECT_EQ(points("Referrals given", 0.5), 5);
  EXPECT_EQ(points("Referrals given", 0.74), 5);
  EXPECT_EQ(points("Referrals given", 0.75), 10);
  EXPECT_EQ(points("Referrals given", 0.99), 10);
  EXPECT_EQ(points("Referrals given", 1.0), 15);
  EXPECT_EQ(points("Referrals given", 1.19), 15);
  EXPECT_EQ(points("Referrals given", 1.2), 20);
  // Visitors per week < 0.083 -> 0, < 0.167 -> 5, < 0.25 -> 10, < 0.5 -> 15, else 20.
  EXPECT_EQ(points("Visitors", 0.082), 0);
  EXPECT_EQ(points("Visitors", 0.083), 5);
  EXPECT_EQ(points("Visitors", 0.167), 10);
  EXPECT_EQ(points("Visitors", 0.25), 15);
  EXPECT_EQ(points("Visitors", 0.5), 20);
  // TYFCB < 1,000 -> 0, < 2,500 -> 5, < 5,000 -> 10, else 15.
  EXPECT_EQ(points("TYFCB", 999.99), 0);
  EXPECT_EQ(points("TYFCB", 1000), 5);
  EXPECT_EQ(points("TYFCB", 2499.99), 5);
  EXPECT_EQ(points("TYFCB", 2500), 10);
  EXPECT_EQ(points("TYFCB", 4999.99), 10);
  EXPECT_EQ(points("TYFCB", 5000), 15);
  // Testimonials per week < 0.075 -> 5, else 10.
  EXPECT_EQ(points("Testimonials", 0), 5);
  EXPECT_EQ(points("Testimonials", 0.074), 5);
  EXPECT_EQ(points("Testimonials", 0.075), 10);
  // Never late -> 5.
  EXPECT_EQ(points("Never late", 0), 5);
  EXPECT_EQ(points("Never late", 1), 0);
  // CEUs 0/1/2/3+ -> 0/5/10/15.
  EXPECT_EQ(points("Trainings (CEUs)", 0), 0);
  EXPECT_EQ(points("Trainings (CEUs)", 1), 5);
  EXPECT_EQ(points("Trainings (CEUs)", 2), 10);
  EXPECT_EQ(points("Trainings (CEUs)", 3), 15);
  EXPECT_EQ(points("Trainings (CEUs)", 12), 15);
}

TEST(TrafficLightConfig, UsVariantFile_GivesTwentyPointsToEachOfFiveRows) {
  const Config config = ParseConfig(ReadFile("us_power_of_one.json"));
  ASSERT_EQ(config.rows.size(), 5u);
  for (const Row& row : config.rows) {
    EXPECT_EQ(row.max_points, 20) << row.name;
  }
  EXPECT_EQ(config.max_points, 100);
  // Full marks at one per week (one visitor per month).
  EXPECT_EQ(config.rows[1].PointsFor(1.0), 20);
  EXPECT_EQ(config.rows[1].PointsFor(0.99), 15);
  EXPECT_EQ(config.rows[2].metric.per, Per::kMonth);
  EXPECT_EQ(config.rows[2].PointsFor(1.0), 20);
  EXPECT_EQ(config.rows[0].PointsFor(1.0), 20);
}

TEST(TrafficLightConfig, PartialConfig_ReplacesOnlyTheTopLevelKeysGiven) {
  const Config config = ParseConfig(R"({"announce_windows": ["6m", "30d"]})");
  EXPECT_EQ(config.announce_windows, (std::vector<std::string>{"6m", "30d"}));
  EXPECT_EQ(config.rows.size(), 7u);
  const Config thirty = ParseConfig(R"({"default_window": "30d"})");
  EXPECT_EQ(thirty.announce_windows, std::vector<std::string>{"30d"});
}

void ExpectRejected(const std::string& json, const std::string& needle) {
  try {
    ParseConfig(json);
    ADD_FAILURE() << "accepted: " << json;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << needle;
    EXPECT_EQ(std::string(e.what()).rfind("traffic_light config: ", 0), 0u) << e.what();
  }
}

TEST(TrafficLightConfig, BadConfig_RejectedWithTheFieldNamed) {
  ExpectRejected("{", "not valid JSON");
  ExpectRejected("[]", "must be an object");
  ExpectRejected(R"({"colour": "red"})", "colour: unknown field");
  ExpectRejected(R"({"rows": [{"name": "X", "metric": "hugs", "steps": [{"points": 1}]}]})",
                 "rows[0].metric: unknown metric \"hugs\"");
  ExpectRejected(R"({"rows": [{"name": "X", "metric": "lates"}]})", "rows[0].steps: is required");
  ExpectRejected(R"({"rows": [{"name": "X", "metric": "lates", "steps": []}]})",
                 "rows[0].steps: must be a non-empty array");
  ExpectRejected(
      R"({"rows": [{"name": "X", "metric": "lates", "steps": [{"at_mots": 0, "points": 5}, {"points": 0}]}]})",
      "rows[0].steps[0].at_mots: unknown field");
  ExpectRejected(
      R"({"rows": [{"name": "X", "metric": "lates", "steps": [{"points": 5}, {"points": 0}]}]})",
      "rows[0].steps[0]: needs \"below\" or \"at_most\"");
  ExpectRejected(
      R"({"rows": [{"name": "X", "metric": "lates", "steps": [{"at_most": 0, "points": 5}]}]})",
      "rows[0].steps[0]: the last step catches every other value");
  ExpectRejected(
      R"({"rows": [{"name": "X", "metric": "ceus", "steps": [{"below": 2, "points": 0}, {"below": 1, "points": 5}, {"points": 9}]}]})",
      "rows[0].steps[1]: bounds must increase");
  ExpectRejected(
      R"({"rows": [{"name": "X", "metric": "ceus", "steps": [{"below": "2", "points": 0}, {"points": 9}]}]})",
      "rows[0].steps[0].below: must be a number");
  ExpectRejected(
      R"({"rows": [{"name": "X", "metric": "ceus", "steps": [{"below": 2, "points": -1}, {"points": 9}]}]})",
      "rows[0].steps[0].points: must be an integer");
  ExpectRejected(R"({"default_window": "1y"})", "default_window: \"1y\" is not one of the windows");
  ExpectRejected(R"({"announce_windows": ["7d"]})", "announce_windows[0]: \"7d\" is not one");
  ExpectRejected(R"({"windows": [{"name": "6m", "days": 0}]})",
                 "windows[0].days: must be an integer");
  ExpectRejected(R"({"bands": [{"name": "green", "min": 70}]})", "bands: the lowest band");
  ExpectRejected(R"({"tyfcb_side": "both"})", "tyfcb_side: must be \"given\" or \"received\"");
}

TEST(TrafficLightConfig, BadConfig_MakesTheConstructorThrow) {
  RecordingHost host;
  pv1::PluginConfig config;
  config.set_json(R"({"rows": [{"name": "X", "metric": "hugs", "steps": [{"points": 1}]}]})");
  EXPECT_THROW({ TrafficLight plugin(host.host(), config); }, std::invalid_argument);
}

// One chapter's refused rules (EnablePlugin's config_json) leave that chapter on the load-time
// rules, said in the log: they never stop the plugin for the other chapters.
TEST(TrafficLightConfig, ARefusedChapterConfig_IsLogged_AndTheChapterKeepsTheLoadTimeRules) {
  RecordingHost host;
  pv1::PluginConfig config;
  (*config.mutable_chapter_json())["chapters/rio"] = R"({"rules_version": 9})";
  (*config.mutable_chapter_json())["chapters/rome"] = R"({"minimum_meetings": 0})";
  TrafficLight plugin(host.host(), config);
  bool logged = false;
  for (const std::string& line : host.logs) {
    logged = logged || (line.find("chapters/rio") != std::string::npos &&
                        line.find("rules_version") != std::string::npos);
  }
  EXPECT_TRUE(logged);
}

// ---------------------------------------------------------------- the UK table, row by row

// Ana, over the 26 weeks up to kNow: 26 meetings with 1 absence and never late, 20 referrals
// given (0.77 per week), 2 visitors (0.077 per week), 3,000.00 EUR of TYFCB she thanked others
// for (plus 400 USD, ignored), no testimonials, 2 CEU credits.
//   Absences 1 -> 10, Referrals 0.77 -> 10, Visitors 0.077 -> 0, TYFCB 3000 -> 10,
//   Testimonials 0 -> 5, Never late -> 5, CEUs 2 -> 10: 50 of 100, amber.
void AnasSixMonths(Chapter& chapter) {
  chapter.Create("EUR");
  chapter.Join(1, "Ana");
  chapter.Join(2, "Bruno");
  for (int k = 1; k <= 26; ++k) {
    if (k == 4) {
      chapter.Hold(k, {2}, {1});
    } else {
      chapter.Hold(k, {1, 2});
    }
    if (k <= 20) {
      chapter.Refer(1, 2, MeetingStart(k) + 3 * kHour);
    }
    if (k == 3 || k == 10) {
      chapter.Visitor(1, MeetingStart(k) + 3 * kHour);
    }
    if (k == 5) {
      chapter.Thank(1, 2, "2000.00", "EUR", MeetingStart(k) + 4 * kHour);
    }
    if (k == 12) {
      chapter.Thank(1, 2, "1000", "eur", MeetingStart(k) + 4 * kHour);
    }
    if (k == 13) {
      chapter.Thank(1, 2, "400.00", "USD", MeetingStart(k) + 4 * kHour);
    }
    if (k == 8) {
      chapter.Educate(1, 2, MeetingStart(k) + kDay);
    }
  }
}

TEST(TrafficLightUk, RowByRow_MatchesHandComputedPoints) {
  Chapter chapter;
  AnasSixMonths(chapter);
  const pv1::MemberScore ana = chapter.ScoreOf(1);
  EXPECT_EQ(ana.display_name(), "Ana");
  ASSERT_EQ(ana.rows_size(), 7);

  EXPECT_EQ(RowNamed(ana, "Absences").points(), 10);
  EXPECT_EQ(RowNamed(ana, "Absences").max_points(), 15);
  EXPECT_EQ(RowNamed(ana, "Absences").measured(), "1 absence in 26 meetings");

  EXPECT_EQ(RowNamed(ana, "Referrals given").points(), 10);
  EXPECT_EQ(RowNamed(ana, "Referrals given").max_points(), 20);
  EXPECT_EQ(RowNamed(ana, "Referrals given").measured(),
            "0.77 per week (20 referrals in 26.0 weeks)");

  EXPECT_EQ(RowNamed(ana, "Visitors").points(), 0);
  EXPECT_EQ(RowNamed(ana, "Visitors").measured(), "0.08 per week (2 visitors in 26.0 weeks)");

  EXPECT_EQ(RowNamed(ana, "TYFCB").points(), 10);
  EXPECT_EQ(RowNamed(ana, "TYFCB").max_points(), 15);
  EXPECT_EQ(RowNamed(ana, "TYFCB").measured(),
            "\u20ac3,000.00 (2 thank-yous given; 1 thank-you in other currencies ignored)");

  EXPECT_EQ(RowNamed(ana, "Testimonials").points(), 5);
  EXPECT_EQ(RowNamed(ana, "Never late").points(), 5);
  EXPECT_EQ(RowNamed(ana, "Never late").measured(), "never late in 26 meetings");
  EXPECT_EQ(RowNamed(ana, "Trainings (CEUs)").points(), 10);
  EXPECT_EQ(RowNamed(ana, "Trainings (CEUs)").measured(), "2 credits in 182 days");

  EXPECT_EQ(ana.points(), 50);
  EXPECT_EQ(ana.max_points(), 100);
  EXPECT_EQ(ana.band(), "amber");

  // Bruno: never absent, never late, no referrals, thanked (received, not given) for 3,000:
  // 15 + 0 + 0 + 0 + 5 + 5 + 0 = 25, grey.
  const pv1::MemberScore bruno = chapter.ScoreOf(2);
  EXPECT_EQ(RowNamed(bruno, "TYFCB").points(), 0);
  EXPECT_EQ(bruno.points(), 25);
  EXPECT_EQ(bruno.band(), "grey");
}

TEST(TrafficLightUk, TyfcbReceivedSide_CreditsTheThankedMember) {
  Chapter chapter(R"({"tyfcb_side": "received"})");
  AnasSixMonths(chapter);
  EXPECT_EQ(RowNamed(chapter.ScoreOf(2), "TYFCB").points(), 10);
  EXPECT_EQ(RowNamed(chapter.ScoreOf(2), "TYFCB").measured(),
            "\u20ac3,000.00 (2 thank-yous received; 1 thank-you in other currencies ignored)");
  EXPECT_EQ(RowNamed(chapter.ScoreOf(1), "TYFCB").points(), 0);
}

TEST(TrafficLightUk, ExactlyHalfAReferralPerWeek_IsTheFivePointStep) {
  Chapter chapter;
  chapter.Create();
  chapter.Join(1, "Ana");
  chapter.Join(2, "Bruno");
  for (int k = 1; k <= 13; ++k) {
    chapter.Refer(1, 2, MeetingStart(2 * k));
  }
  EXPECT_EQ(RowNamed(chapter.ScoreOf(1), "Referrals given").measured(),
            "0.50 per week (13 referrals in 26.0 weeks)");
  EXPECT_EQ(RowNamed(chapter.ScoreOf(1), "Referrals given").points(), 5);
  // Two weeks later the first referral has left the window: 12 in 26 weeks, 0 points.
  EXPECT_EQ(RowNamed(chapter.ScoreOf(1, "6m", kNow + 2 * kWeek), "Referrals given").points(), 0);
}

TEST(TrafficLightUk, ThreeAbsencesAndALate_CostTheirRows) {
  Chapter chapter;
  chapter.Create();
  chapter.Join(1, "Ana");
  for (int k = 1; k <= 26; ++k) {
    chapter.Schedule(k);
    if (k == 7) {
      chapter.Attend(k, 1, v1::ATTENDANCE_STATUS_LATE);
    } else if (k == 8) {
      // Checked in late, then corrected by the vice-president: the latest record wins.
      chapter.Attend(k, 1, v1::ATTENDANCE_STATUS_LATE);
      chapter.Attend(k, 1, v1::ATTENDANCE_STATUS_PRESENT);
    } else if (k == 9) {
      chapter.Attend(k, 1, v1::ATTENDANCE_STATUS_MEDICAL);
    } else if (k > 3) {
      chapter.Attend(k, 1, v1::ATTENDANCE_STATUS_PRESENT);
    }
    chapter.Close(k, k <= 3 ? std::vector<int>{1} : std::vector<int>{});
  }
  const pv1::MemberScore ana = chapter.ScoreOf(1);
  EXPECT_EQ(RowNamed(ana, "Absences").measured(), "3 absences in 26 meetings");
  EXPECT_EQ(RowNamed(ana, "Absences").points(), 0);
  EXPECT_EQ(RowNamed(ana, "Never late").measured(), "1 late in 26 meetings");
  EXPECT_EQ(RowNamed(ana, "Never late").points(), 0);
  EXPECT_EQ(ana.points(), 5);  // testimonials < 0.075 per week
}

TEST(TrafficLightUk, ThirtyDaysAndSixMonths_Differ) {
  Chapter chapter;
  chapter.Create();
  chapter.Join(1, "Ana");
  chapter.Join(2, "Bruno");
  chapter.Hold(10, {2}, {1});  // an absence about four months before kNow
  for (int i = 0; i < 8; ++i) {
    chapter.Refer(1, 2, kNow - 20 * kDay + i * kDay);  // 8 referrals in the last 30 days
  }
  chapter.Educate(1, 1, kNow - 100 * kDay);

  const pv1::MemberScore six = chapter.ScoreOf(1, "6m");
  // 6m: 1 absence -> 10; 8 / 26 = 0.31 per week -> 0; never late 5; testimonials 5; 1 CEU 5.
  EXPECT_EQ(RowNamed(six, "Absences").points(), 10);
  EXPECT_EQ(RowNamed(six, "Referrals given").points(), 0);
  EXPECT_EQ(RowNamed(six, "Trainings (CEUs)").points(), 5);
  EXPECT_EQ(six.points(), 25);
  EXPECT_EQ(six.band(), "grey");

  const pv1::MemberScore thirty = chapter.ScoreOf(1, "30d");
  // 30d: no meetings -> 15; 8 / 4.29 = 1.87 per week -> 20; never late 5; testimonials 5; 0 CEU.
  EXPECT_EQ(RowNamed(thirty, "Absences").measured(), "0 absences in 0 meetings");
  EXPECT_EQ(RowNamed(thirty, "Absences").points(), 15);
  EXPECT_EQ(RowNamed(thirty, "Referrals given").measured(),
            "1.87 per week (8 referrals in 4.3 weeks)");
  EXPECT_EQ(RowNamed(thirty, "Referrals given").points(), 20);
  EXPECT_EQ(RowNamed(thirty, "Trainings (CEUs)").points(), 0);
  EXPECT_EQ(thirty.points(), 45);
  EXPECT_EQ(thirty.band(), "red");
  EXPECT_EQ(chapter.Scores("30d").window(), "30d");
}

// ---------------------------------------------------------------- the US variant

TEST(TrafficLightUs, PowerOfOne_FromItsConfigFile) {
  Chapter chapter(ReadFile("us_power_of_one.json"));
  chapter.Create("USD");
  chapter.Join(1, "Ana");
  chapter.Join(2, "Bruno");
  for (int k = 1; k <= 26; ++k) {
    // Everything of week k happens before its meeting, so all of it is inside (kDay0, kNow].
    chapter.Refer(1, 2, MeetingStart(k) - 3 * kDay);  // 1 per week
    if (k % 2 == 0) {
      chapter.OneToOne(1, 2, MeetingStart(k) - 2 * kDay);  // 0.5 per week
    }
    if (k % 4 == 0) {
      chapter.Visitor(1, MeetingStart(k) - kHour);  // 6 in 182 days: 1.00 per month
    }
    chapter.Hold(k, {1}, {2});
  }
  const pv1::MemberScore ana = chapter.ScoreOf(1);
  ASSERT_EQ(ana.rows_size(), 5);
  EXPECT_EQ(RowNamed(ana, "Attendance").measured(), "100% (26 of 26 meetings attended)");
  EXPECT_EQ(RowNamed(ana, "Attendance").points(), 20);
  EXPECT_EQ(RowNamed(ana, "Referrals given").points(), 20);
  EXPECT_EQ(RowNamed(ana, "Visitors").measured(), "1.00 per month (6 visitors in 6.0 months)");
  EXPECT_EQ(RowNamed(ana, "Visitors").points(), 20);
  EXPECT_EQ(RowNamed(ana, "One-to-ones").measured(),
            "0.50 per week (13 one-to-ones in 26.0 weeks)");
  EXPECT_EQ(RowNamed(ana, "One-to-ones").points(), 10);
  EXPECT_EQ(RowNamed(ana, "CEUs").points(), 0);
  EXPECT_EQ(ana.points(), 70);
  EXPECT_EQ(ana.max_points(), 100);
  EXPECT_EQ(ana.band(), "green");

  // Bruno: never there -> 0; 13 one-to-ones -> 10.
  const pv1::MemberScore bruno = chapter.ScoreOf(2);
  EXPECT_EQ(RowNamed(bruno, "Attendance").measured(), "0% (0 of 26 meetings attended)");
  EXPECT_EQ(RowNamed(bruno, "Attendance").points(), 0);
  EXPECT_EQ(bruno.points(), 10);
}

TEST(TrafficLightUs, OneAbsence_CostsFiveAttendancePointsAndMedicalIsExcused) {
  Chapter chapter(ReadFile("us_power_of_one.json"));
  chapter.Create();
  chapter.Join(1, "Ana");
  for (int k = 1; k <= 26; ++k) {
    chapter.Schedule(k);
    if (k == 5) {
      chapter.Attend(k, 1, v1::ATTENDANCE_STATUS_MEDICAL);
    } else if (k == 6) {
      chapter.Attend(k, 1, v1::ATTENDANCE_STATUS_SUBSTITUTE);
    } else if (k != 7) {
      chapter.Attend(k, 1, v1::ATTENDANCE_STATUS_PRESENT);
    }
    chapter.Close(k, k == 7 ? std::vector<int>{1} : std::vector<int>{});
  }
  const pv1::MemberScore ana = chapter.ScoreOf(1);
  const pv1::ScoreRow& row = RowNamed(ana, "Attendance");
  EXPECT_EQ(row.measured(), "96% (24 of 25 meetings attended, 1 medical excused)");
  EXPECT_EQ(row.points(), 15);
}

// ---------------------------------------------------------------- band changes

TEST(TrafficLightBands, NewMember_FirstBandIsAnnounced) {
  Chapter chapter(kScoredFromTheStart);
  chapter.Create();
  chapter.Join(1, "Ana");
  ASSERT_EQ(chapter.recorded.size(), 1u);
  const pv1::Output& output = chapter.recorded[0];
  EXPECT_EQ(output.chapter(), "chapters/rome");
  EXPECT_EQ(output.key(), "band:chapters/rome/members/1:6m:grey:after:0");
  ASSERT_TRUE(output.has_score_change());
  EXPECT_EQ(output.score_change().member(), chapter.Member(1));
  EXPECT_EQ(output.score_change().window(), "6m");
  EXPECT_EQ(output.score_change().points(), 25);  // absences 15, testimonials 5, never late 5
  EXPECT_EQ(output.score_change().max_points(), 100);
  EXPECT_EQ(output.score_change().band(), "grey");
  EXPECT_EQ(output.score_change().previous_band(), "");
}

TEST(TrafficLightBands, ChangeIsAnnouncedOnceAndNotRepeatedWhileTheBandStays) {
  Chapter chapter(kScoredFromTheStart);
  chapter.Create();
  chapter.Join(1, "Ana");
  chapter.Join(2, "Bruno");
  ASSERT_EQ(chapter.recorded.size(), 2u);
  // Seqs: 1 created, 2 Ana added, 3 Ana's grey recorded, 4 Bruno added, 5 Bruno's grey.
  EXPECT_EQ(chapter.events()[2].seq(), 3);
  EXPECT_TRUE(chapter.events()[2].has_plugin_output());

  chapter.Educate(1, 3, kDay0 + kDay);  // CEUs 3 -> +15: 40, red
  ASSERT_EQ(chapter.recorded.size(), 3u);
  const pv1::Output& red = chapter.recorded[2];
  EXPECT_EQ(red.key(), "band:chapters/rome/members/1:6m:red:after:3");
  EXPECT_EQ(red.score_change().band(), "red");
  EXPECT_EQ(red.score_change().previous_band(), "grey");
  EXPECT_EQ(red.score_change().points(), 40);

  chapter.Refer(1, 2, kDay0 + 2 * kDay);    // 1 referral in 26 weeks: still 40, red
  chapter.Testify(1, 2, kDay0 + 3 * kDay);  // 1 / 26 weeks < 0.075: still 40
  chapter.Educate(1, 1, kDay0 + 4 * kDay);  // 4 credits: still 15 points
  EXPECT_EQ(chapter.recorded.size(), 3u);
  EXPECT_EQ(chapter.host().outputs.size(), 3u);  // nothing emitted, not even a duplicate

  for (int i = 0; i < 13; ++i) {
    chapter.Refer(1, 2, kDay0 + 5 * kDay + i * kHour);  // 14 in 26 weeks: 0.54 -> 5: 45, red
  }
  EXPECT_EQ(chapter.recorded.size(), 3u);
  chapter.Testify(1, 2, kDay0 + 6 * kDay);
  chapter.Testify(1, 2, kDay0 + 7 * kDay);  // 3 in 26 weeks: 0.115 -> 10: 50, amber
  ASSERT_EQ(chapter.recorded.size(), 4u);
  EXPECT_EQ(chapter.recorded[3].score_change().band(), "amber");
  EXPECT_EQ(chapter.recorded[3].score_change().previous_band(), "red");
  EXPECT_EQ(chapter.recorded[3].score_change().points(), 50);
  // After the recorded red announcement's seq.
  int64_t red_seq = 0;
  for (const v1::Event& e : chapter.events()) {
    if (e.has_plugin_output() && e.plugin_output().output().key() == red.key()) {
      red_seq = e.seq();
    }
  }
  EXPECT_EQ(chapter.recorded[3].key(),
            "band:chapters/rome/members/1:6m:amber:after:" + std::to_string(red_seq));
}

TEST(TrafficLightBands, LeftMembersAreNotAnnounced) {
  Chapter chapter;
  chapter.Create();
  chapter.Join(1, "Ana");
  chapter.Leave(1, kDay0);
  chapter.Educate(1, 3, kDay0 + kDay);
  EXPECT_EQ(chapter.recorded.size(), 1u);  // only the first grey
  chapter.Tick(kNow);
  EXPECT_EQ(chapter.recorded.size(), 1u);
}

// Feeds `events` to a fresh instance and returns the keys it emitted.
std::vector<std::string> Replay(const std::vector<v1::Event>& events, const std::string& json,
                                const std::string& plugin_name = "traffic_light") {
  RecordingHost host;
  TrafficLight plugin(host.host(), Chapter::Config(json, plugin_name));
  for (const v1::Event& event : events) {
    plugin.OnEvent(event);
  }
  std::vector<std::string> keys;
  for (const pv1::Output& output : host.outputs) {
    keys.push_back(output.key());
  }
  return keys;
}

std::set<std::string> Keys(const std::vector<pv1::Output>& outputs) {
  std::set<std::string> keys;
  for (const pv1::Output& output : outputs) {
    keys.insert(output.key());
  }
  return keys;
}

TEST(TrafficLightBands, ReplayingTheLogWithItsRecordedOutputs_EmitsNothingNew) {
  const std::string json = R"({"announce_windows": ["6m", "30d"]})";
  Chapter chapter(json);
  AnasSixMonths(chapter);
  chapter.Tick(kNow + 40 * kDay);   // windows slide: the 30d view empties
  chapter.Tick(kNow + 120 * kDay);  // and the 6m view too
  chapter.Refer(1, 2, kNow + 121 * kDay);
  const std::set<std::string> recorded = Keys(chapter.recorded);
  ASSERT_GE(recorded.size(), 6u);

  for (const std::string& key : Replay(chapter.events(), json)) {
    EXPECT_TRUE(recorded.contains(key)) << "new output on replay: " << key;
  }

  // A fresh instance that saw the whole log then sees the next event exactly as the original.
  RecordingHost host;
  TrafficLight fresh(host.host(), Chapter::Config(json, "traffic_light"));
  for (const v1::Event& event : chapter.events()) {
    fresh.OnEvent(event);
  }
  const size_t before = host.outputs.size();
  const size_t original_before = chapter.host().outputs.size();
  const size_t next_event = chapter.events().size();
  chapter.Educate(1, 3, kNow + 122 * kDay);  // 15 CEU points: a new band in both windows
  fresh.OnEvent(chapter.events()[next_event]);
  ASSERT_GT(chapter.host().outputs.size(), original_before);
  ASSERT_EQ(host.outputs.size() - before, chapter.host().outputs.size() - original_before);
  for (size_t i = 0; i < host.outputs.size() - before; ++i) {
    EXPECT_EQ(host.outputs[before + i].key(), chapter.host().outputs[original_before + i].key());
  }
}

TEST(TrafficLightBands, OutputsOfAnotherPluginName_AreNotTakenAsAnnounced) {
  Chapter chapter(kScoredFromTheStart, "tl_uk");
  chapter.Create();
  chapter.Join(1, "Ana");
  chapter.Educate(1, 3, kDay0 + kDay);
  const std::vector<std::string> recorded = {"band:chapters/rome/members/1:6m:grey:after:0",
                                             "band:chapters/rome/members/1:6m:red:after:3"};
  ASSERT_EQ(chapter.recorded.size(), 2u);
  EXPECT_EQ(chapter.recorded[1].key(), recorded[1]);
  // Under its own name a fresh instance emits only what is already recorded.
  EXPECT_EQ(Replay(chapter.events(), kScoredFromTheStart, "tl_uk"), recorded);
  // Under another name, tl_uk's recorded outputs are not its announcements.
  EXPECT_EQ(Replay(chapter.events(), kScoredFromTheStart, "traffic_light"),
            (std::vector<std::string>{"band:chapters/rome/members/1:6m:grey:after:0",
                                      "band:chapters/rome/members/1:6m:red:after:0+1"}));
}

TEST(TrafficLightBands, TickSlidesTheWindow_AndAnnouncesOnce) {
  Chapter chapter(kScoredFromTheStart);
  chapter.Create();
  chapter.Join(1, "Ana");
  chapter.Educate(1, 3, kDay0 + kDay);  // red, 40
  ASSERT_EQ(chapter.recorded.size(), 2u);
  chapter.Tick(kDay0 + 100 * kDay);  // still inside the 6m window
  EXPECT_EQ(chapter.recorded.size(), 2u);
  chapter.Tick(kDay0 + 183 * kDay);  // the credits left the window: 25, grey
  ASSERT_EQ(chapter.recorded.size(), 3u);
  EXPECT_EQ(chapter.recorded[2].score_change().band(), "grey");
  EXPECT_EQ(chapter.recorded[2].score_change().previous_band(), "red");
  EXPECT_EQ(chapter.recorded[2].score_change().points(), 25);
  chapter.Tick(kDay0 + 200 * kDay);
  EXPECT_EQ(chapter.recorded.size(), 3u);
  EXPECT_EQ(chapter.host().outputs.size(), 3u);
}

TEST(TrafficLightBands, ChangesWhileTheFirstIsNotYetRecorded_GetDistinctKeys) {
  RecordingHost host;
  TrafficLight plugin(host.host(), Chapter::Config(kScoredFromTheStart, "traffic_light"));
  EventLog log;
  plugin.OnEvent(log.Next(kDay0, "admin", [&](v1::Event& e) {
    e.mutable_member_added()->mutable_member()->set_name(log.Member(1));
    e.mutable_member_added()->mutable_member()->set_display_name("Ana");
  }));
  plugin.OnEvent(log.Next(kDay0 + 1, "admin", [&](v1::Event& e) {
    e.mutable_education_recorded()->mutable_education()->set_member(log.Member(1));
    e.mutable_education_recorded()->mutable_education()->set_credits(3);
  }));
  pv1::Tick tick;
  *tick.mutable_now() = At(kDay0 + 200 * kDay);
  plugin.OnTick(tick);
  ASSERT_EQ(host.outputs.size(), 3u);
  EXPECT_EQ(host.outputs[0].key(), "band:chapters/rome/members/1:6m:grey:after:0");
  EXPECT_EQ(host.outputs[1].key(), "band:chapters/rome/members/1:6m:red:after:0+1");
  EXPECT_EQ(host.outputs[2].key(), "band:chapters/rome/members/1:6m:grey:after:0+2");
  EXPECT_EQ(host.outputs[2].score_change().previous_band(), "red");
}

// ---------------------------------------------------------------- queries

TEST(TrafficLightQuery, ListsActiveMembersByPointsThenName) {
  Chapter chapter;
  chapter.Create();
  chapter.Join(3, "Carla");
  chapter.Join(1, "Bea");
  chapter.Join(2, "Bea");
  chapter.Join(4, "Dario");
  chapter.Join(5, "Ezio");
  chapter.Leave(5, kDay0);
  chapter.Educate(4, 1, kDay0 + kDay);  // Dario +5
  const pv1::Scores scores = chapter.Scores();
  EXPECT_EQ(scores.window(), "6m");
  ASSERT_EQ(scores.scores_size(), 4);
  EXPECT_EQ(scores.scores(0).member(), chapter.Member(4));
  EXPECT_EQ(scores.scores(0).points(), 30);
  EXPECT_EQ(scores.scores(1).member(), chapter.Member(1));  // Bea, then Bea by resource name
  EXPECT_EQ(scores.scores(2).member(), chapter.Member(2));
  EXPECT_EQ(scores.scores(3).member(), chapter.Member(3));
  // A member who left is still answered when asked for by name.
  EXPECT_EQ(chapter.ScoreOf(5).display_name(), "Ezio");
}

TEST(TrafficLightQuery, UnknownWindowMemberOrKind_Rejected) {
  Chapter chapter;
  chapter.Create();
  chapter.Join(1, "Ana");
  try {
    chapter.Scores("1y");
    ADD_FAILURE() << "accepted an unknown window";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "traffic_light: unknown window \"1y\" (known: 6m, 30d)");
  }
  try {
    chapter.Scores("6m", chapter.Member(9));
    ADD_FAILURE() << "accepted an unknown member";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "traffic_light: unknown member \"chapters/rome/members/9\" in \"chapters/rome\"");
  }
  pv1::Query leaderboard;
  leaderboard.set_chapter("chapters/rome");
  leaderboard.mutable_leaderboard()->set_board("visitors");
  EXPECT_THROW(chapter.plugin().Query(leaderboard), std::invalid_argument);
}

TEST(TrafficLightQuery, ChapterWithNoEvents_HasNoScores) {
  RecordingHost host;
  TrafficLight plugin(host.host(), Chapter::Config("{}", "traffic_light"));
  pv1::Query query;
  query.set_chapter("chapters/nowhere");
  query.mutable_scores();
  const pv1::QueryAnswer answer = plugin.Query(query);
  EXPECT_EQ(answer.scores().window(), "6m");
  EXPECT_EQ(answer.scores().scores_size(), 0);
}

// ---------------------------------------------------------------- the C table

struct CHost {
  CHost() {
    host.struct_size = sizeof(reciproca_host);
    host.abi_major = RECIPROCA_PLUGIN_ABI_MAJOR;
    host.abi_minor = RECIPROCA_PLUGIN_ABI_MINOR;
    host.context = this;
    host.emit = [](void* context, const uint8_t*, size_t) {
      ++static_cast<CHost*>(context)->emitted;
    };
    host.log = [](void* context, int, const char* message) {
      static_cast<CHost*>(context)->logs.emplace_back(message);
    };
  }
  reciproca_host host{};
  int emitted = 0;
  std::vector<std::string> logs;
};

template <class Message>
std::string Bytes(const Message& message) {
  return message.SerializeAsString();
}

const uint8_t* Data(const std::string& bytes) {
  return reinterpret_cast<const uint8_t*>(bytes.data());
}

TEST(TrafficLightCTable, ExceptionsNeverCrossTheBoundary) {
  const reciproca_plugin_v1* table =
      sdk::detail::Table<TrafficLight>(kPluginName, kPluginVersion, kCapabilities);
  EXPECT_STREQ(table->name, "traffic_light");
  EXPECT_STREQ(table->version, "1.0.0");
  EXPECT_EQ(table->capabilities, RECIPROCA_CAP_SCORES | RECIPROCA_CAP_TICKS);
  CHost host;

  const std::string bad = Bytes(Chapter::Config(R"({"bands": []})", "traffic_light"));
  EXPECT_EQ(table->create(&host.host, Data(bad), bad.size()), nullptr);
  ASSERT_EQ(host.logs.size(), 1u);
  EXPECT_EQ(host.logs[0], "traffic_light config: bands: must be a non-empty array");

  const std::string good = Bytes(Chapter::Config(kScoredFromTheStart, "traffic_light"));
  void* instance = table->create(&host.host, Data(good), good.size());
  ASSERT_NE(instance, nullptr);

  const std::string garbage = "\xff\xff\xff";
  EXPECT_EQ(table->on_event(instance, Data(garbage), garbage.size()), RECIPROCA_ERROR);
  EXPECT_STREQ(table->last_error(instance), "malformed reciproca.v1.Event");

  EventLog log;
  const std::string added = Bytes(log.Next(kDay0, "admin", [&](v1::Event& e) {
    e.mutable_member_added()->mutable_member()->set_name(log.Member(1));
  }));
  EXPECT_EQ(table->on_event(instance, Data(added), added.size()), RECIPROCA_OK);
  EXPECT_EQ(host.emitted, 1);

  pv1::Query query;
  query.set_chapter("chapters/rome");
  query.mutable_scores()->set_window("1y");
  const std::string asked = Bytes(query);
  std::string answer;
  auto write = [](void* sink, const uint8_t* data, size_t size) {
    static_cast<std::string*>(sink)->assign(reinterpret_cast<const char*>(data), size);
  };
  EXPECT_EQ(table->query(instance, Data(asked), asked.size(), write, &answer), RECIPROCA_ERROR);
  EXPECT_STREQ(table->last_error(instance),
               "traffic_light: unknown window \"1y\" (known: 6m, 30d)");
  EXPECT_TRUE(answer.empty());

  query.mutable_scores()->set_window("");
  const std::string asked_again = Bytes(query);
  EXPECT_EQ(table->query(instance, Data(asked_again), asked_again.size(), write, &answer),
            RECIPROCA_OK);
  pv1::QueryAnswer parsed;
  ASSERT_TRUE(parsed.ParseFromString(answer));
  ASSERT_EQ(parsed.scores().scores_size(), 1);
  EXPECT_EQ(parsed.scores().scores(0).band(), "grey");

  pv1::Tick tick;
  *tick.mutable_now() = At(kDay0 + kDay);
  const std::string ticked = Bytes(tick);
  EXPECT_EQ(table->on_tick(instance, Data(ticked), ticked.size()), RECIPROCA_OK);
  table->destroy(instance);
}

// ---------------------------------------------------------------- texts in the chapter's language

const pv1::ScoreRow& RowOfKind(const pv1::MemberScore& score, const std::string& kind) {
  for (const pv1::ScoreRow& row : score.rows()) {
    if (row.kind() == kind) {
      return row;
    }
  }
  throw std::out_of_range("no row of kind " + kind);
}

TEST(TrafficLightTexts, ItalianChapter_RowsInItalian_WithKindAndParams) {
  Chapter chapter;
  chapter.Create("EUR", "it");
  chapter.Join(1, "Ana");
  chapter.Join(2, "Bruno");
  for (int k = 1; k <= 26; ++k) {
    chapter.Hold(k, {1, 2}, {});
    if (k <= 20) {
      chapter.Refer(1, 2, MeetingStart(k) + 3 * kHour);
    }
  }
  chapter.Thank(1, 2, "1250.00", "EUR", MeetingStart(5) + 4 * kHour);
  chapter.Educate(1, 1, MeetingStart(8) + kDay);
  const pv1::MemberScore ana = chapter.ScoreOf(1);
  const pv1::ScoreRow& referrals = RowOfKind(ana, "referrals_given_per_week");
  EXPECT_EQ(referrals.name(), "Referenze date");
  EXPECT_EQ(referrals.measured(), "0,77 a settimana (20 referenze in 26,0 settimane)");
  EXPECT_EQ(Param(referrals.params(), "count"), "20");
  EXPECT_EQ(Param(referrals.params(), "weeks"), "26.000000");
  EXPECT_EQ(RowOfKind(ana, "absences").name(), "Assenze");
  EXPECT_EQ(RowOfKind(ana, "absences").measured(), "0 assenze su 26 riunioni");
  EXPECT_EQ(RowOfKind(ana, "lates").name(), "Mai in ritardo");
  EXPECT_EQ(RowOfKind(ana, "lates").measured(), "mai in ritardo su 26 riunioni");
  // Money through ICU: "1.250,00 €" (a no-break space before the sign).
  EXPECT_EQ(RowOfKind(ana, "tyfcb_amount").measured(),
            "1.250,00\u00a0\u20ac (1 ringraziamento dato)");
  EXPECT_EQ(Param(RowOfKind(ana, "tyfcb_amount").params(), "amount"), "1250.00 EUR");
  EXPECT_EQ(RowOfKind(ana, "ceus").measured(), "1 credito in 182 giorni");
  EXPECT_EQ(RowOfKind(chapter.ScoreOf(2), "ceus").measured(), "0 crediti in 182 giorni");

  // The chapter switches to Spanish: the next answer is in Spanish, nothing else changes.
  const size_t announced = chapter.recorded.size();
  chapter.SetLanguage("es-MX", kNow);
  const pv1::MemberScore ana_es = chapter.ScoreOf(1);
  EXPECT_EQ(RowOfKind(ana_es, "referrals_given_per_week").name(), "Referencias dadas");
  EXPECT_EQ(RowOfKind(ana_es, "referrals_given_per_week").measured(),
            "0,77 por semana (20 referencias en 26,0 semanas)");
  EXPECT_EQ(RowOfKind(ana_es, "lates").measured(), "nunca tarde en 26 reuniones");
  EXPECT_EQ(ana_es.points(), ana.points());
  EXPECT_EQ(chapter.recorded.size(), announced) << "a language change announces nothing";
}

TEST(TrafficLightTexts, UsVariant_InSpanish_AttendanceAsAPercentage) {
  Chapter chapter(ReadFile("us_power_of_one.json"));
  chapter.Create("EUR", "es");
  chapter.Join(1, "Ana");
  for (int k = 1; k <= 26; ++k) {
    chapter.Hold(k, k == 3 ? std::vector<int>{} : std::vector<int>{1},
                 k == 3 ? std::vector<int>{1} : std::vector<int>{});
  }
  const pv1::MemberScore ana = chapter.ScoreOf(1);
  EXPECT_EQ(RowOfKind(ana, "attendance_rate").name(), "Asistencia");
  EXPECT_EQ(RowOfKind(ana, "attendance_rate").measured(),
            "96\u00a0% (asisti\u00f3 a 25 de 26 reuniones)");
  EXPECT_EQ(RowOfKind(ana, "visitors_per_month").measured(),
            "0,00 al mes (0 visitantes en 6,0 meses)");
}

TEST(TrafficLightTexts, ARowWithoutATitleKeepsItsConfiguredName) {
  Chapter chapter(R"({"rows": [{"name": "Puntualit\u00e0", "metric": "lates",
                                 "steps": [{"at_most": 0, "points": 5}, {"points": 0}]}]})");
  chapter.Create("EUR", "es");
  chapter.Join(1, "Ana");
  EXPECT_EQ(chapter.ScoreOf(1).rows(0).name(), "Puntualit\u00e0");
  EXPECT_EQ(chapter.ScoreOf(1).rows(0).kind(), "lates");
}

// ---------------------------------------------------------------- provisional members

// A chapter created on the day of its first meeting, five members.
void NewChapterAfterItsFirstMeeting(Chapter& chapter) {
  chapter.Create("EUR", "", MeetingStart(1) - kDay);
  for (int id = 1; id <= 5; ++id) {
    chapter.Join(id, "Member " + std::to_string(id), MeetingStart(1) - kDay);
  }
  chapter.Hold(1, {1, 2, 3}, {4, 5});
  chapter.Refer(1, 2, MeetingStart(1) + kHour);
}

TEST(TrafficLightProvisional, NewChapterAfterItsFirstMeeting_NobodyIsRed) {
  Chapter chapter;  // uk.json: minimum_meetings 6
  NewChapterAfterItsFirstMeeting(chapter);
  const pv1::Scores scores = chapter.Scores("", "", MeetingStart(1) + 3 * kHour);
  ASSERT_EQ(scores.scores_size(), 5);
  for (const pv1::MemberScore& score : scores.scores()) {
    EXPECT_EQ(score.band(), "provisional") << score.member();
    EXPECT_EQ(score.band_note(), "Provisional: 1 of 6 meetings so far.");
    EXPECT_EQ(Param(score.band_note_params(), "meetings"), "1");
    EXPECT_EQ(Param(score.band_note_params(), "minimum_meetings"), "6");
    EXPECT_EQ(score.rows_size(), 7) << "the why is still there";
  }
  // What was announced: each member's provisional band, nothing red.
  for (const pv1::Output& output : chapter.recorded) {
    EXPECT_EQ(output.score_change().band(), "provisional") << output.key();
  }
  EXPECT_EQ(chapter.recorded.size(), 5u);
}

TEST(TrafficLightProvisional, ScoredFromTheMinimumOfMeetings_AndWhenTenureCoversTheWindow) {
  Chapter chapter(R"({"minimum_meetings": 3})");
  chapter.Create("EUR", "it", MeetingStart(1) - kDay);
  chapter.Join(1, "Ana", MeetingStart(1) - kDay);
  chapter.Hold(1, {1});
  chapter.Hold(2, {1});
  EXPECT_EQ(chapter.ScoreOf(1, "", MeetingStart(2) + 3 * kHour).band(), "provisional");
  EXPECT_EQ(chapter.ScoreOf(1, "", MeetingStart(2) + 3 * kHour).band_note(),
            "Provvisorio: 2 di 3 riunioni finora.");
  chapter.Hold(3, {1});
  const pv1::MemberScore scored = chapter.ScoreOf(1, "", MeetingStart(3) + 3 * kHour);
  EXPECT_EQ(scored.band(), "grey");  // 25 points: absences 15, testimonials 5, never late 5
  EXPECT_EQ(scored.band_note(), "");
  EXPECT_EQ(chapter.recorded.back().score_change().band(), "grey");
  EXPECT_EQ(chapter.recorded.back().score_change().previous_band(), "provisional");
  // The 30-day window is shorter than the member's tenure by day 31: never provisional there.
  Chapter older(R"({"minimum_meetings": 3})");
  older.Create("EUR", "", kDay0);
  older.Join(1, "Ana", kDay0);
  EXPECT_EQ(older.ScoreOf(1, "30d", kDay0 + 31 * kDay).band(), "grey");
  EXPECT_EQ(older.ScoreOf(1, "6m", kDay0 + 31 * kDay).band(), "provisional");
}

TEST(TrafficLightProvisional, ProratedByTenure_TwoWeeksMeasuredOverTwoWeeks) {
  Chapter chapter(R"({"minimum_meetings": 0, "prorate_by_tenure": true})");
  chapter.Create("EUR", "", kDay0 - 200 * kDay);
  chapter.Join(3, "Carla", kDay0 - 200 * kDay);  // older than the window: not prorated
  chapter.Join(1, "Ana", MeetingStart(1) - kDay);
  chapter.Join(2, "Bruno", MeetingStart(1) - kDay);
  // Two weeks of tenure: Ana gives 2 referrals a week, Carla too.
  for (int i = 0; i < 4; ++i) {
    chapter.Refer(1, 2, MeetingStart(1) + i * 3 * kDay);
    chapter.Refer(3, 2, MeetingStart(1) + i * 3 * kDay);
  }
  const int64_t now = MeetingStart(1) - kDay + 14 * kDay;
  const pv1::ScoreRow ana = RowOfKind(chapter.ScoreOf(1, "", now), "referrals_given_per_week");
  EXPECT_EQ(ana.measured(), "2.00 per week (4 referrals in 2.0 weeks)");
  EXPECT_EQ(ana.points(), 20);
  EXPECT_EQ(Param(ana.params(), "weeks"), "2.000000");
  const pv1::ScoreRow carla = RowOfKind(chapter.ScoreOf(3, "", now), "referrals_given_per_week");
  EXPECT_EQ(carla.measured(), "0.15 per week (4 referrals in 26.0 weeks)");
  // A day of tenure is measured over a week, the least a rate is divided by.
  const pv1::ScoreRow first_day =
      RowOfKind(chapter.ScoreOf(1, "", MeetingStart(1)), "referrals_given_per_week");
  EXPECT_EQ(first_day.measured(), "1.00 per week (1 referral in 1.0 weeks)");
}

TEST(TrafficLightConfig, ProvisionalSettingsAreChecked) {
  EXPECT_EQ(ParseConfig("{}").minimum_meetings, 6);
  EXPECT_FALSE(ParseConfig("{}").prorate_by_tenure);
  EXPECT_EQ(ParseConfig(ReadFile("us_power_of_one.json")).minimum_meetings, 6);
  auto error = [](const std::string& json) {
    try {
      ParseConfig(json);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error(R"({"minimum_meetings": -1})"),
            "traffic_light config: minimum_meetings: must be an integer from 0 to 1000");
  EXPECT_EQ(error(R"({"prorate_by_tenure": "yes"})"),
            "traffic_light config: prorate_by_tenure: must be true or false");
  EXPECT_EQ(error(R"({"bands": [{"name": "provisional", "min": 0}]})"),
            "traffic_light config: bands[0].name: \"provisional\" is the band of new members "
            "(minimum_meetings); name it otherwise");
  EXPECT_EQ(error(R"({"rows": [{"name": "A", "title": 3, "metric": "lates",
                                "steps": [{"points": 0}]}]})"),
            "traffic_light config: rows[0].title: must be a non-empty string");
}

// --- Rules as configuration (issue 11 item 4) ---

std::string ConfigError(const std::string& json) {
  try {
    ParseConfig(json);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(TrafficLightRules, VersionAndProportionalRowsAndMonthWindowsAreChecked) {
  EXPECT_EQ(ConfigError(R"({"rules_version": 2})"),
            "traffic_light config: rules_version: unknown version 2 (accepted: 1)");
  EXPECT_EQ(ConfigError(R"({"rules_version": "1"})"),
            "traffic_light config: rules_version: unknown version \"1\" (accepted: 1)");
  EXPECT_EQ(ConfigError(R"({"rules_version": 1})"), "no error");
  EXPECT_EQ(ConfigError(R"({"rows": [{"name": "A", "metric": "ceus", "goal": 0, "weight": 5}]})"),
            "traffic_light config: rows[0].goal: must be a number above 0");
  EXPECT_EQ(ConfigError(R"({"rows": [{"name": "A", "metric": "ceus", "goal": 2}]})"),
            "traffic_light config: rows[0].weight: is required");
  EXPECT_EQ(ConfigError(R"({"rows": [{"name": "A", "metric": "ceus", "goal": 2, "weight": 5,
                                      "steps": [{"points": 0}]}]})"),
            "traffic_light config: rows[0]: has both \"steps\" and \"goal\"/\"weight\"; give "
            "steps or a goal");
  EXPECT_EQ(ConfigError(R"({"windows": [{"name": "6m", "days": 182, "months": 6}]})"),
            "traffic_light config: windows[0]: needs either \"days\" or \"months\"");
  EXPECT_EQ(ConfigError(R"({"windows": [{"name": "6m", "months": 0}]})"),
            "traffic_light config: windows[0].months: must be an integer from 1 to 120");
  EXPECT_NE(ConfigError(R"({"rows": [{"name": "A", "metric": "ceus", "goals": 2}]})")
                .find("rows[0].goals: unknown field (known: name, title, metric, steps, goal, "
                      "weight)"),
            std::string::npos);
}

TEST(TrafficLightRules, CalendarMonths_CountBackToTheSameDayClampedToTheMonthsEnd) {
  const Config config = ParseConfig(ReadFile("proportional_goals.json"));
  const Window* six = config.FindWindow("6m");
  ASSERT_NE(six, nullptr);
  // 2026-12-01 12:00 UTC: back to 2026-06-01 (183 days).
  EXPECT_EQ(six->DaysAt(1796126400), 183);
  // 2026-08-31: back to 2026-02-28 (184 days), February has no 31st.
  EXPECT_EQ(six->DaysAt(1788177600), 184);
  EXPECT_EQ(config.FindWindow("30d")->DaysAt(1796126400), 30);
}

// ---------------------------------------------------------------- tables of members

// One member of a hand-computed table: what they did in the 26 weeks up to kNow (every record at
// kDay0 + 3 days, inside the window; 26 meetings, their statuses in this order: absent, medical,
// late, substitute, then present), and the points each row of the table gives, worked out by hand.
struct TableMember {
  const char* who;
  int absences = 0;
  int medical = 0;
  int lates = 0;
  int substitutes = 0;
  int referrals = 0;
  int visitors = 0;
  int one_to_ones = 0;
  int testimonials = 0;
  // Thank-yous given: "2500" in the chapter's currency, "5000 EUR" in another.
  std::vector<std::string> thanks = {};
  int ceus = 0;  // credits, in one record
  // Each row's points, in the table's row order (empty: only the total is checked).
  std::vector<int> rows = {};
  int points = 0;
  const char* band = "";
};

// Scores every member of `members` under the table `json` in a chapter whose currency is
// `currency`, and checks each one's rows, total and band. Everyone joined 300 days before kDay0
// (nobody is provisional); one partner, not in the table, receives their referrals, thank-yous,
// testimonials and one-to-ones.
void ExpectTable(const std::string& json, const std::string& currency,
                 const std::vector<TableMember>& members) {
  Chapter c(json);
  c.Create(currency, "", kDay0 - 400 * kDay);
  const int n = static_cast<int>(members.size());
  const int partner = n + 1;
  for (int i = 1; i <= partner; ++i) {
    c.Join(i, "member " + std::to_string(i), kDay0 - 300 * kDay);
  }
  for (int k = 1; k <= 26; ++k) {
    c.Schedule(k);
    std::vector<int> absent;
    for (int i = 1; i <= n; ++i) {
      const TableMember& m = members[i - 1];
      int bound = m.absences;
      if (k <= bound) {
        absent.push_back(i);
      } else if (k <= (bound += m.medical)) {
        c.Attend(k, i, v1::ATTENDANCE_STATUS_MEDICAL);
      } else if (k <= (bound += m.lates)) {
        c.Attend(k, i, v1::ATTENDANCE_STATUS_LATE);
      } else if (k <= (bound += m.substitutes)) {
        c.Attend(k, i, v1::ATTENDANCE_STATUS_SUBSTITUTE);
      } else {
        c.Attend(k, i, v1::ATTENDANCE_STATUS_PRESENT);
      }
    }
    c.Close(k, absent);
  }
  const int64_t t = kDay0 + 3 * kDay;
  for (int i = 1; i <= n; ++i) {
    const TableMember& m = members[i - 1];
    for (int j = 0; j < m.referrals; ++j) c.Refer(i, partner, t);
    for (int j = 0; j < m.visitors; ++j) c.Visitor(i, t);
    for (int j = 0; j < m.one_to_ones; ++j) c.OneToOne(i, partner, t);
    for (int j = 0; j < m.testimonials; ++j) c.Testify(i, partner, t);
    for (const std::string& thank : m.thanks) {
      const size_t space = thank.find(' ');
      c.Thank(i, partner, thank.substr(0, space),
              space == std::string::npos ? currency : thank.substr(space + 1), t);
    }
    if (m.ceus > 0) c.Educate(i, m.ceus, t);
  }
  const int max_points = ParseConfig(json).max_points;
  for (int i = 1; i <= n; ++i) {
    const TableMember& m = members[i - 1];
    SCOPED_TRACE(m.who);
    const pv1::MemberScore score = c.ScoreOf(i);
    if (!m.rows.empty()) {
      ASSERT_EQ(score.rows_size(), static_cast<int>(m.rows.size()));
      for (int r = 0; r < score.rows_size(); ++r) {
        EXPECT_EQ(score.rows(r).points(), m.rows[r])
            << score.rows(r).name() << ": " << score.rows(r).measured();
      }
    }
    EXPECT_EQ(score.points(), m.points);
    EXPECT_EQ(score.max_points(), max_points);
    if (*m.band != '\0') {
      EXPECT_EQ(score.band(), m.band);
    }
  }
}

// uk.json over 26 weeks. Rows: absences (at most 0/1/2 -> 15/10/5, else 0); referrals per week
// (below 0.5/0.75/1/1.2 -> 0/5/10/15, else 20: 13 = 0.5, 19.5, 26 = 1, 31.2 referrals); visitors
// per week (below 0.083/0.167/0.25/0.5 -> 0/5/10/15, else 20: 2.16, 4.34, 6.5, 13 visitors);
// TYFCB (below 1,000/2,500/5,000 -> 0/5/10, else 15); testimonials per week (below 0.075 -> 5,
// else 10: 1.95 testimonials); never late (at most 0 -> 5); CEUs (at most 0/1/2 -> 0/5/10, else
// 15). "below x" holds under x only (x is in the next step), "at most x" holds at x, a band's min
// is inclusive.
TEST(TrafficLightTables, Uk_HandComputedMembersAtEveryEdge) {
  ExpectTable(
      "{}", "EUR",
      {
          {.who = "present every week, nothing else: 15 + 5 (testimonials) + 5 (never late)",
           .rows = {15, 0, 0, 0, 5, 5, 0},
           .points = 25,
           .band = "grey"},
          {.who = "1 absence 10; 12 referrals 0.46 -> 0; 2 visitors 0.077 -> 0; 999.99 -> 0; "
                  "1 testimonial 0.038 -> 5; 0 CEU -> 0",
           .absences = 1,
           .referrals = 12,
           .visitors = 2,
           .testimonials = 1,
           .thanks = {"999.99"},
           .rows = {10, 0, 0, 0, 5, 5, 0},
           .points = 20,
           .band = "grey"},
          {.who = "2 absences 5; 13 referrals exactly 0.5 -> 5; 3 visitors 0.115 -> 5; 1000 -> 5; "
                  "2 testimonials 0.077 -> 10; 1 CEU 5",
           .absences = 2,
           .referrals = 13,
           .visitors = 3,
           .testimonials = 2,
           .thanks = {"1000"},
           .ceus = 1,
           .rows = {5, 5, 5, 5, 10, 5, 5},
           .points = 40,
           .band = "red"},
          {.who = "3 absences 0; 1 late 0; 19 referrals 0.73 -> 5; 4 visitors 0.154 -> 5; "
                  "2499.99 -> 5; 2 CEUs 10: 30, red's minimum",
           .absences = 3,
           .lates = 1,
           .referrals = 19,
           .visitors = 4,
           .thanks = {"2499.99"},
           .ceus = 2,
           .rows = {0, 5, 5, 5, 5, 0, 10},
           .points = 30,
           .band = "red"},
          {.who = "4 absences 0; 20 referrals 0.77 -> 10; 5 visitors 0.192 -> 10; 1500 + 1000 = "
                  "2500 -> 10; 2 testimonials 10; 1 CEU 5: 50, amber's minimum",
           .absences = 4,
           .referrals = 20,
           .visitors = 5,
           .testimonials = 2,
           .thanks = {"1500", "1000"},
           .ceus = 1,
           .rows = {0, 10, 10, 10, 10, 5, 5},
           .points = 50,
           .band = "amber"},
          {.who = "2 lates 0; 25 referrals 0.96 -> 10; 6 visitors 0.231 -> 10; 4999.99 -> 10; "
                  "2 testimonials 10; 2 CEUs 10",
           .lates = 2,
           .referrals = 25,
           .visitors = 6,
           .testimonials = 2,
           .thanks = {"4999.99"},
           .ceus = 2,
           .rows = {15, 10, 10, 10, 10, 0, 10},
           .points = 65,
           .band = "amber"},
          {.who = "1 absence 10; 26 referrals exactly 1 -> 15; 7 visitors 0.27 -> 15; 5000 -> 15; "
                  "1 CEU 5: 70, green's minimum (a medical is no absence)",
           .absences = 1,
           .medical = 1,
           .referrals = 26,
           .visitors = 7,
           .thanks = {"5000"},
           .ceus = 1,
           .rows = {10, 15, 15, 15, 5, 5, 5},
           .points = 70,
           .band = "green"},
          {.who = "31 referrals 1.19 -> 15; 12 visitors 0.46 -> 15; 5000 + 9000 USD (not "
                  "counted) -> 15; 2 testimonials 10; 3 CEUs 15; substitutes are no absence",
           .substitutes = 3,
           .referrals = 31,
           .visitors = 12,
           .testimonials = 2,
           .thanks = {"5000", "9000 USD"},
           .ceus = 3,
           .rows = {15, 15, 15, 15, 10, 5, 15},
           .points = 90,
           .band = "green"},
          {.who = "32 referrals 1.23 -> 20; 13 visitors exactly 0.5 -> 20; 20000 -> 15; 12 CEUs "
                  "-> 15: everything, 100",
           .referrals = 32,
           .visitors = 13,
           .testimonials = 26,
           .thanks = {"20000"},
           .ceus = 12,
           .rows = {15, 20, 20, 15, 10, 5, 15},
           .points = 100,
           .band = "green"},
          {.who = "USD only, 1 absence 10, 999.99 + 0.01 = 1000 -> 5: 25 + 5 - 5 = 25",
           .absences = 1,
           .thanks = {"2000 USD", "999.99", "0.01"},
           .rows = {10, 0, 0, 5, 5, 5, 0},
           .points = 25,
           .band = "grey"},
      });
}

// us_power_of_one.json over 26 weeks. Rows: attendance rate = attended / (26 - medical), below
// 0.75/0.85/0.95/1 -> 0/5/10/15, else 20 (a late and a substitute are attended); referrals,
// one-to-ones and CEU credits per week and visitors per month (182 days are 5.98 months), each
// below 0.25/0.5/0.75/1 -> 0/5/10/15, else 20 (per week: 6.5, 13, 19.5, 26 in 26 weeks; per
// month: 1.5, 3.0, 4.5, 6.0 visitors).
TEST(TrafficLightTables, UsPowerOfOne_HandComputedMembersAtEveryEdge) {
  ExpectTable(
      ReadFile("us_power_of_one.json"), "USD",
      {
          {.who = "present every week, nothing else", .rows = {20, 0, 0, 0, 0}, .points = 20},
          {.who = "1 absence: 25/26 = 0.96 -> 15; 6 of each 0.23 -> 0; 1 visitor 0.17 "
                  "a month -> 0",
           .absences = 1,
           .referrals = 6,
           .visitors = 1,
           .one_to_ones = 6,
           .ceus = 6,
           .rows = {15, 0, 0, 0, 0},
           .points = 15,
           .band = "grey"},
          {.who = "2 absences: 24/26 = 0.92 -> 10; 7 of each 0.27 -> 5; 2 visitors 0.33 "
                  "-> 5",
           .absences = 2,
           .referrals = 7,
           .visitors = 2,
           .one_to_ones = 7,
           .ceus = 7,
           .rows = {10, 5, 5, 5, 5},
           .points = 30,
           .band = "red"},
          {.who = "2 medical, 6 absences: 18/24 exactly 0.75 -> 5; 12 of each 0.46 -> "
                  "5; 3 visitors 0.501 -> 10",
           .absences = 6,
           .medical = 2,
           .referrals = 12,
           .visitors = 3,
           .one_to_ones = 12,
           .ceus = 12,
           .rows = {5, 5, 10, 5, 5},
           .points = 30},
          {.who = "7 absences: 19/26 = 0.73 -> 0; 13 of each exactly 0.5 -> 10; 4 "
                  "visitors 0.67 -> 10",
           .absences = 7,
           .referrals = 13,
           .visitors = 4,
           .one_to_ones = 13,
           .ceus = 13,
           .rows = {0, 10, 10, 10, 10},
           .points = 40,
           .band = "red"},
          {.who = "6 medical, 3 absences: 17/20 exactly 0.85 -> 10; 19 of each 0.73 -> "
                  "10; 5 visitors 0.84 -> 15",
           .absences = 3,
           .medical = 6,
           .referrals = 19,
           .visitors = 5,
           .one_to_ones = 19,
           .ceus = 19,
           .rows = {10, 10, 15, 10, 10},
           .points = 55,
           .band = "amber"},
          {.who = "6 medical, 1 absence: 19/20 exactly 0.95 -> 15; 20 of each 0.77 -> "
                  "15; 6 visitors 1.003 -> 20",
           .absences = 1,
           .medical = 6,
           .referrals = 20,
           .visitors = 6,
           .one_to_ones = 20,
           .ceus = 20,
           .rows = {15, 15, 20, 15, 15},
           .points = 80,
           .band = "green"},
          {.who = "2 lates and 2 substitutes attended: 26/26 -> 20; 25 of each 0.96 -> "
                  "15; 5 visitors -> 15",
           .lates = 2,
           .substitutes = 2,
           .referrals = 25,
           .visitors = 5,
           .one_to_ones = 25,
           .ceus = 25,
           .rows = {20, 15, 15, 15, 15},
           .points = 80,
           .band = "green"},
          {.who = "26 of each exactly 1 -> 20; 6 visitors -> 20: 100",
           .referrals = 26,
           .visitors = 6,
           .one_to_ones = 26,
           .ceus = 26,
           .rows = {20, 20, 20, 20, 20},
           .points = 100,
           .band = "green"},
          {.who = "3 absences: 23/26 = 0.88 -> 10",
           .absences = 3,
           .rows = {10, 0, 0, 0, 0},
           .points = 10},
          {.who = "4 absences: 22/26 = 0.85 (0.846) -> 5",
           .absences = 4,
           .rows = {5, 0, 0, 0, 0},
           .points = 5},
      });
}

// A tiered table whose money thresholds are in the chapter's currency: the UK table with its
// TYFCB row written for a chapter in reais (below 5,000/12,500/25,000 -> 0/5/10, else 15). The
// table names no currency: its numbers are the chapter's (BRL), and thank-yous in any other
// currency are not counted. Everyone is present every week, with nothing else: 15 (absences) + 5
// (testimonials) + 5 (never late) = 25 besides TYFCB.
const char* const kUkTableInReais = R"({"rows": [
    {"name": "TYFCB", "metric": "tyfcb_amount",
     "steps": [{"below": 5000, "points": 0}, {"below": 12500, "points": 5},
               {"below": 25000, "points": 10}, {"points": 15}]},
    {"name": "Absences", "metric": "absences",
     "steps": [{"at_most": 0, "points": 15}, {"at_most": 1, "points": 10},
               {"at_most": 2, "points": 5}, {"points": 0}]},
    {"name": "Testimonials", "metric": "testimonials_per_week",
     "steps": [{"below": 0.075, "points": 5}, {"points": 10}]},
    {"name": "Never late", "metric": "lates", "steps": [{"at_most": 0, "points": 5}, {"points": 0}]}
  ]})";

TEST(TrafficLightTables, TieredTableInTheChaptersCurrency_HandComputedMembersAtEveryEdge) {
  ExpectTable(
      kUkTableInReais, "BRL",
      {
          {.who = "no thank-you: 0", .rows = {0, 15, 5, 5}, .points = 25},
          {.who = "R$ 4,999.99 -> 0", .thanks = {"4999.99"}, .rows = {0, 15, 5, 5}, .points = 25},
          {.who = "R$ 5,000 -> 5 (lower-inclusive)",
           .thanks = {"5000"},
           .rows = {5, 15, 5, 5},
           .points = 30},
          {.who = "R$ 12,499.99 -> 5", .thanks = {"12499.99"}, .rows = {5, 15, 5, 5}, .points = 30},
          {.who = "R$ 7,500 + 5,000 = 12,500 -> 10",
           .thanks = {"7500", "5000"},
           .rows = {10, 15, 5, 5},
           .points = 35},
          {.who = "R$ 24,999.99 -> 10",
           .thanks = {"24999.99"},
           .rows = {10, 15, 5, 5},
           .points = 35},
          {.who = "R$ 25,000 -> 15", .thanks = {"25000"}, .rows = {15, 15, 5, 5}, .points = 40},
          {.who = "5,000 EUR is no real: 0 (a table in euros would give 15 elsewhere)",
           .thanks = {"5000 EUR"},
           .rows = {0, 15, 5, 5},
           .points = 25},
          {.who = "30,000 EUR + R$ 5,000 -> 5, the reais only",
           .thanks = {"30000 EUR", "5000"},
           .rows = {5, 15, 5, 5},
           .points = 30},
          {.who = "the currency code in lower case is the chapter's: brl 25,000 -> 15",
           .thanks = {"25000 brl"},
           .rows = {15, 15, 5, 5},
           .points = 40},
      });
}

// proportional_goals.json over six calendar months (kNow is 2027-06-01: back to 2026-12-01, 182
// days). Each row: floor(min(value / goal, 1) x weight); attendance goal 1 (100%), weight 25;
// referrals goal 24, weight 25; visitors 6, 15; one-to-ones 12, 15; TYFCB 10,000 in the
// chapter's currency, 10; CEU credits 6, 10. No edges but the goals, which give the full weight.
TEST(TrafficLightRules, ProportionalGoals_TableOfHandComputedMembers) {
  ExpectTable(
      ReadFile("proportional_goals.json"), "BRL",
      {
          {.who = "all present, nothing else: attendance 25", .points = 25},
          {.who = "1 absence: 25/26 x 25 = 24.04", .absences = 1, .points = 24},
          {.who = "13 absences: 13/26 x 25 = 12.5", .absences = 13, .points = 12},
          {.who = "medical is excused: 25/25", .medical = 1, .points = 25},
          {.who = "23 referrals: 23/24 x 25 = 23.96", .referrals = 23, .points = 25 + 23},
          {.who = "24 referrals: the goal, full weight", .referrals = 24, .points = 25 + 25},
          {.who = "48 referrals: capped at the weight", .referrals = 48, .points = 25 + 25},
          {.who = "3 visitors 7.5, 12 one-to-ones 15",
           .visitors = 3,
           .one_to_ones = 12,
           .points = 25 + 7 + 15},
          {.who = "9999.99 TYFCB 9.99, 6 CEUs 10",
           .thanks = {"9999.99"},
           .ceus = 6,
           .points = 25 + 9 + 10},
          {.who = "10000 TYFCB 10, 5 CEUs 8.33",
           .thanks = {"10000"},
           .ceus = 5,
           .points = 25 + 10 + 8},
          {.who = "everything at goal: 100",
           .referrals = 24,
           .visitors = 6,
           .one_to_ones = 12,
           .thanks = {"10000"},
           .ceus = 6,
           .points = 100},
      });
}

TEST(TrafficLightRecords, ALateSlipCountsAtItsOccurredTime) {
  Chapter c(kScoredFromTheStart);
  c.Create();
  c.Join(1, "Sara");
  c.Join(2, "Ugo");
  // Typed three days after "now", for a meeting the day before: counts in the window at kNow.
  c.Add(kNow + 3 * kDay, [&](v1::Event& e) {
    e.mutable_referral_given()->mutable_referral()->set_giver(c.Member(1));
    e.mutable_referral_given()->mutable_referral()->set_receiver(c.Member(2));
    *e.mutable_occurred_time() = At(kNow - kDay);
  });
  // Typed inside the window, but it happened before it: not counted.
  c.Add(kDay0 + 10 * kDay, [&](v1::Event& e) {
    e.mutable_referral_given()->mutable_referral()->set_giver(c.Member(1));
    e.mutable_referral_given()->mutable_referral()->set_receiver(c.Member(2));
    *e.mutable_occurred_time() = At(kDay0 - kDay);
  });
  EXPECT_EQ(Param(RowNamed(c.ScoreOf(1), "Referrals given").params(), "count"), "1");
}

TEST(TrafficLightRecords, ACancelledMeetingIsNoWeekToAttend) {
  Chapter c(kScoredFromTheStart);
  c.Create();
  c.Join(1, "Sara");
  c.Join(2, "Ugo");
  for (int k = 1; k <= 25; ++k) {
    c.Hold(k, {1, 2});
  }
  for (int j = 0; j < 19; ++j) {
    c.Refer(1, 2, kDay0 + kDay + j);
  }
  // 19 referrals in 26 weeks: 0.73 per week, the 5-point step.
  EXPECT_EQ(RowNamed(c.ScoreOf(1), "Referrals given").points(), 5);
  c.Schedule(26);
  c.Attend(26, 1, v1::ATTENDANCE_STATUS_PRESENT);
  EXPECT_EQ(Param(RowNamed(c.ScoreOf(1), "Absences").params(), "meetings"), "26");
  // A holiday: 19 in 25 weeks is 0.76 per week (10 points), and meeting 26 is in nobody's
  // attendance any more.
  c.Add(MeetingStart(26) + kHour,
        [&](v1::Event& e) { e.mutable_meeting_cancelled()->set_meeting(Meeting(26)); });
  const pv1::MemberScore score = c.ScoreOf(1);
  EXPECT_EQ(RowNamed(score, "Referrals given").points(), 10);
  EXPECT_EQ(Param(RowNamed(score, "Referrals given").params(), "weeks"), "25.000000");
  EXPECT_EQ(Param(RowNamed(score, "Absences").params(), "meetings"), "25");
}

v1::PalmsSummaryImported Summary(const std::string& start, const std::string& end, int present) {
  v1::PalmsSummaryImported s;
  s.set_period_start(start);
  s.set_period_end(end);
  s.set_present(present);
  return s;
}

TEST(TrafficLightImported, SpreadEvenlyOverThePeriodsMeetings) {
  // 2026-12-07..2026-12-27: 21 days, 3 meetings (3 present) at their thirds' middles.
  const int64_t start = 1796601600;  // 2026-12-07 00:00 UTC
  const auto shares = plugin_texts::SpreadOverMeetings(Summary("2026-12-07", "2026-12-27", 3), 7);
  ASSERT_EQ(shares.size(), 3u);
  EXPECT_EQ(shares[0].time, start + 3 * kDay + 12 * kHour);
  EXPECT_EQ(shares[1].time, start + 10 * kDay + 12 * kHour);
  EXPECT_EQ(shares[2].time, start + 17 * kDay + 12 * kHour);
  EXPECT_EQ(shares[0].amount, 3);
  EXPECT_EQ(shares[1].amount, 2);
  EXPECT_EQ(shares[2].amount, 2);
  // No attendance: a meeting a week, rounded up (22 days: 4 meetings); 2 records in the first two.
  EXPECT_EQ(plugin_texts::SpreadOverMeetings(Summary("2026-12-07", "2026-12-28", 0), 4).size(), 4u);
  EXPECT_EQ(plugin_texts::SpreadOverMeetings(Summary("2026-12-07", "2026-12-28", 0), 2).size(), 2u);
  EXPECT_TRUE(plugin_texts::SpreadOverMeetings(Summary("2026-12-28", "2026-12-07", 3), 7).empty());
  EXPECT_TRUE(plugin_texts::SpreadOverMeetings(Summary("2026-02-30", "2026-03-07", 3), 7).empty());
}

TEST(TrafficLightImported, ASummaryCountsLikeRecordedHistoryAndAsTenure) {
  Chapter c(R"({"minimum_meetings": 0, "prorate_by_tenure": true})");
  c.Create();
  // Sara joined two weeks before "now"; her 13 weeks in the other tool are imported.
  c.Join(1, "Sara", kNow - 14 * kDay);
  EXPECT_EQ(Param(RowNamed(c.ScoreOf(1), "Referrals given").params(), "weeks"), "2.000000");
  c.Add(kNow - kDay, [&](v1::Event& e) {
    e.set_imported_from("chapters/rome/imports/1");
    v1::PalmsSummaryImported* s = e.mutable_palms_summary_imported();
    *s = Summary("2026-12-02", "2027-03-02", 12);
    s->set_member(c.Member(1));
    s->set_absent(1);
    s->set_referrals_given_inside(10);
    s->set_referrals_given_outside(3);
    s->set_visitors(2);
    s->set_ceu(3);
    s->mutable_tyfcb()->set_amount("3000.00");
    s->mutable_tyfcb()->set_currency("EUR");
    s->set_source_line(2);
  });
  const pv1::MemberScore score = c.ScoreOf(1);
  // Tenure from 2026-12-02 00:00 to kNow (2027-06-01 07:00): 182 days rounded up, 26 weeks.
  EXPECT_EQ(Param(RowNamed(score, "Referrals given").params(), "weeks"), "26.000000");
  EXPECT_EQ(Param(RowNamed(score, "Referrals given").params(), "count"), "13");
  EXPECT_EQ(RowNamed(score, "Referrals given").points(), 5);  // 0.5 per week
  EXPECT_EQ(Param(RowNamed(score, "Absences").params(), "absences"), "1");
  EXPECT_EQ(Param(RowNamed(score, "Absences").params(), "meetings"), "13");
  EXPECT_EQ(RowNamed(score, "Absences").points(), 10);
  EXPECT_EQ(Param(RowNamed(score, "Visitors").params(), "count"), "2");
  EXPECT_EQ(RowNamed(score, "TYFCB").points(), 10);             // 3,000.00: < 5,000
  EXPECT_EQ(RowNamed(score, "Trainings (CEUs)").points(), 15);  // 3 credits
}

}  // namespace
}  // namespace reciproca::traffic_light
