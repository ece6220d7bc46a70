// A whole meeting through the real server: schedule, open, segments, PALMS attendance, visitors,
// referrals, TYFCB, one-to-ones, CEUs, testimonials, close, and the PALMS report.

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class MeetingFlowTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    vp_ = AddMember("rome", "Vera Vice", "Accountant", v1::ROLE_VICE_PRESIDENT);
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    lia_ = AddMember("rome", "Lia Neri", "Designer");
    bob_ = AddMember("rome", "Bob Blu", "Baker");
  }

  v1::Meeting MeetingCall(const char* what, const std::string& name) {
    v1::Meeting meeting;
    auto vp = As(vp_.token);
    auto status = Invoke(vp, [&](grpc::ClientContext* c) {
      if (std::string(what) == "open") {
        v1::OpenMeetingRequest r;
        r.set_name(name);
        r.set_request_id(client::Client::NewRequestId());
        return vp.meetings().OpenMeeting(c, r, &meeting);
      }
      v1::CloseMeetingRequest r;
      r.set_name(name);
      r.set_request_id(client::Client::NewRequestId());
      return vp.meetings().CloseMeeting(c, r, &meeting);
    });
    EXPECT_TRUE(status.ok()) << what << ": " << status.error_message();
    return meeting;
  }

  grpc::Status CheckIn(const NewMember& who, const std::string& meeting,
                       v1::Attendance* out = nullptr) {
    v1::CheckInRequest r;
    r.set_meeting(meeting);
    r.set_request_id(client::Client::NewRequestId());
    v1::Attendance attendance;
    auto as = As(who.token);
    auto status = Invoke(
        as, [&](grpc::ClientContext* c) { return as.meetings().CheckIn(c, r, &attendance); });
    if (out) {
      *out = attendance;
    }
    return status;
  }

  NewMember vp_, ana_, marco_, lia_, bob_;
};

