// The visitors' pipeline through the real server (issue 12 item 3): a member invites a visitor
// ahead, the visitor is registered at the meeting (attended, no second visitor), the visitor host
// follows up, they apply and join (the member exists, linked, and signs in; the inviter's PALMS
// visitor count does not change); refusals answer with their code and reason; a retry under the
// same request_id answers the first answer; the pipeline's reminders reach the inviter and the
// visitor host through InsightService.ListReminders, in the chapter's language.

#include "integration/error_reason.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;
namespace pv1 = reciproca::plugin::v1;

class VisitorsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();  // now: Tuesday 2026-12-01, 07:30 in Rome
    CreateChapter("rome");
    host_ = AddMember("rome", "Vera Host", "Photographer", v1::ROLE_VISITOR_HOST);
    ana_ = AddMember("rome", "Ana Rossi", "Accountant");
    bruno_ = AddMember("rome", "Bruno Bianchi", "Plumber");
    v1::ScheduleMeetingRequest schedule;
    schedule.set_parent("chapters/rome");
    *schedule.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::hours(24 * 7));
    schedule.set_request_id("schedule");
    ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                  return admin().meetings().ScheduleMeeting(c, schedule, &meeting_);
                }).ok());
  }

  grpc::Status Invite(const NewMember& as_who, const std::string& name, const std::string& date,
                      v1::Visitor* out, const std::string& request_id = "invite") {
    v1::InviteVisitorRequest request;
    request.set_parent("chapters/rome");
    request.set_date(date);
    request.mutable_visitor()->set_display_name(name);
    request.mutable_visitor()->set_business("Studio " + name);
    request.mutable_visitor()->set_email("guest@example.com");
    request.set_request_id(request_id);
    auto client = As(as_who.token);
    return Invoke(client, [&](grpc::ClientContext* c) {
      return client.meetings().InviteVisitor(c, request, out);
    });
  }

  grpc::Status Move(const NewMember& as_who, const std::string& visitor, v1::VisitorState to,
                    v1::Visitor* out, const std::string& request_id,
                    const std::string& category = "") {
    v1::MoveVisitorRequest request;
    request.set_name(visitor);
    request.set_state(to);
    request.set_note("note for " + request_id);
    request.set_category(category);
    request.set_request_id(request_id);
    auto client = As(as_who.token);
    return Invoke(client, [&](grpc::ClientContext* c) {
      return client.meetings().MoveVisitor(c, request, out);
    });
  }

  std::vector<v1::Visitor> List(const NewMember& as_who,
                                v1::VisitorState state = v1::VISITOR_STATE_UNSPECIFIED) {
    v1::ListVisitorsRequest request;
    request.set_parent("chapters/rome");
    request.set_state(state);
    v1::ListVisitorsResponse response;
    auto client = As(as_who.token);
    EXPECT_TRUE(Invoke(client, [&](grpc::ClientContext* c) {
                  return client.meetings().ListVisitors(c, request, &response);
                }).ok());
    return {response.visitors().begin(), response.visitors().end()};
  }

  int PalmsVisitors(const std::string& member) {
    v1::GetPalmsReportRequest request;
    request.set_chapter("chapters/rome");
    v1::PalmsReport report;
    EXPECT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                  return admin().reports().GetPalmsReport(c, request, &report);
                }).ok());
    for (const v1::PalmsRow& row : report.rows()) {
      if (row.member() == member) {
        return row.visitors();
      }
    }
    return -1;
  }

  // `who`'s own reminders of `kind` (ListReminders needs a reminders plugin: RemindersTest loads
  // one). The member is named, so an organizer gets their own list, not the chapter's.
  std::vector<pv1::Reminder> Reminders(const NewMember& who, const std::string& kind) {
    EXPECT_TRUE(server_->plugin_host().WaitIdle(std::chrono::seconds(20)));
    v1::ListRemindersRequest request;
    request.set_chapter("chapters/rome");
    request.set_member(who.member.name());
    pv1::Reminders answer;
    auto client = As(who.token);
    const grpc::Status status = Invoke(client, [&](grpc::ClientContext* c) {
      return client.insights().ListReminders(c, request, &answer);
    });
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<pv1::Reminder> out;
    for (const pv1::Reminder& r : answer.reminders()) {
      if (r.kind() == kind) {
        out.push_back(r);
      }
    }
    return out;
  }

  NewMember host_;
  NewMember ana_;
  NewMember bruno_;
  v1::Meeting meeting_;
};

