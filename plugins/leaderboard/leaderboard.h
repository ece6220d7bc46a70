#pragma once

// The leaderboard plugin: four boards (referrals given, TYFCB generated for others, one-to-ones,
// visitors) over four windows (the latest meeting, 30 days, 6 months, all time), ranked with
// deterministic ties. See README.md for the exact rules.

#include <map>
#include <string>
#include <string_view>

#include <reciproca/plugin.hpp>

#include "chapter_boards.h"
#include "texts/catalogs.h"

namespace reciproca::leaderboard {

class Leaderboard : public reciproca::sdk::Plugin {
 public:
  // Throws std::invalid_argument when config.json is not a JSON object without keys (the plugin
  // has no settings; an unknown key is most likely meant for another plugin).
  Leaderboard(reciproca::sdk::Host host, const reciproca::plugin::v1::PluginConfig& config);

  void OnEvent(const reciproca::v1::Event& event) override;

  // Answers a LeaderboardQuery; throws std::invalid_argument for an unknown board or window, a
  // negative limit, or another kind of query.
  reciproca::plugin::v1::QueryAnswer Query(const reciproca::plugin::v1::Query& query) override;

  // The snapshot (ABI 1.1): every chapter's boards (snapshot.cc).
  std::string SaveState() const;
  // Throws std::invalid_argument for bytes of another plugin, version or damaged.
  void RestoreState(std::string_view state);

 private:
  reciproca::sdk::Host host_;
  // The value texts (texts/<language>.json).
  plugin_texts::Catalogs texts_;
  // By chapter name ("chapters/rome"): one instance serves every chapter of the server.
  std::map<std::string, ChapterBoards> chapters_;
};

}  // namespace reciproca::leaderboard