TEST_F(MeetingFlowTest, AWholeMeeting) {
  auto vp = As(vp_.token);
  auto ana = As(ana_.token);
  auto marco = As(marco_.token);

  // Scheduled for 07:00; it is 06:30.
  v1::ScheduleMeetingRequest schedule;
  schedule.set_parent("chapters/rome");
  *schedule.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::minutes(30));
  schedule.set_request_id("schedule-1");
  v1::Meeting meeting;
  ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                return vp.meetings().ScheduleMeeting(c, schedule, &meeting);
              }).ok());
  EXPECT_EQ(v1::MEETING_STATE_SCHEDULED, meeting.state());

  // Check-in before the meeting is open is refused.
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, CheckIn(ana_, meeting.name()).error_code());
  EXPECT_EQ(v1::MEETING_STATE_OPEN, MeetingCall("open", meeting.name()).state());

  v1::Attendance attendance;
  ASSERT_TRUE(CheckIn(ana_, meeting.name(), &attendance).ok());
  EXPECT_EQ(v1::ATTENDANCE_STATUS_PRESENT, attendance.status());
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, CheckIn(ana_, meeting.name()).error_code());

  v1::StartSegmentRequest segment;
  segment.set_name(meeting.name());
  segment.set_title("60-second presentations");
  segment.set_countdown_seconds(60);
  segment.set_request_id("seg-1");
  v1::Meeting after_segment;
  ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                return vp.meetings().StartSegment(c, segment, &after_segment);
              }).ok());
  EXPECT_EQ(v1::MEETING_STATE_IN_PROGRESS, after_segment.state());
  ASSERT_EQ(1, after_segment.segments_size());
  EXPECT_EQ(60, after_segment.segments(0).countdown_seconds());

  // 07:10: Marco is late.
  clock_.Advance(std::chrono::minutes(40));
  ASSERT_TRUE(CheckIn(marco_, meeting.name(), &attendance).ok());
  EXPECT_EQ(v1::ATTENDANCE_STATUS_LATE, attendance.status());

  // The VP records Lia as medical; Bob records nothing (absent at close).
  v1::RecordAttendanceRequest medical;
  medical.set_meeting(meeting.name());
  medical.set_member(lia_.member.name());
  medical.set_status(v1::ATTENDANCE_STATUS_MEDICAL);
  medical.set_request_id("med-lia");
  ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                return vp.meetings().RecordAttendance(c, medical, &attendance);
              }).ok());
  // A member cannot record attendance.
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, Invoke(ana, [&](grpc::ClientContext* c) {
                                             return ana.meetings().RecordAttendance(c, medical,
                                                                                    &attendance);
                                           }).error_code());

  v1::RegisterVisitorRequest visitor;
  visitor.set_meeting(meeting.name());
  visitor.mutable_visitor()->set_display_name("Vito Ospite");
  visitor.mutable_visitor()->set_business("Ospite Srl");
  visitor.set_request_id("visitor-1");
  v1::Visitor registered;
  ASSERT_TRUE(Invoke(ana, [&](grpc::ClientContext* c) {
                return ana.meetings().RegisterVisitor(c, visitor, &registered);
              }).ok());
  EXPECT_EQ(ana_.member.name(), registered.invited_by());

  // Referrals: an outside one from Ana to Marco, in the meeting.
  v1::GiveReferralRequest give;
  give.set_parent("chapters/rome");
  give.mutable_referral()->set_receiver(marco_.member.name());
  give.mutable_referral()->set_kind(v1::REFERRAL_KIND_OUTSIDE);
  give.mutable_referral()->set_contact_name("Luca Verdi");
  give.mutable_referral()->set_contact_email("luca@example.com");
  give.mutable_referral()->set_temperature(5);
  give.mutable_referral()->set_meeting(meeting.name());
  give.set_request_id("ref-1");
  v1::Referral referral;
  ASSERT_TRUE(Invoke(ana, [&](grpc::ClientContext* c) {
                return ana.referrals().GiveReferral(c, give, &referral);
              }).ok());
  EXPECT_EQ(ana_.member.name(), referral.giver());
  EXPECT_EQ(v1::REFERRAL_STATUS_GIVEN, referral.status());

  // The VP types in a paper slip for Lia: on behalf of, visible in the event.
  v1::GiveReferralRequest slip;
  slip.set_parent("chapters/rome");
  slip.mutable_referral()->set_receiver(ana_.member.name());
  slip.mutable_referral()->set_temperature(2);
  slip.set_on_behalf_of(lia_.member.name());
  slip.set_request_id("slip-lia");
  v1::Referral slip_referral;
  ASSERT_TRUE(Invoke(vp, [&](grpc::ClientContext* c) {
                return vp.referrals().GiveReferral(c, slip, &slip_referral);
              }).ok());
  EXPECT_EQ(lia_.member.name(), slip_referral.giver());
  // A plain member cannot act on behalf of someone.
  slip.set_request_id("slip-by-ana");
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, Invoke(ana, [&](grpc::ClientContext* c) {
                                             return ana.referrals().GiveReferral(c, slip,
                                                                                 &slip_referral);
                                           }).error_code());

  // Marco moves his referral along and thanks Ana for the closed business.
  v1::UpdateReferralStatusRequest move;
  move.set_name(referral.name());
  move.set_status(v1::REFERRAL_STATUS_CONTACTED);
  move.set_request_id("move-1");
  ASSERT_TRUE(Invoke(marco, [&](grpc::ClientContext* c) {
                return marco.referrals().UpdateReferralStatus(c, move, &referral);
              }).ok());
  EXPECT_EQ(v1::REFERRAL_STATUS_CONTACTED, referral.status());
  move.set_status(v1::REFERRAL_STATUS_GIVEN);
  move.set_request_id("move-back");
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, Invoke(marco, [&](grpc::ClientContext* c) {
                                               return marco.referrals().UpdateReferralStatus(
                                                   c, move, &referral);
                                             }).error_code());

  v1::RecordThankYouRequest thanks;
  thanks.set_parent("chapters/rome");
  thanks.mutable_thank_you()->set_to_member(ana_.member.name());
  thanks.mutable_thank_you()->mutable_amount()->set_currency("EUR");
  thanks.mutable_thank_you()->mutable_amount()->set_amount("1250");
  thanks.mutable_thank_you()->set_referral(referral.name());
  thanks.set_request_id("tyfcb-1");
  v1::ThankYou thank_you;
  ASSERT_TRUE(Invoke(marco, [&](grpc::ClientContext* c) {
                return marco.referrals().RecordThankYou(c, thanks, &thank_you);
              }).ok());
  EXPECT_EQ("1250.00", thank_you.amount().amount());
  v1::GetReferralRequest get_referral;
  get_referral.set_name(referral.name());
  ASSERT_TRUE(Invoke(ana, [&](grpc::ClientContext* c) {
                return ana.referrals().GetReferral(c, get_referral, &referral);
              }).ok());
  EXPECT_EQ(v1::REFERRAL_STATUS_CLOSED_WON, referral.status());

  v1::RecordOneToOneRequest one;
  one.set_parent("chapters/rome");
  one.mutable_one_to_one()->set_with_member(marco_.member.name());
  one.mutable_one_to_one()->set_date("2026-11-20");
  one.set_request_id("121");
  v1::OneToOne one_out;
  ASSERT_TRUE(Invoke(ana, [&](grpc::ClientContext* c) {
                return ana.referrals().RecordOneToOne(c, one, &one_out);
              }).ok());
  v1::RecordEducationRequest ceu;
  ceu.set_parent("chapters/rome");
  ceu.mutable_education()->set_credits(2);
  ceu.set_request_id("ceu");
  v1::Education ceu_out;
  ASSERT_TRUE(Invoke(ana, [&](grpc::ClientContext* c) {
                return ana.referrals().RecordEducation(c, ceu, &ceu_out);
              }).ok());
  v1::RecordTestimonialRequest testimonial;
  testimonial.set_parent("chapters/rome");
  testimonial.mutable_testimonial()->set_for_member(ana_.member.name());
  testimonial.mutable_testimonial()->set_text("Ana's flowers made our launch.");
  testimonial.set_request_id("testimonial");
  v1::Testimonial testimonial_out;
  ASSERT_TRUE(Invoke(marco, [&](grpc::ClientContext* c) {
                return marco.referrals().RecordTestimonial(c, testimonial, &testimonial_out);
              }).ok());

  // Close: Bob (and nobody else) becomes absent. Closing twice and late check-ins are refused.
  auto closed = MeetingCall("close", meeting.name());
  EXPECT_EQ(v1::MEETING_STATE_CLOSED, closed.state());
  v1::CloseMeetingRequest close_again;
  close_again.set_name(meeting.name());
  close_again.set_request_id("close-again");
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, Invoke(vp, [&](grpc::ClientContext* c) {
                                               return vp.meetings().CloseMeeting(c, close_again,
                                                                                 &closed);
                                             }).error_code());
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, CheckIn(bob_, meeting.name()).error_code());

  v1::GetPalmsReportRequest report_request;
  report_request.set_chapter("chapters/rome");
  v1::PalmsReport report;
  ASSERT_TRUE(Invoke(ana, [&](grpc::ClientContext* c) {
                return ana.reports().GetPalmsReport(c, report_request, &report);
              }).ok());
  EXPECT_EQ(1, report.meetings());
  std::map<std::string, v1::PalmsRow> rows;
  for (const auto& row : report.rows()) {
    rows[row.member()] = row;
  }
  ASSERT_EQ(5u, rows.size());
  const auto& a = rows[ana_.member.name()];
  EXPECT_EQ(1, a.present());
  EXPECT_EQ(1, a.referrals_given());
  EXPECT_EQ(1, a.referrals_received());
  EXPECT_EQ(1, a.visitors());
  EXPECT_EQ(1, a.one_to_ones());
  EXPECT_EQ(2, a.ceus());
  ASSERT_EQ(1, a.tyfcb_received_size());
  EXPECT_EQ("1250.00", a.tyfcb_received(0).amount());
  const auto& m = rows[marco_.member.name()];
  EXPECT_EQ(1, m.late());
  EXPECT_EQ(1, m.one_to_ones());
  EXPECT_EQ(1, m.testimonials_given());
  ASSERT_EQ(1, m.tyfcb_given_size());
  EXPECT_EQ("EUR", m.tyfcb_given(0).currency());
  EXPECT_EQ(1, rows[lia_.member.name()].medical());
  EXPECT_EQ(1, rows[lia_.member.name()].referrals_given());
  EXPECT_EQ(1, rows[bob_.member.name()].absent());
  EXPECT_EQ(1, rows[vp_.member.name()].absent());

  // The event log shows the slip was typed in by the VP on Lia's behalf.
  auto events = ReadEvents(admin(), "chapters/rome", 0, 100, std::chrono::seconds(2));
  bool found_slip = false;
  for (const auto& e : events) {
    if (e.has_referral_given() && e.referral_given().referral().name() == slip_referral.name()) {
      found_slip = true;
      EXPECT_EQ(vp_.member.name(), e.actor());
      EXPECT_EQ(lia_.member.name(), e.on_behalf_of());
    }
  }
  EXPECT_TRUE(found_slip);
}

