#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;
using testing::kNow;

class ReferralsTest : public testing::RosterChapterTest {
 protected:
  v1::GiveReferralRequest Request(const std::string& receiver, int temperature = 3) {
    v1::GiveReferralRequest request;
    request.set_parent(kChapter);
    request.mutable_referral()->set_receiver(receiver);
    request.mutable_referral()->set_temperature(temperature);
    return request;
  }

  Result<Events> Move(const Context& ctx, const std::string& referral, v1::ReferralStatus status,
                      const std::string& on_behalf_of = "") {
    v1::UpdateReferralStatusRequest request;
    request.set_name(referral);
    request.set_status(status);
    request.set_on_behalf_of(on_behalf_of);
    return chapter_.DecideUpdateReferralStatus(ctx, request);
  }
};

TEST_F(ReferralsTest, GiveReferral_EmitsCompleteInsideReferral) {
  auto request = Request(bruno_, 5);
  request.mutable_referral()->set_note("  needs a new boiler  ");
  request.mutable_referral()->set_status(v1::REFERRAL_STATUS_CLOSED_WON);  // output only
  auto r = chapter_.DecideGiveReferral(As(ana_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const v1::Event& e = (*r)[0];
  EXPECT_EQ(e.seq(), chapter_.last_seq() + 1);
  EXPECT_EQ(e.chapter(), kChapter);
  EXPECT_EQ(e.actor(), ana_);
  EXPECT_EQ(e.on_behalf_of(), "");
  EXPECT_EQ(e.time().seconds(), kNow);
  const v1::Referral& ref = e.referral_given().referral();
  EXPECT_EQ(ref.name(), "chapters/rome/referrals/" + std::to_string(e.seq()));
  EXPECT_EQ(ref.giver(), ana_);
  EXPECT_EQ(ref.receiver(), bruno_);
  EXPECT_EQ(ref.kind(), v1::REFERRAL_KIND_INSIDE);
  EXPECT_EQ(ref.temperature(), 5);
  EXPECT_EQ(ref.note(), "needs a new boiler");
  EXPECT_EQ(ref.status(), v1::REFERRAL_STATUS_GIVEN);
  EXPECT_EQ(ref.create_time().seconds(), kNow);
  EXPECT_EQ(ref.update_time().seconds(), kNow);
  ApplyAll(r);
  auto got = chapter_.GetReferral(ref.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->receiver(), bruno_);
}

TEST_F(ReferralsTest, GiveReferral_RejectsSelfReferral) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), Request(ana_)),
                      ErrorCode::kInvalidArgument,
                      {"referral.receiver", "a member cannot refer to themself"}));
}

TEST_F(ReferralsTest, GiveReferral_RejectsTemperatureOutOfRange) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), Request(bruno_, 6)),
                      ErrorCode::kInvalidArgument,
                      {"referral.temperature: must be between 1 and 5, got 6"}));
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), Request(bruno_, 0)),
                      ErrorCode::kInvalidArgument, {"referral.temperature", "got 0"}));
  EXPECT_TRUE(chapter_.DecideGiveReferral(As(ana_), Request(bruno_, 1)).ok());
}

TEST_F(ReferralsTest, GiveReferral_RejectsMissingReceiver) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), Request("")),
                      ErrorCode::kInvalidArgument, {"referral.receiver"}));
}

TEST_F(ReferralsTest, GiveReferral_RejectsMalformedReceiver) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), Request("bruno")),
                      ErrorCode::kInvalidArgument, {"referral.receiver"}));
}

TEST_F(ReferralsTest, GiveReferral_RejectsReceiverOfAnotherChapter) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), Request("chapters/milan/members/4")),
                      ErrorCode::kInvalidArgument,
                      {"referral.receiver", "is not in chapters/rome"}));
}

TEST_F(ReferralsTest, GiveReferral_RejectsUnknownReceiver) {
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), Request("chapters/rome/members/99")),
                      ErrorCode::kNotFound, {"referral.receiver"}));
}

TEST_F(ReferralsTest, GiveReferral_RejectsReceiverWhoLeft) {
  RemoveMember(carla_);
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), Request(carla_)),
                      ErrorCode::kFailedPrecondition,
                      {"referral.receiver", "has left the chapter"}));
}

TEST_F(ReferralsTest, GiveReferral_ContactFieldsMakeItOutside) {
  auto request = Request(bruno_);
  request.mutable_referral()->set_contact_name("Luca Cliente");
  request.mutable_referral()->set_contact_phone("+39 333 7654321");
  auto r = chapter_.DecideGiveReferral(As(ana_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].referral_given().referral().kind(), v1::REFERRAL_KIND_OUTSIDE);
}

