#include "chapter_boards.h"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <vector>

#include "reciproca/money.hpp"
#include "texts/event_time.h"
#include "texts/palms_summary.h"

namespace reciproca::leaderboard {

namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

namespace {

std::string Upper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

size_t IndexOf(Board board) { return static_cast<size_t>(board); }

}  // namespace

std::optional<Board> BoardNamed(std::string_view name) {
  for (size_t i = 0; i < kBoardNames.size(); ++i) {
    if (kBoardNames[i] == name) {
      return static_cast<Board>(i);
    }
  }
  return std::nullopt;
}

std::optional<Window> WindowNamed(std::string_view name) {
  for (size_t i = 0; i < kWindowNames.size(); ++i) {
    if (kWindowNames[i] == name) {
      return static_cast<Window>(i);
    }
  }
  return std::nullopt;
}

int64_t Nanos(const google::protobuf::Timestamp& t) { return t.seconds() * 1000000000 + t.nanos(); }

std::optional<std::string> ChapterBoards::Apply(const v1::Event& event) {
  const int64_t time = Nanos(event.time());
  // Records count when they happened (a late slip counts in its meeting's week).
  const int64_t at = Nanos(plugin_texts::OccurredTime(event));
  roster_.Apply(event);
  plugin_texts::FollowLanguage(event, &language_);
  switch (event.payload_case()) {
    case v1::Event::kChapterCreated:
      if (!event.chapter_created().chapter().currency().empty()) {
        currency_ = Upper(event.chapter_created().chapter().currency());
      }
      break;
    case v1::Event::kMeetingOpened:
      latest_meeting_ = Meeting{event.meeting_opened().meeting(), time, std::nullopt};
      break;
    case v1::Event::kMeetingClosed:
      if (latest_meeting_ && latest_meeting_->name == event.meeting_closed().meeting()) {
        latest_meeting_->close = time;
      }
      break;
    case v1::Event::kReferralGiven:
      Count(Board::kReferralsGiven, event.referral_given().referral().giver(), at, 1);
      break;
    case v1::Event::kOneToOneRecorded: {
      const v1::OneToOne& o = event.one_to_one_recorded().one_to_one();
      Count(Board::kOneToOnes, o.member(), at, 1);
      Count(Board::kOneToOnes, o.with_member(), at, 1);
      break;
    }
    case v1::Event::kVisitorRegistered:
      if (!event.visitor_registered().visitor().invited_by().empty()) {
        Count(Board::kVisitors, event.visitor_registered().visitor().invited_by(), at, 1);
      }
      break;
    case v1::Event::kThankYouRecorded: {
      const v1::ThankYou& t = event.thank_you_recorded().thank_you();
      if (Upper(t.amount().currency()) != currency_) {
        break;  // Another currency: not comparable with the board's amounts.
      }
      const std::optional<int64_t> cents = sdk::ParseCents(t.amount().amount());
      if (!cents) {
        return "leaderboard: " + t.name() + ": amount \"" + t.amount().amount() +
               "\" is not a decimal with at most two decimals; not counted";
      }
      Count(Board::kTyfcbGenerated, t.to_member(), at, *cents);
      break;
    }
    case v1::Event::kPalmsSummaryImported: {
      // Imported history counts like recorded history, spread over its period's meetings. Its
      // TYFCB is what the member reported (given), not the business they generated: not counted.
      const v1::PalmsSummaryImported& s = event.palms_summary_imported();
      const auto spread = [&](Board board, int64_t total) {
        for (const plugin_texts::Share& share : plugin_texts::SpreadOverMeetings(s, total)) {
          Count(board, s.member(), share.time * 1000000000, share.amount);
        }
      };
      spread(Board::kReferralsGiven,
             int64_t{s.referrals_given_inside()} + s.referrals_given_outside());
      spread(Board::kOneToOnes, s.one_to_ones());
      spread(Board::kVisitors, s.visitors());
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

void ChapterBoards::Count(Board board, const std::string& member, int64_t time, int64_t value) {
  if (!member.empty()) {
    boards_[IndexOf(board)][member].Add(time, value);
  }
}

void ChapterBoards::SetValueText(const plugin_texts::Catalogs& texts, const std::string& language,
                                 Board board, pv1::LeaderboardEntry* entry) const {
  const bool money = board == Board::kTyfcbGenerated;
  const plugin_texts::Params params =
      money ? plugin_texts::Params{{"amount", plugin_texts::MoneyParam(entry->value(), currency_)}}
            : plugin_texts::Params{{"count", std::to_string(entry->value())}};
  entry->set_kind(money ? "money" : "count");
  entry->set_value_text(texts.Render(language, money ? "value.money" : "value.count", params));
  plugin_texts::SetParams(params, entry->mutable_params());
}

pv1::Leaderboard ChapterBoards::Rank(const plugin_texts::Catalogs& texts, Board board,
                                     Window window, int64_t now, int limit) const {
  pv1::Leaderboard answer;
  answer.set_board(std::string(kBoardNames[IndexOf(board)]));
  answer.set_window(std::string(kWindowNames[static_cast<size_t>(window)]));

  // The time range (from, to] of the window; "all" uses the running totals.
  int64_t from = 0;
  int64_t to = now;
  switch (window) {
    case Window::kMeeting:
      if (!latest_meeting_) {
        return answer;
      }
      from = latest_meeting_->open - 1;  // The opening instant itself belongs to the meeting.
      to = latest_meeting_->close.value_or(now);
      break;
    case Window::kThirtyDays:
      from = now - 30 * kNanosPerDay;
      break;
    case Window::kSixMonths:
      from = now - kSixMonthsDays * kNanosPerDay;
      break;
    case Window::kAll:
      break;
  }

  struct Row {
    int64_t value;
    const std::string* display_name;
    const std::string* member;
  };
  std::vector<Row> rows;
  for (const auto& [member, series] : boards_[IndexOf(board)]) {
    const auto* found = roster_.Find(member);
    if (found == nullptr || !found->active) {
      continue;
    }
    const int64_t value = window == Window::kAll ? series.Total() : series.Sum(from, to);
    if (value > 0) {
      rows.push_back(Row{value, &found->display_name, &member});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(b.value, *a.display_name, *a.member) <
           std::tie(a.value, *b.display_name, *b.member);
  });

  const std::string language = texts.Resolve(language_);
  const size_t count = limit > 0 ? std::min(rows.size(), static_cast<size_t>(limit)) : rows.size();
  int32_t rank = 0;
  for (size_t i = 0; i < count; ++i) {
    if (i == 0 || rows[i].value != rows[i - 1].value) {
      rank = static_cast<int32_t>(i) + 1;
    }
    pv1::LeaderboardEntry* entry = answer.add_entries();
    entry->set_rank(rank);
    entry->set_member(*rows[i].member);
    entry->set_display_name(*rows[i].display_name);
    entry->set_value(rows[i].value);
    SetValueText(texts, language, board, entry);
  }
  return answer;
}

}  // namespace reciproca::leaderboard
