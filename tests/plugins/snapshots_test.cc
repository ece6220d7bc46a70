// The shipped plugins' snapshots (ABI 1.1), as a property over random histories: a plugin that
// ran live (events, its own outputs coming back as PluginOutputRecorded, ticks), snapshotted at
// a random point and restored into a fresh instance that is then replayed only what follows,
// answers every query (scores, leaderboards, reminders, relationships, with their texts in the
// chapter's language) exactly as a fresh instance replayed the whole log does; and bytes that
// are damaged, of another plugin or of another version are refused. The histories change the
// chapter's language (it, es, en) and add members throughout (tenure: provisional and prorated
// traffic lights).

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "leaderboard.h"
#include "plugin_test_support.h"
#include "reciprocity.h"
#include "traffic_light.h"

namespace reciproca::plugin_testing {
namespace {

constexpr int kHistories = 12;
constexpr int kMembers = 8;

// One step of a history: an event, or a tick at `now`.
struct Step {
  bool tick = false;
  v1::Event event;
  int64_t now = 0;
};

constexpr const char* kLanguages[] = {"it", "es", "en"};

// A random chapter history in time order over up to about two months: created in a random
// language, then members added one at a time among the other events; some records dated back
// (occurred times), cancelled meetings and imported PALMS summaries among them.
class HistoryMaker {
 public:
  explicit HistoryMaker(uint32_t seed) : random_(seed) {}

