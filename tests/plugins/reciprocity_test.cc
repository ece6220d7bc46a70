// The reciprocity plugin, driven as reciprocad drives it: events in, ticks, outputs recorded back
// into the log as PluginOutputRecorded events, queries. Expected values are computed by hand in
// the comments. Day d means kDay0 (2026-12-01T07:00Z) + d days.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin_test_support.h"
#include "reciprocity.h"

namespace reciproca::reciprocity {
namespace {

using plugin_testing::At;
using plugin_testing::EventLog;
using plugin_testing::kDay;
using plugin_testing::kDay0;
using plugin_testing::Param;
using plugin_testing::RecordingHost;
namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

constexpr int64_t kHour = 3600;
constexpr int kAna = 1, kLuca = 2, kMarco = 3, kBea = 4;

int64_t Day(double d) { return kDay0 + static_cast<int64_t>(d * kDay); }

pv1::PluginConfig PluginConfigOf(const std::string& json) {
  pv1::PluginConfig config;
  config.set_plugin_name("reciprocity");
  config.set_json(json);
  return config;
}

// Plays the host: every output the plugin emits is recorded in the log as a PluginOutputRecorded
// event and fed back to it, as reciprocad does. The log (without ticks) can be replayed.
class ReciprocityTest : public ::testing::Test {
 protected:
  ReciprocityTest() { Start("{}"); }

  void Start(const std::string& json, bool live = true) {
    host_ = std::make_unique<RecordingHost>();
    plugin_ = std::make_unique<Reciprocity>(host_->host(), PluginConfigOf(json));
    log_ = EventLog();
    events_.clear();
    if (live) {
      Tick(kDay0 - kDay);  // The host ticks once the (empty) log is replayed.
    }
    Feed(log_.Next(kDay0, "admin", [](v1::Event& e) {
      e.mutable_chapter_created()->mutable_chapter()->set_currency("EUR");
    }));
    AddMember(kAna, "Ana Rossi");
    AddMember(kLuca, "Luca Verdi");
    AddMember(kMarco, "Marco Neri");
    AddMember(kBea, "Bea Conti");
  }

  std::string M(int id) const { return log_.Member(id); }

  void Feed(const v1::Event& event) {
    events_.push_back(event);
    const size_t before = host_->outputs.size();
    plugin_->OnEvent(event);
    RecordOutputs(before, event.time().seconds());
  }
  void Tick(int64_t at) {
    const size_t before = host_->outputs.size();
    pv1::Tick tick;
    *tick.mutable_now() = At(at);
    plugin_->OnTick(tick);
    RecordOutputs(before, at);
  }
  void RecordOutputs(size_t from, int64_t at) {
    const std::vector<pv1::Output> outputs(host_->outputs.begin() + static_cast<long>(from),
                                           host_->outputs.end());
    for (const pv1::Output& output : outputs) {
      Feed(log_.Next(at, "plugin:reciprocity", [&](v1::Event& e) {
        e.mutable_plugin_output()->set_plugin("reciprocity");
        *e.mutable_plugin_output()->mutable_output() = output;
      }));
    }
  }

  // The keys emitted since the last call (only those starting with `kind`, when given).
  std::vector<std::string> Emitted(const std::string& kind = "") {
    std::vector<std::string> keys;
    for (size_t i = seen_; i < host_->outputs.size(); ++i) {
      if (host_->outputs[i].key().starts_with(kind)) {
        keys.push_back(host_->outputs[i].key());
      }
    }
    seen_ = host_->outputs.size();
    return keys;
  }
  const pv1::Reminder& Last() const { return host_->outputs.back().reminder(); }

  void AddMember(int id, const std::string& display_name) {
    Feed(log_.Next(kDay0, "admin", [&](v1::Event& e) {
      v1::Member* m = e.mutable_member_added()->mutable_member();
      m->set_name(M(id));
      m->set_display_name(display_name);
      m->set_state(v1::MEMBER_STATE_ACTIVE);
    }));
  }
  std::string Referral(int64_t at, int giver, int receiver,
                       const std::string& contact = "Giulia Blu", int temperature = 4) {
    const std::string name = log_.chapter() + "/referrals/" + std::to_string(++ids_);
    Feed(log_.Next(at, M(giver), [&](v1::Event& e) {
      v1::Referral* r = e.mutable_referral_given()->mutable_referral();
      r->set_name(name);
      r->set_giver(M(giver));
      r->set_receiver(M(receiver));
      r->set_contact_name(contact);
      r->set_temperature(temperature);
      r->set_status(v1::REFERRAL_STATUS_GIVEN);
    }));
    return name;
  }
  void Status(int64_t at, const std::string& referral, v1::ReferralStatus to) {
    Feed(log_.Next(at, "admin", [&](v1::Event& e) {
      e.mutable_referral_status_changed()->set_referral(referral);
      e.mutable_referral_status_changed()->set_to_status(to);
    }));
  }
  void ThankYou(int64_t at, int from, int to, const std::string& referral = "") {
    Feed(log_.Next(at, M(from), [&](v1::Event& e) {
      v1::ThankYou* t = e.mutable_thank_you_recorded()->mutable_thank_you();
      t->set_name(log_.chapter() + "/thank-yous/" + std::to_string(++ids_));
      t->set_from_member(M(from));
      t->set_to_member(M(to));
      t->mutable_amount()->set_currency("EUR");
      t->mutable_amount()->set_amount("100.00");
      t->set_referral(referral);
    }));
  }
  std::string OneToOne(int64_t at, int member, int with, const std::string& date = "") {
    const std::string name = log_.chapter() + "/one-to-ones/" + std::to_string(++ids_);
    Feed(log_.Next(at, M(member), [&](v1::Event& e) {
      v1::OneToOne* o = e.mutable_one_to_one_recorded()->mutable_one_to_one();
      o->set_name(name);
      o->set_member(M(member));
      o->set_with_member(M(with));
      o->set_date(date);
    }));
    return name;
  }
  void Testimonial(int64_t at, int from, int for_member) {
    Feed(log_.Next(at, M(from), [&](v1::Event& e) {
      v1::Testimonial* t = e.mutable_testimonial_recorded()->mutable_testimonial();
      t->set_from_member(M(from));
      t->set_for_member(M(for_member));
      t->set_text("Great work");
    }));
  }
  // UpdateChapter --language.
  void SetLanguage(int64_t at, const std::string& language) {
    Feed(log_.Next(at, "admin", [&](v1::Event& e) {
      e.mutable_chapter_updated()->mutable_chapter()->set_language(language);
      e.mutable_chapter_updated()->add_changed_fields("language");
    }));
  }
  // The active reminders of `member`, as the reminders query answers them.
  pv1::Reminders RemindersOf(int member, int64_t now) {
    pv1::Query query = NewQuery(now);
    query.mutable_reminders()->set_member(M(member));
    return plugin_->Query(query).reminders();
  }
  void MemberLeft(int64_t at, int id) {
    Feed(log_.Next(at, "admin", [&](v1::Event& e) { e.mutable_member_left()->set_member(M(id)); }));
  }

