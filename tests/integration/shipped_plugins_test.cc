// The three shipped plugins loaded into the real server: numbers against hand-computed
// expectations, reminders through ticks, identical answers after a restart and a reload, texts in
// the chapter's language (Italian, Spanish) with their kind and params, and the provisional
// traffic light of a new chapter.

#include <algorithm>

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;
namespace pv1 = reciproca::plugin::v1;

const std::string kShipped = RECIPROCA_SHIPPED_PLUGIN_DIR;

class ShippedPluginsTest : public ServerTest {
 protected:
  // Scored from the first meeting (no provisional band): these tests check the UK table's
  // numbers after one meeting.
  virtual std::string TrafficLightConfig() const { return R"({"minimum_meetings": 0})"; }

  void SetUp() override {
    plugins_ = {{"leaderboard", kShipped + "/leaderboard.so", ""},
                {"reciprocity", kShipped + "/reciprocity.so", ""},
                {"traffic_light", kShipped + "/traffic_light.so", TrafficLightConfig()}};
    ServerTest::SetUp();
    CreateChapter("rome");
    vp_ = AddMember("rome", "Vera Vice", "Accountant", v1::ROLE_VICE_PRESIDENT);
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    lia_ = AddMember("rome", "Lia Neri", "Designer");
  }

  void Settle() { ASSERT_TRUE(server_->plugin_host().WaitIdle(std::chrono::seconds(30))); }

