#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;
using testing::kNow;

class ThankYouTest : public testing::RosterChapterTest {
 protected:
  // Bruno thanks `to` for business worth `amount`.
  v1::RecordThankYouRequest Request(const std::string& to, const std::string& amount,
                                    const std::string& currency = "EUR") {
    v1::RecordThankYouRequest request;
    request.set_parent(kChapter);
    request.mutable_thank_you()->set_to_member(to);
    request.mutable_thank_you()->mutable_amount()->set_amount(amount);
    request.mutable_thank_you()->mutable_amount()->set_currency(currency);
    return request;
  }
};

TEST_F(ThankYouTest, RecordThankYou_EmitsNormalizedThankYou) {
  auto request = Request(ana_, "1250");
  request.mutable_thank_you()->set_from_member(carla_);  // output only: ignored
  auto r = chapter_.DecideRecordThankYou(As(bruno_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const v1::ThankYou& t = (*r)[0].thank_you_recorded().thank_you();
  EXPECT_EQ(t.name(), "chapters/rome/thank-yous/" + std::to_string((*r)[0].seq()));
  EXPECT_EQ(t.from_member(), bruno_);
  EXPECT_EQ(t.to_member(), ana_);
  EXPECT_EQ(t.amount().amount(), "1250.00");
  EXPECT_EQ(t.amount().currency(), "EUR");
  EXPECT_EQ(t.business_type(), v1::BUSINESS_TYPE_NEW);
  EXPECT_EQ(t.create_time().seconds(), kNow);
  ApplyAll(r);
  EXPECT_EQ(chapter_.GetThankYou(t.name())->amount().amount(), "1250.00");
}

TEST_F(ThankYouTest, RecordThankYou_KeepsRepeatBusinessType) {
  auto request = Request(ana_, "10.5");
  request.mutable_thank_you()->set_business_type(v1::BUSINESS_TYPE_REPEAT);
  auto r = chapter_.DecideRecordThankYou(As(bruno_), request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].thank_you_recorded().thank_you().business_type(), v1::BUSINESS_TYPE_REPEAT);
  EXPECT_EQ((*r)[0].thank_you_recorded().thank_you().amount().amount(), "10.50");
}

TEST_F(ThankYouTest, RecordThankYou_RejectsBadAmounts) {
  for (const char* bad : {"abc", "-5", "0", "1.234", "", "1000000000000"}) {
    EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), Request(ana_, bad)),
                        ErrorCode::kInvalidArgument, {"thank_you.amount.amount"}))
        << bad;
  }
  EXPECT_TRUE(chapter_.DecideRecordThankYou(As(bruno_), Request(ana_, "999999999999.99")).ok());
}

TEST_F(ThankYouTest, RecordThankYou_RejectsUnknownCurrency) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), Request(ana_, "10", "XYZ")),
                      ErrorCode::kInvalidArgument, {"thank_you.amount.currency"}));
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), Request(ana_, "10", "usd")),
                      ErrorCode::kInvalidArgument, {"thank_you.amount.currency", "\"USD\""}));
}

TEST_F(ThankYouTest, RecordThankYou_EmptyCurrencyIsTheChaptersCurrency) {
  auto r = chapter_.DecideRecordThankYou(As(bruno_), Request(ana_, "10", ""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].thank_you_recorded().thank_you().amount().currency(), "EUR");
}

TEST_F(ThankYouTest, RecordThankYou_RejectsThankingOneself) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), Request(bruno_, "10")),
                      ErrorCode::kInvalidArgument, {"thank_you.to_member"}));
}

TEST_F(ThankYouTest, RecordThankYou_RejectsMissingUnknownAndLeftToMember) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), Request("", "10")),
                      ErrorCode::kInvalidArgument, {"thank_you.to_member"}));
  EXPECT_TRUE(
      IsError(chapter_.DecideRecordThankYou(As(bruno_), Request("chapters/rome/members/99", "10")),
              ErrorCode::kNotFound, {"thank_you.to_member"}));
  RemoveMember(carla_);
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), Request(carla_, "10")),
                      ErrorCode::kFailedPrecondition, {"thank_you.to_member"}));
}

TEST_F(ThankYouTest, RecordThankYou_RejectsTooLongNote) {
  auto request = Request(ana_, "10");
  request.mutable_thank_you()->set_note(std::string(1001, 'n'));
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), request),
                      ErrorCode::kInvalidArgument, {"thank_you.note"}));
}

