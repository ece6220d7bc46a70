// Substitutes registered ahead through the real server (issue 12 item 2): Sara names who comes in
// her place next Tuesday, the chapter lists it (also after a restart), closing that Tuesday's
// meeting records her SUBSTITUTE with that name instead of ABSENT, and the refusals answer with
// their code, field and reason.

#include "integration/error_reason.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class SubstitutesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();  // now: Tuesday 2026-12-01, 07:30 in Rome
    display_token_ = CreateChapter("rome");
    vp_ = AddMember("rome", "Vera Vice", "Accountant", v1::ROLE_VICE_PRESIDENT);
    sara_ = AddMember("rome", "Sara De Santis", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  grpc::Status Register(const NewMember& as_who, const std::string& date,
                        const std::string& substitute, v1::Chapter* out,
                        const std::string& member = "",
                        const std::string& request_id = client::Client::NewRequestId()) {
    v1::RegisterSubstituteRequest request;
    request.set_parent("chapters/rome");
    request.set_date(date);
    request.set_member(member);
    request.set_substitute_name(substitute);
    request.set_request_id(request_id);
    auto as = As(as_who.token);
    return Invoke(as, [&](grpc::ClientContext* c) {
      return as.meetings().RegisterSubstitute(c, request, out);
    });
  }

  std::vector<std::string> Expected() {
    v1::GetChapterRequest request;
    request.set_name("chapters/rome");
    v1::Chapter chapter;
    auto display = As(display_token_);
    EXPECT_TRUE(Invoke(display, [&](grpc::ClientContext* c) {
                  return display.chapters().GetChapter(c, request, &chapter);
                }).ok());
    std::vector<std::string> out;
    for (const v1::ExpectedSubstitute& e : chapter.expected_substitutes()) {
      out.push_back(e.date() + " " + e.member() + " " + e.substitute_name());
    }
    return out;
  }

  // Schedules a meeting `from_now`, opens it, checks Marco in and closes it, as the VP.
  v1::Meeting RunMeeting(std::chrono::hours from_now) {
    auto vp = As(vp_.token);
    v1::ScheduleMeetingRequest schedule;
    schedule.set_parent("chapters/rome");
    *schedule.mutable_start_time() = ToTimestamp(clock_.Now() + from_now);
    schedule.set_request_id(client::Client::NewRequestId());
    v1::Meeting meeting;
    EXPECT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().ScheduleMeeting(c, schedule, &meeting);
                }).ok());
    clock_.Advance(from_now - std::chrono::minutes(10));
    v1::OpenMeetingRequest open;
    open.set_name(meeting.name());
    open.set_request_id(client::Client::NewRequestId());
    EXPECT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().OpenMeeting(c, open, &meeting);
                }).ok());
    v1::CheckInRequest checkin;
    checkin.set_meeting(meeting.name());
    checkin.set_member(marco_.member.name());
    checkin.set_request_id(client::Client::NewRequestId());
    v1::Attendance attendance;
    EXPECT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().CheckIn(c, checkin, &attendance);
                }).ok());
    v1::CloseMeetingRequest close;
    close.set_name(meeting.name());
    close.set_request_id(client::Client::NewRequestId());
    EXPECT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().CloseMeeting(c, close, &meeting);
                }).ok());
    return meeting;
  }

  static const v1::Attendance* AttendanceOf(const v1::Meeting& meeting, const std::string& member) {
    for (const v1::Attendance& a : meeting.attendance()) {
      if (a.member() == member) {
        return &a;
      }
    }
    return nullptr;
  }

  std::string display_token_;
  NewMember vp_;
  NewMember sara_;
  NewMember marco_;
};

