#pragma once

// One chapter's boards, kept up to date event by event: per board and member, a TimeSeries of
// contributions (1 per referral, one-to-one or visitor; cents per thank-you). Ranking a board
// over a window is one range sum per member (two binary searches), never a rescan of the log.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "reciproca/plugin/v1/plugin.pb.h"
#include "reciproca/roster.hpp"
#include "reciproca/v1/events.pb.h"
#include "texts/catalogs.h"
#include "time_series.h"

namespace reciproca::leaderboard {

enum class Board { kReferralsGiven, kTyfcbGenerated, kOneToOnes, kVisitors };
enum class Window { kMeeting, kThirtyDays, kSixMonths, kAll };

inline constexpr std::array<std::string_view, 4> kBoardNames = {
    "referrals_given", "tyfcb_generated", "one_to_ones", "visitors"};
inline constexpr std::array<std::string_view, 4> kWindowNames = {"meeting", "30d", "6m", "all"};

inline constexpr int64_t kNanosPerDay = int64_t{86400} * 1000000000;
// "6m" is 26 weeks.
inline constexpr int64_t kSixMonthsDays = 182;

// The names above, parsed; nullopt when unknown.
std::optional<Board> BoardNamed(std::string_view name);
std::optional<Window> WindowNamed(std::string_view name);

// Nanoseconds since the epoch.
int64_t Nanos(const google::protobuf::Timestamp& t);

class ChapterBoards {
 public:
  // Takes one committed event of the chapter into account. Returns a warning for the log when
  // the event carried something the boards cannot count (a malformed amount).
  std::optional<std::string> Apply(const reciproca::v1::Event& event);

  // The active members with a non-zero value on `board` over `window` ending at `now` (ns), best
  // first: value descending, then display name, then member name; equal values share a rank
  // (1, 2, 2, 4). `limit` > 0 keeps the first `limit` entries. Value texts are in the chapter's
  // language ("€1,250.00", "1.250,00 €"), from `texts`.
  reciproca::plugin::v1::Leaderboard Rank(const plugin_texts::Catalogs& texts, Board board,
                                          Window window, int64_t now, int limit) const;

  // The snapshot's encoding (snapshot.cc).
  void Save(reciproca::sdk::StateWriter& out) const;
  void Load(reciproca::sdk::StateReader& in);

 private:
  struct Meeting {
    std::string name;
    int64_t open = 0;
    std::optional<int64_t> close;
  };

  void Count(Board board, const std::string& member, int64_t time, int64_t value);
  // Sets the entry's value_text, kind and params.
  void SetValueText(const plugin_texts::Catalogs& texts, const std::string& language, Board board,
                    reciproca::plugin::v1::LeaderboardEntry* entry) const;

  std::string currency_ = "EUR";
  // The chapter's language (BCP 47, from ChapterCreated and ChapterUpdated).
  std::string language_ = "en";
  reciproca::sdk::Roster roster_;
  std::array<std::unordered_map<std::string, TimeSeries>, 4> boards_;
  // The meeting opened last; "meeting" ranks what happened between its opening and its closing.
  std::optional<Meeting> latest_meeting_;
};

}  // namespace reciproca::leaderboard