  pv1::Query NewQuery(int64_t now) const {
    pv1::Query query;
    query.set_chapter(log_.chapter());
    *query.mutable_now() = At(now);
    return query;
  }
  // The ids of the active reminders of `member` (0: the whole chapter), newest first.
  std::vector<std::string> Active(int member, int64_t now, const std::string& kind = "") {
    pv1::Query query = NewQuery(now);
    query.mutable_reminders()->set_member(member == 0 ? "" : M(member));
    std::vector<std::string> ids;
    const pv1::QueryAnswer answer = plugin_->Query(query);
    for (const pv1::Reminder& r : answer.reminders().reminders()) {
      if (r.id().starts_with(kind)) {
        ids.push_back(r.id());
      }
    }
    return ids;
  }
  pv1::Relationships RelationshipsOf(int member, int64_t now) {
    pv1::Query query = NewQuery(now);
    query.mutable_relationships()->set_member(member == 0 ? "" : M(member));
    return plugin_->Query(query).relationships();
  }
  // The relationship of a and b (a first), or one with level UNSPECIFIED when not listed.
  pv1::Relationship Between(int a, int b, int64_t now) {
    const pv1::Relationships all = RelationshipsOf(a, now);
    for (const pv1::Relationship& r : all.relationships()) {
      if (r.member_b() == M(b)) {
        return r;
      }
    }
    return pv1::Relationship();
  }
  // "a_to_b b_to_a pair" levels as numbers (2 visibility, 3 credibility, 4 profitability).
  std::string Levels(int a, int b, int64_t now) {
    const pv1::Relationship r = Between(a, b, now);
    return std::to_string(r.a_to_b()) + " " + std::to_string(r.b_to_a()) + " " +
           std::to_string(r.level());
  }
  static std::string Id(const std::string& name) { return name.substr(name.rfind('/') + 1); }

  using Ids = std::vector<std::string>;