TEST_F(MeetingFlowTest, ListsPaginateAndFilter) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3).ok());
  }
  ASSERT_TRUE(GiveReferral(As(marco_.token), "rome", ana_.member.name(), 3).ok());
  auto admin_client = admin();
  v1::ListReferralsRequest request;
  request.set_parent("chapters/rome");
  request.set_giver(ana_.member.name());
  request.set_page_size(3);
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    v1::ListReferralsResponse response;
    ASSERT_TRUE(Invoke(admin_client, [&](grpc::ClientContext* c) {
                  return admin_client.referrals().ListReferrals(c, request, &response);
                }).ok());
    for (const auto& r : response.referrals()) {
      EXPECT_EQ(ana_.member.name(), r.giver());
      seen.push_back(r.name());
    }
    if (response.next_page_token().empty()) {
      break;
    }
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(7u, seen.size());
  EXPECT_EQ(7u, std::set<std::string>(seen.begin(), seen.end()).size());

  v1::ListReferralsResponse response;
  request.set_page_token("");
  request.set_page_size(-1);
  auto status = Invoke(admin_client, [&](grpc::ClientContext* c) {
    return admin_client.referrals().ListReferrals(c, request, &response);
  });
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("page_size"));
  request.set_page_size(3);
  request.set_page_token("garbage");
  status = Invoke(admin_client, [&](grpc::ClientContext* c) {
    return admin_client.referrals().ListReferrals(c, request, &response);
  });
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("page_token"));

  v1::ListMembersRequest members;
  members.set_parent("chapters/rome");
  members.set_page_size(2);
  v1::ListMembersResponse member_page;
  ASSERT_TRUE(Invoke(admin_client, [&](grpc::ClientContext* c) {
                return admin_client.members().ListMembers(c, members, &member_page);
              }).ok());
  EXPECT_EQ(2, member_page.members_size());
  EXPECT_FALSE(member_page.next_page_token().empty());
}

}  // namespace
}  // namespace reciproca::testing
