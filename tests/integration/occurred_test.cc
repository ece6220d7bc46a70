// When a record happened vs when it was recorded (issue 11), through the real server: the VP types
// Tuesday's paper slips on Wednesday and Tuesday's PALMS shows them; the dating rules answer with
// their codes and reasons; a record into a submitted week is an organizer's marked correction.

#include "integration/error_reason.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

constexpr int64_t kDay = 86400;

class OccurredTest : public ServerTest {
 protected:
  // 2026-12-01 (the fixture's Tuesday) at 00:00 in Rome, and the meeting's 07:00 there.
  static constexpr int64_t kTuesdayMidnight = kStartSeconds - 27000;
  static constexpr int64_t kTuesdayMeeting = kStartSeconds - 1800;

  void SetUp() override {
    ServerTest::SetUp();
    // The chapter and its members since ten weeks ago; then Tuesday 07:30 in Rome.
    clock_.Set(Clock::time_point(std::chrono::seconds(kStartSeconds)) - std::chrono::weeks(10));
    CreateChapter("rome");
    vp_ = AddMember("rome", "Vera Vice", "Accountant", v1::ROLE_VICE_PRESIDENT);
    sara_ = AddMember("rome", "Sara De Santis", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    clock_.Set(Clock::time_point(std::chrono::seconds(kStartSeconds)));
    tuesday_ = Meeting(kTuesdayMeeting);
  }

  // A meeting starting at `start` (seconds), scheduled by the VP.
  std::string Meeting(int64_t start) {
    v1::ScheduleMeetingRequest request;
    request.set_parent("chapters/rome");
    request.mutable_start_time()->set_seconds(start);
    request.set_request_id(client::Client::NewRequestId());
    v1::Meeting meeting;
    auto vp = As(vp_.token);
    EXPECT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().ScheduleMeeting(c, request, &meeting);
                }).ok());
    return meeting.name();
  }

  // Opens and closes Tuesday's meeting, then submits its PALMS if asked.
  void HoldTuesday(bool submit) {
    auto vp = As(vp_.token);
    v1::Meeting out;
    v1::OpenMeetingRequest open;
    open.set_name(tuesday_);
    open.set_request_id(client::Client::NewRequestId());
    ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().OpenMeeting(c, open, &out);
                }).ok());
    v1::CloseMeetingRequest close;
    close.set_name(tuesday_);
    close.set_request_id(client::Client::NewRequestId());
    ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.meetings().CloseMeeting(c, close, &out);
                }).ok());
    if (submit) {
      v1::SubmitPalmsRequest palms;
      palms.set_name(tuesday_);
      palms.set_request_id(client::Client::NewRequestId());
      ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                    return vp.meetings().SubmitPalms(c, palms, &out);
                  }).ok());
    }
  }

  // Sara's slip for Marco, recorded by `as_who` (on Sara's behalf when it is not Sara).
  grpc::Status Slip(const NewMember& as_who, const v1::Occurred& occurred,
                    v1::Referral* out = nullptr, const std::string& meeting = "") {
    v1::GiveReferralRequest request;
    request.set_parent("chapters/rome");
    if (as_who.member.name() != sara_.member.name()) {
      request.set_on_behalf_of(sara_.member.name());
    }
    request.mutable_referral()->set_receiver(marco_.member.name());
    request.mutable_referral()->set_temperature(4);
    request.mutable_referral()->set_meeting(meeting);
    *request.mutable_occurred() = occurred;
    request.set_request_id(client::Client::NewRequestId());
    v1::Referral referral;
    auto as = As(as_who.token);
    grpc::Status status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.referrals().GiveReferral(c, request, &referral);
    });
    if (out != nullptr) {
      *out = referral;
    }
    return status;
  }

  grpc::Status OneToOne(const NewMember& as_who, const std::string& on_behalf_of,
                        const v1::Occurred& occurred, v1::OneToOne* out) {
    v1::RecordOneToOneRequest request;
    request.set_parent("chapters/rome");
    request.set_on_behalf_of(on_behalf_of);
    request.mutable_one_to_one()->set_with_member(marco_.member.name());
    *request.mutable_occurred() = occurred;
    request.set_request_id(client::Client::NewRequestId());
    auto as = As(as_who.token);
    return Invoke(
        as, [&](grpc::ClientContext* c) { return as.referrals().RecordOneToOne(c, request, out); });
  }

  static v1::Occurred Date(const std::string& date) {
    v1::Occurred occurred;
    occurred.set_date(date);
    return occurred;
  }
  static v1::Occurred At(const std::string& meeting) {
    v1::Occurred occurred;
    occurred.set_meeting(meeting);
    return occurred;
  }

  // Sara's row of the PALMS report over [start, end) (seconds).
  v1::PalmsRow SaraOver(int64_t start, int64_t end) {
    v1::GetPalmsReportRequest request;
    request.set_chapter("chapters/rome");
    request.mutable_start_time()->set_seconds(start);
    request.mutable_end_time()->set_seconds(end);
    v1::PalmsReport report;
    auto vp = As(vp_.token);
    EXPECT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                  return vp.reports().GetPalmsReport(c, request, &report);
                }).ok());
    for (const v1::PalmsRow& row : report.rows()) {
      if (row.member() == sara_.member.name()) {
        return row;
      }
    }
    ADD_FAILURE() << "no row for Sara";
    return {};
  }

  NewMember vp_, sara_, marco_;
  std::string tuesday_;
};