  std::unique_ptr<RecordingHost> host_;
  std::unique_ptr<Reciprocity> plugin_;
  EventLog log_;
  std::vector<v1::Event> events_;
  size_t seen_ = 0;
  int ids_ = 0;
};

// --- VCP levels -------------------------------------------------------------------------------

TEST_F(ReciprocityTest, Vcp_NoInteraction_NoRelationship) {
  EXPECT_EQ(0, RelationshipsOf(0, Day(1)).relationships_size());
}

TEST_F(ReciprocityTest, Vcp_OneToOne_GivesVisibilityBothWays) {
  OneToOne(Day(0.1), kAna, kLuca);
  EXPECT_EQ("2 2 2", Levels(kAna, kLuca, Day(1)));
  EXPECT_EQ(
      "Ana Rossi -> Luca Verdi: visibility (no referrals in 180 days); Luca Verdi -> Ana Rossi: "
      "visibility (no referrals in 180 days); 1 one-to-one",
      Between(kAna, kLuca, Day(1)).explanation());
}

TEST_F(ReciprocityTest, Vcp_OneWayGiving_PairStaysAtVisibility) {
  // The one-sided pair of docs/domain.md (VCP): Ana gives Luca 5 referrals, 1 closed won; Luca
  // gives none.
  std::string first;
  for (int i = 0; i < 5; ++i) {
    const std::string r = Referral(Day(i + 0.1), kAna, kLuca);
    first = first.empty() ? r : first;
  }
  Status(Day(6), first, v1::REFERRAL_STATUS_CLOSED_WON);
  EXPECT_EQ("4 2 2", Levels(kAna, kLuca, Day(7)));
  EXPECT_EQ("2 4 2", Levels(kLuca, kAna, Day(7)));
  EXPECT_EQ(
      "Ana Rossi -> Luca Verdi: profitability (5 referrals in 180 days, 1 closed won); Luca Verdi "
      "-> Ana Rossi: visibility (no referrals in 180 days)",
      Between(kAna, kLuca, Day(7)).explanation());
}

TEST_F(ReciprocityTest, Vcp_PairReachesProfitabilityOnlyWhenBothDirectionsQualify) {
  // Ana -> Luca: 3 referrals, the first closed won: profitability. Luca -> Ana: nothing yet.
  const std::string won = Referral(Day(0.1), kAna, kLuca);
  Referral(Day(1.1), kAna, kLuca);
  Referral(Day(2.1), kAna, kLuca);
  Status(Day(3), won, v1::REFERRAL_STATUS_CLOSED_WON);
  EXPECT_EQ("4 2 2", Levels(kAna, kLuca, Day(4)));  // pair: visibility
  // Luca -> Ana: 2 referrals: credibility; the pair follows the weaker direction.
  Referral(Day(4.1), kLuca, kAna);
  EXPECT_EQ("4 2 2", Levels(kAna, kLuca, Day(5)));  // 1 referral: still visibility
  Referral(Day(5.1), kLuca, kAna);
  EXPECT_EQ("4 3 3", Levels(kAna, kLuca, Day(6)));
  // A third referral without closed business: still credibility.
  Referral(Day(6.1), kLuca, kAna);
  EXPECT_EQ("4 3 3", Levels(kAna, kLuca, Day(7)));
  // Ana thanks Luca for business (a TYFCB, not linked): Luca -> Ana qualifies, and so the pair.
  ThankYou(Day(7.1), kAna, kLuca);
  EXPECT_EQ("4 4 4", Levels(kAna, kLuca, Day(8)));
  EXPECT_EQ(
      "Ana Rossi -> Luca Verdi: profitability (3 referrals in 180 days, 1 closed won); Luca Verdi "
      "-> Ana Rossi: profitability (3 referrals in 180 days, thanked 1 time)",
      Between(kAna, kLuca, Day(8)).explanation());
}

TEST_F(ReciprocityTest, Vcp_TestimonialGivesCredibility) {
  Testimonial(Day(0.1), kMarco, kBea);
  EXPECT_EQ("3 2 2", Levels(kMarco, kBea, Day(1)));
}

TEST_F(ReciprocityTest, Vcp_ReferralsOutsideTheWindowNoLongerCount) {
  const std::string won = Referral(Day(0) + kHour, kAna, kLuca);
  Referral(Day(0) + kHour, kAna, kLuca);
  Referral(Day(0) + kHour, kAna, kLuca);
  Status(Day(1), won, v1::REFERRAL_STATUS_CLOSED_WON);
  // The window is (now - 180 days, now].
  EXPECT_EQ("4 2 2", Levels(kAna, kLuca, Day(180) + kHour - 1));
  EXPECT_EQ("2 2 2", Levels(kAna, kLuca, Day(180) + kHour));  // visibility stays for good
}

TEST_F(ReciprocityTest, Vcp_ThresholdsComeFromConfig) {
  Start(R"({"vcp": {"credibility_referrals": 1, "profitability_referrals": 2,
                    "profitability_closed_business": 0}})");
  Referral(Day(0.1), kAna, kLuca);
  EXPECT_EQ("3 2 2", Levels(kAna, kLuca, Day(1)));
  Referral(Day(1.1), kAna, kLuca);
  EXPECT_EQ("4 2 2", Levels(kAna, kLuca, Day(2)));
}

TEST_F(ReciprocityTest, Relationships_OfAMemberPutThemFirst_AndSkipMembersWhoLeft) {
  OneToOne(Day(0.1), kLuca, kAna);
  Referral(Day(0.2), kAna, kMarco);
  Referral(Day(0.3), kAna, kMarco);
  Testimonial(Day(0.4), kBea, kLuca);
  const pv1::Relationships ana = RelationshipsOf(kAna, Day(1));
  ASSERT_EQ(2, ana.relationships_size());
  for (const pv1::Relationship& r : ana.relationships()) {
    EXPECT_EQ(M(kAna), r.member_a());
  }
  // Chapter-wide, each pair once (member_a the smaller resource name), all three at visibility,
  // so by display names: Ana/Luca, Ana/Marco, Luca/Bea.
  const pv1::Relationships all = RelationshipsOf(0, Day(1));
  ASSERT_EQ(3, all.relationships_size());
  EXPECT_EQ(M(kMarco), all.relationships(1).member_b());
  EXPECT_EQ(pv1::VCP_LEVEL_CREDIBILITY, all.relationships(1).a_to_b());
  EXPECT_EQ(M(kLuca), all.relationships(2).member_a());
  EXPECT_EQ(M(kBea), all.relationships(2).member_b());
  EXPECT_EQ(pv1::VCP_LEVEL_VISIBILITY, all.relationships(2).level());
  MemberLeft(Day(2), kMarco);
  EXPECT_EQ(1, RelationshipsOf(kAna, Day(3)).relationships_size());
  EXPECT_EQ(2, RelationshipsOf(0, Day(3)).relationships_size());
}

// --- one_sided ----------------------------------------------------------------------------------