  // One meeting at 07:00 (it is 06:30): Ana and Marco present, Lia and Vera absent; Ana gives
  // Marco four referrals, Marco thanks her 3,000 EUR for the first, Ana has a one-to-one with
  // Lia, invites a visitor, earns 2 CEUs; Marco writes Ana a testimonial.
  void RunMeeting() {
    auto vp = As(vp_.token), ana = As(ana_.token), marco = As(marco_.token);
    v1::ScheduleMeetingRequest schedule;
    schedule.set_parent("chapters/rome");
    *schedule.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::minutes(30));
    schedule.set_request_id("m1");
    ASSERT_TRUE(Invoke(vp, [&](auto* c) {
                  return vp.meetings().ScheduleMeeting(c, schedule, &meeting_);
                }).ok());
    v1::OpenMeetingRequest open;
    open.set_name(meeting_.name());
    open.set_request_id("open");
    ASSERT_TRUE(
        Invoke(vp, [&](auto* c) { return vp.meetings().OpenMeeting(c, open, &meeting_); }).ok());
    clock_.Advance(std::chrono::minutes(30));  // 07:00 sharp: on time
    for (auto* who : {&ana, &marco}) {
      v1::CheckInRequest check_in;
      check_in.set_meeting(meeting_.name());
      check_in.set_request_id("in");
      v1::Attendance attendance;
      ASSERT_TRUE(Invoke(*who, [&](auto* c) {
                    return who->meetings().CheckIn(c, check_in, &attendance);
                  }).ok());
    }
    for (int i = 0; i < 4; ++i) {
      v1::Referral referral;
      ASSERT_TRUE(GiveReferral(ana, "rome", marco_.member.name(), 3, &referral).ok());
      referrals_.push_back(referral.name());
    }
    v1::RecordThankYouRequest thanks;
    thanks.set_parent("chapters/rome");
    thanks.mutable_thank_you()->set_to_member(ana_.member.name());
    thanks.mutable_thank_you()->mutable_amount()->set_currency("EUR");
    thanks.mutable_thank_you()->mutable_amount()->set_amount("3000");
    thanks.mutable_thank_you()->set_referral(referrals_[0]);
    thanks.set_request_id("tyfcb");
    v1::ThankYou thank_you;
    ASSERT_TRUE(Invoke(marco, [&](auto* c) {
                  return marco.referrals().RecordThankYou(c, thanks, &thank_you);
                }).ok());
    v1::RecordOneToOneRequest one;
    one.set_parent("chapters/rome");
    one.mutable_one_to_one()->set_with_member(lia_.member.name());
    one.set_request_id("121");
    v1::OneToOne one_out;
    ASSERT_TRUE(Invoke(ana, [&](auto* c) {
                  return ana.referrals().RecordOneToOne(c, one, &one_out);
                }).ok());
    v1::RegisterVisitorRequest visitor;
    visitor.set_meeting(meeting_.name());
    visitor.mutable_visitor()->set_display_name("Vito Ospite");
    visitor.mutable_visitor()->set_business("Ospite Srl");
    visitor.set_request_id("visitor");
    v1::Visitor visitor_out;
    ASSERT_TRUE(Invoke(ana, [&](auto* c) {
                  return ana.meetings().RegisterVisitor(c, visitor, &visitor_out);
                }).ok());
    v1::RecordEducationRequest ceu;
    ceu.set_parent("chapters/rome");
    ceu.mutable_education()->set_credits(2);
    ceu.set_request_id("ceu");
    v1::Education ceu_out;
    ASSERT_TRUE(Invoke(ana, [&](auto* c) {
                  return ana.referrals().RecordEducation(c, ceu, &ceu_out);
                }).ok());
    v1::RecordTestimonialRequest testimonial;
    testimonial.set_parent("chapters/rome");
    testimonial.mutable_testimonial()->set_for_member(ana_.member.name());
    testimonial.mutable_testimonial()->set_text("Splendid flowers.");
    testimonial.set_request_id("testimonial");
    v1::Testimonial testimonial_out;
    ASSERT_TRUE(Invoke(marco, [&](auto* c) {
                  return marco.referrals().RecordTestimonial(c, testimonial, &testimonial_out);
                }).ok());
    clock_.Advance(std::chrono::minutes(90));
    v1::CloseMeetingRequest close;
    close.set_name(meeting_.name());
    close.set_request_id("close");
    ASSERT_TRUE(
        Invoke(vp, [&](auto* c) { return vp.meetings().CloseMeeting(c, close, &meeting_); }).ok());
    Settle();
  }

  std::map<std::string, pv1::MemberScore> Scores(const std::string& window = "") {
    Settle();
    v1::GetScoresRequest request;
    request.set_chapter("chapters/rome");
    request.set_window(window);
    pv1::Scores scores;
    auto status =
        Invoke(admin(), [&](auto* c) { return admin().insights().GetScores(c, request, &scores); });
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, pv1::MemberScore> out;
    for (const auto& s : scores.scores()) {
      out[s.member()] = s;
    }
    return out;
  }

  pv1::Leaderboard Board(const std::string& board, const std::string& window) {
    Settle();
    v1::GetLeaderboardRequest request;
    request.set_chapter("chapters/rome");
    request.set_board(board);
    request.set_window(window);
    pv1::Leaderboard out;
    auto status = Invoke(
        admin(), [&](auto* c) { return admin().insights().GetLeaderboard(c, request, &out); });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  pv1::Reminders Reminders(const NewMember& who) {
    Settle();
    v1::ListRemindersRequest request;
    request.set_chapter("chapters/rome");
    pv1::Reminders out;
    auto as = As(who.token);
    auto status =
        Invoke(as, [&](auto* c) { return as.insights().ListReminders(c, request, &out); });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  pv1::Relationship Pair(const NewMember& a, const NewMember& b) {
    Settle();
    v1::ListRelationshipsRequest request;
    request.set_chapter("chapters/rome");
    request.set_member(a.member.name());
    pv1::Relationships out;
    auto status = Invoke(
        admin(), [&](auto* c) { return admin().insights().ListRelationships(c, request, &out); });
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& r : out.relationships()) {
      if ((r.member_a() == a.member.name() && r.member_b() == b.member.name()) ||
          (r.member_a() == b.member.name() && r.member_b() == a.member.name())) {
        return r;
      }
    }
    return {};
  }

  // Everything the plugins answer, as bytes, to compare before and after.
  std::string Snapshot() {
    std::string out;
    for (const auto& [member, score] : Scores()) {
      out += score.SerializeAsString();
    }
    for (const char* board : {"referrals_given", "tyfcb_generated", "one_to_ones", "visitors"}) {
      out += Board(board, "all").SerializeAsString();
    }
    for (const auto* who : {&ana_, &marco_, &lia_}) {
      out += Reminders(*who).SerializeAsString();
    }
    out += Pair(ana_, marco_).SerializeAsString();
    return out;
  }

  NewMember vp_, ana_, marco_, lia_;
  v1::Meeting meeting_;
  std::vector<std::string> referrals_;
};