TEST_F(VisitorsTest, InviteAttendFollowUpApplyJoin_TheMemberExistsLinkedAndTheCreditStays) {
  v1::Visitor invited;
  grpc::Status status = Invite(ana_, "Gianni Ospite", "2026-12-05", &invited);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(v1::VISITOR_STATE_INVITED, invited.state());
  EXPECT_EQ(ana_.member.name(), invited.invited_by());
  EXPECT_EQ(meeting_.name() + "/visitors/" + invited.name().substr(invited.name().rfind('/') + 1),
            invited.name())
      << "the next meeting on or after the day";
  EXPECT_EQ(0, PalmsVisitors(ana_.member.name()));

  // The meeting: the president at the door registers the visitor, who was invited.
  clock_.Advance(std::chrono::hours(24 * 7));
  v1::OpenMeetingRequest open;
  open.set_name(meeting_.name());
  open.set_request_id("open");
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().meetings().OpenMeeting(c, open, &meeting_);
              }).ok());
  v1::RegisterVisitorRequest at_door;
  at_door.set_meeting(meeting_.name());
  at_door.mutable_visitor()->set_display_name("gianni ospite");
  at_door.mutable_visitor()->set_business("Studio Gianni Ospite");
  at_door.mutable_visitor()->set_invited_by(ana_.member.name());
  at_door.set_request_id("at-door");
  v1::Visitor came;
  auto host = As(host_.token);
  status = Invoke(host, [&](grpc::ClientContext* c) {
    return host.meetings().RegisterVisitor(c, at_door, &came);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(invited.name(), came.name()) << "the invited visitor, not a second one";
  EXPECT_EQ(v1::VISITOR_STATE_ATTENDED, came.state());
  ASSERT_EQ(1u, List(host_).size());
  EXPECT_EQ(1, PalmsVisitors(ana_.member.name()));

  v1::Visitor moved;
  ASSERT_TRUE(Move(host_, came.name(), v1::VISITOR_STATE_FOLLOWED_UP, &moved, "follow").ok());
  ASSERT_TRUE(Move(host_, came.name(), v1::VISITOR_STATE_APPLIED, &moved, "apply").ok());
  status = Move(host_, came.name(), v1::VISITOR_STATE_JOINED, &moved, "join", "Architect");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(v1::VISITOR_STATE_JOINED, moved.state());
  ASSERT_FALSE(moved.member().empty());
  ASSERT_EQ(5, moved.history_size());
  EXPECT_EQ("note for apply", moved.history(3).note());
  EXPECT_EQ(host_.member.name(), moved.history(4).actor());

  v1::GetMemberRequest get;
  get.set_name(moved.member());
  v1::Member member;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().members().GetMember(c, get, &member);
              }).ok());
  EXPECT_EQ("gianni ospite", member.display_name());
  EXPECT_EQ("Architect", member.category());
  EXPECT_EQ(came.name(), member.visitor());
  EXPECT_EQ(v1::MEMBER_STATE_ACTIVE, member.state());
  EXPECT_EQ(1, PalmsVisitors(ana_.member.name())) << "the inviter keeps the credit";

  // The new member signs in with the link an organizer hands out.
  v1::GetMemberTokenRequest token_request;
  token_request.set_name(member.name());
  v1::GetMemberTokenResponse token;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().members().GetMemberToken(c, token_request, &token);
              }).ok());
  auto joined = As(token.access_token());
  v1::WhoAmIResponse who;
  status = Invoke(joined, [&](grpc::ClientContext* c) {
    return joined.chapters().WhoAmI(c, v1::WhoAmIRequest(), &who);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();

  // A restart rebuilds the same pipeline.
  RestartServer();
  const auto after = List(host_, v1::VISITOR_STATE_JOINED);
  ASSERT_EQ(1u, after.size());
  EXPECT_EQ(member.name(), after[0].member());
}

TEST_F(VisitorsTest, IllegalMoveAndMemberWithoutRoleAreRefusedWithCodeAndReason) {
  v1::Visitor invited;
  ASSERT_TRUE(Invite(ana_, "Marta", "2026-12-01", &invited).ok());
  v1::Visitor out;
  grpc::Status illegal = Move(host_, invited.name(), v1::VISITOR_STATE_APPLIED, &out, "m1");
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, illegal.error_code());
  EXPECT_EQ("VISITOR_STATE_MOVE", ReasonOf(illegal));
  EXPECT_NE(std::string::npos, illegal.error_message().find("INVITED")) << illegal.error_message();
  EXPECT_NE(std::string::npos, illegal.error_message().find("APPLIED")) << illegal.error_message();

  grpc::Status member = Move(bruno_, invited.name(), v1::VISITOR_STATE_DECLINED, &out, "m2");
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, member.error_code());
  EXPECT_EQ("ORGANIZERS_ONLY", ReasonOf(member));

  grpc::Status past = Invite(ana_, "Late Comer", "2026-11-20", &out, "past");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, past.error_code());
  EXPECT_EQ("VISITOR_DATE_PAST", ReasonOf(past));
  grpc::Status none = Invite(ana_, "Far Away", "2027-03-01", &out, "none");
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, none.error_code());
  EXPECT_EQ("NO_MEETING_AFTER_DATE", ReasonOf(none));
  EXPECT_EQ(v1::VISITOR_STATE_INVITED, List(host_)[0].state()) << "nothing moved";
}

