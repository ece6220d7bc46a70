#include "leaderboard.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "texts.h"

namespace reciproca::leaderboard {

namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

namespace {

template <size_t N>
std::string OneOf(const std::array<std::string_view, N>& names) {
  std::string text;
  for (std::string_view name : names) {
    text += (text.empty() ? "" : ", ") + std::string(name);
  }
  return text;
}

void CheckConfig(const std::string& json) {
  if (json.empty()) {
    return;
  }
  const nlohmann::json config = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object()) {
    throw std::invalid_argument("leaderboard: config: must be a JSON object, got: " + json);
  }
  if (!config.empty()) {
    throw std::invalid_argument("leaderboard: config: unknown key \"" + config.begin().key() +
                                "\"; this plugin has no settings (use {})");
  }
}

}  // namespace

Leaderboard::Leaderboard(sdk::Host host, const pv1::PluginConfig& config)
    : host_(host), texts_(CatalogFiles()) {
  CheckConfig(config.json());
}

void Leaderboard::OnEvent(const v1::Event& event) {
  if (std::optional<std::string> warning = chapters_[event.chapter()].Apply(event)) {
    host_.Log(RECIPROCA_LOG_WARN, *warning);
  }
}

pv1::QueryAnswer Leaderboard::Query(const pv1::Query& query) {
  if (query.kind_case() != pv1::Query::kLeaderboard) {
    throw std::invalid_argument(
        "leaderboard: answers leaderboard queries only (query.leaderboard is not set)");
  }
  const pv1::LeaderboardQuery& q = query.leaderboard();
  const std::optional<Board> board = BoardNamed(q.board());
  if (!board) {
    throw std::invalid_argument("board: unknown \"" + q.board() + "\"; one of " +
                                OneOf(kBoardNames));
  }
  // An empty window means all time.
  const std::optional<Window> window = q.window().empty() ? Window::kAll : WindowNamed(q.window());
  if (!window) {
    throw std::invalid_argument("window: unknown \"" + q.window() + "\"; one of " +
                                OneOf(kWindowNames));
  }
  if (q.limit() < 0) {
    throw std::invalid_argument("limit: must be 0 (all) or positive, got " +
                                std::to_string(q.limit()));
  }

  pv1::QueryAnswer answer;
  const auto chapter = chapters_.find(query.chapter());
  if (chapter == chapters_.end()) {
    // No event of this chapter yet: an empty board.
    answer.mutable_leaderboard()->set_board(q.board());
    answer.mutable_leaderboard()->set_window(
        std::string(kWindowNames[static_cast<size_t>(*window)]));
    return answer;
  }
  *answer.mutable_leaderboard() =
      chapter->second.Rank(texts_, *board, *window, Nanos(query.now()), q.limit());
  return answer;
}

}  // namespace reciproca::leaderboard
