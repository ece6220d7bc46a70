#pragma once

// The traffic_light plugin: per-member scores over rolling windows (rows, points, band) answered
// to "scores" queries, with the *why* in the chapter's language, and a ScoreChange output
// whenever a member's band changes.
//
// Band changes, and why replaying the log never repeats them: after each event (with the
// event's time as "now") the members the event names are scored in each announce window; on
// each tick every active member is. A band that differs from the last band announced for the
// member and window is emitted with the key
//     band:{member}:{window}:{band}:after:{seq}[+{n}]
// where seq is the seq of the last *recorded* announcement (0 for none) and n counts the
// announcements emitted since and not yet seen back. The plugin receives its recorded outputs as
// PluginOutputRecorded events (plugin == its configured name) and takes them as announced, so a
// fresh instance replayed the same log rebuilds the same state and emits the same keys, which
// the host drops as already recorded.

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <reciproca/plugin.hpp>

#include "chapter_record.h"
#include "config.h"
#include "texts/catalogs.h"

namespace reciproca::traffic_light {

inline constexpr const char* kPluginName = "traffic_light";
inline constexpr const char* kPluginVersion = "1.0.0";
inline constexpr uint64_t kCapabilities = RECIPROCA_CAP_SCORES | RECIPROCA_CAP_TICKS;

class TrafficLight final : public sdk::Plugin {
 public:
  // Throws std::invalid_argument when config.json() is not a valid configuration.
  TrafficLight(sdk::Host host, const plugin::v1::PluginConfig& config);

  void OnEvent(const v1::Event& event) override;
  // Answers ScoresQuery; throws std::invalid_argument for another kind of query, an unknown
  // window or an unknown member.
  plugin::v1::QueryAnswer Query(const plugin::v1::Query& query) override;
  // Windows slide with time: re-scores every active member at tick.now.
  void OnTick(const plugin::v1::Tick& tick) override;

  // The snapshot (ABI 1.1): every chapter's records and announcements (snapshot.cc).
  std::string SaveState() const;
  // Throws std::invalid_argument for bytes of another plugin, version or damaged.
  void RestoreState(std::string_view state);

  const Config& config() const { return config_; }
  const plugin_texts::Catalogs& texts() const { return texts_; }

 private:
  // The bands announced for one (member, window).
  struct Announced {
    std::string recorded_band;  // of the last recorded announcement, "" for none
    int64_t recorded_seq = 0;
    struct Pending {
      std::string key;
      std::string band;
    };
    // Emitted, not yet seen back as recorded, oldest first.
    std::deque<Pending> pending;

    const std::string& Band() const {
      return pending.empty() ? recorded_band : pending.back().band;
    }
  };

  struct Chapter {
    ChapterRecord record;
    // (member, window) -> bands announced.
    std::map<std::pair<std::string, std::string>, Announced> announced;
  };

  void RecordAnnouncement(Chapter& chapter, const v1::Event& event);
  void AnnounceIfChanged(const std::string& chapter_name, Chapter& chapter,
                         const MemberRecord& member, const Window& window, int64_t now);

  // A configuration and the windows whose band changes it announces.
  struct Rules {
    Config config;
    std::vector<Window> announce_windows;
  };
  static Rules MakeRules(Config config);
  // The rules `chapter` is scored by: its EnablePlugin config_json merged over the load-time
  // config, or the load-time config when it has none (or a refused one, logged at create()).
  const Rules& RulesFor(const std::string& chapter) const;

  sdk::Host host_;
  std::string plugin_name_;
  Config config_;
  plugin_texts::Catalogs texts_;
  Rules rules_;
  std::map<std::string, Rules> chapter_rules_;
  std::map<std::string, Chapter> chapters_;
};

}  // namespace reciproca::traffic_light