TEST_F(ReferralsTest, GiveReferral_OutsideNeedsContactName) {
  auto request = Request(bruno_);
  request.mutable_referral()->set_kind(v1::REFERRAL_KIND_OUTSIDE);
  request.mutable_referral()->set_contact_email("luca@example.com");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"referral.contact_name"}));
}

TEST_F(ReferralsTest, GiveReferral_OutsideNeedsPhoneOrEmail) {
  auto request = Request(bruno_);
  request.mutable_referral()->set_contact_name("Luca Cliente");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"referral.contact_phone", "contact_email"}));
  request.mutable_referral()->set_contact_email("luca@example.com");
  EXPECT_TRUE(chapter_.DecideGiveReferral(As(ana_), request).ok());
}

TEST_F(ReferralsTest, GiveReferral_ValidatesContactEmailAndPhone) {
  auto request = Request(bruno_);
  request.mutable_referral()->set_contact_name("Luca Cliente");
  request.mutable_referral()->set_contact_email("luca.example.com");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"referral.contact_email"}));
  request.mutable_referral()->set_contact_email("");
  request.mutable_referral()->set_contact_phone("abc");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"referral.contact_phone"}));
}

TEST_F(ReferralsTest, GiveReferral_RejectsTooLongNote) {
  auto request = Request(bruno_);
  request.mutable_referral()->set_note(std::string(1001, 'n'));
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"referral.note"}));
  request.mutable_referral()->set_note(std::string(1000, 'n'));
  EXPECT_TRUE(chapter_.DecideGiveReferral(As(ana_), request).ok());
}

TEST_F(ReferralsTest, GiveReferral_MeetingMustExist) {
  auto request = Request(bruno_);
  request.mutable_referral()->set_meeting("chapters/rome/meetings/999");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kNotFound,
                      {"referral.meeting"}));
  request.mutable_referral()->set_meeting("chapters/milan/meetings/1");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"referral.meeting"}));
  std::string meeting = ScheduleMeeting(kNow);
  request.mutable_referral()->set_meeting(meeting);
  auto r = chapter_.DecideGiveReferral(As(ana_), request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].referral_given().referral().meeting(), meeting);
}

TEST_F(ReferralsTest, GiveReferral_RejectsUnknownKind) {
  auto request = Request(bruno_);
  request.mutable_referral()->set_kind(static_cast<v1::ReferralKind>(7));
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"referral.kind"}));
}

TEST_F(ReferralsTest, UpdateReferralStatus_ReceiverMovesForward) {
  std::string ref = GiveReferral(ana_, bruno_);
  now_ += std::chrono::hours(24);
  auto r = Move(As(bruno_), ref, v1::REFERRAL_STATUS_CONTACTED);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::ReferralStatusChanged& c = (*r)[0].referral_status_changed();
  EXPECT_EQ(c.referral(), ref);
  EXPECT_EQ(c.from_status(), v1::REFERRAL_STATUS_GIVEN);
  EXPECT_EQ(c.to_status(), v1::REFERRAL_STATUS_CONTACTED);
  ApplyAll(r);
  auto got = chapter_.GetReferral(ref);
  EXPECT_EQ(got->status(), v1::REFERRAL_STATUS_CONTACTED);
  EXPECT_EQ(got->update_time().seconds(), kNow + 86400);
  EXPECT_EQ(got->create_time().seconds(), kNow);
  // Stages may be skipped.
  EXPECT_TRUE(Move(As(bruno_), ref, v1::REFERRAL_STATUS_NOT_PURSUED).ok());
}