TEST_F(ReciprocityTest, OneSided_FourthReferralInNinetyDays_RemindsTheReceiverOnce) {
  Emitted("one_sided");
  for (int day : {0, 10, 20}) {
    Referral(Day(day) + kHour, kAna, kLuca);
  }
  EXPECT_EQ(Ids{}, Emitted("one_sided"));
  Referral(Day(30) + kHour, kAna, kLuca);
  EXPECT_EQ(Ids{"one_sided:2:1:1"}, Emitted("one_sided"));
  const pv1::Reminder& r = Last();
  EXPECT_EQ(M(kLuca), r.member());
  EXPECT_EQ("one_sided", r.kind());
  EXPECT_EQ(
      "Ana Rossi has given you 4 referrals in 90 days and you none yet: a one-to-one to learn "
      "what Ana Rossi needs?",
      r.text());
  EXPECT_EQ(std::vector<std::string>{M(kAna)},
            std::vector<std::string>(r.about().begin(), r.about().end()));
  EXPECT_EQ(Day(30) + kHour, r.create_time().seconds());
  // A fifth referral, ticks: the situation has not changed, nothing is repeated.
  Referral(Day(40) + kHour, kAna, kLuca);
  Tick(Day(41));
  EXPECT_EQ(Ids{}, Emitted("one_sided"));
  EXPECT_EQ(Ids{"one_sided:2:1:1"}, Active(kLuca, Day(41), "one_sided"));
  EXPECT_EQ(Ids{}, Active(kAna, Day(41), "one_sided"));
}

TEST_F(ReciprocityTest, OneSided_NotWhenTheReceiverGaveInTheWindow) {
  Referral(Day(0) + kHour, kLuca, kAna);
  for (int day : {1, 2, 3, 4}) {
    Referral(Day(day) + kHour, kAna, kLuca);
  }
  EXPECT_EQ(Ids{}, Emitted("one_sided"));
}

TEST_F(ReciprocityTest, OneSided_ResolvedByGivingBack_NewEpisodeWhenItArisesAgain) {
  for (int day : {0, 10, 20, 30}) {
    Referral(Day(day) + kHour, kAna, kLuca);
  }
  EXPECT_EQ(Ids{"one_sided:2:1:1"}, Emitted("one_sided"));
  // Luca gives Ana a referral on day 50: resolved, no longer active.
  Referral(Day(50) + kHour, kLuca, kAna);
  EXPECT_EQ(Ids{}, Active(kLuca, Day(51), "one_sided"));
  // Ana gives four more on days 100..130; Luca's day-50 referral is in their 90 days until day
  // 140: (day 40, day 130] holds it.
  for (int day : {100, 110, 120, 130}) {
    Referral(Day(day) + kHour, kAna, kLuca);
  }
  Tick(Day(139) + kHour);
  EXPECT_EQ(Ids{}, Emitted("one_sided"));
  // On day 140 (+1h) it leaves the window (day 50, day 140]: one-sided again, episode 2.
  Tick(Day(140) + kHour);
  EXPECT_EQ(Ids{"one_sided:2:1:2"}, Emitted("one_sided"));
  EXPECT_EQ(Ids{"one_sided:2:1:2"}, Active(kLuca, Day(141), "one_sided"));
}

TEST_F(ReciprocityTest, OneSided_ThresholdsComeFromConfig) {
  Start(R"({"one_sided": {"referrals": 2, "days": 7}})");
  Emitted("one_sided");
  Referral(Day(0) + kHour, kAna, kLuca);
  Referral(Day(8) + kHour, kAna, kLuca);  // the first is out of the 7 days
  EXPECT_EQ(Ids{}, Emitted("one_sided"));
  Referral(Day(9) + kHour, kAna, kLuca);
  EXPECT_EQ(Ids{"one_sided:2:1:1"}, Emitted("one_sided"));
  EXPECT_EQ(
      "Ana Rossi has given you 2 referrals in 7 days and you none yet: a one-to-one to learn what "
      "Ana Rossi needs?",
      Last().text());
}

// --- not_contacted ------------------------------------------------------------------------------

TEST_F(ReciprocityTest, NotContacted_AfterThreeDays_RemindsTheReceiverUntilContacted) {
  Emitted();
  const std::string r = Referral(Day(0), kAna, kMarco);
  Tick(Day(3) - 1);
  EXPECT_EQ(Ids{}, Emitted());
  Tick(Day(3));  // given + 3 days
  EXPECT_EQ(Ids{"not_contacted:" + Id(r)}, Emitted());
  EXPECT_EQ(M(kMarco), Last().member());
  EXPECT_EQ("not_contacted", Last().kind());
  EXPECT_EQ(
      "The referral from Ana Rossi (Giulia Blu, temperature 4) is waiting for your call since "
      "2026-12-01: a call today keeps it warm.",
      Last().text());
  EXPECT_EQ((std::vector<std::string>{r, M(kAna)}),
            std::vector<std::string>(Last().about().begin(), Last().about().end()));
  Tick(Day(4));
  EXPECT_EQ(Ids{}, Emitted());
  EXPECT_EQ(Ids{"not_contacted:" + Id(r)}, Active(kMarco, Day(4)));
  Status(Day(4) + kHour, r, v1::REFERRAL_STATUS_CONTACTED);
  EXPECT_EQ(Ids{}, Active(kMarco, Day(5)));
}