TEST_F(VisitorsTest, RetryWithTheSameRequestIdAnswersTheFirstAnswer) {
  v1::Visitor first, again;
  ASSERT_TRUE(Invite(ana_, "Gianni", "2026-12-02", &first, "same-id").ok());
  ASSERT_TRUE(Invite(ana_, "Gianni", "2026-12-02", &again, "same-id").ok());
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());
  EXPECT_EQ(1u, List(host_).size()) << "invited once";

  v1::Visitor declined, declined_again;
  ASSERT_TRUE(Move(host_, first.name(), v1::VISITOR_STATE_DECLINED, &declined, "decline").ok());
  ASSERT_TRUE(
      Move(host_, first.name(), v1::VISITOR_STATE_DECLINED, &declined_again, "decline").ok());
  EXPECT_EQ(declined.SerializeAsString(), declined_again.SerializeAsString());
  EXPECT_EQ(2, declined_again.history_size()) << "moved once";
}

TEST_F(VisitorsTest, ContactDataOnlyForTheInviterAndOrganizers) {
  v1::Visitor invited;
  ASSERT_TRUE(Invite(ana_, "Gianni", "2026-12-02", &invited).ok());
  EXPECT_EQ("guest@example.com", List(ana_)[0].email());
  EXPECT_EQ("guest@example.com", List(host_)[0].email());
  EXPECT_EQ("", List(bruno_)[0].email());
  EXPECT_EQ(invited.display_name(), List(bruno_)[0].display_name());
}

// The server's own reminders join a reminders plugin's answer: the counting test plugin, which
// has nothing to say here (no referrals).
class VisitorRemindersTest : public VisitorsTest {
 protected:
  void SetUp() override {
    plugins_ = {{"counting", kCounting, ""}};
    VisitorsTest::SetUp();
    v1::UpdateChapterRequest request;
    request.mutable_chapter()->set_name("chapters/rome");
    request.mutable_chapter()->set_language("it");
    request.mutable_update_mask()->add_paths("language");
    request.set_request_id("italian");
    v1::Chapter chapter;
    ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                  return admin().chapters().UpdateChapter(c, request, &chapter);
                }).ok());
  }
};