TEST_F(ShippedPluginsTest, TrafficLightMatchesTheUkTableRowByRow) {
  RunMeeting();
  auto scores = Scores();
  // Six months = 26 weeks. Ana: 0 absences 15; 4 referrals = 0.15/week 0; 1 visitor 0;
  // TYFCB she said 0 -> 0; testimonials < 0.075/week 5; never late 5; 2 CEUs 10 = 35, red.
  const auto& ana = scores[ana_.member.name()];
  std::map<std::string, int> rows;
  int sum = 0;
  for (const auto& row : ana.rows()) {
    rows[row.name()] = row.points();
    sum += row.points();
  }
  EXPECT_EQ(15, rows["Absences"]);
  EXPECT_EQ(0, rows["Referrals given"]);
  EXPECT_EQ(0, rows["Visitors"]);
  EXPECT_EQ(0, rows["TYFCB"]);
  EXPECT_EQ(35, ana.points());
  EXPECT_EQ(sum, ana.points()) << "the why adds up";
  EXPECT_EQ(100, ana.max_points());
  EXPECT_EQ("red", ana.band());
  // Marco said thank you for 3,000 EUR: TYFCB 10; absences 15, testimonials 5, never late 5.
  EXPECT_EQ(35, scores[marco_.member.name()].points());
  // Lia: one absence 10, testimonials 5, never late 5 = 20, grey.
  EXPECT_EQ(20, scores[lia_.member.name()].points());
  EXPECT_EQ("grey", scores[lia_.member.name()].band());
  // Band announcements are events in the log, streamed like everything else.
  EXPECT_FALSE(RecordedOutputs("chapters/rome").empty());
}

TEST_F(ShippedPluginsTest, LeaderboardsRankWithDeterministicTies) {
  RunMeeting();
  auto given = Board("referrals_given", "all");
  ASSERT_GE(given.entries_size(), 1);
  EXPECT_EQ(ana_.member.name(), given.entries(0).member());
  EXPECT_EQ(4, given.entries(0).value());
  EXPECT_EQ(1, given.entries(0).rank());
  auto tyfcb = Board("tyfcb_generated", "30d");
  ASSERT_GE(tyfcb.entries_size(), 1);
  EXPECT_EQ(ana_.member.name(), tyfcb.entries(0).member());
  EXPECT_EQ(300000, tyfcb.entries(0).value());
  auto meetings = Board("one_to_ones", "meeting");
  ASSERT_EQ(2, meetings.entries_size());
  EXPECT_EQ(ana_.member.name(), meetings.entries(0).member());  // "Ana" before "Lia"
  EXPECT_EQ(lia_.member.name(), meetings.entries(1).member());
  EXPECT_EQ(1, meetings.entries(1).rank()) << "equal values share a rank";
  v1::GetLeaderboardRequest bad;
  bad.set_chapter("chapters/rome");
  bad.set_board("karma");
  pv1::Leaderboard out;
  auto status =
      Invoke(admin(), [&](auto* c) { return admin().insights().GetLeaderboard(c, bad, &out); });
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("board")) << status.error_message();
}