TEST_F(OccurredTest, TheVpTypesTuesdaysSlipOnWednesday_AndTuesdaysPalmsShowsIt) {
  HoldTuesday(false);
  clock_.Advance(std::chrono::hours(24));  // Wednesday
  const int64_t before = GetChapter("chapters/rome").last_seq();
  v1::Referral referral;
  grpc::Status status = Slip(vp_, At(tuesday_), &referral);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(sara_.member.name(), referral.giver());
  EXPECT_EQ(kTuesdayMeeting, referral.occur_time().seconds());
  EXPECT_EQ(kStartSeconds + kDay, referral.create_time().seconds());

  const auto events = ReadEvents(admin(), "chapters/rome", before, 1);
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(kTuesdayMeeting, events[0].occurred_time().seconds());
  EXPECT_EQ(kStartSeconds + kDay, events[0].time().seconds());
  EXPECT_EQ(tuesday_, events[0].occurred_meeting());
  EXPECT_EQ(sara_.member.name(), events[0].on_behalf_of());
  EXPECT_FALSE(events[0].correction());

  EXPECT_EQ(1, SaraOver(kTuesdayMidnight, kTuesdayMidnight + kDay).referrals_given());
  EXPECT_EQ(0, SaraOver(kTuesdayMidnight + kDay, kTuesdayMidnight + 2 * kDay).referrals_given());

  // Sara's own one-to-one of Tuesday, dated by the day.
  v1::OneToOne one_to_one;
  ASSERT_TRUE(OneToOne(sara_, "", Date("2026-12-01"), &one_to_one).ok());
  EXPECT_EQ("2026-12-01", one_to_one.date());
  EXPECT_EQ(kTuesdayMidnight, one_to_one.occur_time().seconds());
  EXPECT_EQ(1, SaraOver(kTuesdayMidnight, kTuesdayMidnight + kDay).one_to_ones());
}

TEST_F(OccurredTest, TheRules_AnswerWithTheirCodesAndReasons) {
  struct Case {
    v1::Occurred occurred;
    StatusCode code;
    std::string reason;
    std::string meeting = "";
  };
  const std::string next_week = Meeting(kTuesdayMeeting + 7 * kDay);
  const Case cases[] = {
      {Date("2026-02-30"), StatusCode::INVALID_ARGUMENT, "DATE_INVALID"},
      {Date("1/12/2026"), StatusCode::INVALID_ARGUMENT, "DATE_INVALID"},
      {Date("2026-12-02"), StatusCode::INVALID_ARGUMENT, "OCCURRED_IN_FUTURE"},
      {At(next_week), StatusCode::INVALID_ARGUMENT, "OCCURRED_IN_FUTURE"},
      // 2026-12-01 minus 56 days is 2026-10-06.
      {Date("2026-10-05"), StatusCode::FAILED_PRECONDITION, "OCCURRED_TOO_LONG_AGO"},
      {At("chapters/rome/meetings/999"), StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND"},
      {At(tuesday_), StatusCode::INVALID_ARGUMENT, "OCCURRED_OTHER_MEETING", next_week},
  };
  for (const Case& c : cases) {
    grpc::Status status = Slip(sara_, c.occurred, nullptr, c.meeting);
    EXPECT_EQ(c.code, status.error_code())
        << c.occurred.ShortDebugString() << ": " << status.error_message();
    EXPECT_EQ(c.reason, ReasonOf(status)) << c.occurred.ShortDebugString();
    EXPECT_NE(std::string::npos, status.error_message().find("occurred."))
        << status.error_message();
  }
  // An organizer may type in an older slip; nobody may date one before the member joined.
  EXPECT_TRUE(Slip(vp_, Date("2026-10-05")).ok());
  NewMember dario = AddMember("rome", "Dario Neri", "Baker");  // joins today
  v1::OneToOne out;
  grpc::Status before = OneToOne(vp_, dario.member.name(), Date("2026-11-30"), &out);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, before.error_code()) << before.error_message();
  EXPECT_EQ("OCCURRED_BEFORE_JOINING", ReasonOf(before));
  EXPECT_NE(std::string::npos, before.error_message().find("joined the chapter on 2026-12-01"))
      << before.error_message();
}

TEST_F(OccurredTest, IntoASubmittedWeek_OnlyAnOrganizersCorrection_MarkedOnTheEvent) {
  HoldTuesday(true);
  clock_.Advance(std::chrono::hours(48));  // Thursday
  v1::OneToOne out;
  grpc::Status refused = OneToOne(sara_, "", Date("2026-12-02"), &out);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, refused.error_code()) << refused.error_message();
  EXPECT_EQ("PALMS_SUBMITTED", ReasonOf(refused));

  const int64_t before = GetChapter("chapters/rome").last_seq();
  grpc::Status corrected = OneToOne(vp_, sara_.member.name(), Date("2026-12-02"), &out);
  ASSERT_TRUE(corrected.ok()) << corrected.error_message();
  const auto events = ReadEvents(admin(), "chapters/rome", before, 1);
  ASSERT_EQ(1u, events.size());
  EXPECT_TRUE(events[0].correction());
  EXPECT_EQ(tuesday_, events[0].occurred_meeting());
  EXPECT_EQ(kTuesdayMidnight + kDay, events[0].occurred_time().seconds());

  v1::GetMeetingRequest get;
  get.set_name(tuesday_);
  v1::Meeting meeting;
  auto vp = As(vp_.token);
  ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                return vp.meetings().GetMeeting(c, get, &meeting);
              }).ok());
  EXPECT_EQ(1, meeting.corrections());
}

}  // namespace
}  // namespace reciproca::testing
