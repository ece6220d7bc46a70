#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;

class PermissionsTest : public testing::RosterChapterTest {
 protected:
  v1::GiveReferralRequest Referral(const std::string& receiver) {
    v1::GiveReferralRequest request;
    request.set_parent(kChapter);
    request.mutable_referral()->set_receiver(receiver);
    request.mutable_referral()->set_temperature(3);
    return request;
  }
};

TEST_F(PermissionsTest, Display_CannotDecideAnything) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(Display(), Referral(ana_)),
                      ErrorCode::kPermissionDenied, {"read-only"}));
  v1::ScheduleMeetingRequest schedule;
  schedule.mutable_start_time()->set_seconds(testing::kNow);
  EXPECT_TRUE(
      IsError(chapter_.DecideScheduleMeeting(Display(), schedule), ErrorCode::kPermissionDenied));
  v1::CheckInRequest check_in;
  EXPECT_TRUE(IsError(chapter_.DecideCheckIn(Display(), check_in), ErrorCode::kPermissionDenied));
}

TEST_F(PermissionsTest, Display_CanRead) {
  EXPECT_TRUE(chapter_.CheckCanRead(Display().principal).ok());
  Principal other{Principal::Kind::kDisplay, "chapters/milan", ""};
  EXPECT_TRUE(IsError(chapter_.CheckCanRead(other), ErrorCode::kPermissionDenied));
}

TEST_F(PermissionsTest, MemberOfAnotherChapter_IsDenied) {
  Context stranger{
      Principal{Principal::Kind::kMember, "chapters/milan", "chapters/milan/members/3"}, now_,
      testing::Zones()};
  EXPECT_TRUE(
      IsError(chapter_.DecideGiveReferral(stranger, Referral(ana_)), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(IsError(chapter_.CheckCanRead(stranger.principal), ErrorCode::kPermissionDenied));
}

TEST_F(PermissionsTest, LeftMember_IsDeniedEverythingIncludingReads) {
  RemoveMember(bruno_);
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(bruno_), Referral(ana_)),
                      ErrorCode::kPermissionDenied));
  EXPECT_TRUE(IsError(chapter_.CheckCanRead(As(bruno_).principal), ErrorCode::kPermissionDenied));
}

TEST_F(PermissionsTest, LeftOrganizer_LosesOrganizerRights) {
  RemoveMember(president_);
  v1::ScheduleMeetingRequest schedule;
  schedule.mutable_start_time()->set_seconds(testing::kNow);
  EXPECT_TRUE(IsError(chapter_.DecideScheduleMeeting(As(president_), schedule),
                      ErrorCode::kPermissionDenied));
}

TEST_F(PermissionsTest, ActiveMemberAndAdmin_CanRead) {
  EXPECT_TRUE(chapter_.CheckCanRead(As(ana_).principal).ok());
  EXPECT_TRUE(chapter_.CheckCanRead(Admin().principal).ok());
}

TEST_F(PermissionsTest, UnknownMemberPrincipal_IsDenied) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As("chapters/rome/members/999"), Referral(ana_)),
                      ErrorCode::kPermissionDenied));
}

TEST_F(PermissionsTest, Admin_MustGiveOnBehalfOf) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(Admin(), Referral(ana_)),
                      ErrorCode::kInvalidArgument, {"on_behalf_of"}));
}

TEST_F(PermissionsTest, Admin_OnBehalfOfFillsEvent) {
  auto request = Referral(ana_);
  request.set_on_behalf_of(bruno_);
  auto r = chapter_.DecideGiveReferral(Admin(), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].actor(), "admin");
  EXPECT_EQ((*r)[0].on_behalf_of(), bruno_);
  EXPECT_EQ((*r)[0].referral_given().referral().giver(), bruno_);
}

TEST_F(PermissionsTest, OrganizerMember_OnBehalfOfFillsEvent) {
  auto request = Referral(ana_);
  request.set_on_behalf_of(bruno_);
  auto r = chapter_.DecideGiveReferral(As(president_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].actor(), president_);
  EXPECT_EQ((*r)[0].on_behalf_of(), bruno_);
}

TEST_F(PermissionsTest, OrdinaryMember_CannotUseOnBehalfOf) {
  auto request = Referral(ana_);
  request.set_on_behalf_of(carla_);
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(bruno_), request),
                      ErrorCode::kPermissionDenied, {"on_behalf_of"}));
}

TEST_F(PermissionsTest, OnBehalfOf_MustBeActiveMemberOfThisChapter) {
  auto request = Referral(ana_);
  request.set_on_behalf_of("chapters/rome/members/999");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(Admin(), request), ErrorCode::kNotFound,
                      {"on_behalf_of"}));
  request.set_on_behalf_of("bruno");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(Admin(), request), ErrorCode::kInvalidArgument,
                      {"on_behalf_of"}));
  request.set_on_behalf_of("chapters/milan/members/4");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(Admin(), request), ErrorCode::kInvalidArgument,
                      {"on_behalf_of", "not in chapters/rome"}));
  RemoveMember(carla_);
  request.set_on_behalf_of(carla_);
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(Admin(), request), ErrorCode::kFailedPrecondition,
                      {"on_behalf_of", "has left"}));
}