TEST_F(ReferralsTest, UpdateReferralStatus_OnlyTheReceiver) {
  std::string ref = GiveReferral(ana_, bruno_);
  EXPECT_TRUE(
      IsError(Move(As(ana_), ref, v1::REFERRAL_STATUS_CONTACTED), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(IsError(Move(As(president_), ref, v1::REFERRAL_STATUS_CONTACTED),
                      ErrorCode::kPermissionDenied));
}

TEST_F(ReferralsTest, UpdateReferralStatus_OrganizerOnBehalfOfReceiver) {
  std::string ref = GiveReferral(ana_, bruno_);
  auto r = Move(As(president_), ref, v1::REFERRAL_STATUS_CONTACTED, bruno_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].on_behalf_of(), bruno_);
  EXPECT_TRUE(IsError(Move(Admin(), ref, v1::REFERRAL_STATUS_CONTACTED, ana_),
                      ErrorCode::kPermissionDenied));
}

TEST_F(ReferralsTest, UpdateReferralStatus_RejectsSameOrBackwardsNamingFromAndTo) {
  std::string ref = GiveReferral(ana_, bruno_);
  EXPECT_TRUE(IsError(Move(As(bruno_), ref, v1::REFERRAL_STATUS_GIVEN),
                      ErrorCode::kFailedPrecondition,
                      {"REFERRAL_STATUS_GIVEN to REFERRAL_STATUS_GIVEN"}));
  SetReferralStatus(bruno_, ref, v1::REFERRAL_STATUS_MEETING_SET);
  EXPECT_TRUE(IsError(Move(As(bruno_), ref, v1::REFERRAL_STATUS_CONTACTED),
                      ErrorCode::kFailedPrecondition,
                      {"from REFERRAL_STATUS_MEETING_SET", "to REFERRAL_STATUS_CONTACTED"}));
}

TEST_F(ReferralsTest, UpdateReferralStatus_ClosedStatesAreFinal) {
  std::string ref = GiveReferral(ana_, bruno_);
  SetReferralStatus(bruno_, ref, v1::REFERRAL_STATUS_CLOSED_LOST);
  EXPECT_TRUE(IsError(Move(As(bruno_), ref, v1::REFERRAL_STATUS_CLOSED_WON),
                      ErrorCode::kFailedPrecondition,
                      {"REFERRAL_STATUS_CLOSED_LOST", "REFERRAL_STATUS_CLOSED_WON"}));
}

TEST_F(ReferralsTest, UpdateReferralStatus_RejectsUnspecifiedOrUnknownStatus) {
  std::string ref = GiveReferral(ana_, bruno_);
  EXPECT_TRUE(IsError(Move(As(bruno_), ref, v1::REFERRAL_STATUS_UNSPECIFIED),
                      ErrorCode::kInvalidArgument, {"status"}));
  EXPECT_TRUE(IsError(Move(As(bruno_), ref, static_cast<v1::ReferralStatus>(17)),
                      ErrorCode::kInvalidArgument, {"status"}));
}

TEST_F(ReferralsTest, UpdateReferralStatus_RejectsUnknownAndMalformedReferral) {
  EXPECT_TRUE(
      IsError(Move(As(bruno_), "chapters/rome/referrals/999", v1::REFERRAL_STATUS_CONTACTED),
              ErrorCode::kNotFound, {"name"}));
  EXPECT_TRUE(IsError(Move(As(bruno_), "referral-1", v1::REFERRAL_STATUS_CONTACTED),
                      ErrorCode::kInvalidArgument, {"name"}));
}

TEST_F(ReferralsTest, ListReferrals_NewestFirstAndFiltered) {
  std::string r1 = GiveReferral(ana_, bruno_);
  std::string r2 = GiveReferral(bruno_, ana_);
  std::string r3 = GiveReferral(ana_, carla_);
  SetReferralStatus(carla_, r3, v1::REFERRAL_STATUS_CONTACTED);
  auto all = chapter_.ListReferrals({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name(), r3);
  EXPECT_EQ((*all)[2].name(), r1);
  ReferralFilter by_giver;
  by_giver.giver = ana_;
  EXPECT_EQ(chapter_.ListReferrals(by_giver)->size(), 2u);
  ReferralFilter by_receiver;
  by_receiver.receiver = ana_;
  ASSERT_EQ(chapter_.ListReferrals(by_receiver)->size(), 1u);
  EXPECT_EQ((*chapter_.ListReferrals(by_receiver))[0].name(), r2);
  ReferralFilter by_status;
  by_status.status = v1::REFERRAL_STATUS_CONTACTED;
  ASSERT_EQ(chapter_.ListReferrals(by_status)->size(), 1u);
}

TEST_F(ReferralsTest, ListReferrals_RejectsMalformedFilterNames) {
  ReferralFilter filter;
  filter.giver = "ana";
  EXPECT_TRUE(IsError(chapter_.ListReferrals(filter), ErrorCode::kInvalidArgument, {"giver"}));
  filter = {};
  filter.receiver = "chapters/milan/members/3";
  EXPECT_TRUE(IsError(chapter_.ListReferrals(filter), ErrorCode::kInvalidArgument, {"receiver"}));
  filter = {};
  filter.meeting = "chapters/rome/members/3";
  EXPECT_TRUE(IsError(chapter_.ListReferrals(filter), ErrorCode::kInvalidArgument, {"meeting"}));
}

}  // namespace
}  // namespace reciproca::domain