TEST_F(SubstitutesTest, SaraSendsHerSubstituteAhead_TheClosedMeetingRecordsIt) {
  const std::string sara = sara_.member.name();
  v1::Chapter chapter;
  // Sara herself, a week ahead; then she changes her mind about who comes.
  grpc::Status first = Register(sara_, "2026-12-08", "Paola Neri", &chapter);
  ASSERT_TRUE(first.ok()) << first.error_message();
  ASSERT_TRUE(Register(sara_, " 2026-12-08 ", "Giulia Rossi", &chapter).ok());
  ASSERT_EQ(chapter.expected_substitutes_size(), 1);
  EXPECT_EQ(chapter.expected_substitutes(0).substitute_name(), "Giulia Rossi");
  const std::vector<std::string> expected{"2026-12-08 " + sara + " Giulia Rossi"};
  EXPECT_EQ(expected, Expected());
  RestartServer();
  EXPECT_EQ(expected, Expected());

  // Next Tuesday's meeting: Marco checks in, Vera does not come, Sara sent Giulia.
  const v1::Meeting closed = RunMeeting(std::chrono::hours(24 * 7));
  const v1::Attendance* saras = AttendanceOf(closed, sara);
  ASSERT_NE(saras, nullptr);
  EXPECT_EQ(saras->status(), v1::ATTENDANCE_STATUS_SUBSTITUTE);
  EXPECT_EQ(saras->substitute_name(), "Giulia Rossi");
  const v1::Attendance* veras = AttendanceOf(closed, vp_.member.name());
  ASSERT_NE(veras, nullptr);
  EXPECT_EQ(veras->status(), v1::ATTENDANCE_STATUS_ABSENT);
  EXPECT_EQ(AttendanceOf(closed, marco_.member.name())->status(), v1::ATTENDANCE_STATUS_PRESENT);
  // Done: the day drops out of the list, and its closed meeting takes no more.
  EXPECT_TRUE(Expected().empty());
  grpc::Status done = Register(sara_, "2026-12-08", "Paola Neri", &chapter);
  EXPECT_EQ(done.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(done), "SUBSTITUTE_MEETING_DONE");
}

TEST_F(SubstitutesTest, AnOrganizerRegistersForAMember_AndAWithdrawalTakesItBack) {
  const std::string sara = sara_.member.name();
  v1::Chapter chapter;
  ASSERT_TRUE(Register(vp_, "2026-12-15", "Paola Neri", &chapter, sara).ok());
  const std::string retry = client::Client::NewRequestId();
  ASSERT_TRUE(Register(sara_, "2026-12-15", "", &chapter, "", retry).ok());
  EXPECT_TRUE(Expected().empty());
  // The same request again answers as the first time, and records nothing more.
  v1::Chapter again;
  ASSERT_TRUE(Register(sara_, "2026-12-15", "", &again, "", retry).ok());
  EXPECT_EQ(again.last_seq(), chapter.last_seq());
  grpc::Status none = Register(sara_, "2026-12-15", "", &chapter);
  EXPECT_EQ(none.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(none), "SUBSTITUTE_NONE");
}

TEST_F(SubstitutesTest, RefusalsNameTheFieldAndTheReason_AndRecordNothing) {
  const std::string marco = marco_.member.name();
  v1::Chapter out;
  grpc::Status past = Register(sara_, "2026-11-24", "Paola Neri", &out);
  EXPECT_EQ(past.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(past), "SUBSTITUTE_DATE_PAST");
  EXPECT_NE(past.error_message().find("date: 2026-11-24 is before today (2026-12-01 in "
                                      "Europe/Rome)"),
            std::string::npos)
      << past.error_message();
  grpc::Status far = Register(sara_, "2027-12-28", "Paola Neri", &out);
  EXPECT_EQ(far.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(far), "SUBSTITUTE_DATE_TOO_FAR");
  grpc::Status bad_date = Register(sara_, "next tuesday", "Paola Neri", &out);
  EXPECT_EQ(bad_date.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(bad_date), "DATE_INVALID");
  grpc::Status long_name = Register(sara_, "2026-12-08", std::string(101, 'x'), &out);
  EXPECT_EQ(long_name.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(long_name.error_message().find("substitute_name"), std::string::npos);
  grpc::Status other = Register(sara_, "2026-12-08", "Paola Neri", &out, marco);
  EXPECT_EQ(other.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(other), "ORGANIZERS_ONLY");
  grpc::Status unknown =
      Register(vp_, "2026-12-08", "Paola Neri", &out, "chapters/rome/members/999");
  EXPECT_EQ(unknown.error_code(), StatusCode::NOT_FOUND);
  EXPECT_TRUE(Expected().empty());
}

}  // namespace
}  // namespace reciproca::testing
