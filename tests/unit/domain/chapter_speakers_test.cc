// Segment speakers and "who is speaking next" (Segment.speaker / next_speaker).

#include <gtest/gtest.h>

#include "google/protobuf/util/message_differencer.h"
#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::IsError;
using testing::kNow;

constexpr char kPresentations[] = "60-second presentations";

// The roster of RosterChapterTest joined in this order: president (members/2), ana (3),
// bruno (4), carla (5). The meeting is open.
class SpeakersTest : public testing::RosterChapterTest {
 protected:
  void SetUp() override {
    RosterChapterTest::SetUp();
    meeting_ = ScheduleMeeting(kNow + 600);
    OpenMeeting(meeting_);
  }

  void Attend(const std::string& member, v1::AttendanceStatus status) {
    v1::RecordAttendanceRequest request;
    request.set_meeting(meeting_);
    request.set_member(member);
    request.set_status(status);
    if (status == v1::ATTENDANCE_STATUS_SUBSTITUTE) {
      request.set_substitute_name("Sam Substitute");
    }
    ApplyAll(chapter_.DecideRecordAttendance(Admin(), request));
  }

  void AttendAll(const std::vector<std::string>& members) {
    for (const std::string& member : members) {
      Attend(member, v1::ATTENDANCE_STATUS_PRESENT);
    }
  }

  Result<Events> Start(const std::string& title, const std::string& speaker) {
    v1::StartSegmentRequest request;
    request.set_name(meeting_);
    request.set_title(title);
    request.set_countdown_seconds(60);
    request.set_speaker(speaker);
    return chapter_.DecideStartSegment(As(president_), request);
  }

  // Starts the segment and returns the next speaker it recorded.
  std::string NextAfter(const std::string& speaker, const std::string& title = kPresentations) {
    Events events = ApplyAll(Start(title, speaker));
    if (events.empty()) {
      return "(failed)";
    }
    return events[0].segment_started().segment().next_speaker();
  }

  std::string meeting_;
};

TEST_F(SpeakersTest, StartSegment_RecordsSpeakerAndNextSpeakerInTheEventAndTheMeeting) {
  AttendAll({president_, ana_, bruno_, carla_});
  auto r = Start(kPresentations, ana_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::Segment& recorded = (*r)[0].segment_started().segment();
  EXPECT_EQ(recorded.speaker(), ana_);
  EXPECT_EQ(recorded.next_speaker(), bruno_);
  ApplyAll(r);
  const v1::Meeting meeting = *chapter_.GetMeeting(meeting_);
  ASSERT_EQ(meeting.segments_size(), 1);
  EXPECT_EQ(meeting.segments(0).speaker(), ana_);
  EXPECT_EQ(meeting.segments(0).next_speaker(), bruno_);
}

TEST_F(SpeakersTest, StartSegment_WithoutSpeakerHasNoNextSpeaker) {
  AttendAll({president_, ana_});
  auto r = Start("Open networking", "");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].segment_started().segment().speaker(), "");
  EXPECT_EQ((*r)[0].segment_started().segment().next_speaker(), "");
}

TEST_F(SpeakersTest, NextSpeaker_SkipsMembersNotInTheRoom) {
  Attend(president_, v1::ATTENDANCE_STATUS_PRESENT);
  Attend(ana_, v1::ATTENDANCE_STATUS_MEDICAL);
  Attend(bruno_, v1::ATTENDANCE_STATUS_ABSENT);
  Attend(carla_, v1::ATTENDANCE_STATUS_LATE);
  EXPECT_EQ(NextAfter(president_), carla_);
}

TEST_F(SpeakersTest, NextSpeaker_SkipsMembersWithoutAttendance) {
  AttendAll({president_, carla_});
  EXPECT_EQ(NextAfter(president_), carla_);
}

