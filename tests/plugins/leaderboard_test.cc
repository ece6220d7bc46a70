// The leaderboard plugin, driven as reciprocad drives it: events in, queries out. Every expected
// number below is computed by hand in the comment next to it.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "leaderboard.h"
#include "plugin_test_support.h"
#include "time_series.h"

namespace reciproca::leaderboard {
namespace {

using plugin_testing::At;
using plugin_testing::EventLog;
using plugin_testing::kDay;
using plugin_testing::kDay0;
using plugin_testing::RecordingHost;
namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

constexpr int64_t kHour = 3600;

// Ana 1, Luca 2, Marco 3, Bea 4 (the roster most tests use).
class LeaderboardTest : public ::testing::Test {
 protected:
  LeaderboardTest() : plugin_(host_.host(), Config("{}")) {
    Feed(log_.Next(kDay0, "admin", [](v1::Event& e) {
      e.mutable_chapter_created()->mutable_chapter()->set_currency("EUR");
    }));
    AddMember(1, "Ana Rossi");
    AddMember(2, "Luca Verdi");
    AddMember(3, "Marco Neri");
    AddMember(4, "Bea Conti");
  }

  static pv1::PluginConfig Config(const std::string& json) {
    pv1::PluginConfig config;
    config.set_plugin_name("leaderboard");
    config.set_json(json);
    return config;
  }

  void Feed(const v1::Event& event) { plugin_.OnEvent(event); }
  std::string M(int id) const { return log_.Member(id); }

  void AddMember(int id, const std::string& display_name, int64_t at = kDay0) {
    Feed(log_.Next(at, "admin", [&](v1::Event& e) {
      v1::Member* m = e.mutable_member_added()->mutable_member();
      m->set_name(M(id));
      m->set_display_name(display_name);
      m->set_state(v1::MEMBER_STATE_ACTIVE);
    }));
  }
  void Referral(int64_t at, int giver, int receiver) {
    Feed(log_.Next(at, M(giver), [&](v1::Event& e) {
      v1::Referral* r = e.mutable_referral_given()->mutable_referral();
      r->set_name(log_.chapter() + "/referrals/" + std::to_string(++ids_));
      r->set_giver(M(giver));
      r->set_receiver(M(receiver));
      r->set_status(v1::REFERRAL_STATUS_GIVEN);
    }));
  }
  void ThankYou(int64_t at, int from, int to, const std::string& amount,
                const std::string& currency = "EUR") {
    Feed(log_.Next(at, M(from), [&](v1::Event& e) {
      v1::ThankYou* t = e.mutable_thank_you_recorded()->mutable_thank_you();
      t->set_name(log_.chapter() + "/thank-yous/" + std::to_string(++ids_));
      t->set_from_member(M(from));
      t->set_to_member(M(to));
      t->mutable_amount()->set_amount(amount);
      t->mutable_amount()->set_currency(currency);
    }));
  }
  void OneToOne(int64_t at, int member, int with) {
    Feed(log_.Next(at, M(member), [&](v1::Event& e) {
      v1::OneToOne* o = e.mutable_one_to_one_recorded()->mutable_one_to_one();
      o->set_name(log_.chapter() + "/one-to-ones/" + std::to_string(++ids_));
      o->set_member(M(member));
      o->set_with_member(M(with));
    }));
  }
  void Visitor(int64_t at, int invited_by) {
    Feed(log_.Next(at, "admin", [&](v1::Event& e) {
      e.mutable_visitor_registered()->mutable_visitor()->set_invited_by(M(invited_by));
    }));
  }
  void MeetingOpened(int64_t at, const std::string& meeting) {
    Feed(log_.Next(at, "admin", [&](v1::Event& e) {
      e.mutable_meeting_opened()->set_meeting(log_.chapter() + "/meetings/" + meeting);
    }));
  }
  void MeetingClosed(int64_t at, const std::string& meeting) {
    Feed(log_.Next(at, "admin", [&](v1::Event& e) {
      e.mutable_meeting_closed()->set_meeting(log_.chapter() + "/meetings/" + meeting);
    }));
  }
  void MemberLeft(int64_t at, int id) {
    Feed(log_.Next(at, "admin", [&](v1::Event& e) { e.mutable_member_left()->set_member(M(id)); }));
  }

