#include "server/push/notification.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/domain/chapter_test_support.h"

namespace reciproca::push {
namespace {

using domain::testing::At;
using domain::testing::kNow;
using nlohmann::json;

class NotificationTest : public domain::testing::RosterChapterTest {
 protected:
  std::vector<Notice> Notices(const v1::Event& event, std::vector<std::string>* cancels = nullptr) {
    std::vector<Notice> notices;
    std::vector<std::string> ignored;
    NoticesOf(event, chapter_, now_, rules_, &notices, cancels ? cancels : &ignored);
    return notices;
  }

  NoticeRules rules_;
};

TEST_F(NotificationTest, ReferralGiven_TellsTheReceiverWithoutTheContactsDetails) {
  v1::Event event;
  v1::Referral* r = event.mutable_referral_given()->mutable_referral();
  r->set_giver(ana_);
  r->set_receiver(bruno_);
  r->set_temperature(5);
  r->set_kind(v1::REFERRAL_KIND_OUTSIDE);
  r->set_contact_name("Dario Esterno");
  r->set_contact_phone("+39 333 1234567");
  r->set_contact_email("dario@example.org");
  std::vector<Notice> notices = Notices(event);
  ASSERT_EQ(1u, notices.size());
  EXPECT_EQ(bruno_, notices[0].member);
  EXPECT_EQ(v1::PUSH_KIND_REFERRAL, notices[0].kind);
  EXPECT_EQ("high", notices[0].urgency);
  EXPECT_EQ(now_, notices[0].due);
  const json payload = json::parse(notices[0].payload);
  EXPECT_EQ("referral", payload["kind"]);
  EXPECT_EQ("Ana Rossi passed you a referral (temperature 5 of 5). Open Reciproca to call.",
            payload["body"]);
  for (const char* secret : {"333", "dario@", "Dario"}) {
    EXPECT_EQ(std::string::npos, notices[0].payload.find(secret)) << secret;
  }
}

TEST_F(NotificationTest, ImportedRecords_NotifyNobody) {
  v1::Event event;
  event.set_imported_from("chapters/rome/imports/abc");
  v1::ThankYou* t = event.mutable_thank_you_recorded()->mutable_thank_you();
  t->set_from_member(ana_);
  t->set_to_member(bruno_);
  EXPECT_TRUE(Notices(event).empty());
}

TEST_F(NotificationTest, MeetingScheduled_GoesTheLeadTimeBeforeOrAtOnceWithTheMinutesLeft) {
  const std::string later = ScheduleMeeting(kNow + 3600);
  v1::Event event;
  event.mutable_meeting_scheduled()->set_meeting(later);
  event.mutable_meeting_scheduled()->mutable_start_time()->set_seconds(kNow + 3600);
  std::vector<Notice> notices = Notices(event);
  ASSERT_EQ(1u, notices.size());
  EXPECT_EQ("", notices[0].member);  // everyone
  EXPECT_EQ(At(kNow + 3600 - 15 * 60), notices[0].due);
  EXPECT_EQ(At(kNow + 3600), notices[0].expires);
  EXPECT_EQ("meeting:" + later, notices[0].tag);
  EXPECT_EQ("Rome Centro Breakfast starts in 15 minutes.", json::parse(notices[0].payload)["body"]);

  rules_.meeting_lead = std::chrono::minutes(30);
  event.mutable_meeting_scheduled()->mutable_start_time()->set_seconds(kNow + 61);
  notices = Notices(event);
  ASSERT_EQ(1u, notices.size());
  EXPECT_EQ(now_, notices[0].due);
  EXPECT_EQ("Rome Centro Breakfast starts in 2 minutes.", json::parse(notices[0].payload)["body"]);

  v1::Event cancelled;
  cancelled.mutable_meeting_cancelled()->set_meeting(later);
  std::vector<std::string> cancels;
  EXPECT_TRUE(Notices(cancelled, &cancels).empty());
  EXPECT_EQ(std::vector<std::string>{"meeting:" + later}, cancels);
}

TEST_F(NotificationTest, NotContactedReminder_IsThePluginsTextForTheReceiver) {
  v1::Event event;
  plugin::v1::Reminder* r = event.mutable_plugin_output()->mutable_output()->mutable_reminder();
  r->set_member(bruno_);
  r->set_kind("not_contacted");
  r->set_text("The referral from Ana Rossi is waiting for your call since 2023-11-14.");
  std::vector<Notice> notices = Notices(event);
  ASSERT_EQ(1u, notices.size());
  EXPECT_EQ(v1::PUSH_KIND_NOT_CONTACTED, notices[0].kind);
  EXPECT_EQ(r->text(), json::parse(notices[0].payload)["body"]);
  EXPECT_EQ("A referral is waiting for your call", json::parse(notices[0].payload)["title"]);
  r->set_kind("one_sided");
  EXPECT_TRUE(Notices(event).empty());
}

TEST_F(NotificationTest, VisitorFollowedUp_TellsTheInviter) {
  Notice n = VisitorFollowedUpNotice(chapter_, carla_, "Elena Ospite", "Paola Presidente", now_);
  EXPECT_EQ(carla_, n.member);
  EXPECT_EQ(v1::PUSH_KIND_VISITOR_FOLLOWED_UP, n.kind);
  EXPECT_EQ("Elena Ospite, whom you invited, has been followed up by Paola Presidente.",
            json::parse(n.payload)["body"]);
}

TEST_F(NotificationTest, VisitorMovedToFollowedUp_TellsTheInviter_OtherMovesNobody) {
  v1::Event event;
  event.set_actor(bruno_);
  v1::Visitor* visitor = event.mutable_visitor_state_changed()->mutable_visitor();
  visitor->set_display_name("Elena Ospite");
  visitor->set_invited_by(carla_);
  visitor->set_state(v1::VISITOR_STATE_FOLLOWED_UP);
  std::vector<Notice> notices = Notices(event);
  ASSERT_EQ(1u, notices.size());
  EXPECT_EQ(carla_, notices[0].member);
  EXPECT_EQ(v1::PUSH_KIND_VISITOR_FOLLOWED_UP, notices[0].kind);
  const std::string body = json::parse(notices[0].payload)["body"];
  EXPECT_EQ(body.rfind("Elena Ospite, whom you invited, has been followed up by ", 0), 0u) << body;
  EXPECT_EQ(std::string::npos, body.find("chapters/")) << body;
  visitor->set_state(v1::VISITOR_STATE_APPLIED);
  EXPECT_TRUE(Notices(event).empty());
}

TEST(PushKindsTest, NoChoiceMeansEveryKindAndMasksRoundTrip) {
  EXPECT_EQ(AllKinds(), KindsMask({}));
  EXPECT_EQ(5u, KindsOf(AllKinds()).size());
  const int64_t two = KindsMask({v1::PUSH_KIND_THANKED, v1::PUSH_KIND_MEETING_SOON});
  EXPECT_EQ((std::vector<v1::PushKind>{v1::PUSH_KIND_THANKED, v1::PUSH_KIND_MEETING_SOON}),
            KindsOf(two));
  EXPECT_EQ(0, KindsMask({static_cast<v1::PushKind>(40)}));
}

}  // namespace
}  // namespace reciproca::push
