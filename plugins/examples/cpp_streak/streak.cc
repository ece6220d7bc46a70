// cpp_streak: a "referral streak" scoring rule, a complete Reciproca plugin in one file.
//
// Per member, the streak is the number of consecutive meetings, up to the latest one closed, in
// which they gave at least one referral. A referral counts for the next meeting to close after
// it is given. Bands: "green" at `green_at` meetings or more (config, default 3), "amber" from
// 1, else "grey".
//
// - Answers ScoresQuery (InsightService.GetScores) with the streak as points, the band, and the
//   "why" as rows.
// - Emits a ScoreChange output when a member's band changes at a meeting's close, with the key
//   "streak:{member}:{meeting}": deterministic (a replay computes the same keys, which the host
//   drops as already recorded) and new for each new situation.
// - Reads its own recorded outputs back (PluginOutputRecorded events with its name) to know
//   what it already announced, and shows it in the answer.
//
// Configuration: {"green_at": 3}.

#include <reciproca/plugin.hpp>

#include <cctype>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace {

namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

// The integer value of "key" in a flat JSON object, or `fallback` when the key is absent. Enough
// for a flat config of numbers; a real plugin with richer config would use a JSON library
// (nlohmann_json, as the shipped plugins do).
int IntSetting(const std::string& json, const std::string& key, int fallback) {
  const auto at = json.find('"' + key + '"');
  if (at == std::string::npos) {
    return fallback;
  }
  auto pos = json.find(':', at);
  if (pos == std::string::npos) {
    throw std::invalid_argument("config: \"" + key + "\" has no value");
  }
  ++pos;
  while (pos < json.size() && std::isspace(static_cast<unsigned char>(json[pos]))) {
    ++pos;
  }
  size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(json.substr(pos), &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0) {
    throw std::invalid_argument("config: \"" + key + "\" must be an integer");
  }
  return value;
}

std::string Band(int streak, int green_at) {
  if (streak >= green_at) {
    return "green";
  }
  return streak >= 1 ? "amber" : "grey";
}

class Streak : public reciproca::sdk::Plugin {
 public:
  // Throwing here makes the load fail with the message (the host logs it).
  Streak(reciproca::sdk::Host host, const pv1::PluginConfig& config)
      : host_(host),
        name_(config.plugin_name()),
        green_at_(IntSetting(config.json(), "green_at", 3)) {
    if (green_at_ < 1) {
      throw std::invalid_argument("config: \"green_at\" must be at least 1");
    }
    host_.Log(RECIPROCA_LOG_INFO,
              "cpp_streak loaded as " + name_ + ", green at " + std::to_string(green_at_));
  }

  // Every committed event of every chapter, in order; a restart replays them all first, so this
  // state is rebuilt identically. Throwing marks the plugin FAILED.
  void OnEvent(const v1::Event& event) override {
    Chapter& chapter = chapters_[event.chapter()];
    switch (event.payload_case()) {
      case v1::Event::kMemberAdded: {
        const auto& member = event.member_added().member();
        chapter.members[member.name()].display_name = member.display_name();
        break;
      }
      case v1::Event::kMemberUpdated: {
        const auto& member = event.member_updated().member();
        chapter.members[member.name()].display_name = member.display_name();
        break;
      }
      case v1::Event::kMemberLeft:
        chapter.members[event.member_left().member()].active = false;
        break;
      case v1::Event::kReferralGiven:
        chapter.gave_since_close.insert(event.referral_given().referral().giver());
        break;
      case v1::Event::kMeetingClosed:
        CloseMeeting(event.chapter(), chapter, event.meeting_closed().meeting());
        break;
      case v1::Event::kPluginOutput: {
        // Our own outputs, now recorded in the log (also on replay): what was announced.
        const auto& recorded = event.plugin_output();
        if (recorded.plugin() == name_ && recorded.output().has_score_change()) {
          const auto& change = recorded.output().score_change();
          chapter.members[change.member()].announced_band = change.band();
        }
        break;
      }
      default:
        break;  // Everything else is not about streaks.
    }
  }

  pv1::QueryAnswer Query(const pv1::Query& query) override {
    if (!query.has_scores()) {
      // The host sends only what the capabilities promise; be explicit anyway.
      throw std::invalid_argument("cpp_streak answers scores queries only");
    }
    const std::string& window = query.scores().window();
    if (!window.empty() && window != "all") {
      throw std::invalid_argument("cpp_streak has one window, \"all\" (asked for \"" + window +
                                  "\")");
    }
    pv1::QueryAnswer answer;
    auto* scores = answer.mutable_scores();
    scores->set_window("all");
    const auto chapter = chapters_.find(query.chapter());
    if (chapter == chapters_.end()) {
      return answer;  // No events yet: no scores.
    }
    for (const auto& [name, member] : chapter->second.members) {
      if (!member.active || (!query.scores().member().empty() && query.scores().member() != name)) {
        continue;
      }
      auto* score = scores->add_scores();
      score->set_member(name);
      score->set_display_name(member.display_name);
      score->set_points(member.streak);
      score->set_max_points(green_at_);
      score->set_band(Band(member.streak, green_at_));
      auto* row = score->add_rows();
      row->set_name("Referral streak");
      row->set_measured(member.streak == 0 ? "no referral at the latest meeting"
                                           : "gave referrals at the last " +
                                                 std::to_string(member.streak) + " meeting(s)");
      row->set_points(member.streak);
      row->set_max_points(green_at_);
      if (!member.announced_band.empty()) {
        auto* announced = score->add_rows();
        announced->set_name("Last announced band");
        announced->set_measured(member.announced_band);
      }
    }
    return answer;
  }

 private:
  struct Member {
    std::string display_name;
    bool active = true;
    int streak = 0;
    std::string announced_band;
  };
  struct Chapter {
    std::map<std::string, Member> members;  // By resource name: answers in a stable order.
    std::set<std::string> gave_since_close;
  };

  void CloseMeeting(const std::string& chapter_name, Chapter& chapter, const std::string& meeting) {
    for (auto& [name, member] : chapter.members) {
      if (!member.active) {
        continue;
      }
      const std::string before = Band(member.streak, green_at_);
      member.streak = chapter.gave_since_close.count(name) ? member.streak + 1 : 0;
      const std::string after = Band(member.streak, green_at_);
      if (after != before) {
        pv1::Output output;
        output.set_chapter(chapter_name);
        output.set_key("streak:" + name + ":" + meeting);
        auto* change = output.mutable_score_change();
        change->set_member(name);
        change->set_window("all");
        change->set_points(member.streak);
        change->set_max_points(green_at_);
        change->set_band(after);
        change->set_previous_band(before);
        host_.Emit(output);
      }
    }
    chapter.gave_since_close.clear();
  }

  reciproca::sdk::Host host_;
  std::string name_;
  int green_at_;
  std::map<std::string, Chapter> chapters_;
};

}  // namespace

RECIPROCA_PLUGIN(Streak, "cpp_streak", "1.0.0", RECIPROCA_CAP_SCORES)
