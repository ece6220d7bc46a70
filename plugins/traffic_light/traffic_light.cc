// The traffic_light plugin: events in, scores and band changes out.

#include "traffic_light.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "score_card.h"
#include "texts.h"

namespace reciproca::traffic_light {
namespace {

constexpr size_t kMaxKeyLength = 200;

// A stable 64-bit hash (FNV-1a), for keys that would be too long to record verbatim.
std::string Fnv1a(const std::string& text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

}  // namespace

TrafficLight::Rules TrafficLight::MakeRules(Config config) {
  Rules rules;
  for (const std::string& name : config.announce_windows) {
    rules.announce_windows.push_back(*config.FindWindow(name));
  }
  rules.config = std::move(config);
  return rules;
}

TrafficLight::TrafficLight(sdk::Host host, const plugin::v1::PluginConfig& config)
    : host_(host),
      plugin_name_(config.plugin_name().empty() ? kPluginName : config.plugin_name()),
      config_(ParseConfig(config.json())),
      texts_(CatalogFiles()),
      rules_(MakeRules(config_)) {
  std::string announced;
  for (const Window& window : rules_.announce_windows) {
    announced += (announced.empty() ? "" : ", ") + window.name;
  }
  host_.Log(RECIPROCA_LOG_INFO, plugin_name_ + ": " + std::to_string(config_.rows.size()) +
                                    " rows, " + std::to_string(config_.max_points) +
                                    " points; windows " + config_.WindowNames() + " (default " +
                                    config_.default_window + "); band changes announced for " +
                                    announced);
  // Each chapter's own rules (EnablePlugin's config_json), over the load-time config. A refused
  // one leaves that chapter on the load-time rules, said in the log: one chapter's organizer
  // must not stop the plugin for every other chapter.
  for (const auto& [chapter, json] : config.chapter_json()) {
    if (json.empty() || json == "{}") {
      continue;
    }
    try {
      nlohmann::json merged = nlohmann::json::parse(config.json().empty() ? "{}" : config.json());
      merged.merge_patch(nlohmann::json::parse(json));
      chapter_rules_.emplace(chapter, MakeRules(ParseConfig(merged.dump())));
    } catch (const std::exception& e) {
      host_.Log(RECIPROCA_LOG_ERROR, plugin_name_ + ": the configuration enabled for " + chapter +
                                         " is refused (" + e.what() +
                                         "); it is scored by the load-time rules");
    }
  }
}

const TrafficLight::Rules& TrafficLight::RulesFor(const std::string& chapter) const {
  const auto it = chapter_rules_.find(chapter);
  return it == chapter_rules_.end() ? rules_ : it->second;
}

void TrafficLight::OnEvent(const v1::Event& event) {
  Chapter& chapter = chapters_[event.chapter()];
  if (event.has_plugin_output()) {
    RecordAnnouncement(chapter, event);
  }
  const std::vector<std::string> concerned = chapter.record.Apply(event);
  for (const std::string& name : concerned) {
    const MemberRecord* member = chapter.record.Find(name);
    if (member == nullptr || !member->added || !member->active) {
      continue;
    }
    for (const Window& window : RulesFor(event.chapter()).announce_windows) {
      AnnounceIfChanged(event.chapter(), chapter, *member, window, event.time().seconds());
    }
  }
}

void TrafficLight::OnTick(const plugin::v1::Tick& tick) {
  for (auto& [name, chapter] : chapters_) {
    // Never score a chapter earlier than its latest event: a clock behind the log moves nothing.
    const int64_t now = std::max(tick.now().seconds(), chapter.record.last_event_time());
    for (const auto& [member_name, member] : chapter.record.members()) {
      if (!member.added || !member.active) {
        continue;
      }
      for (const Window& window : RulesFor(name).announce_windows) {
        AnnounceIfChanged(name, chapter, member, window, now);
      }
    }
  }
}

void TrafficLight::RecordAnnouncement(Chapter& chapter, const v1::Event& event) {
  const v1::PluginOutputRecorded& recorded = event.plugin_output();
  if (recorded.plugin() != plugin_name_ || !recorded.output().has_score_change()) {
    return;
  }
  const plugin::v1::ScoreChange& change = recorded.output().score_change();
  Announced& announced = chapter.announced[{change.member(), change.window()}];
  announced.recorded_band = change.band();
  announced.recorded_seq = event.seq();
  // Outputs are recorded in the order they were emitted: this one and those before it are done.
  auto it =
      std::find_if(announced.pending.begin(), announced.pending.end(),
                   [&](const Announced::Pending& p) { return p.key == recorded.output().key(); });
  if (it != announced.pending.end()) {
    announced.pending.erase(announced.pending.begin(), it + 1);
  }
}

void TrafficLight::AnnounceIfChanged(const std::string& chapter_name, Chapter& chapter,
                                     const MemberRecord& member, const Window& window,
                                     int64_t now) {
  const plugin::v1::MemberScore score =
      Score(RulesFor(chapter_name).config, nullptr, chapter.record, member, window, now);
  Announced& announced = chapter.announced[{member.name, window.name}];
  if (score.band() == announced.Band()) {
    return;
  }
  std::string key = "band:" + member.name + ":" + window.name + ":" + score.band() +
                    ":after:" + std::to_string(announced.recorded_seq);
  if (!announced.pending.empty()) {
    key += "+" + std::to_string(announced.pending.size());
  }
  if (key.size() > kMaxKeyLength) {
    key = "band:" + Fnv1a(key);
  }

  plugin::v1::Output output;
  output.set_chapter(chapter_name);
  output.set_key(key);
  plugin::v1::ScoreChange* change = output.mutable_score_change();
  change->set_member(member.name);
  change->set_window(window.name);
  change->set_points(score.points());
  change->set_max_points(score.max_points());
  change->set_band(score.band());
  change->set_previous_band(announced.Band());
  announced.pending.push_back({key, score.band()});
  host_.Emit(output);
}

plugin::v1::QueryAnswer TrafficLight::Query(const plugin::v1::Query& query) {
  if (!query.has_scores()) {
    throw std::invalid_argument(plugin_name_ + " answers scores queries only");
  }
  const plugin::v1::ScoresQuery& asked = query.scores();
  const Config& rules = RulesFor(query.chapter()).config;
  const Window* window = rules.FindWindow(asked.window());
  if (window == nullptr) {
    throw std::invalid_argument(plugin_name_ + ": unknown window \"" + asked.window() +
                                "\" (known: " + rules.WindowNames() + ")");
  }
  plugin::v1::QueryAnswer answer;
  plugin::v1::Scores* scores = answer.mutable_scores();
  scores->set_window(window->name);

  auto chapter = chapters_.find(query.chapter());
  const MemberRecord* only = nullptr;
  if (!asked.member().empty()) {
    only = chapter == chapters_.end() ? nullptr : chapter->second.record.Find(asked.member());
    if (only == nullptr || !only->added) {
      throw std::invalid_argument(plugin_name_ + ": unknown member \"" + asked.member() +
                                  "\" in \"" + query.chapter() + "\"");
    }
  }
  if (chapter == chapters_.end()) {
    return answer;  // a chapter with no events yet: nobody to score
  }
  const ChapterRecord& record = chapter->second.record;
  const int64_t now = query.has_now() ? query.now().seconds() : record.last_event_time();
  if (only != nullptr) {
    *scores->add_scores() = Score(rules, &texts_, record, *only, *window, now);
    return answer;
  }
  for (const auto& [name, member] : record.members()) {
    if (member.added && member.active) {
      *scores->add_scores() = Score(rules, &texts_, record, member, *window, now);
    }
  }
  std::sort(scores->mutable_scores()->begin(), scores->mutable_scores()->end(),
            [](const plugin::v1::MemberScore& a, const plugin::v1::MemberScore& b) {
              if (a.points() != b.points()) {
                return a.points() > b.points();
              }
              if (a.display_name() != b.display_name()) {
                return a.display_name() < b.display_name();
              }
              return a.member() < b.member();
            });
  return answer;
}

}  // namespace reciproca::traffic_light