TEST_F(ShippedPluginsTest, ReciprocityRemindsKindlyAndLevelsFollowTheWeakerDirection) {
  RunMeeting();
  auto marco = Reminders(marco_);
  bool one_sided = false;
  for (const auto& r : marco.reminders()) {
    if (r.kind() == "one_sided") {
      one_sided = true;
      EXPECT_NE(std::string::npos, r.text().find("Ana Rossi has given you 4 referrals"))
          << r.text();
    }
  }
  EXPECT_TRUE(one_sided);
  // Ana -> Marco is profitable (4 referrals, one closed won); Marco -> Ana only credible (his
  // testimonial, no referral): the pair is as strong as its weaker direction.
  auto pair = Pair(ana_, marco_);
  const bool ana_first = pair.member_a() == ana_.member.name();
  EXPECT_EQ(pv1::VCP_LEVEL_PROFITABILITY, ana_first ? pair.a_to_b() : pair.b_to_a());
  EXPECT_EQ(pv1::VCP_LEVEL_CREDIBILITY, ana_first ? pair.b_to_a() : pair.a_to_b());
  EXPECT_EQ(pv1::VCP_LEVEL_CREDIBILITY, pair.level()) << pair.explanation();

  // Four days on, three referrals are still not contacted: Marco is told, at the next tick.
  clock_.Advance(std::chrono::hours(24 * 4));
  server_->plugin_host().TickNow();
  int not_contacted = 0;
  const auto after_four_days = Reminders(marco_);
  for (const auto& r : after_four_days.reminders()) {
    not_contacted += r.kind() == "not_contacted" ? 1 : 0;
  }
  EXPECT_EQ(3, not_contacted);

  // Marco gives back: three referrals, one closed and thanked. Now both directions qualify.
  std::vector<std::string> back;
  for (int i = 0; i < 3; ++i) {
    v1::Referral referral;
    ASSERT_TRUE(GiveReferral(As(marco_.token), "rome", ana_.member.name(), 4, &referral).ok());
    back.push_back(referral.name());
  }
  v1::RecordThankYouRequest thanks;
  thanks.set_parent("chapters/rome");
  thanks.mutable_thank_you()->set_to_member(marco_.member.name());
  thanks.mutable_thank_you()->mutable_amount()->set_currency("EUR");
  thanks.mutable_thank_you()->mutable_amount()->set_amount("800");
  thanks.mutable_thank_you()->set_referral(back[0]);
  thanks.set_request_id("tyfcb-back");
  v1::ThankYou out;
  auto ana = As(ana_.token);
  ASSERT_TRUE(
      Invoke(ana, [&](auto* c) { return ana.referrals().RecordThankYou(c, thanks, &out); }).ok());
  pair = Pair(ana_, marco_);
  EXPECT_EQ(pv1::VCP_LEVEL_PROFITABILITY, pair.level()) << pair.explanation();
  const auto after_giving_back = Reminders(marco_);
  for (const auto& r : after_giving_back.reminders()) {
    EXPECT_NE("one_sided", r.kind()) << "resolved once Marco gave back";
  }
}

TEST_F(ShippedPluginsTest, ThreeAbsencesInSixMonths_RemindTheVicePresident_BesideThePlugins) {
  auto vp = As(vp_.token), ana = As(ana_.token), marco = As(marco_.token);
  // Three weekly meetings; Lia misses all three.
  for (int week = 1; week <= 3; ++week) {
    const std::string n = std::to_string(week);
    v1::ScheduleMeetingRequest schedule;
    schedule.set_parent("chapters/rome");
    *schedule.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::minutes(30));
    schedule.set_request_id("absent-schedule-" + n);
    v1::Meeting meeting;
    ASSERT_TRUE(Invoke(vp, [&](auto* c) {
                  return vp.meetings().ScheduleMeeting(c, schedule, &meeting);
                }).ok());
    v1::OpenMeetingRequest open;
    open.set_name(meeting.name());
    open.set_request_id("absent-open-" + n);
    ASSERT_TRUE(
        Invoke(vp, [&](auto* c) { return vp.meetings().OpenMeeting(c, open, &meeting); }).ok());
    for (auto* who : {&vp, &ana, &marco}) {
      v1::CheckInRequest check_in;
      check_in.set_meeting(meeting.name());
      check_in.set_request_id("absent-in-" + n);
      v1::Attendance attendance;
      ASSERT_TRUE(Invoke(*who, [&](auto* c) {
                    return who->meetings().CheckIn(c, check_in, &attendance);
                  }).ok());
    }
    clock_.Advance(std::chrono::minutes(120));
    v1::CloseMeetingRequest close;
    close.set_name(meeting.name());
    close.set_request_id("absent-close-" + n);
    ASSERT_TRUE(
        Invoke(vp, [&](auto* c) { return vp.meetings().CloseMeeting(c, close, &meeting); }).ok());
    clock_.Advance(std::chrono::hours(24 * 7 - 2));
  }
  // One of Ana's referrals to Marco waits four days: the reciprocity plugin's reminder.
  v1::Referral referral;
  ASSERT_TRUE(GiveReferral(ana, "rome", marco_.member.name(), 3, &referral).ok());
  clock_.Advance(std::chrono::hours(24 * 4));
  server_->plugin_host().TickNow();

  // The vice-president (an organizer: the whole chapter's list) sees both.
  std::vector<pv1::Reminder> alerts;
  int not_contacted = 0;
  const pv1::Reminders for_vp = Reminders(vp_);
  for (const auto& r : for_vp.reminders()) {
    if (r.kind() == "absence_alert") {
      alerts.push_back(r);
    }
    not_contacted += r.kind() == "not_contacted" ? 1 : 0;
  }
  EXPECT_EQ(1, not_contacted);
  ASSERT_EQ(1u, alerts.size());
  EXPECT_EQ(vp_.member.name(), alerts[0].member());
  EXPECT_EQ("absence_alert:" + lia_.member.name() + ":3", alerts[0].id());
  ASSERT_EQ(1, alerts[0].about_size());
  EXPECT_EQ(lia_.member.name(), alerts[0].about(0));
  EXPECT_EQ(0u, alerts[0].text().find("Lia Neri has missed 3 meetings of 3 in the last 26 weeks"))
      << alerts[0].text();
  // Nobody else is told of Lia's absences, Lia included.
  for (const NewMember* who : {&lia_, &ana_, &marco_}) {
    const pv1::Reminders theirs = Reminders(*who);
    for (const auto& r : theirs.reminders()) {
      EXPECT_NE("absence_alert", r.kind()) << who->member.display_name();
    }
  }
}

