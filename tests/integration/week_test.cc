// The week's PALMS through the real server: a holiday (CancelMeeting), a submitted week
// (SubmitPalms), and the corrections after it, on the event stream, the meeting and the report.

#include "integration/error_reason.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class WeekTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    vp_ = AddMember("rome", "Vera Vice", "Accountant", v1::ROLE_VICE_PRESIDENT);
    sara_ = AddMember("rome", "Sara De Santis", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  v1::Meeting Schedule(std::chrono::hours from_now) {
    v1::ScheduleMeetingRequest request;
    request.set_parent("chapters/rome");
    *request.mutable_start_time() = ToTimestamp(clock_.Now() + from_now);
    request.set_request_id(client::Client::NewRequestId());
    v1::Meeting meeting;
    auto vp = As(vp_.token);
    EXPECT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().ScheduleMeeting(c, request, &meeting);
                }).ok());
    return meeting;
  }

  // open, close, cancel or submit, as the VP; the meeting as the server answered.
  grpc::Status Step(const std::string& what, const std::string& name, v1::Meeting* out,
                    const std::string& request_id = client::Client::NewRequestId()) {
    auto vp = As(vp_.token);
    return Invoke(vp, [&](grpc::ClientContext* c) {
      if (what == "open") {
        v1::OpenMeetingRequest r;
        r.set_name(name);
        r.set_request_id(request_id);
        return vp.meetings().OpenMeeting(c, r, out);
      }
      if (what == "close") {
        v1::CloseMeetingRequest r;
        r.set_name(name);
        r.set_request_id(request_id);
        return vp.meetings().CloseMeeting(c, r, out);
      }
      if (what == "cancel") {
        v1::CancelMeetingRequest r;
        r.set_name(name);
        r.set_reason("Ferragosto");
        r.set_request_id(request_id);
        return vp.meetings().CancelMeeting(c, r, out);
      }
      v1::SubmitPalmsRequest r;
      r.set_name(name);
      r.set_request_id(request_id);
      return vp.meetings().SubmitPalms(c, r, out);
    });
  }

  grpc::Status SlipAt(const NewMember& as_who, const std::string& meeting,
                      const std::string& on_behalf_of = "") {
    v1::GiveReferralRequest request;
    request.set_parent("chapters/rome");
    request.set_on_behalf_of(on_behalf_of);
    request.mutable_referral()->set_receiver(marco_.member.name());
    request.mutable_referral()->set_temperature(4);
    request.mutable_referral()->set_meeting(meeting);
    request.set_request_id(client::Client::NewRequestId());
    v1::Referral out;
    auto as = As(as_who.token);
    return Invoke(
        as, [&](grpc::ClientContext* c) { return as.referrals().GiveReferral(c, request, &out); });
  }

  v1::PalmsReport Report() {
    v1::GetPalmsReportRequest request;
    request.set_chapter("chapters/rome");
    v1::PalmsReport report;
    auto vp = As(vp_.token);
    EXPECT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.reports().GetPalmsReport(c, request, &report);
                }).ok());
    return report;
  }

  NewMember vp_, sara_, marco_;
};

TEST_F(WeekTest, AHoliday_IsCancelled_NobodyIsAbsent_AndItCountsInNoMeetingFigure) {
  v1::Meeting holiday = Schedule(std::chrono::hours(1));
  v1::Meeting answer;
  ASSERT_TRUE(Step("cancel", holiday.name(), &answer).ok());
  EXPECT_EQ(v1::MEETING_STATE_CANCELLED, answer.state());
  EXPECT_EQ("Ferragosto", answer.cancel_reason());

  grpc::Status open = Step("open", holiday.name(), &answer);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, open.error_code());
  grpc::Status slip = SlipAt(sara_, holiday.name());
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, slip.error_code());
  EXPECT_EQ("MEETING_CANCELLED", ReasonOf(slip));

  const v1::PalmsReport report = Report();
  EXPECT_EQ(0, report.meetings());
  EXPECT_EQ(1, report.cancelled_meetings());
  for (const v1::PalmsRow& row : report.rows()) {
    EXPECT_EQ(0, row.absent()) << row.display_name();
  }
}

TEST_F(WeekTest, AfterTheWeekIsSubmitted_OnlyOrganizersChangeIt_AsMarkedCorrections) {
  v1::Meeting meeting = Schedule(std::chrono::hours(1));
  v1::Meeting answer;
  ASSERT_TRUE(Step("open", meeting.name(), &answer).ok());
  ASSERT_TRUE(Step("close", meeting.name(), &answer).ok());
  const std::string submit_id = client::Client::NewRequestId();
  ASSERT_TRUE(Step("submit", meeting.name(), &answer, submit_id).ok());
  EXPECT_TRUE(answer.has_palms_submit_time());
  // A retry (flaky Wi-Fi) gets the first answer, not "already submitted".
  v1::Meeting retried;
  ASSERT_TRUE(Step("submit", meeting.name(), &retried, submit_id).ok());
  EXPECT_EQ(answer.SerializeAsString(), retried.SerializeAsString());
  grpc::Status again = Step("submit", meeting.name(), &retried);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, again.error_code());
  EXPECT_EQ("PALMS_ALREADY_SUBMITTED", ReasonOf(again));

  // Sara cannot add a slip to the submitted week herself...
  grpc::Status late = SlipAt(sara_, meeting.name());
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, late.error_code());
  EXPECT_EQ("PALMS_SUBMITTED", ReasonOf(late));
  EXPECT_NE(std::string::npos, late.error_message().find("organizer")) << late.error_message();
  // ...the VP types her paper slip, and marks Marco medical: two corrections.
  const int64_t before = GetChapter("chapters/rome").last_seq();
  ASSERT_TRUE(SlipAt(vp_, meeting.name(), sara_.member.name()).ok());
  v1::RecordAttendanceRequest medical;
  medical.set_meeting(meeting.name());
  medical.set_member(marco_.member.name());
  medical.set_status(v1::ATTENDANCE_STATUS_MEDICAL);
  medical.set_request_id(client::Client::NewRequestId());
  v1::Attendance attendance;
  auto vp = As(vp_.token);
  ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                return vp.meetings().RecordAttendance(c, medical, &attendance);
              }).ok());

  const auto events = ReadEvents(admin(), "chapters/rome", before, 2);
  ASSERT_EQ(2u, events.size());
  for (const v1::Event& event : events) {
    EXPECT_TRUE(event.correction()) << event.ShortDebugString();
    EXPECT_EQ(vp_.member.name(), event.actor());
  }
  v1::GetMeetingRequest get;
  get.set_name(meeting.name());
  v1::Meeting now;
  ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                return vp.meetings().GetMeeting(c, get, &now);
              }).ok());
  EXPECT_EQ(2, now.corrections());
  EXPECT_EQ(2, Report().corrections());
}

}  // namespace
}  // namespace reciproca::testing