TEST_F(ReciprocityTest, NotContacted_CheckedOnEventsToo_InsideReferralText) {
  Emitted();
  const std::string r = Referral(Day(0), kAna, kMarco, /*contact=*/"", /*temperature=*/5);
  OneToOne(Day(3) + kHour, kLuca, kBea);  // any later event checks at its own time
  EXPECT_EQ(Ids{"not_contacted:" + Id(r)}, Emitted());
  EXPECT_EQ(
      "The referral from Ana Rossi (inside: Ana Rossi is the customer, temperature 5) is waiting "
      "for your call since 2026-12-01: a call today keeps it warm.",
      Last().text());
  EXPECT_EQ(Day(3) + kHour, Last().create_time().seconds());
}

TEST_F(ReciprocityTest, NotContacted_ContactedInTime_NoReminder) {
  const std::string r = Referral(Day(0), kAna, kMarco);
  Status(Day(2), r, v1::REFERRAL_STATUS_CONTACTED);
  Emitted();
  Tick(Day(10));
  EXPECT_EQ(Ids{}, Emitted());
}

TEST_F(ReciprocityTest, NotContacted_DaysComeFromConfig) {
  Start(R"({"not_contacted": {"days": 1}})");
  Emitted();
  const std::string r = Referral(Day(0), kAna, kMarco);
  Tick(Day(1));
  EXPECT_EQ(Ids{"not_contacted:" + Id(r)}, Emitted());
}

// --- thank_you_missing --------------------------------------------------------------------------

TEST_F(ReciprocityTest, ThankYouMissing_TwoDaysAfterClosedWon_UntilThanked) {
  const std::string r = Referral(Day(0), kAna, kMarco);
  Status(Day(1), r, v1::REFERRAL_STATUS_CONTACTED);
  Status(Day(5), r, v1::REFERRAL_STATUS_CLOSED_WON);
  Emitted();
  Tick(Day(7) - 1);
  EXPECT_EQ(Ids{}, Emitted());
  Tick(Day(7));
  EXPECT_EQ(Ids{"thank_you_missing:" + Id(r)}, Emitted());
  EXPECT_EQ(M(kMarco), Last().member());
  EXPECT_EQ(
      "The referral from Ana Rossi (Giulia Blu) closed won on 2026-12-06: a thank-you (TYFCB) "
      "lets Ana Rossi know it worked and what it was worth.",
      Last().text());
  EXPECT_EQ(Ids{"thank_you_missing:" + Id(r)}, Active(kMarco, Day(8)));
  ThankYou(Day(8), kMarco, kAna, r);
  EXPECT_EQ(Ids{}, Active(kMarco, Day(9)));
  Tick(Day(20));
  EXPECT_EQ(Ids{}, Emitted());
}

TEST_F(ReciprocityTest, ThankYouMissing_NotWhenClosedByALinkedThankYou) {
  const std::string r = Referral(Day(0), kAna, kMarco);
  Status(Day(1), r, v1::REFERRAL_STATUS_CONTACTED);
  // What the server records for a linked TYFCB: the thank-you, then the move to closed won.
  ThankYou(Day(5), kMarco, kAna, r);
  Status(Day(5), r, v1::REFERRAL_STATUS_CLOSED_WON);
  Emitted();
  Tick(Day(30));
  EXPECT_EQ(Ids{}, Emitted());
}

// --- one_to_one_no_referral ---------------------------------------------------------------------

TEST_F(ReciprocityTest, OneToOneNoReferral_After30Days_RemindsBoth_UntilAReferral) {
  Emitted();
  const std::string o = OneToOne(Day(0), kAna, kLuca, "2026-11-30");
  Tick(Day(30) - 1);
  EXPECT_EQ(Ids{}, Emitted());
  Tick(Day(30));
  const std::string a = "one_to_one_no_referral:" + Id(o) + ":1";
  const std::string b = "one_to_one_no_referral:" + Id(o) + ":2";
  EXPECT_EQ((Ids{a, b}), Emitted());
  EXPECT_EQ(M(kLuca), Last().member());
  EXPECT_EQ(
      "You met Ana Rossi for a one-to-one on 2026-11-30 and no referral has passed between you "
      "since: who do you know that needs what Ana Rossi offers?",
      Last().text());
  EXPECT_EQ(Ids{a}, Active(kAna, Day(31)));
  // A referral either way resolves both.
  Referral(Day(31), kLuca, kAna);
  EXPECT_EQ(Ids{}, Active(kAna, Day(32)));
  EXPECT_EQ(Ids{}, Active(kLuca, Day(32)));
}

TEST_F(ReciprocityTest, OneToOneNoReferral_NotWhenAReferralFollowed) {
  OneToOne(Day(0), kAna, kLuca);
  const std::string r = Referral(Day(10), kLuca, kAna);
  Status(Day(11), r, v1::REFERRAL_STATUS_CONTACTED);
  Emitted();
  Tick(Day(40));
  EXPECT_EQ(Ids{}, Emitted());
}

// --- members, queries, ordering -----------------------------------------------------------------

TEST_F(ReciprocityTest, MembersWhoLeft_GetNoReminders) {
  const std::string r = Referral(Day(0), kAna, kMarco);
  MemberLeft(Day(1), kMarco);
  Emitted();
  Tick(Day(10));
  EXPECT_EQ(Ids{}, Emitted());
}

TEST_F(ReciprocityTest, RemindersQuery_WholeChapterNewestFirst) {
  const std::string r1 = Referral(Day(0), kAna, kMarco);
  const std::string r2 = Referral(Day(1), kLuca, kBea);
  Tick(Day(3));  // r1 is due
  Tick(Day(4));  // r2 is due
  EXPECT_EQ((Ids{"not_contacted:" + Id(r2), "not_contacted:" + Id(r1)}), Active(0, Day(5)));
  EXPECT_EQ((Ids{"not_contacted:" + Id(r2)}), Active(kBea, Day(5)));
}