TEST_F(ShippedPluginsTest, RestartAndReloadRebuildIdenticalStateWithoutRepeatingOutputs) {
  RunMeeting();
  clock_.Advance(std::chrono::hours(24 * 4));
  server_->plugin_host().TickNow();
  const std::string before = Snapshot();
  const size_t outputs = RecordedOutputs("chapters/rome").size();
  ASSERT_GT(outputs, 0u);

  RestartServer();
  server_->plugin_host().TickNow();
  EXPECT_EQ(before, Snapshot());
  EXPECT_EQ(outputs, RecordedOutputs("chapters/rome").size())
      << "nothing recorded twice after a restart";

  for (const char* name : {"traffic_light", "leaderboard", "reciprocity"}) {
    v1::ReloadPluginRequest reload;
    reload.set_name(name);
    v1::PluginInfo info;
    ASSERT_TRUE(Invoke(admin(), [&](auto* c) {
                  return admin().plugins().ReloadPlugin(c, reload, &info);
                }).ok());
  }
  server_->plugin_host().TickNow();
  EXPECT_EQ(before, Snapshot());
  EXPECT_EQ(outputs, RecordedOutputs("chapters/rome").size())
      << "nothing recorded twice after a reload";
}

// --- texts in the chapter's language, provisional members ----------------------------------------

// The value of the text parameter `name`, "(none)" without it.
std::string ParamOf(const google::protobuf::RepeatedPtrField<pv1::TextParam>& params,
                    const std::string& name) {
  const auto found = std::find_if(params.begin(), params.end(),
                                  [&](const pv1::TextParam& p) { return p.name() == name; });
  return found == params.end() ? "(none)" : found->value();
}

const pv1::ScoreRow& RowOfKind(const pv1::MemberScore& score, const std::string& kind) {
  static const pv1::ScoreRow kNone;
  const auto found = std::find_if(score.rows().begin(), score.rows().end(),
                                  [&](const pv1::ScoreRow& row) { return row.kind() == kind; });
  return found == score.rows().end() ? kNone : *found;
}

// A new chapter of five members, with the traffic light as shipped (uk.json: new members are
// provisional until 6 meetings).
class NewChapterTest : public ShippedPluginsTest {
 protected:
  std::string TrafficLightConfig() const override { return ""; }

  void SetUp() override {
    ShippedPluginsTest::SetUp();
    ugo_ = AddMember("rome", "Ugo Gialli", "Baker");
  }

  void SetLanguage(const std::string& language) {
    v1::UpdateChapterRequest request;
    request.mutable_chapter()->set_name("chapters/rome");
    request.mutable_chapter()->set_language(language);
    request.mutable_update_mask()->add_paths("language");
    request.set_request_id(client::Client::NewRequestId());
    v1::Chapter chapter;
    ASSERT_TRUE(Invoke(admin(), [&](auto* c) {
                  return admin().chapters().UpdateChapter(c, request, &chapter);
                }).ok());
    Settle();
  }

  NewMember ugo_;
};