  pv1::QueryAnswer Ask(const std::string& board, const std::string& window, int64_t now,
                       int limit = 0) {
    pv1::Query query;
    query.set_chapter(log_.chapter());
    *query.mutable_now() = At(now);
    query.mutable_leaderboard()->set_board(board);
    query.mutable_leaderboard()->set_window(window);
    query.mutable_leaderboard()->set_limit(limit);
    return plugin_.Query(query);
  }

  // "rank display_name value_text" per entry, best first.
  std::vector<std::string> Board(const std::string& board, const std::string& window, int64_t now,
                                 int limit = 0) {
    const pv1::QueryAnswer answer = Ask(board, window, now, limit);
    EXPECT_EQ(board, answer.leaderboard().board());
    EXPECT_EQ(window, answer.leaderboard().window());
    std::vector<std::string> rows;
    for (const pv1::LeaderboardEntry& e : answer.leaderboard().entries()) {
      rows.push_back(std::to_string(e.rank()) + " " + e.display_name() + " " + e.value_text());
    }
    return rows;
  }

  std::string QueryError(const std::string& board, const std::string& window, int limit = 0) {
    try {
      Ask(board, window, kDay0, limit);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "no error";
  }

  using Rows = std::vector<std::string>;

  RecordingHost host_;
  EventLog log_;
  Leaderboard plugin_;
  int ids_ = 0;
};

TEST_F(LeaderboardTest, ReferralsGiven_CountsByGiverWithSharedRanks) {
  // Ana 3, Luca 2, Marco 2, Bea 1: Luca and Marco share rank 2 (Luca first by display name), so
  // Bea is 4th.
  for (int i = 0; i < 3; ++i) {
    Referral(kDay0 + kHour + i, 1, 2);
  }
  Referral(kDay0 + 2 * kHour, 3, 1);
  Referral(kDay0 + 2 * kHour, 3, 4);
  Referral(kDay0 + 2 * kHour, 2, 1);
  Referral(kDay0 + 2 * kHour, 2, 3);
  Referral(kDay0 + 2 * kHour, 4, 1);
  EXPECT_EQ((Rows{"1 Ana Rossi 3", "2 Luca Verdi 2", "2 Marco Neri 2", "4 Bea Conti 1"}),
            Board("referrals_given", "all", kDay0 + kDay));
}

TEST_F(LeaderboardTest, LateSlipsAndImportedSummaries_CountWhenTheyHappened) {
  // kDay0 is 2026-12-01 07:00 UTC. Typed 40 days later, it happened on day 1: outside the
  // 30-day window at day 40, inside "all".
  Feed(log_.Next(kDay0 + 40 * kDay, "admin", [&](v1::Event& e) {
    e.mutable_referral_given()->mutable_referral()->set_giver(M(2));
    *e.mutable_occurred_time() = At(kDay0 + kDay);
  }));
  // Bea's summary of 2026-12-02..2026-12-29 (4 weeks, 4 meetings, from day 0.71): 7 referrals
  // given at its meetings, on days 4.21, 11.21, 18.21 and 25.21 (2, 2, 2, 1), 3 one-to-ones, 1
  // visitor.
  Feed(log_.Next(kDay0 + 40 * kDay, "admin", [&](v1::Event& e) {
    e.set_imported_from(log_.chapter() + "/imports/1");
    v1::PalmsSummaryImported* s = e.mutable_palms_summary_imported();
    s->set_member(M(4));
    s->set_period_start("2026-12-02");
    s->set_period_end("2026-12-29");
    s->set_present(4);
    s->set_referrals_given_inside(5);
    s->set_referrals_given_outside(2);
    s->set_one_to_ones(3);
    s->set_visitors(1);
  }));
  EXPECT_EQ((Rows{"1 Bea Conti 7", "2 Luca Verdi 1"}),
            Board("referrals_given", "all", kDay0 + 40 * kDay));
  // At day 40 the 30 days start at day 10: Luca's slip is out, Bea's last three meetings in.
  EXPECT_EQ((Rows{"1 Bea Conti 5"}), Board("referrals_given", "30d", kDay0 + 40 * kDay));
  // At day 45 they start at day 15: the meetings of days 18.21 and 25.21 (2 + 1).
  EXPECT_EQ((Rows{"1 Bea Conti 3"}), Board("referrals_given", "30d", kDay0 + 45 * kDay));
  EXPECT_EQ((Rows{"1 Bea Conti 3"}), Board("one_to_ones", "all", kDay0 + 45 * kDay));
  EXPECT_EQ((Rows{"1 Bea Conti 1"}), Board("visitors", "all", kDay0 + 45 * kDay));
}

TEST_F(LeaderboardTest, Ties_SameValueAndDisplayName_OrderByMemberName) {
  AddMember(10, "Ana Rossi");  // a namesake
  Referral(kDay0 + kHour, 10, 2);
  Referral(kDay0 + kHour, 1, 2);
  const pv1::QueryAnswer answer = Ask("referrals_given", "all", kDay0 + kDay);
  ASSERT_EQ(2, answer.leaderboard().entries_size());
  // "chapters/rome/members/1" sorts before "chapters/rome/members/10".
  EXPECT_EQ(M(1), answer.leaderboard().entries(0).member());
  EXPECT_EQ(M(10), answer.leaderboard().entries(1).member());
  EXPECT_EQ(1, answer.leaderboard().entries(0).rank());
  EXPECT_EQ(1, answer.leaderboard().entries(1).rank());
}

TEST_F(LeaderboardTest, TyfcbGenerated_SumsAmountsThankedToTheReferrerInChapterCurrency) {
  ThankYou(kDay0 + kHour, 2, 1, "1000.00");         // Luca thanks Ana: Ana generated 1000.00.
  ThankYou(kDay0 + kHour, 3, 1, "250");             // Marco thanks Ana: +250.00 -> 1250.00.
  ThankYou(kDay0 + kHour, 1, 2, "99.5");            // Ana thanks Luca: Luca generated 99.50.
  ThankYou(kDay0 + kHour, 1, 3, "5000.00", "USD");  // Another currency: ignored.
  const pv1::QueryAnswer answer = Ask("tyfcb_generated", "all", kDay0 + kDay);
  ASSERT_EQ(2, answer.leaderboard().entries_size());
  EXPECT_EQ(125000, answer.leaderboard().entries(0).value());
  EXPECT_EQ("\u20ac1,250.00", answer.leaderboard().entries(0).value_text());  // ICU money
  EXPECT_EQ(9950, answer.leaderboard().entries(1).value());
  EXPECT_EQ((Rows{"1 Ana Rossi \u20ac1,250.00", "2 Luca Verdi \u20ac99.50"}),
            Board("tyfcb_generated", "all", kDay0 + kDay));
}

TEST_F(LeaderboardTest, ValueTexts_InTheChaptersLanguage_WithKindAndParams) {
  Feed(log_.Next(kDay0, "admin", [](v1::Event& e) {
    e.mutable_chapter_updated()->mutable_chapter()->set_language("it");
    e.mutable_chapter_updated()->add_changed_fields("language");
  }));
  ThankYou(kDay0 + kHour, 2, 1, "1250.00");
  for (int i = 0; i < 1234; ++i) {
    Referral(kDay0 + kHour, 2, 1);
  }
  const pv1::LeaderboardEntry money =
      Ask("tyfcb_generated", "all", kDay0 + kDay).leaderboard().entries(0);
  EXPECT_EQ("1.250,00\u00a0\u20ac", money.value_text());
  EXPECT_EQ("money", money.kind());
  ASSERT_EQ(1, money.params_size());
  EXPECT_EQ("amount", money.params(0).name());
  EXPECT_EQ("1250.00 EUR", money.params(0).value());
  const pv1::LeaderboardEntry count =
      Ask("referrals_given", "all", kDay0 + kDay).leaderboard().entries(0);
  EXPECT_EQ("1.234", count.value_text());
  EXPECT_EQ("count", count.kind());
  EXPECT_EQ("1234", count.params(0).value());
  Feed(log_.Next(kDay0 + kHour, "admin", [](v1::Event& e) {
    e.mutable_chapter_updated()->mutable_chapter()->set_language("es");
  }));
  // Spanish groups thousands only from five digits on (CLDR): "1234", "1250,00 €".
  EXPECT_EQ("1250,00\u00a0\u20ac",
            Ask("tyfcb_generated", "all", kDay0 + kDay).leaderboard().entries(0).value_text());
  EXPECT_EQ("1234",
            Ask("referrals_given", "all", kDay0 + kDay).leaderboard().entries(0).value_text());
}

TEST_F(LeaderboardTest, TyfcbGenerated_MalformedAmountIsLoggedAndNotCounted) {
  ThankYou(kDay0 + kHour, 2, 1, "12.345");
  EXPECT_TRUE(Board("tyfcb_generated", "all", kDay0 + kDay).empty());
  ASSERT_EQ(1u, host_.logs.size());
  EXPECT_NE(std::string::npos, host_.logs[0].find("\"12.345\""));
}

TEST_F(LeaderboardTest, OneToOnes_CountForBothMembers) {
  OneToOne(kDay0 + kHour, 1, 2);  // Ana 1, Luca 1
  OneToOne(kDay0 + kHour, 3, 1);  // Ana 2, Marco 1
  EXPECT_EQ((Rows{"1 Ana Rossi 2", "2 Luca Verdi 1", "2 Marco Neri 1"}),
            Board("one_to_ones", "all", kDay0 + kDay));
}

TEST_F(LeaderboardTest, Visitors_CountForTheInvitingMember) {
  Visitor(kDay0 + kHour, 4);
  Visitor(kDay0 + kHour, 4);
  Visitor(kDay0 + kHour, 2);
  EXPECT_EQ((Rows{"1 Bea Conti 2", "2 Luca Verdi 1"}), Board("visitors", "all", kDay0 + kDay));
}

TEST_F(LeaderboardTest, Windows_ThirtyDaysSixMonthsAllTime) {
  // Ana gives referrals on days 0, 10, 100 and 200; the query is on day 205.
  for (int64_t day : {0, 10, 100, 200}) {
    Referral(kDay0 + day * kDay + kHour, 1, 2);
  }
  const int64_t now = kDay0 + 205 * kDay + kHour;
  EXPECT_EQ((Rows{"1 Ana Rossi 1"}), Board("referrals_given", "30d", now));  // day 200
  EXPECT_EQ((Rows{"1 Ana Rossi 2"}), Board("referrals_given", "6m", now));   // days 100, 200
  EXPECT_EQ((Rows{"1 Ana Rossi 4"}), Board("referrals_given", "all", now));  // all four
  // On day 40 the 30 days hold nothing, the 6 months days 0 and 10.
  EXPECT_TRUE(Board("referrals_given", "30d", kDay0 + 40 * kDay + kHour).empty());
  EXPECT_EQ((Rows{"1 Ana Rossi 2"}), Board("referrals_given", "6m", kDay0 + 40 * kDay + kHour));
}

TEST_F(LeaderboardTest, Windows_AreHalfOpen_ExcludeTheStartIncludeNow) {
  Referral(kDay0 + kHour, 1, 2);
  // Exactly 30 days later the referral has left the window (now - 30d, now].
  EXPECT_TRUE(Board("referrals_given", "30d", kDay0 + kHour + 30 * kDay).empty());
  EXPECT_EQ((Rows{"1 Ana Rossi 1"}),
            Board("referrals_given", "30d", kDay0 + kHour + 30 * kDay - 1));
  // At the very instant it was given it counts; a query in the past does not see it.
  EXPECT_EQ((Rows{"1 Ana Rossi 1"}), Board("referrals_given", "30d", kDay0 + kHour));
  EXPECT_TRUE(Board("referrals_given", "30d", kDay0 + kHour - 1).empty());
}

TEST_F(LeaderboardTest, MeetingWindow_EmptyBeforeAnyMeeting) {
  Referral(kDay0 + kHour, 1, 2);
  EXPECT_TRUE(Board("referrals_given", "meeting", kDay0 + kDay).empty());
}

TEST_F(LeaderboardTest, MeetingWindow_CountsBetweenOpeningAndClosingOfTheLatestMeeting) {
  const int64_t open = kDay0 + 7 * kDay;
  Referral(open - 1, 1, 2);  // before the meeting: not counted
  MeetingOpened(open, "m1");
  Referral(open, 2, 1);          // at the opening instant: counted
  Referral(open + kHour, 2, 3);  // counted
  Visitor(open + kHour, 3);
  MeetingClosed(open + 2 * kHour, "m1");
  Referral(open + 2 * kHour + 1, 3, 1);  // after closing: not counted
  const int64_t later = open + 3 * kDay;
  EXPECT_EQ((Rows{"1 Luca Verdi 2"}), Board("referrals_given", "meeting", later));
  EXPECT_EQ((Rows{"1 Marco Neri 1"}), Board("visitors", "meeting", later));
}

TEST_F(LeaderboardTest, MeetingWindow_StillOpenCountsUpToNow_AndOnlyTheLatestMeeting) {
  MeetingOpened(kDay0 + 7 * kDay, "m1");
  Referral(kDay0 + 7 * kDay + kHour, 1, 2);
  MeetingClosed(kDay0 + 7 * kDay + 2 * kHour, "m1");
  const int64_t open = kDay0 + 14 * kDay;
  MeetingOpened(open, "m2");
  Referral(open + 10, 2, 1);
  Referral(open + 20, 2, 1);
  // m2 is open: its window runs to the query's now.
  EXPECT_EQ((Rows{"1 Luca Verdi 1"}), Board("referrals_given", "meeting", open + 15));
  EXPECT_EQ((Rows{"1 Luca Verdi 2"}), Board("referrals_given", "meeting", open + 60));
  // Closing an older meeting does not end the latest one.
  MeetingClosed(open + 30, "m1");
  Referral(open + 40, 3, 1);
  EXPECT_EQ((Rows{"1 Luca Verdi 2", "2 Marco Neri 1"}),
            Board("referrals_given", "meeting", open + 60));
}

TEST_F(LeaderboardTest, Limit_KeepsTheFirstEntries) {
  Referral(kDay0 + kHour, 1, 2);
  Referral(kDay0 + kHour, 1, 2);
  Referral(kDay0 + kHour, 2, 1);
  Referral(kDay0 + kHour, 3, 1);
  EXPECT_EQ((Rows{"1 Ana Rossi 2"}), Board("referrals_given", "all", kDay0 + kDay, 1));
  EXPECT_EQ((Rows{"1 Ana Rossi 2", "2 Luca Verdi 1"}),
            Board("referrals_given", "all", kDay0 + kDay, 2));
  EXPECT_EQ(3u, Board("referrals_given", "all", kDay0 + kDay, 0).size());
}

TEST_F(LeaderboardTest, MembersWhoLeft_AreNotListed) {
  Referral(kDay0 + kHour, 1, 2);
  Referral(kDay0 + kHour, 2, 1);
  MemberLeft(kDay0 + 2 * kHour, 1);
  EXPECT_EQ((Rows{"1 Luca Verdi 1"}), Board("referrals_given", "all", kDay0 + kDay));
}

TEST_F(LeaderboardTest, DisplayName_FollowsMemberUpdated) {
  Referral(kDay0 + kHour, 1, 2);
  Feed(log_.Next(kDay0 + 2 * kHour, "admin", [&](v1::Event& e) {
    v1::Member* m = e.mutable_member_updated()->mutable_member();
    m->set_name(M(1));
    m->set_display_name("Ana Rossi Bianchi");
    m->set_state(v1::MEMBER_STATE_ACTIVE);
    e.mutable_member_updated()->add_changed_fields("display_name");
  }));
  EXPECT_EQ((Rows{"1 Ana Rossi Bianchi 1"}), Board("referrals_given", "all", kDay0 + kDay));
}

TEST_F(LeaderboardTest, UnknownChapter_EmptyBoard) {
  pv1::Query query;
  query.set_chapter("chapters/elsewhere");
  query.mutable_leaderboard()->set_board("visitors");
  query.mutable_leaderboard()->set_window("30d");
  const pv1::QueryAnswer answer = plugin_.Query(query);
  ASSERT_TRUE(answer.has_leaderboard());
  EXPECT_EQ(0, answer.leaderboard().entries_size());
}

TEST_F(LeaderboardTest, EmptyWindow_MeansAllTime) {
  Referral(kDay0 - 400 * kDay, 1, 2);
  const pv1::QueryAnswer answer = Ask("referrals_given", "", kDay0 + kDay);
  EXPECT_EQ("all", answer.leaderboard().window());
  EXPECT_EQ(1, answer.leaderboard().entries_size());
}

TEST_F(LeaderboardTest, BadQuery_NamesTheFieldAndTheChoices) {
  EXPECT_EQ(
      "board: unknown \"referals\"; one of referrals_given, tyfcb_generated, one_to_ones, "
      "visitors",
      QueryError("referals", "30d"));
  EXPECT_EQ("window: unknown \"week\"; one of meeting, 30d, 6m, all",
            QueryError("visitors", "week"));
  EXPECT_EQ("limit: must be 0 (all) or positive, got -1", QueryError("visitors", "30d", -1));
  pv1::Query scores;
  scores.mutable_scores()->set_window("30d");
  EXPECT_THROW(plugin_.Query(scores), std::invalid_argument);
}

TEST(LeaderboardConfigTest, RejectsAnythingButAnEmptyObject) {
  RecordingHost host;
  auto make = [&](const std::string& json) {
    pv1::PluginConfig config;
    config.set_json(json);
    try {
      Leaderboard plugin(host.host(), config);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("ok");
  };
  EXPECT_EQ("ok", make("{}"));
  EXPECT_EQ("ok", make(""));
  EXPECT_EQ("leaderboard: config: must be a JSON object, got: [1]", make("[1]"));
  EXPECT_EQ("leaderboard: config: must be a JSON object, got: {oops", make("{oops"));
  EXPECT_EQ("leaderboard: config: unknown key \"window\"; this plugin has no settings (use {})",
            make("{\"window\": \"30d\"}"));
}

TEST(TimeSeriesTest, SumsRangesAndAcceptsOutOfOrderTimes) {
  TimeSeries series;
  series.Add(10, 1);
  series.Add(30, 5);
  series.Add(20, 100);  // out of order
  series.Add(30, 7);
  EXPECT_EQ(113, series.Total());
  EXPECT_EQ(113, series.Sum(0, 30));
  EXPECT_EQ(112, series.Sum(10, 30));  // (10, 30]: 100 + 5 + 7
  EXPECT_EQ(101, series.Sum(9, 29));   // (9, 29]: 1 + 100
  EXPECT_EQ(0, series.Sum(30, 100));
  EXPECT_EQ(0, series.Sum(30, 10));
}

}  // namespace
}  // namespace reciproca::leaderboard