  v1::Event Next() {
    time_ += Pick(1, 6 * 3600);
    if (!created_) {
      created_ = true;
      return log_.Next(time_, "admin", [&](v1::Event& e) {
        v1::Chapter* chapter = e.mutable_chapter_created()->mutable_chapter();
        chapter->set_name(log_.chapter());
        chapter->set_currency("EUR");
        chapter->set_language(Language());
      });
    }
    const int kind = members_ < 2 ? 0 : Pick(0, 17);
    const std::string a = log_.Member(Pick(1, std::max(members_, 1)));
    std::string b = log_.Member(Pick(1, std::max(members_, 1)));
    if (b == a) {
      b = log_.Member(a == log_.Member(1) ? 2 : 1);
    }
    return log_.Next(time_, a, [&](v1::Event& e) {
      switch (kind) {
        case 0: {
          if (members_ >= kMembers) {
            e.mutable_member_left()->set_member(a);
            break;
          }
          v1::Member* m = e.mutable_member_added()->mutable_member();
          m->set_name(log_.Member(++members_));
          m->set_display_name("Member " + std::to_string(members_));
          m->set_state(v1::MEMBER_STATE_ACTIVE);
          break;
        }
        case 2: {
          const std::string meeting = "chapters/rome/meetings/" + std::to_string(++meetings_);
          if (Pick(0, 1)) {
            e.mutable_meeting_scheduled()->set_meeting(meeting);
            *e.mutable_meeting_scheduled()->mutable_start_time() = At(time_ + 1800);
          } else {
            e.mutable_meeting_opened()->set_meeting(meeting);
          }
          break;
        }
        case 3:
          e.mutable_attendance_recorded()->set_meeting(Meeting());
          e.mutable_attendance_recorded()->mutable_attendance()->set_member(a);
          e.mutable_attendance_recorded()->mutable_attendance()->set_status(
              static_cast<v1::AttendanceStatus>(Pick(1, 5)));
          break;
        case 4:
          e.mutable_meeting_closed()->set_meeting(Meeting());
          e.mutable_meeting_closed()->add_absent_members(b);
          break;
        case 5:
        case 6: {
          v1::Referral* r = e.mutable_referral_given()->mutable_referral();
          r->set_name("chapters/rome/referrals/" + std::to_string(referrals_.size() + 1));
          r->set_giver(a);
          r->set_receiver(b);
          r->set_contact_name("Contact " + std::to_string(referrals_.size()));
          r->set_temperature(Pick(1, 5));
          r->set_status(v1::REFERRAL_STATUS_GIVEN);
          *r->mutable_create_time() = At(time_);
          referrals_.push_back(r->name());
          break;
        }
        case 7:
          if (referrals_.empty()) {
            e.mutable_education_recorded()->mutable_education()->set_member(a);
            e.mutable_education_recorded()->mutable_education()->set_credits(1);
            break;
          }
          e.mutable_referral_status_changed()->set_referral(Referral());
          e.mutable_referral_status_changed()->set_from_status(v1::REFERRAL_STATUS_GIVEN);
          e.mutable_referral_status_changed()->set_to_status(
              static_cast<v1::ReferralStatus>(Pick(2, 6)));
          break;
        case 8: {
          v1::ThankYou* t = e.mutable_thank_you_recorded()->mutable_thank_you();
          t->set_name("chapters/rome/thankYous/" + std::to_string(time_));
          t->set_from_member(a);
          t->set_to_member(b);
          t->mutable_amount()->set_amount(std::to_string(Pick(10, 5000)));
          t->mutable_amount()->set_currency(Pick(0, 5) ? "EUR" : "USD");
          if (!referrals_.empty() && Pick(0, 1)) {
            t->set_referral(Referral());
          }
          *t->mutable_create_time() = At(time_);
          break;
        }
        case 9:
        case 10: {
          v1::OneToOne* o = e.mutable_one_to_one_recorded()->mutable_one_to_one();
          o->set_name("chapters/rome/oneToOnes/" + std::to_string(time_));
          o->set_member(a);
          o->set_with_member(b);
          o->set_date("2026-12-0" + std::to_string(Pick(1, 9)));
          *o->mutable_create_time() = At(time_);
          break;
        }
        case 11:
          e.mutable_education_recorded()->mutable_education()->set_member(a);
          e.mutable_education_recorded()->mutable_education()->set_credits(Pick(1, 3));
          break;
        case 12:
          e.mutable_testimonial_recorded()->mutable_testimonial()->set_from_member(a);
          e.mutable_testimonial_recorded()->mutable_testimonial()->set_for_member(b);
          break;
        case 1:
        case 13:
          e.mutable_visitor_registered()->set_meeting(Meeting());
          e.mutable_visitor_registered()->mutable_visitor()->set_invited_by(a);
          e.mutable_visitor_registered()->mutable_visitor()->set_display_name("Visitor");
          break;
        case 16:
          e.mutable_meeting_cancelled()->set_meeting(Meeting());
          break;
        case 17: {
          e.set_imported_from("chapters/rome/imports/" + std::to_string(time_));
          v1::PalmsSummaryImported* s = e.mutable_palms_summary_imported();
          s->set_member(a);
          s->set_period_start("2026-11-0" + std::to_string(Pick(1, 4)));
          s->set_period_end("2026-11-2" + std::to_string(Pick(0, 9)));
          s->set_present(Pick(0, 4));
          s->set_absent(Pick(0, 1));
          s->set_late(Pick(0, 1));
          s->set_referrals_given_inside(Pick(0, 6));
          s->set_referrals_given_outside(Pick(0, 2));
          s->set_visitors(Pick(0, 2));
          s->set_one_to_ones(Pick(0, 3));
          s->set_ceu(Pick(0, 2));
          s->set_testimonials(Pick(0, 1));
          s->mutable_tyfcb()->set_amount(std::to_string(Pick(0, 3000)));
          s->mutable_tyfcb()->set_currency("EUR");
          s->set_source_line(Pick(2, 40));
          break;
        }
        case 15: {
          v1::Chapter* chapter = e.mutable_chapter_updated()->mutable_chapter();
          chapter->set_name(log_.chapter());
          chapter->set_currency("EUR");
          chapter->set_language(Language());
          e.mutable_chapter_updated()->add_changed_fields("language");
          break;
        }
        default: {
          v1::Member* m = e.mutable_member_updated()->mutable_member();
          m->set_name(a);
          m->set_display_name("Renamed " + std::to_string(time_));
          m->set_state(v1::MEMBER_STATE_ACTIVE);
          break;
        }
      }
      // A record typed late: it happened up to two weeks before it was recorded.
      const bool record = (kind >= 5 && kind <= 13 && kind != 7) || kind == 1;
      if (record && Pick(0, 2) == 0) {
        *e.mutable_occurred_time() = At(time_ - Pick(0, 14 * 86400));
      }
    });
  }

  // The plugin's output, recorded by the host as the chapter's next event.
  v1::Event Recorded(const std::string& plugin, const pv1::Output& output) {
    return log_.Next(time_, "plugin:" + plugin, [&](v1::Event& e) {
      e.mutable_plugin_output()->set_plugin(plugin);
      *e.mutable_plugin_output()->mutable_output() = output;
    });
  }

  int Pick(int from, int to) { return std::uniform_int_distribution<int>(from, to)(random_); }
  int64_t time() const { return time_; }
  int members() const { return members_; }
  std::string Member(int id) const { return log_.Member(id); }

