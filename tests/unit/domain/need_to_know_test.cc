// The need-to-know rule (server/domain/need_to_know.h), without a server.

#include "server/domain/need_to_know.h"

#include <gtest/gtest.h>

namespace reciproca::domain {
namespace {

constexpr char kGiver[] = "chapters/rome/members/2";
constexpr char kReceiver[] = "chapters/rome/members/3";
constexpr char kOther[] = "chapters/rome/members/4";

Viewer Member(const std::string& name, bool organizer = false) {
  return Viewer{Principal::Kind::kMember, name, organizer};
}
Viewer Display() { return Viewer{Principal::Kind::kDisplay, "", false}; }
Viewer Admin() { return Viewer{Principal::Kind::kAdmin, "", false}; }

v1::Referral OutsideReferral() {
  v1::Referral r;
  r.set_name("chapters/rome/referrals/9");
  r.set_giver(kGiver);
  r.set_receiver(kReceiver);
  r.set_kind(v1::REFERRAL_KIND_OUTSIDE);
  r.set_contact_name("Giulia Verdi");
  r.set_contact_phone("+39 06 555 1234");
  r.set_contact_email("giulia@verdi.example");
  r.set_note("call after 18:00");
  r.set_temperature(4);
  return r;
}

v1::Member WithContact() {
  v1::Member m;
  m.set_name(kOther);
  m.set_display_name("Carla");
  m.set_email("carla@example.com");
  m.set_phone("+39 333 000 1111");
  m.set_role(v1::ROLE_MEMBER);
  m.set_state(v1::MEMBER_STATE_ACTIVE);
  return m;
}

TEST(NeedToKnowTest, Referral_ContactAndNoteForPartiesOrganizersAndAdminOnly) {
  for (const Viewer& full : {Member(kGiver), Member(kReceiver), Member(kOther, true), Admin()}) {
    v1::Referral r = OutsideReferral();
    Redact(full, &r);
    EXPECT_EQ(r.contact_name(), "Giulia Verdi") << full.member;
    EXPECT_EQ(r.note(), "call after 18:00");
  }
  for (const Viewer& other : {Member(kOther), Display()}) {
    v1::Referral r = OutsideReferral();
    Redact(other, &r);
    EXPECT_EQ(r.contact_name(), "");
    EXPECT_EQ(r.contact_phone(), "");
    EXPECT_EQ(r.contact_email(), "");
    EXPECT_EQ(r.note(), "");
    // That it was passed stays.
    EXPECT_EQ(r.giver(), kGiver);
    EXPECT_EQ(r.receiver(), kReceiver);
    EXPECT_EQ(r.temperature(), 4);
    EXPECT_EQ(r.kind(), v1::REFERRAL_KIND_OUTSIDE);
  }
}

TEST(NeedToKnowTest, Member_ContactForMembersNeverForTheDisplay) {
  v1::Member seen = WithContact();
  Redact(Member(kGiver), &seen);
  EXPECT_EQ(seen.email(), "carla@example.com");
  Redact(Display(), &seen);
  EXPECT_EQ(seen.email(), "");
  EXPECT_EQ(seen.phone(), "");
  EXPECT_EQ(seen.display_name(), "Carla");
}

TEST(NeedToKnowTest, Meeting_EachVisitorForItsHost) {
  v1::Meeting meeting;
  for (const char* host : {kGiver, kReceiver}) {
    v1::Visitor* v = meeting.add_visitors();
    v->set_invited_by(host);
    v->set_email("v@example.com");
    v->set_phone("+39 347 000 0000");
  }
  Redact(Member(kGiver), &meeting);
  EXPECT_EQ(meeting.visitors(0).email(), "v@example.com");
  EXPECT_EQ(meeting.visitors(1).email(), "");
  EXPECT_EQ(meeting.visitors(1).phone(), "");
}

TEST(NeedToKnowTest, Event_RedactedAsItsRecordAndOnlyEventsWithPersonalDataDiffer) {
  v1::Event given;
  *given.mutable_referral_given()->mutable_referral() = OutsideReferral();
  EXPECT_TRUE(HasPersonalData(given));
  EXPECT_EQ(PartiesOf(given), (std::vector<std::string>{kGiver, kReceiver}));
  v1::Event seen = given;
  Redact(Member(kOther), &seen);
  EXPECT_EQ(seen.referral_given().referral().contact_name(), "");
  seen = given;
  Redact(Member(kReceiver), &seen);
  EXPECT_EQ(seen.referral_given().referral().contact_name(), "Giulia Verdi");

  v1::Event opened;
  opened.mutable_meeting_opened()->set_meeting("chapters/rome/meetings/5");
  EXPECT_FALSE(HasPersonalData(opened));
  v1::Event copy = opened;
  Redact(View::kDisplay, &copy);
  EXPECT_EQ(copy.SerializeAsString(), opened.SerializeAsString());
}

TEST(NeedToKnowTest, ViewFor_TheDisplayNeverSeesInFull) {
  const std::string parties[] = {""};
  EXPECT_EQ(ViewFor(Display(), parties), View::kDisplay);
  EXPECT_EQ(ViewFor(Admin(), {}), View::kFull);
  EXPECT_EQ(ViewFor(Member(kOther), {}), View::kOthers);
  EXPECT_EQ(ViewFor(Member(kOther, true), {}), View::kFull);
}

TEST(NeedToKnowTest, RoleSetBy_PromotionsDemotionsAndLeaving) {
  v1::Event promoted;
  v1::Member* m = promoted.mutable_member_updated()->mutable_member();
  *m = WithContact();
  m->set_role(v1::ROLE_VICE_PRESIDENT);
  auto change = RoleSetBy(promoted);
  ASSERT_TRUE(change);
  EXPECT_EQ(change->member, kOther);
  EXPECT_TRUE(change->organizer);

  v1::Event left;
  left.mutable_member_left()->set_member(kOther);
  change = RoleSetBy(left);
  ASSERT_TRUE(change);
  EXPECT_FALSE(change->organizer);

  v1::Event opened;
  opened.mutable_meeting_opened()->set_meeting("chapters/rome/meetings/5");
  EXPECT_FALSE(RoleSetBy(opened));
}

}  // namespace
}  // namespace reciproca::domain