TEST_F(SpeakersTest, NextSpeaker_CountsLateAndSubstitute) {
  Attend(ana_, v1::ATTENDANCE_STATUS_SUBSTITUTE);
  Attend(bruno_, v1::ATTENDANCE_STATUS_LATE);
  EXPECT_EQ(NextAfter(president_), ana_);
  EXPECT_EQ(NextAfter(ana_), bruno_);
}

TEST_F(SpeakersTest, NextSpeaker_DoesNotWrapAround) {
  AttendAll({president_, ana_, bruno_, carla_});
  EXPECT_EQ(NextAfter(carla_), "");
}

TEST_F(SpeakersTest, NextSpeaker_SkipsWhoAlreadySpokeInASegmentOfTheSameTitle) {
  AttendAll({president_, ana_, bruno_, carla_});
  EXPECT_EQ(NextAfter(bruno_), carla_);
  EXPECT_EQ(NextAfter(president_), ana_);
  // Bruno spoke in "60-second presentations" already (titles compare case-insensitively).
  EXPECT_EQ(NextAfter(ana_, "60-Second Presentations"), carla_);
  // Another title has its own round: Bruno may be next there.
  EXPECT_EQ(NextAfter(ana_, "Feature presentation"), bruno_);
}

TEST_F(SpeakersTest, NextSpeaker_SkipsMembersWhoLeft) {
  AttendAll({president_, ana_, bruno_, carla_});
  RemoveMember(carla_);
  EXPECT_EQ(NextAfter(bruno_), "");
}

TEST_F(SpeakersTest, NextSpeaker_FollowsJoinOrderNotTextOrder) {
  // Ids are sequence numbers: these join as members/8 .. members/11 (after the meeting's two
  // events). As text "members/10" sorts before "members/9"; in the roster it comes after.
  std::vector<std::string> later;
  for (const char* category : {"Baker", "Chef", "Dentist", "Electrician"}) {
    later.push_back(AddMember(std::string(category) + " Person", category));
  }
  ASSERT_EQ(later[1], "chapters/rome/members/9");
  ASSERT_EQ(later[2], "chapters/rome/members/10");
  Attend(later[1], v1::ATTENDANCE_STATUS_PRESENT);
  Attend(later[2], v1::ATTENDANCE_STATUS_PRESENT);
  EXPECT_EQ(NextAfter(carla_), later[1]);
  EXPECT_EQ(NextAfter(later[1]), later[2]);
}

TEST_F(SpeakersTest, StartSegment_RejectsSpeakersWhoCannotSpeak) {
  EXPECT_TRUE(IsError(Start(kPresentations, "ana"), ErrorCode::kInvalidArgument, {"speaker"}));
  EXPECT_TRUE(IsError(Start(kPresentations, "chapters/milan/members/3"),
                      ErrorCode::kInvalidArgument, {"speaker", "chapters/rome"}));
  EXPECT_TRUE(IsError(Start(kPresentations, "chapters/rome/members/999"), ErrorCode::kNotFound,
                      {"speaker", "chapters/rome/members/999"}));
  RemoveMember(bruno_);
  EXPECT_TRUE(IsError(Start(kPresentations, bruno_), ErrorCode::kFailedPrecondition,
                      {"speaker", bruno_, "left"}));
}

TEST_F(SpeakersTest, Replay_RebuildsSpeakersFromTheEvents) {
  AttendAll({president_, ana_, bruno_});
  NextAfter(president_);
  NextAfter(ana_);
  // Later changes do not rewrite what was recorded: bruno was next when the segment started.
  RemoveMember(bruno_);
  Chapter replayed;
  for (const v1::Event& event : log_) {
    replayed.Apply(event);
  }
  const v1::Meeting meeting = *replayed.GetMeeting(meeting_);
  ASSERT_EQ(meeting.segments_size(), 2);
  EXPECT_EQ(meeting.segments(1).speaker(), ana_);
  EXPECT_EQ(meeting.segments(1).next_speaker(), bruno_);
  EXPECT_TRUE(MessageDifferencer::Equals(meeting, *chapter_.GetMeeting(meeting_)));
}

}  // namespace
}  // namespace reciproca::domain