 private:
  std::string Meeting() {
    return "chapters/rome/meetings/" + std::to_string(std::max(1, meetings_));
  }
  std::string Language() { return kLanguages[Pick(0, 2)]; }
  std::string Referral() {
    return referrals_[static_cast<size_t>(Pick(0, static_cast<int>(referrals_.size()) - 1))];
  }

  std::mt19937 random_;
  EventLog log_;
  int64_t time_ = kDay0;
  bool created_ = false;
  int members_ = 0;
  int meetings_ = 0;
  std::vector<std::string> referrals_;
};

pv1::PluginConfig ConfigOf(const std::string& name, const std::string& json) {
  pv1::PluginConfig config;
  config.set_plugin_name(name);
  config.set_json(json);
  return config;
}

// An instance of P with the host it emits into.
template <class P>
struct Instance {
  explicit Instance(const std::string& name, const std::string& json = "{}")
      : host(std::make_unique<RecordingHost>()),
        plugin(std::make_unique<P>(host->host(), ConfigOf(name, json))) {}
  void Replay(const std::vector<Step>& steps, size_t from) {
    for (size_t i = from; i < steps.size(); ++i) {
      if (!steps[i].tick) {
        plugin->OnEvent(steps[i].event);
      }
    }
  }
  std::unique_ptr<RecordingHost> host;
  std::unique_ptr<P> plugin;
};

// Every query the plugin answers, as bytes.
template <class P>
std::string AllAnswers(P& plugin, const HistoryMaker& history, int64_t now);

pv1::Query QueryAt(int64_t now) {
  pv1::Query query;
  query.set_chapter("chapters/rome");
  *query.mutable_now() = At(now);
  return query;
}

template <>
std::string AllAnswers(traffic_light::TrafficLight& plugin, const HistoryMaker&, int64_t now) {
  std::string out;
  for (const auto& window : plugin.config().windows) {
    pv1::Query query = QueryAt(now);
    query.mutable_scores()->set_window(window.name);
    out += plugin.Query(query).SerializeAsString();
  }
  return out;
}

template <>
std::string AllAnswers(leaderboard::Leaderboard& plugin, const HistoryMaker&, int64_t now) {
  std::string out;
  for (const auto board : leaderboard::kBoardNames) {
    for (const auto window : leaderboard::kWindowNames) {
      pv1::Query query = QueryAt(now);
      query.mutable_leaderboard()->set_board(std::string(board));
      query.mutable_leaderboard()->set_window(std::string(window));
      out += plugin.Query(query).SerializeAsString();
    }
  }
  return out;
}

template <>
std::string AllAnswers(reciprocity::Reciprocity& plugin, const HistoryMaker& history, int64_t now) {
  pv1::Query all = QueryAt(now);
  all.mutable_reminders();
  std::string out = plugin.Query(all).SerializeAsString();
  for (int id = 1; id <= history.members(); ++id) {
    pv1::Query reminders = QueryAt(now);
    reminders.mutable_reminders()->set_member(history.Member(id));
    out += plugin.Query(reminders).SerializeAsString();
    pv1::Query relationships = QueryAt(now);
    relationships.mutable_relationships()->set_member(history.Member(id));
    out += plugin.Query(relationships).SerializeAsString();
  }
  return out;
}

// One random history run live into P (configured with `json`), with a snapshot at a random step;
// then a restart from it against a full replay.
template <class P>
void CheckRandomHistory(const std::string& name, uint32_t seed, const std::string& json = "{}") {
  SCOPED_TRACE(name + " " + json + " seed " + std::to_string(seed));
  HistoryMaker history(seed);
  Instance<P> live(name, json);
  std::vector<Step> steps;
  const size_t length = static_cast<size_t>(history.Pick(150, 400));
  const size_t snapshot_at = static_cast<size_t>(history.Pick(1, static_cast<int>(length)));
  std::string snapshot;
  size_t covered = 0;  // the steps the snapshot covers
  // What the live instance emitted comes back as events, as the host records them.
  auto feed_back = [&] {
    std::vector<pv1::Output> outputs;
    outputs.swap(live.host->outputs);
    for (const auto& output : outputs) {
      steps.push_back({false, history.Recorded(name, output), history.time()});
      live.plugin->OnEvent(steps.back().event);
    }
  };
  while (steps.size() < length) {
    if (history.Pick(0, 9) == 0) {
      steps.push_back({true, {}, history.time() + history.Pick(0, 3) * kDay});
      pv1::Tick tick;
      *tick.mutable_now() = At(steps.back().now);
      live.plugin->OnTick(tick);
    } else {
      steps.push_back({false, history.Next(), history.time()});
      live.plugin->OnEvent(steps.back().event);
    }
    feed_back();
    if (snapshot.empty() && steps.size() >= snapshot_at) {
      snapshot = live.plugin->SaveState();
      covered = steps.size();
    }
  }
  ASSERT_FALSE(snapshot.empty());
  const int64_t now = history.time() + kDay;
  pv1::Tick last;
  *last.mutable_now() = At(now);

  // A restart from the snapshot: restored, then only what follows, then the first tick.
  Instance<P> resumed(name, json);
  resumed.plugin->RestoreState(snapshot);
  resumed.Replay(steps, covered);
  resumed.plugin->OnTick(last);
  // A restart without one: the whole log, then the first tick.
  Instance<P> replayed(name, json);
  replayed.Replay(steps, 0);
  replayed.plugin->OnTick(last);

  EXPECT_EQ(AllAnswers(*replayed.plugin, history, now), AllAnswers(*resumed.plugin, history, now));
  // The same new outputs (what either emits again of the log's is dropped by the host as
  // recorded already).
  std::set<std::string> recorded;
  for (const Step& step : steps) {
    if (!step.tick && step.event.has_plugin_output()) {
      recorded.insert(step.event.plugin_output().output().key());
    }
  }
  const auto fresh_keys = [&recorded](const RecordingHost& host) {
    std::set<std::string> keys;
    for (const auto& output : host.outputs) {
      if (!recorded.count(output.key())) {
        keys.insert(output.key());
      }
    }
    return keys;
  };
  EXPECT_EQ(fresh_keys(*replayed.host), fresh_keys(*resumed.host));
  // Bytes that are not this plugin's state of this version are refused, never half-taken.
  Instance<P> fresh(name, json);
  std::string damaged = snapshot;
  damaged.resize(damaged.size() / 2);
  EXPECT_THROW(fresh.plugin->RestoreState(damaged), std::invalid_argument);
  std::string other_version = snapshot;
  other_version[sizeof(uint64_t) + name.size()] ^= 0x7f;  // the version after the tag
  EXPECT_THROW(Instance<P>(name, json).plugin->RestoreState(other_version), std::invalid_argument);
  EXPECT_THROW(Instance<P>(name, json).plugin->RestoreState("not a snapshot"),
               std::invalid_argument);
}

TEST(ShippedPluginSnapshotsTest, TrafficLightRestoredAnswersAsAFullReplay) {
  for (uint32_t seed = 1; seed <= kHistories; ++seed) {
    CheckRandomHistory<traffic_light::TrafficLight>("traffic_light", seed);
  }
}

// New members: provisional until their minimum of meetings, rates divided by their tenure, and
// both, announced in both windows (a member's tenure passes the 30-day window in long histories).
TEST(ShippedPluginSnapshotsTest, TrafficLightWithTenureRulesRestoredAnswersAsAFullReplay) {
  for (
      const char* json : {
          R"({"minimum_meetings": 0, "prorate_by_tenure": true})",
          R"({"minimum_meetings": 2, "prorate_by_tenure": true, "announce_windows": ["6m", "30d"]})",
          R"({"minimum_meetings": 3, "prorate_by_tenure": false, "announce_windows": ["30d"]})",
      }) {
    for (uint32_t seed = 1; seed <= kHistories; ++seed) {
      CheckRandomHistory<traffic_light::TrafficLight>("traffic_light", 100 + seed, json);
    }
  }
}

TEST(ShippedPluginSnapshotsTest, LeaderboardRestoredAnswersAsAFullReplay) {
  for (uint32_t seed = 1; seed <= kHistories; ++seed) {
    CheckRandomHistory<leaderboard::Leaderboard>("leaderboard", seed);
  }
}

TEST(ShippedPluginSnapshotsTest, ReciprocityRestoredAnswersAsAFullReplay) {
  for (uint32_t seed = 1; seed <= kHistories; ++seed) {
    CheckRandomHistory<reciprocity::Reciprocity>("reciprocity", seed);
  }
}

TEST(ShippedPluginSnapshotsTest, AStateOfAnotherPluginIsRefused) {
  Instance<leaderboard::Leaderboard> board("leaderboard");
  Instance<reciprocity::Reciprocity> reciprocity("reciprocity");
  EXPECT_THROW(reciprocity.plugin->RestoreState(board.plugin->SaveState()), std::invalid_argument);
}

}  // namespace
}  // namespace reciproca::plugin_testing