TEST_F(ReciprocityTest, BadQuery_IsRejectedWithItsReason) {
  pv1::Query scores = NewQuery(Day(1));
  scores.mutable_scores();
  EXPECT_THROW(plugin_->Query(scores), std::invalid_argument);
  pv1::Query unknown = NewQuery(Day(1));
  unknown.mutable_reminders()->set_member("chapters/rome/members/99");
  try {
    plugin_->Query(unknown);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string("member: unknown \"chapters/rome/members/99\" in chapters/rome"),
              e.what());
  }
}

// --- replay, records, the first tick ------------------------------------------------------------

TEST_F(ReciprocityTest, Replay_OfTheLogWithItsRecordedOutputs_EmitsNothing) {
  // A season with every kind of reminder, two one-sided episodes included.
  for (int day : {0, 10, 20, 30}) {
    Referral(Day(day) + kHour, kAna, kLuca);
  }
  const std::string contacted_late = Referral(Day(31), kBea, kMarco);
  Tick(Day(35));
  Status(Day(36), contacted_late, v1::REFERRAL_STATUS_CONTACTED);
  const std::string won = Referral(Day(37), kMarco, kBea);
  Status(Day(38), won, v1::REFERRAL_STATUS_CLOSED_WON);
  OneToOne(Day(39), kAna, kMarco);
  Referral(Day(50) + kHour, kLuca, kAna);
  for (int day : {100, 110, 120, 130}) {
    Referral(Day(day) + kHour, kAna, kLuca);
  }
  Tick(Day(141));
  const std::vector<pv1::Output> original = host_->outputs;
  ASSERT_GE(original.size(), 6u);
  const std::vector<std::string> active = Active(0, Day(141));

  // A fresh instance replays the log (events and PluginOutputRecorded, no ticks), then ticks.
  const std::vector<v1::Event> log = events_;
  RecordingHost fresh_host;
  Reciprocity fresh(fresh_host.host(), PluginConfigOf("{}"));
  for (const v1::Event& e : log) {
    fresh.OnEvent(e);
  }
  pv1::Tick tick;
  *tick.mutable_now() = At(Day(141));
  fresh.OnTick(tick);
  EXPECT_EQ(0u, fresh_host.outputs.size());
  pv1::Query query = NewQuery(Day(141));
  query.mutable_reminders();
  std::vector<std::string> fresh_active;
  const pv1::QueryAnswer answer = fresh.Query(query);
  for (const pv1::Reminder& r : answer.reminders().reminders()) {
    fresh_active.push_back(r.id());
  }
  EXPECT_EQ(active, fresh_active);
  // And it emits the same as the original afterwards: nothing new is due.
  *tick.mutable_now() = At(Day(142));
  fresh.OnTick(tick);
  EXPECT_EQ(0u, fresh_host.outputs.size());
}

TEST_F(ReciprocityTest, Replay_WithoutTheRecords_EmitsWhatIsStillActiveAtTheFirstTick) {
  const std::string late = Referral(Day(0), kAna, kMarco);
  const std::string contacted = Referral(Day(0), kLuca, kBea);
  OneToOne(Day(4), kBea, kLuca);  // both referrals are due at this event's time
  Status(Day(5), contacted, v1::REFERRAL_STATUS_CONTACTED);
  // The log without the PluginOutputRecorded events (the plugin's outputs were lost).
  RecordingHost fresh_host;
  Reciprocity fresh(fresh_host.host(), PluginConfigOf("{}"));
  for (const v1::Event& e : events_) {
    if (!e.has_plugin_output()) {
      fresh.OnEvent(e);
    }
  }
  EXPECT_EQ(0u, fresh_host.outputs.size());  // replaying: held until the first tick
  pv1::Tick tick;
  *tick.mutable_now() = At(Day(6));
  fresh.OnTick(tick);
  // The contacted referral's reminder was resolved meanwhile: only the other one is told.
  ASSERT_EQ(1u, fresh_host.outputs.size());
  EXPECT_EQ("not_contacted:" + Id(late), fresh_host.outputs[0].key());
  EXPECT_EQ(Day(4), fresh_host.outputs[0].reminder().create_time().seconds());
}

TEST_F(ReciprocityTest, RecordedReminder_IsNeverEmittedAgain_OtherPluginsIgnored) {
  Emitted();
  const std::string r = Referral(Day(0), kAna, kMarco);
  auto record = [&](const std::string& plugin) {
    Feed(log_.Next(Day(1), "plugin:" + plugin, [&](v1::Event& e) {
      e.mutable_plugin_output()->set_plugin(plugin);
      pv1::Output* output = e.mutable_plugin_output()->mutable_output();
      output->set_chapter(log_.chapter());
      output->set_key("not_contacted:" + Id(r));
      pv1::Reminder* reminder = output->mutable_reminder();
      reminder->set_id(output->key());
      reminder->set_member(M(kMarco));
      reminder->set_kind("not_contacted");
      reminder->set_text("recorded by an earlier instance");
      reminder->add_about(r);
      reminder->add_about(M(kAna));
      *reminder->mutable_create_time() = At(Day(1));
    }));
  };
  record("another_plugin");
  record("reciprocity");  // e.g. an earlier build with not_contacted.days = 1
  Tick(Day(5));
  EXPECT_EQ(Ids{}, Emitted());
  EXPECT_EQ(Ids{"not_contacted:" + Id(r)}, Active(kMarco, Day(5)));
  Status(Day(6), r, v1::REFERRAL_STATUS_CONTACTED);
  EXPECT_EQ(Ids{}, Active(kMarco, Day(7)));
}