TEST_F(NewChapterTest, AfterItsFirstMeeting_EveryoneIsProvisional_NobodyRed) {
  RunMeeting();
  const auto scores = Scores();
  ASSERT_EQ(5u, scores.size());
  for (const auto& [member, score] : scores) {
    EXPECT_EQ("provisional", score.band()) << member << ": " << score.points() << " points";
    EXPECT_EQ("Provisional: 1 of 6 meetings so far.", score.band_note());
  }
  for (const v1::Event& event : RecordedOutputs("chapters/rome")) {
    if (event.plugin_output().output().has_score_change()) {
      EXPECT_EQ("provisional", event.plugin_output().output().score_change().band())
          << event.plugin_output().output().key();
    }
  }
}

TEST_F(NewChapterTest, ItalianChapter_ScoresAndRemindersInItalian_WithKindAndParams) {
  SetLanguage("it");
  RunMeeting();
  const auto scores = Scores();
  const pv1::MemberScore& ana = scores.at(ana_.member.name());
  const pv1::ScoreRow& referrals = RowOfKind(ana, "referrals_given_per_week");
  EXPECT_EQ("Referenze date", referrals.name());
  EXPECT_EQ("0,15 a settimana (4 referenze in 26,0 settimane)", referrals.measured());
  EXPECT_EQ("4", ParamOf(referrals.params(), "count"));
  EXPECT_EQ("0 assenze su 1 riunione", RowOfKind(ana, "absences").measured());
  EXPECT_EQ("Provvisorio: 1 di 6 riunioni finora.", ana.band_note());
  const pv1::ScoreRow& tyfcb = RowOfKind(scores.at(marco_.member.name()), "tyfcb_amount");
  EXPECT_EQ("3.000,00\u00a0\u20ac (1 ringraziamento dato)", tyfcb.measured());
  EXPECT_EQ("3000.00 EUR", ParamOf(tyfcb.params(), "amount"));

  int one_sided = 0;
  const pv1::Reminders italian = Reminders(marco_);
  for (const pv1::Reminder& r : italian.reminders()) {
    if (r.kind() == "one_sided") {
      ++one_sided;
      EXPECT_EQ(
          "Ana Rossi ti ha passato 4 referenze in 90 giorni e tu ancora nessuna: un one-to-one "
          "per capire di cosa ha bisogno Ana Rossi?",
          r.text());
      EXPECT_EQ("Ana Rossi", ParamOf(r.params(), "giver"));
      EXPECT_EQ("4", ParamOf(r.params(), "referrals"));
    }
  }
  EXPECT_EQ(1, one_sided);

  // Spanish from now on: the same reminders and rows, worded in Spanish; nothing recorded again.
  const size_t outputs = RecordedOutputs("chapters/rome").size();
  SetLanguage("es");
  server_->plugin_host().TickNow();
  const pv1::Reminders spanish = Reminders(marco_);
  for (const pv1::Reminder& r : spanish.reminders()) {
    if (r.kind() == "one_sided") {
      EXPECT_EQ(0u, r.text().find("Ana Rossi te ha pasado 4 referencias en 90 d\u00edas"))
          << r.text();
    }
  }
  EXPECT_EQ("Referencias dadas",
            RowOfKind(Scores().at(ana_.member.name()), "referrals_given_per_week").name());
  EXPECT_EQ(outputs, RecordedOutputs("chapters/rome").size()) << "a new language records nothing";
}

class ProratedTest : public ShippedPluginsTest {
 protected:
  std::string TrafficLightConfig() const override {
    return R"({"prorate_by_tenure": true, "minimum_meetings": 0})";
  }
};

TEST_F(ProratedTest, TwoWeeksOfTenure_AreMeasuredOverTwoWeeks) {
  clock_.Advance(std::chrono::hours(24 * 14));
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3).ok());
  }
  const auto scores = Scores();
  const pv1::ScoreRow& referrals =
      RowOfKind(scores.at(ana_.member.name()), "referrals_given_per_week");
  EXPECT_EQ("2.00 per week (4 referrals in 2.0 weeks)", referrals.measured());
  EXPECT_EQ("2.000000", ParamOf(referrals.params(), "weeks"));
  EXPECT_EQ(20, referrals.points());
}

}  // namespace
}  // namespace reciproca::testing