TEST_F(ThankYouTest, RecordThankYou_LinkedReferralBecomesClosedWon) {
  std::string ref = GiveReferral(ana_, bruno_);  // Ana referred business to Bruno
  SetReferralStatus(bruno_, ref, v1::REFERRAL_STATUS_MEETING_SET);
  auto request = Request(ana_, "300");
  request.mutable_thank_you()->set_referral(ref);
  auto r = chapter_.DecideRecordThankYou(As(bruno_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].seq(), chapter_.last_seq() + 1);
  EXPECT_EQ((*r)[1].seq(), chapter_.last_seq() + 2);
  EXPECT_EQ((*r)[0].thank_you_recorded().thank_you().referral(), ref);
  const v1::ReferralStatusChanged& c = (*r)[1].referral_status_changed();
  EXPECT_EQ(c.referral(), ref);
  EXPECT_EQ(c.from_status(), v1::REFERRAL_STATUS_MEETING_SET);
  EXPECT_EQ(c.to_status(), v1::REFERRAL_STATUS_CLOSED_WON);
  EXPECT_EQ((*r)[1].actor(), bruno_);
  ApplyAll(r);
  EXPECT_EQ(chapter_.GetReferral(ref)->status(), v1::REFERRAL_STATUS_CLOSED_WON);
}

TEST_F(ThankYouTest, RecordThankYou_AlreadyWonReferralEmitsOneEvent) {
  std::string ref = GiveReferral(ana_, bruno_);
  SetReferralStatus(bruno_, ref, v1::REFERRAL_STATUS_CLOSED_WON);
  auto request = Request(ana_, "300");
  request.mutable_thank_you()->set_referral(ref);
  auto r = chapter_.DecideRecordThankYou(As(bruno_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size(), 1u);
}

TEST_F(ThankYouTest, RecordThankYou_ReferralMustBeFromToMemberToActingMember) {
  std::string ref = GiveReferral(carla_, bruno_);  // Carla, not Ana, gave it
  auto request = Request(ana_, "300");
  request.mutable_thank_you()->set_referral(ref);
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), request),
                      ErrorCode::kFailedPrecondition, {"thank_you.referral", carla_}));
  std::string other = GiveReferral(ana_, carla_);  // received by Carla, not Bruno
  request.mutable_thank_you()->set_referral(other);
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), request),
                      ErrorCode::kFailedPrecondition, {"thank_you.referral"}));
}

TEST_F(ThankYouTest, RecordThankYou_RejectsLostOrNotPursuedReferral) {
  std::string lost = GiveReferral(ana_, bruno_);
  SetReferralStatus(bruno_, lost, v1::REFERRAL_STATUS_CLOSED_LOST);
  auto request = Request(ana_, "300");
  request.mutable_thank_you()->set_referral(lost);
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), request),
                      ErrorCode::kFailedPrecondition, {"thank_you.referral", "CLOSED_LOST"}));
  std::string dropped = GiveReferral(ana_, bruno_);
  SetReferralStatus(bruno_, dropped, v1::REFERRAL_STATUS_NOT_PURSUED);
  request.mutable_thank_you()->set_referral(dropped);
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), request),
                      ErrorCode::kFailedPrecondition, {"thank_you.referral", "NOT_PURSUED"}));
}

TEST_F(ThankYouTest, RecordThankYou_RejectsUnknownAndMalformedReferral) {
  auto request = Request(ana_, "300");
  request.mutable_thank_you()->set_referral("chapters/rome/referrals/999");
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), request), ErrorCode::kNotFound,
                      {"thank_you.referral"}));
  request.mutable_thank_you()->set_referral("chapters/rome/members/3");
  EXPECT_TRUE(IsError(chapter_.DecideRecordThankYou(As(bruno_), request),
                      ErrorCode::kInvalidArgument, {"thank_you.referral"}));
}

TEST_F(ThankYouTest, RecordThankYou_OrganizerOnBehalfOfReceiverClosesReferral) {
  std::string ref = GiveReferral(ana_, bruno_);
  auto request = Request(ana_, "300");
  request.mutable_thank_you()->set_referral(ref);
  request.set_on_behalf_of(bruno_);
  auto r = chapter_.DecideRecordThankYou(Admin(), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].on_behalf_of(), bruno_);
  EXPECT_EQ((*r)[1].on_behalf_of(), bruno_);
  EXPECT_EQ((*r)[0].thank_you_recorded().thank_you().from_member(), bruno_);
}

}  // namespace
}  // namespace reciproca::domain
