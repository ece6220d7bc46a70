// The leaderboard's snapshot (ABI 1.1): its state as bytes, version 2.
//
//   "leaderboard" 2
//   chapters: name, currency, language, roster, per board (member -> time series), the latest
//             meeting
//
// Version 1 (before the chapter's language) is refused: the host then replays the whole log.

#include <stdexcept>

#include "leaderboard.h"

namespace reciproca::leaderboard {
namespace {

using reciproca::sdk::StateReader;
using reciproca::sdk::StateWriter;

constexpr const char* kStateTag = "leaderboard";
constexpr uint32_t kStateVersion = 2;

}  // namespace

void TimeSeries::Save(StateWriter& out) const {
  out.I64s(times_);
  out.I64s(values_);
}

void TimeSeries::Load(StateReader& in) {
  times_ = in.I64s();
  values_ = in.I64s();
  if (values_.size() != times_.size()) {
    throw std::invalid_argument("snapshot: damaged (a time series)");
  }
  prefix_.clear();
  total_ = 0;
  for (const int64_t value : values_) {
    total_ += value;
    prefix_.push_back(total_);
  }
}

void ChapterBoards::Save(StateWriter& out) const {
  out.String(currency_);
  out.String(language_);
  roster_.Save(out);
  for (const auto& board : boards_) {
    out.U64(board.size());
    for (const auto& [member, series] : board) {
      out.String(member);
      series.Save(out);
    }
  }
  out.Bool(latest_meeting_.has_value());
  if (latest_meeting_) {
    out.String(latest_meeting_->name);
    out.I64(latest_meeting_->open);
    out.Bool(latest_meeting_->close.has_value());
    out.I64(latest_meeting_->close.value_or(0));
  }
}

void ChapterBoards::Load(StateReader& in) {
  currency_ = in.String();
  language_ = in.String();
  roster_.Load(in);
  for (auto& board : boards_) {
    board.clear();
    for (size_t i = 0, n = in.Count(24); i < n; ++i) {
      std::string member = in.String();
      board[std::move(member)].Load(in);
    }
  }
  latest_meeting_.reset();
  if (in.Bool()) {
    Meeting meeting;
    meeting.name = in.String();
    meeting.open = in.I64();
    const bool closed = in.Bool();
    const int64_t close = in.I64();
    if (closed) {
      meeting.close = close;
    }
    latest_meeting_ = std::move(meeting);
  }
}

std::string Leaderboard::SaveState() const {
  StateWriter out(kStateTag, kStateVersion);
  out.Map(chapters_, [](StateWriter& w, const std::string& name, const ChapterBoards& boards) {
    w.String(name);
    boards.Save(w);
  });
  return out.Take();
}

void Leaderboard::RestoreState(std::string_view state) {
  StateReader in(state, kStateTag, kStateVersion);
  in.Map(&chapters_, [](StateReader& r, std::string* name, ChapterBoards* boards) {
    *name = r.String();
    boards->Load(r);
  });
  in.End();
}

}  // namespace reciproca::leaderboard
