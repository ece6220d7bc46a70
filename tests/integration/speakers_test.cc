// Segment speakers through the real server: who speaks, who is next, the errors, and the same
// answer after a restart (the SegmentStarted event carries both).

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class SpeakersTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    CreateChapter("milan");
    vp_ = AddMember("rome", "Vera Vice", "Accountant", v1::ROLE_VICE_PRESIDENT);
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    lia_ = AddMember("rome", "Lia Neri", "Designer");
    milan_ = AddMember("milan", "Mila Verdi", "Lawyer");

    auto vp = As(vp_.token);
    v1::ScheduleMeetingRequest schedule;
    schedule.set_parent("chapters/rome");
    *schedule.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::minutes(30));
    schedule.set_request_id("schedule");
    v1::Meeting meeting;
    ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().ScheduleMeeting(c, schedule, &meeting);
                }).ok());
    meeting_ = meeting.name();
    v1::OpenMeetingRequest open;
    open.set_name(meeting_);
    open.set_request_id("open");
    ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().OpenMeeting(c, open, &meeting);
                }).ok());
  }

  void CheckIn(const NewMember& who) {
    v1::CheckInRequest request;
    request.set_meeting(meeting_);
    request.set_member(who.member.name());
    request.set_request_id(client::Client::NewRequestId());
    v1::Attendance attendance;
    auto vp = As(vp_.token);
    auto status = Invoke(
        vp, [&](grpc::ClientContext* c) { return vp.meetings().CheckIn(c, request, &attendance); });
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status StartSegment(const std::string& title, const std::string& speaker,
                            v1::Meeting* out = nullptr,
                            std::string request_id = client::Client::NewRequestId()) {
    v1::StartSegmentRequest request;
    request.set_name(meeting_);
    request.set_title(title);
    request.set_countdown_seconds(60);
    request.set_speaker(speaker);
    request.set_request_id(std::move(request_id));
    v1::Meeting meeting;
    auto vp = As(vp_.token);
    auto status = Invoke(vp, [&](grpc::ClientContext* c) {
      return vp.meetings().StartSegment(c, request, &meeting);
    });
    if (out != nullptr) {
      *out = meeting;
    }
    return status;
  }

  v1::Meeting GetMeeting() {
    v1::GetMeetingRequest request;
    request.set_name(meeting_);
    v1::Meeting meeting;
    EXPECT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                  return admin().meetings().GetMeeting(c, request, &meeting);
                }).ok());
    return meeting;
  }

  NewMember vp_, ana_, marco_, lia_, milan_;
  std::string meeting_;
};

TEST_F(SpeakersTest, StartSegment_ReturnsSpeakerAndNextSpeaker) {
  CheckIn(vp_);
  CheckIn(ana_);
  CheckIn(lia_);  // Marco is not here: Lia follows Ana.
  v1::Meeting meeting;
  ASSERT_TRUE(StartSegment("60-second presentations", ana_.member.name(), &meeting).ok());
  ASSERT_EQ(1, meeting.segments_size());
  EXPECT_EQ(ana_.member.name(), meeting.segments(0).speaker());
  EXPECT_EQ(lia_.member.name(), meeting.segments(0).next_speaker());

  // Lia speaks; nobody after her is here, and there is no wrapping around to Vera.
  ASSERT_TRUE(StartSegment("60-second presentations", lia_.member.name(), &meeting).ok());
  EXPECT_EQ(lia_.member.name(), meeting.segments(1).speaker());
  EXPECT_EQ("", meeting.segments(1).next_speaker());

  // Vera: after her, Ana and Lia already spoke in this round and Marco is not here.
  ASSERT_TRUE(StartSegment("60-second presentations", vp_.member.name(), &meeting).ok());
  EXPECT_EQ("", meeting.segments(2).next_speaker());
  // Another round starts afresh.
  ASSERT_TRUE(StartSegment("Feature presentation", vp_.member.name(), &meeting).ok());
  EXPECT_EQ(ana_.member.name(), meeting.segments(3).next_speaker());
}

TEST_F(SpeakersTest, StartSegment_RejectsSpeakersWhoCannotSpeak) {
  auto status = StartSegment("Welcome", "ana");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("speaker")) << status.error_message();

  status = StartSegment("Welcome", milan_.member.name());
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("is not in chapters/rome"))
      << status.error_message();

  status = StartSegment("Welcome", "chapters/rome/members/999");
  EXPECT_EQ(StatusCode::NOT_FOUND, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("speaker: member "))
      << status.error_message();

  ASSERT_EQ(v1::MEMBER_STATE_LEFT, RemoveMember(marco_.member.name()).state());
  status = StartSegment("Welcome", marco_.member.name());
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("has left the chapter"))
      << status.error_message();
  EXPECT_EQ(0, GetMeeting().segments_size());
}

TEST_F(SpeakersTest, SpeakersSurviveARestartAndAreStreamed) {
  CheckIn(ana_);
  CheckIn(marco_);
  v1::Meeting before;
  ASSERT_TRUE(StartSegment("60-second presentations", ana_.member.name(), &before, "seg-1").ok());
  RestartServer();
  v1::Meeting after = GetMeeting();
  ASSERT_EQ(1, after.segments_size());
  EXPECT_EQ(ana_.member.name(), after.segments(0).speaker());
  EXPECT_EQ(marco_.member.name(), after.segments(0).next_speaker());
  EXPECT_EQ(before.SerializeAsString(), after.SerializeAsString());

  // A retry with the same request_id after the restart records nothing new.
  v1::Meeting retried;
  ASSERT_TRUE(StartSegment("60-second presentations", ana_.member.name(), &retried, "seg-1").ok());
  EXPECT_EQ(1, retried.segments_size());

  const int64_t last = GetChapter("chapters/rome").last_seq();
  auto events = ReadEvents(admin(), "chapters/rome", last - 1, 1);
  ASSERT_EQ(1u, events.size());
  ASSERT_TRUE(events[0].has_segment_started());
  EXPECT_EQ(ana_.member.name(), events[0].segment_started().segment().speaker());
  EXPECT_EQ(marco_.member.name(), events[0].segment_started().segment().next_speaker());
}

}  // namespace
}  // namespace reciproca::testing
