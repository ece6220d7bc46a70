#include <gtest/gtest.h>

#include "google/protobuf/util/message_differencer.h"
#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::IsError;
using testing::kNow;

class ReplayTest : public testing::RosterChapterTest {};

TEST_F(ReplayTest, ReplayingTheLogRebuildsTheSameState) {
  std::string meeting = ScheduleMeeting(kNow + 600);
  OpenMeeting(meeting);
  v1::CheckInRequest check_in;
  check_in.set_meeting(meeting);
  ApplyAll(chapter_.DecideCheckIn(As(ana_), check_in));
  std::string ref = GiveReferral(ana_, bruno_);
  v1::RecordThankYouRequest thank_you;
  thank_you.mutable_thank_you()->set_to_member(ana_);
  thank_you.mutable_thank_you()->set_referral(ref);
  thank_you.mutable_thank_you()->mutable_amount()->set_amount("99.9");
  ApplyAll(chapter_.DecideRecordThankYou(As(bruno_), thank_you));
  CloseMeeting(meeting);
  RemoveMember(carla_);

  Chapter replayed;
  for (const v1::Event& event : log_) {
    replayed.Apply(event);
  }
  EXPECT_EQ(replayed.last_seq(), chapter_.last_seq());
  EXPECT_TRUE(MessageDifferencer::Equals(replayed.Info(), chapter_.Info()));
  EXPECT_TRUE(
      MessageDifferencer::Equals(*replayed.GetMeeting(meeting), *chapter_.GetMeeting(meeting)));
  EXPECT_TRUE(MessageDifferencer::Equals(*replayed.GetReferral(ref), *chapter_.GetReferral(ref)));
  EXPECT_TRUE(MessageDifferencer::Equals(replayed.PalmsReport(std::nullopt, std::nullopt),
                                         chapter_.PalmsReport(std::nullopt, std::nullopt)));
  EXPECT_EQ(replayed.ListMembers(true).size(), 4u);
}

TEST_F(ReplayTest, SequenceNumbersHaveNoGaps) {
  GiveReferral(ana_, bruno_);
  ScheduleMeeting(kNow);
  for (size_t i = 0; i < log_.size(); ++i) {
    EXPECT_EQ(log_[i].seq(), static_cast<int64_t>(i) + 1);
    EXPECT_EQ(log_[i].chapter(), kChapter);
  }
  EXPECT_EQ(chapter_.last_seq(), static_cast<int64_t>(log_.size()));
  EXPECT_EQ(chapter_.Info().last_seq(), chapter_.last_seq());
}

TEST_F(ReplayTest, GetReadsRejectMalformedAndMissNamesOfOtherChapters) {
  EXPECT_TRUE(IsError(chapter_.GetMember("ana"), ErrorCode::kInvalidArgument, {"name"}));
  EXPECT_TRUE(IsError(chapter_.GetMember("chapters/milan/members/3"), ErrorCode::kNotFound,
                      {"chapters/milan/members/3"}));
  EXPECT_TRUE(IsError(chapter_.GetMember("chapters/rome/members/999"), ErrorCode::kNotFound,
                      {"chapters/rome/members/999"}));
  EXPECT_TRUE(IsError(chapter_.GetMeeting("chapters/rome/meetings/999"), ErrorCode::kNotFound,
                      {"meeting"}));
  EXPECT_TRUE(IsError(chapter_.GetReferral("chapters/rome/referrals/9"), ErrorCode::kNotFound,
                      {"referral"}));
  EXPECT_TRUE(IsError(chapter_.GetVisitor("chapters/rome/meetings/1/visitors/2"),
                      ErrorCode::kNotFound, {"visitor"}));
  EXPECT_TRUE(IsError(chapter_.GetThankYou("chapters/rome/thank-yous/9"), ErrorCode::kNotFound,
                      {"thank-you"}));
  EXPECT_TRUE(IsError(chapter_.GetOneToOne("chapters/rome/one-to-ones/9"), ErrorCode::kNotFound,
                      {"one-to-one"}));
  EXPECT_TRUE(IsError(chapter_.GetEducation("chapters/rome/education/9"), ErrorCode::kNotFound,
                      {"education"}));
  EXPECT_TRUE(IsError(chapter_.GetTestimonial("chapters/rome/testimonials/9"), ErrorCode::kNotFound,
                      {"testimonial"}));
  EXPECT_TRUE(IsError(chapter_.GetVisitor("chapters/rome/visitors/2"), ErrorCode::kInvalidArgument,
                      {"name"}));
}

TEST_F(ReplayTest, InfoCountsActiveMembers) {
  EXPECT_EQ(chapter_.Info().active_member_count(), 4);
  RemoveMember(carla_);
  EXPECT_EQ(chapter_.Info().active_member_count(), 3);
  EXPECT_EQ(chapter_.Info().display_name(), "Rome Centro Breakfast");
}

}  // namespace
}  // namespace reciproca::domain