TEST_F(PermissionsTest, GiverFieldInRequestIsIgnored) {
  auto request = Referral(ana_);
  request.mutable_referral()->set_giver(carla_);
  auto r = chapter_.DecideGiveReferral(As(bruno_), request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].referral_given().referral().giver(), bruno_);
  EXPECT_EQ((*r)[0].on_behalf_of(), "");
}

TEST_F(PermissionsTest, AdminMustNameMemberForMemberCommands) {
  v1::RecordThankYouRequest thank_you;
  thank_you.mutable_thank_you()->set_to_member(ana_);
  thank_you.mutable_thank_you()->mutable_amount()->set_amount("10");
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(Admin(), thank_you),
                      ErrorCode::kInvalidArgument, {"on_behalf_of"}));
  v1::RecordOneToOneRequest one_to_one;
  one_to_one.mutable_one_to_one()->set_with_member(ana_);
  EXPECT_TRUE(IsError(chapter_.DecideRecordOneToOne(Admin(), one_to_one),
                      ErrorCode::kInvalidArgument, {"on_behalf_of"}));
  v1::RecordEducationRequest education;
  education.mutable_education()->set_credits(1);
  EXPECT_TRUE(IsError(chapter_.DecideRecordEducation(Admin(), education),
                      ErrorCode::kInvalidArgument, {"on_behalf_of"}));
  v1::RecordTestimonialRequest testimonial;
  testimonial.mutable_testimonial()->set_for_member(ana_);
  testimonial.mutable_testimonial()->set_text("Great");
  EXPECT_TRUE(IsError(chapter_.DecideRecordTestimonial(Admin(), testimonial),
                      ErrorCode::kInvalidArgument, {"on_behalf_of"}));
  v1::UpdateReferralStatusRequest status;
  status.set_name("chapters/rome/referrals/1");
  status.set_status(v1::REFERRAL_STATUS_CONTACTED);
  EXPECT_TRUE(IsError(chapter_.DecideUpdateReferralStatus(Admin(), status),
                      ErrorCode::kInvalidArgument, {"on_behalf_of"}));
}

TEST_F(PermissionsTest, OrganizerCommands_RejectOrdinaryMembers) {
  v1::ScheduleMeetingRequest schedule;
  schedule.mutable_start_time()->set_seconds(testing::kNow);
  EXPECT_TRUE(
      IsError(chapter_.DecideScheduleMeeting(As(ana_), schedule), ErrorCode::kPermissionDenied));
  std::string meeting = ScheduleMeeting(testing::kNow + 3600);
  v1::OpenMeetingRequest open;
  open.set_name(meeting);
  EXPECT_TRUE(IsError(chapter_.DecideOpenMeeting(As(ana_), open), ErrorCode::kPermissionDenied));
  OpenMeeting(meeting);
  v1::StartSegmentRequest segment;
  segment.set_name(meeting);
  segment.set_title("Welcome");
  EXPECT_TRUE(
      IsError(chapter_.DecideStartSegment(As(ana_), segment), ErrorCode::kPermissionDenied));
  v1::RecordAttendanceRequest attendance;
  attendance.set_meeting(meeting);
  attendance.set_member(bruno_);
  attendance.set_status(v1::ATTENDANCE_STATUS_MEDICAL);
  EXPECT_TRUE(
      IsError(chapter_.DecideRecordAttendance(As(ana_), attendance), ErrorCode::kPermissionDenied));
  v1::CloseMeetingRequest close;
  close.set_name(meeting);
  EXPECT_TRUE(IsError(chapter_.DecideCloseMeeting(As(ana_), close), ErrorCode::kPermissionDenied));
  // A leadership role is enough.
  EXPECT_TRUE(chapter_.DecideCloseMeeting(As(president_), close).ok());
}

TEST(Principal, ATokenOpensItsOwnChapterOnlyAndTheAdminsEvery) {
  const Principal member{Principal::Kind::kMember, "chapters/rome", "chapters/rome/members/2"};
  const Principal display{Principal::Kind::kDisplay, "chapters/rome", ""};
  const Principal admin{Principal::Kind::kAdmin, "", ""};
  for (const Principal* p : {&member, &display}) {
    EXPECT_TRUE(p->Opens("chapters/rome"));
    EXPECT_FALSE(p->Opens("chapters/milan"));
    EXPECT_FALSE(p->Opens("chapters/rome/members/2"));
    EXPECT_FALSE(p->Opens(""));
  }
  EXPECT_TRUE(admin.Opens("chapters/rome"));
  EXPECT_TRUE(admin.Opens("chapters/milan"));
}

}  // namespace
}  // namespace reciproca::domain