// --- config -------------------------------------------------------------------------------------

std::string ConfigError(const std::string& json) {
  try {
    ParseConfig(json);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "ok";
}

TEST(ReciprocityConfigTest, DefaultsMatchTheShippedDefaultConfig) {
  std::ifstream file(std::string(RECIPROCA_PLUGIN_CONFIG_DIR) + "/default_config.json");
  ASSERT_TRUE(file) << "default_config.json not found";
  std::stringstream text;
  text << file.rdbuf();
  const Config shipped = ParseConfig(text.str());
  const Config defaults = ParseConfig("{}");
  EXPECT_EQ(180, shipped.window_days);
  EXPECT_EQ(defaults.window_days, shipped.window_days);
  EXPECT_EQ(defaults.credibility_referrals, shipped.credibility_referrals);
  EXPECT_EQ(defaults.profitability_referrals, shipped.profitability_referrals);
  EXPECT_EQ(defaults.profitability_closed_business, shipped.profitability_closed_business);
  EXPECT_EQ(defaults.one_sided_referrals, shipped.one_sided_referrals);
  EXPECT_EQ(defaults.one_sided_days, shipped.one_sided_days);
  EXPECT_EQ(defaults.not_contacted_days, shipped.not_contacted_days);
  EXPECT_EQ(defaults.thank_you_missing_days, shipped.thank_you_missing_days);
  EXPECT_EQ(defaults.one_to_one_no_referral_days, shipped.one_to_one_no_referral_days);
  EXPECT_EQ(4, defaults.one_sided_referrals);
  EXPECT_EQ(90, defaults.one_sided_days);
  EXPECT_EQ(3, defaults.not_contacted_days);
  EXPECT_EQ(2, defaults.thank_you_missing_days);
  EXPECT_EQ(30, defaults.one_to_one_no_referral_days);
}

TEST(ReciprocityConfigTest, BadConfig_NamesTheKeyAndTheRule) {
  EXPECT_EQ("ok", ConfigError(""));
  EXPECT_EQ("reciprocity: config: must be a JSON object, got: {\"vcp\":", ConfigError("{\"vcp\":"));
  EXPECT_EQ(
      "reciprocity: config: unknown key \"reminders\"; one of vcp, one_sided, not_contacted, "
      "thank_you_missing, one_to_one_no_referral",
      ConfigError(R"({"reminders": {}})"));
  EXPECT_EQ(
      "reciprocity: config: unknown key \"one_sided.weeks\"; \"one_sided\" takes days, referrals",
      ConfigError(R"({"one_sided": {"weeks": 12}})"));
  EXPECT_EQ("reciprocity: config: \"one_sided.days\" must be an integer from 1 to 3650, got \"90\"",
            ConfigError(R"({"one_sided": {"days": "90"}})"));
  EXPECT_EQ("reciprocity: config: \"not_contacted.days\" must be an integer from 1 to 3650, got 0",
            ConfigError(R"({"not_contacted": {"days": 0}})"));
  EXPECT_EQ("reciprocity: config: \"vcp\" must be an object, got 180",
            ConfigError(R"({"vcp": 180})"));
  EXPECT_EQ(
      "reciprocity: config: \"vcp.profitability_referrals\" (1) must be at least "
      "\"vcp.credibility_referrals\" (2)",
      ConfigError(R"({"vcp": {"profitability_referrals": 1}})"));
}

TEST(ReciprocityConfigTest, BadConfig_FailsTheConstructor) {
  RecordingHost host;
  EXPECT_THROW(Reciprocity(host.host(), PluginConfigOf("[]")), std::invalid_argument);
}

// --- texts in the chapter's language ------------------------------------------------------------

TEST_F(ReciprocityTest, ItalianChapter_RemindersInItalian_ALanguageChangeReEmitsNothing) {
  SetLanguage(Day(0), "it");
  Emitted();
  for (int day : {0, 10, 20, 30}) {
    Referral(Day(day) + kHour, kAna, kLuca);
  }
  EXPECT_EQ(Ids{"one_sided:2:1:1"}, Emitted("one_sided"));
  EXPECT_EQ(
      "Ana Rossi ti ha passato 4 referenze in 90 giorni e tu ancora nessuna: un one-to-one per "
      "capire di cosa ha bisogno Ana Rossi?",
      Last().text());
  EXPECT_EQ("one_sided", Last().kind());
  ASSERT_EQ(3, Last().params_size());
  EXPECT_EQ("days", Last().params(0).name()) << "sorted by name";
  EXPECT_EQ("90", Param(Last().params(), "days"));
  EXPECT_EQ("Ana Rossi", Param(Last().params(), "giver"));
  EXPECT_EQ("4", Param(Last().params(), "referrals"));

  // The chapter turns Spanish: the same reminder, now worded in Spanish; nothing is emitted.
  SetLanguage(Day(31), "es");
  Tick(Day(32));
  EXPECT_EQ(Ids{}, Emitted());
  std::map<std::string, std::string> spanish;  // id -> text
  const pv1::Reminders listed = RemindersOf(kLuca, Day(32));
  for (const pv1::Reminder& r : listed.reminders()) {
    spanish[r.id()] = r.text();
  }
  EXPECT_EQ(
      "Ana Rossi te ha pasado 4 referencias en 90 d\u00edas y t\u00fa ninguna todav\u00eda: "
      "\u00bfuna reuni\u00f3n uno a uno para saber qu\u00e9 necesita Ana Rossi?",
      spanish["one_sided:2:1:1"]);
}

TEST_F(ReciprocityTest, ItalianAndSpanish_DatesAndInsideReferrals) {
  SetLanguage(Day(0), "it-IT");
  Emitted();
  const std::string outside = Referral(Day(0), kAna, kMarco);
  const std::string inside = Referral(Day(0), kLuca, kMarco, /*contact=*/"", /*temperature=*/0);
  Tick(Day(3) + kHour);
  const pv1::Reminders italian = RemindersOf(kMarco, Day(3) + kHour);
  ASSERT_EQ(2, italian.reminders_size());
  std::map<std::string, std::string> texts;
  for (const pv1::Reminder& r : italian.reminders()) {
    texts[r.id()] = r.text();
  }
  EXPECT_EQ(
      "La referenza di Ana Rossi (Giulia Blu, temperatura 4) aspetta la tua chiamata dal 1 "
      "dicembre 2026: una chiamata oggi la tiene calda.",
      texts["not_contacted:" + Id(outside)]);
  EXPECT_EQ(
      "La referenza di Luca Verdi (interna: Luca Verdi \u00e8 il cliente) aspetta la tua "
      "chiamata dal 1 dicembre 2026: una chiamata oggi la tiene calda.",
      texts["not_contacted:" + Id(inside)]);
  SetLanguage(Day(3) + 2 * kHour, "es");
  const pv1::Reminders spanish = RemindersOf(kMarco, Day(3) + 2 * kHour);
  for (const pv1::Reminder& r : spanish.reminders()) {
    if (r.id() == "not_contacted:" + Id(outside)) {
      EXPECT_EQ(
          "La referencia de Ana Rossi (Giulia Blu, temperatura 4) espera tu llamada desde el 1 de "
          "diciembre de 2026: una llamada hoy la mantiene caliente.",
          r.text());
      EXPECT_EQ("2026-12-01", Param(r.params(), "given_on"));
      EXPECT_EQ("no", Param(r.params(), "inside"));
    }
  }
}

TEST_F(ReciprocityTest, AReminderRecordedWithoutParams_KeepsItsRecordedText) {
  SetLanguage(Day(0), "it");
  const std::string r = Referral(Day(0), kAna, kMarco);
  // Recorded by an earlier version of the plugin: English text, no parameters.
  Feed(log_.Next(Day(1), "plugin:reciprocity", [&](v1::Event& e) {
    e.mutable_plugin_output()->set_plugin("reciprocity");
    pv1::Output* output = e.mutable_plugin_output()->mutable_output();
    output->set_key("not_contacted:" + Id(r));
    pv1::Reminder* reminder = output->mutable_reminder();
    reminder->set_id(output->key());
    reminder->set_member(M(kMarco));
    reminder->set_kind("not_contacted");
    reminder->set_text("The referral from Ana Rossi is waiting for your call.");
    reminder->add_about(r);
    reminder->add_about(M(kAna));
    *reminder->mutable_create_time() = At(Day(1));
  }));
  const pv1::Reminders listed = RemindersOf(kMarco, Day(4));
  ASSERT_EQ(1, listed.reminders_size());
  EXPECT_EQ("The referral from Ana Rossi is waiting for your call.", listed.reminders(0).text());
}

TEST_F(ReciprocityTest, Vcp_ExplanationInTheChaptersLanguage_WithKindAndParams) {
  SetLanguage(Day(0), "es");
  OneToOne(Day(0.1), kAna, kLuca);
  Referral(Day(0.2), kAna, kLuca);
  Referral(Day(0.3), kAna, kLuca);
  const pv1::Relationship r = Between(kAna, kLuca, Day(1));
  EXPECT_EQ(
      "Ana Rossi -> Luca Verdi: Credibilidad (2 referencias en 180 d\u00edas); Luca Verdi -> Ana "
      "Rossi: Visibilidad (ninguna referencia en 180 d\u00edas); 1 reuni\u00f3n uno a uno",
      r.explanation());
  EXPECT_EQ("vcp", r.kind());
  EXPECT_EQ("credibility", Param(r.params(), "a_to_b_level"));
  EXPECT_EQ("2", Param(r.params(), "a_to_b_referrals"));
  EXPECT_EQ("visibility", Param(r.params(), "b_to_a_level"));
  EXPECT_EQ("1", Param(r.params(), "one_to_ones"));
  EXPECT_EQ("Luca Verdi", Param(r.params(), "member_b_name"));
  SetLanguage(Day(1), "it");
  EXPECT_EQ(
      "Ana Rossi -> Luca Verdi: Credibilit\u00e0 (2 referenze in 180 giorni); Luca Verdi -> Ana "
      "Rossi: Visibilit\u00e0 (nessuna referenza in 180 giorni); 1 one-to-one",
      Between(kAna, kLuca, Day(2)).explanation());
}

}  // namespace
}  // namespace reciproca::reciprocity