TEST_F(VisitorRemindersTest, ComesTomorrowToTheInviter_FollowUpToHostAndInviterUntilFollowedUp) {
  v1::Visitor invited;
  ASSERT_TRUE(Invite(ana_, "Gianni Ospite", "2026-12-05", &invited).ok());
  EXPECT_TRUE(Reminders(ana_, "visitor_tomorrow").empty()) << "the meeting is a week away";

  // Monday 2026-12-07, 07:30 in Rome: the meeting is tomorrow.
  clock_.Advance(std::chrono::hours(24 * 6));
  const auto tomorrow = Reminders(ana_, "visitor_tomorrow");
  ASSERT_EQ(1u, tomorrow.size());
  EXPECT_EQ("visitor_tomorrow:" + invited.name(), tomorrow[0].id());
  EXPECT_EQ(ana_.member.name(), tomorrow[0].member());
  EXPECT_EQ(
      "Gianni Ospite (Studio Gianni Ospite) viene domani alla riunione come tuo ospite: un "
      "messaggio stasera con ora e luogo, e arriva presto per accoglierlo.",
      tomorrow[0].text());
  EXPECT_TRUE(Reminders(host_, "visitor_tomorrow").empty()) << "the inviter's reminder only";
  EXPECT_TRUE(Reminders(host_, "visitor_follow_up").empty()) << "nobody came yet";

  // The meeting: the visitor host registers the visitor at the door.
  clock_.Advance(std::chrono::hours(24));
  v1::OpenMeetingRequest open;
  open.set_name(meeting_.name());
  open.set_request_id("open");
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().meetings().OpenMeeting(c, open, &meeting_);
              }).ok());
  v1::RegisterVisitorRequest at_door;
  at_door.set_meeting(meeting_.name());
  at_door.mutable_visitor()->set_display_name("Gianni Ospite");
  at_door.mutable_visitor()->set_business("Studio Gianni Ospite");
  at_door.mutable_visitor()->set_invited_by(ana_.member.name());
  at_door.set_request_id("at-door");
  v1::Visitor came;
  auto host = As(host_.token);
  ASSERT_TRUE(Invoke(host, [&](grpc::ClientContext* c) {
                return host.meetings().RegisterVisitor(c, at_door, &came);
              }).ok());
  ASSERT_EQ(v1::VISITOR_STATE_ATTENDED, came.state());
  EXPECT_TRUE(Reminders(ana_, "visitor_tomorrow").empty()) << "the visitor came";
  EXPECT_TRUE(Reminders(host_, "visitor_follow_up").empty()) << "not due yet";

  clock_.Advance(std::chrono::hours(24 * 2));
  const std::string follow_up =
      "Gianni Ospite (ospite di Ana Rossi) è venuto 2 giorni fa e nessuno l’ha ancora "
      "ricontattato: una telefonata oggi, finché la riunione è fresca nella memoria.";
  for (const NewMember* who : {&host_, &ana_}) {
    const auto due = Reminders(*who, "visitor_follow_up");
    ASSERT_EQ(1u, due.size()) << who->member.display_name();
    EXPECT_EQ("visitor_follow_up:" + came.name(), due[0].id());
    EXPECT_EQ(who->member.name(), due[0].member());
    EXPECT_EQ(follow_up, due[0].text());
  }
  EXPECT_TRUE(Reminders(bruno_, "visitor_follow_up").empty()) << "a plain member is not told";

  v1::Visitor moved;
  ASSERT_TRUE(Move(host_, came.name(), v1::VISITOR_STATE_FOLLOWED_UP, &moved, "follow").ok());
  for (const NewMember* who : {&host_, &ana_}) {
    EXPECT_TRUE(Reminders(*who, "visitor_follow_up").empty()) << who->member.display_name();
  }
}

}  // namespace
}  // namespace reciproca::testing
