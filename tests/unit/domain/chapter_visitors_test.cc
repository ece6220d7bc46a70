// The visitors' pipeline: inviting ahead, registering an invited visitor at the meeting, every
// move of the pipeline (legal and not), joining as a member, and the reminders' days.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/domain/error_reasons.h"
#include "tests/unit/domain/chapter_test_support.h"

namespace reciproca::domain::testing {
namespace {

constexpr int64_t kDay = 86400;

class VisitorPipelineTest : public RosterChapterTest {
 protected:
  void SetUp() override {
    RosterChapterTest::SetUp();
    host_ = AddMember("Vera Host", "Photographer", v1::ROLE_VISITOR_HOST);
    // kNow is Tuesday 2023-11-14, 23:13 in Rome: the meeting starts on Wednesday 23:13.
    meeting_ = ScheduleMeeting(kNow + kDay);
  }

  Result<Events> Invite(const Context& ctx, const std::string& name, const std::string& meeting,
                        const std::string& date = "", const std::string& invited_by = "") {
    v1::InviteVisitorRequest request;
    request.set_parent(kChapter);
    request.set_meeting(meeting);
    request.set_date(date);
    request.mutable_visitor()->set_display_name(name);
    request.mutable_visitor()->set_business(name + " Srl");
    request.mutable_visitor()->set_invited_by(invited_by);
    request.mutable_visitor()->set_phone("+39 333 1234567");
    return chapter_.DecideInviteVisitor(ctx, request);
  }

  std::string InviteByAna(const std::string& name) {
    Events events = ApplyAll(Invite(As(ana_), name, meeting_));
    return events.empty() ? "" : events[0].visitor_invited().visitor().name();
  }

  // Registers `name` at meeting_ (opened first) as the president would at the door.
  std::string Register(const std::string& name) {
    if (chapter_.GetMeeting(meeting_)->state() == v1::MEETING_STATE_SCHEDULED) {
      OpenMeeting(meeting_);
    }
    v1::RegisterVisitorRequest request;
    request.set_meeting(meeting_);
    request.mutable_visitor()->set_display_name(name);
    request.mutable_visitor()->set_business(name + " Srl");
    Events events = ApplyAll(chapter_.DecideRegisterVisitor(As(president_), request));
    return events.empty() ? "" : events[0].visitor_registered().visitor().name();
  }

  Result<Events> Move(const Context& ctx, const std::string& visitor, v1::VisitorState to,
                      const std::string& category = "") {
    v1::MoveVisitorRequest request;
    request.set_name(visitor);
    request.set_state(to);
    request.set_note("called on Monday");
    request.set_category(category);
    return chapter_.DecideMoveVisitor(ctx, request);
  }

  // A visitor in `state`, reached by the legal path (categories kept distinct for JOINED).
  std::string VisitorIn(v1::VisitorState state) {
    static int n = 0;
    const std::string name = "Guest " + std::to_string(++n);
    const std::string visitor = InviteByAna(name);
    if (state == v1::VISITOR_STATE_INVITED) {
      return visitor;
    }
    if (state == v1::VISITOR_STATE_DECLINED) {
      ApplyAll(Move(As(host_), visitor, state));
      return visitor;
    }
    Register(name);
    for (v1::VisitorState next :
         {v1::VISITOR_STATE_FOLLOWED_UP, v1::VISITOR_STATE_APPLIED, v1::VISITOR_STATE_JOINED}) {
      if (chapter_.GetVisitor(visitor)->state() == state) {
        break;
      }
      ApplyAll(Move(As(host_), visitor, next, "Category " + name));
    }
    return visitor;
  }

  int VisitorsOf(const std::string& member) {
    const v1::PalmsReport report = chapter_.PalmsReport(std::nullopt, std::nullopt);
    for (const v1::PalmsRow& row : report.rows()) {
      if (row.member() == member) {
        return row.visitors();
      }
    }
    return -1;
  }

  std::vector<v1::Visitor> List(v1::VisitorState state = v1::VISITOR_STATE_UNSPECIFIED,
                                const std::string& invited_by = "") {
    auto list = chapter_.ListVisitors({state, invited_by});
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<v1::Visitor>{};
  }

  std::string host_;
  std::string meeting_;
};

TEST_F(VisitorPipelineTest, InviteVisitor_AnyMemberInvitesAheadAndNothingCountsYet) {
  const std::string visitor = InviteByAna("Gianni Ospite");
  auto got = chapter_.GetVisitor(visitor);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(v1::VISITOR_STATE_INVITED, got->state());
  EXPECT_EQ(ana_, got->invited_by());
  EXPECT_TRUE(got->has_invite_time());
  EXPECT_FALSE(got->has_register_time());
  ASSERT_EQ(1, got->history_size());
  EXPECT_EQ(ana_, got->history(0).actor());
  EXPECT_EQ(0, chapter_.GetMeeting(meeting_)->visitors_size()) << "not come yet";
  EXPECT_EQ(0, VisitorsOf(ana_));
  EXPECT_EQ(1u, List().size());
}

TEST_F(VisitorPipelineTest, InviteVisitor_DateMeansTheNextMeetingOnOrAfterIt) {
  const std::string later = ScheduleMeeting(kNow + 8 * kDay);  // Wednesday 2023-11-22
  Events first = ApplyAll(Invite(As(ana_), "Early", "", "2023-11-15"));
  Events second = ApplyAll(Invite(As(ana_), "Late", "", "2023-11-16"));
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(meeting_, first[0].visitor_invited().meeting());
  EXPECT_EQ(later, second[0].visitor_invited().meeting());
}

TEST_F(VisitorPipelineTest, InviteVisitor_RefusesDatesAndMeetingsItCannotUse) {
  auto past = Invite(As(ana_), "Gianni", "", "2023-11-13");
  EXPECT_TRUE(IsError(past, ErrorCode::kInvalidArgument, {"date", "before today"}));
  EXPECT_EQ(kVisitorDatePast, past.error().reason);
  auto none = Invite(As(ana_), "Gianni", "", "2023-12-01");
  EXPECT_TRUE(IsError(none, ErrorCode::kFailedPrecondition, {"no meeting"}));
  EXPECT_EQ(kNoMeetingAfterDate, none.error().reason);
  EXPECT_TRUE(IsError(Invite(As(ana_), "Gianni", "", "2023-11-31"), ErrorCode::kInvalidArgument,
                      {"calendar date"}));
  EXPECT_TRUE(
      IsError(Invite(As(ana_), "Gianni", meeting_, "2023-11-15"), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(IsError(Invite(As(ana_), "Gianni", ""), ErrorCode::kInvalidArgument));
  OpenMeeting(meeting_);
  CloseMeeting(meeting_);
  EXPECT_TRUE(
      IsError(Invite(As(ana_), "Gianni", meeting_), ErrorCode::kFailedPrecondition, {"closed"}));
}

TEST_F(VisitorPipelineTest, InviteVisitor_AnotherInviterOnlyByOrganizers) {
  EXPECT_TRUE(
      IsError(Invite(As(ana_), "Gianni", meeting_, "", bruno_), ErrorCode::kPermissionDenied));
  Events events = ApplyAll(Invite(As(president_), "Gianni", meeting_, "", bruno_));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(bruno_, events[0].visitor_invited().visitor().invited_by());
  EXPECT_TRUE(IsError(Invite(Display(), "Marta", meeting_), ErrorCode::kPermissionDenied));
}

TEST_F(VisitorPipelineTest, InviteVisitor_SameVisitorTwiceToOneMeetingIsRefused) {
  InviteByAna("Gianni Ospite");
  auto twice = Invite(As(bruno_), "gianni ospite", meeting_);
  EXPECT_TRUE(IsError(twice, ErrorCode::kAlreadyExists, {"already invited"}));
  EXPECT_EQ(kVisitorAlreadyInvited, twice.error().reason);
}

TEST_F(VisitorPipelineTest, RegisterVisitor_InvitedVisitorAttendsWithoutADuplicate) {
  const std::string invited = InviteByAna("Gianni Ospite");
  const std::string registered = Register("GIANNI OSPITE");
  EXPECT_EQ(invited, registered);
  auto meeting = chapter_.GetMeeting(meeting_);
  ASSERT_EQ(1, meeting->visitors_size());
  const v1::Visitor& v = meeting->visitors(0);
  EXPECT_EQ(v1::VISITOR_STATE_ATTENDED, v.state());
  EXPECT_EQ(ana_, v.invited_by()) << "the inviter keeps the credit";
  EXPECT_EQ("+39 333 1234567", v.phone()) << "the invitation's contact is kept";
  ASSERT_EQ(2, v.history_size());
  EXPECT_EQ(v1::VISITOR_STATE_ATTENDED, v.history(1).state());
  EXPECT_EQ(1u, List().size());
  EXPECT_EQ(1, VisitorsOf(ana_));
  EXPECT_EQ(0, VisitorsOf(president_));
}

TEST_F(VisitorPipelineTest, RegisterVisitor_NotInvitedIsANewAttendedVisitor) {
  const std::string visitor = Register("Walk In");
  EXPECT_EQ(v1::VISITOR_STATE_ATTENDED, chapter_.GetVisitor(visitor)->state());
  EXPECT_EQ(president_, chapter_.GetVisitor(visitor)->invited_by());
}

TEST_F(VisitorPipelineTest, MoveVisitor_EveryMoveIsLegalOrRefusedNamingBothStates) {
  using S = v1::VisitorState;
  const std::vector<S> states = {v1::VISITOR_STATE_INVITED,     v1::VISITOR_STATE_ATTENDED,
                                 v1::VISITOR_STATE_FOLLOWED_UP, v1::VISITOR_STATE_APPLIED,
                                 v1::VISITOR_STATE_JOINED,      v1::VISITOR_STATE_DECLINED};
  const auto legal = [](S from, S to) {
    return (from == v1::VISITOR_STATE_ATTENDED && to == v1::VISITOR_STATE_FOLLOWED_UP) ||
           (from == v1::VISITOR_STATE_FOLLOWED_UP && to == v1::VISITOR_STATE_APPLIED) ||
           (from == v1::VISITOR_STATE_APPLIED && to == v1::VISITOR_STATE_JOINED) ||
           (to == v1::VISITOR_STATE_DECLINED && from != v1::VISITOR_STATE_JOINED &&
            from != v1::VISITOR_STATE_DECLINED);
  };
  for (S from : states) {
    for (S to : states) {
      SCOPED_TRACE(v1::VisitorState_Name(from) + " -> " + v1::VisitorState_Name(to));
      const std::string visitor = VisitorIn(from);
      ASSERT_EQ(from, chapter_.GetVisitor(visitor)->state());
      auto moved = Move(As(host_), visitor, to, "Trade " + visitor);
      if (legal(from, to)) {
        ApplyAll(moved);
        EXPECT_EQ(to, chapter_.GetVisitor(visitor)->state());
        continue;
      }
      const std::string f = v1::VisitorState_Name(from).substr(14);
      const std::string t = v1::VisitorState_Name(to).substr(14);
      EXPECT_TRUE(IsError(moved, ErrorCode::kFailedPrecondition, {f, t}));
      if (!moved.ok()) {
        EXPECT_EQ(kVisitorStateMove, moved.error().reason);
      }
    }
  }
}

TEST_F(VisitorPipelineTest, MoveVisitor_EachMoveIsAStepWithWhoWhenAndTheNote) {
  const std::string visitor = VisitorIn(v1::VISITOR_STATE_ATTENDED);
  now_ = At(kNow + 3 * kDay);
  Events events = ApplyAll(Move(As(host_), visitor, v1::VISITOR_STATE_FOLLOWED_UP));
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(v1::VISITOR_STATE_ATTENDED, events[0].visitor_state_changed().from());
  const v1::Visitor v = *chapter_.GetVisitor(visitor);
  const v1::VisitorStep& step = v.history(v.history_size() - 1);
  EXPECT_EQ(v1::VISITOR_STATE_FOLLOWED_UP, step.state());
  EXPECT_EQ(host_, step.actor());
  EXPECT_EQ(kNow + 3 * kDay, step.time().seconds());
  EXPECT_EQ("called on Monday", step.note());
}

TEST_F(VisitorPipelineTest, MoveVisitor_OrganizersOnly) {
  const std::string visitor = VisitorIn(v1::VISITOR_STATE_ATTENDED);
  auto refused = Move(As(ana_), visitor, v1::VISITOR_STATE_FOLLOWED_UP);
  EXPECT_TRUE(IsError(refused, ErrorCode::kPermissionDenied, {"organizers"}));
  EXPECT_EQ(kOrganizersOnly, refused.error().reason);
  EXPECT_TRUE(IsError(Move(Display(), visitor, v1::VISITOR_STATE_FOLLOWED_UP),
                      ErrorCode::kPermissionDenied));
  ApplyAll(Move(As(president_), visitor, v1::VISITOR_STATE_FOLLOWED_UP));
}

TEST_F(VisitorPipelineTest, MoveVisitor_UnknownVisitorOrStateIsRefused) {
  EXPECT_TRUE(IsError(Move(As(host_), meeting_ + "/visitors/999", v1::VISITOR_STATE_DECLINED),
                      ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(Move(As(host_), "visitors/1", v1::VISITOR_STATE_DECLINED),
                      ErrorCode::kInvalidArgument));
  const std::string visitor = VisitorIn(v1::VISITOR_STATE_ATTENDED);
  EXPECT_TRUE(IsError(Move(As(host_), visitor, v1::VISITOR_STATE_UNSPECIFIED),
                      ErrorCode::kInvalidArgument));
}

TEST_F(VisitorPipelineTest, MoveVisitor_JoinedAddsTheMemberLinkedAndKeepsTheInvitersCredit) {
  const std::string visitor = VisitorIn(v1::VISITOR_STATE_APPLIED);
  EXPECT_EQ(1, VisitorsOf(ana_));
  EXPECT_TRUE(IsError(Move(As(host_), visitor, v1::VISITOR_STATE_JOINED, ""),
                      ErrorCode::kInvalidArgument, {"category"}));
  auto taken = Move(As(host_), visitor, v1::VISITOR_STATE_JOINED, "plumber");
  EXPECT_TRUE(IsError(taken, ErrorCode::kAlreadyExists, {"Bruno Bianchi"}));
  EXPECT_EQ(kCategoryTaken, taken.error().reason);

  now_ = At(kNow + 10 * kDay);
  Events events = ApplyAll(Move(As(host_), visitor, v1::VISITOR_STATE_JOINED, "Architect"));
  ASSERT_EQ(2u, events.size());
  ASSERT_TRUE(events[1].has_member_added());
  const std::string member = events[1].member_added().member().name();
  auto joined = chapter_.GetMember(member);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(v1::MEMBER_STATE_ACTIVE, joined->state());
  EXPECT_EQ("Architect", joined->category());
  EXPECT_EQ(chapter_.GetVisitor(visitor)->display_name(), joined->display_name());
  EXPECT_EQ("+39 333 1234567", joined->phone());
  EXPECT_EQ(kNow + 10 * kDay, joined->join_time().seconds());
  EXPECT_EQ(visitor, joined->visitor());
  EXPECT_EQ(member, chapter_.GetVisitor(visitor)->member());
  EXPECT_EQ(v1::VISITOR_STATE_JOINED, chapter_.GetVisitor(visitor)->state());
  EXPECT_EQ(1, VisitorsOf(ana_)) << "the inviter keeps the visitor's credit";
  EXPECT_EQ(0, VisitorsOf(member));
  EXPECT_TRUE(IsError(
      Move(As(host_), VisitorIn(v1::VISITOR_STATE_APPLIED), v1::VISITOR_STATE_JOINED, "architect"),
      ErrorCode::kAlreadyExists))
      << "the new member holds the category";
}

TEST_F(VisitorPipelineTest, ListVisitors_FiltersByStateAndInviter) {
  const std::string invited = InviteByAna("Early Bird");
  const std::string attended = VisitorIn(v1::VISITOR_STATE_ATTENDED);
  ApplyAll(Invite(As(bruno_), "Bruno's Guest", meeting_));
  EXPECT_EQ(3u, List().size());
  ASSERT_EQ(2u, List(v1::VISITOR_STATE_INVITED).size());
  ASSERT_EQ(1u, List(v1::VISITOR_STATE_ATTENDED).size());
  EXPECT_EQ(attended, List(v1::VISITOR_STATE_ATTENDED)[0].name());
  EXPECT_EQ(2u, List(v1::VISITOR_STATE_UNSPECIFIED, ana_).size());
  ASSERT_EQ(1u, List(v1::VISITOR_STATE_INVITED, ana_).size());
  EXPECT_EQ(invited, List(v1::VISITOR_STATE_INVITED, ana_)[0].name());
  EXPECT_EQ(invited, List().back().name()) << "newest first";
  EXPECT_FALSE(chapter_.ListVisitors({v1::VISITOR_STATE_UNSPECIFIED, "members/1"}).ok());
  const auto next = List(v1::VISITOR_STATE_ATTENDED)[0].next_states();
  EXPECT_EQ((std::vector<int>{v1::VISITOR_STATE_FOLLOWED_UP, v1::VISITOR_STATE_DECLINED}),
            std::vector<int>(next.begin(), next.end()));
}

TEST_F(VisitorPipelineTest, VisitorReminders_FollowUpAfterTwoDaysToTheHostAndTheInviter) {
  const std::string visitor = VisitorIn(v1::VISITOR_STATE_ATTENDED);  // came at kNow
  const int64_t due = kNow + Chapter::kVisitorFollowUpDays * kDay;
  EXPECT_TRUE(chapter_.VisitorReminders("", At(due - 1), Zones()).empty());
  auto reminders = chapter_.VisitorReminders("", At(due), Zones());
  ASSERT_EQ(2u, reminders.size());
  std::vector<std::string> to;
  for (const auto& r : reminders) {
    EXPECT_EQ("visitor_follow_up", r.kind());
    EXPECT_EQ("visitor_follow_up:" + visitor, r.id());
    EXPECT_NE(std::string::npos, r.text().find("Guest")) << r.text();
    EXPECT_NE(std::string::npos, r.text().find("2 days")) << r.text();
    to.push_back(r.member());
  }
  EXPECT_EQ((std::vector<std::string>{host_, ana_}), to);
  EXPECT_EQ(1u, chapter_.VisitorReminders(ana_, At(due), Zones()).size());
  EXPECT_TRUE(chapter_.VisitorReminders(bruno_, At(due), Zones()).empty());
  ApplyAll(Move(As(host_), visitor, v1::VISITOR_STATE_FOLLOWED_UP));
  EXPECT_TRUE(chapter_.VisitorReminders("", At(due), Zones()).empty()) << "followed up";
}

TEST_F(VisitorPipelineTest, VisitorReminders_FollowUpGoesToThePresidentWithoutAHost) {
  RemoveMember(host_);
  VisitorIn(v1::VISITOR_STATE_ATTENDED);
  auto reminders = chapter_.VisitorReminders(president_, At(kNow + 3 * kDay), Zones());
  ASSERT_EQ(1u, reminders.size());
  EXPECT_EQ("visitor_follow_up", reminders[0].kind());
}

TEST_F(VisitorPipelineTest, VisitorReminders_InviterIsRemindedTheDayBeforeTheMeeting) {
  const std::string later = ScheduleMeeting(kNow + 8 * kDay);
  const std::string visitor = InviteByAna("Gianni Ospite");
  ApplyAll(Invite(As(bruno_), "Next Week", later));
  // Today is the 14th in Rome; meeting_ is on the 15th.
  auto reminders = chapter_.VisitorReminders("", At(kNow), Zones());
  ASSERT_EQ(1u, reminders.size());
  EXPECT_EQ("visitor_tomorrow", reminders[0].kind());
  EXPECT_EQ(ana_, reminders[0].member());
  EXPECT_EQ("visitor_tomorrow:" + visitor, reminders[0].id());
  EXPECT_NE(std::string::npos, reminders[0].text().find("Gianni Ospite"));
  EXPECT_TRUE(chapter_.VisitorReminders("", At(kNow + kDay), Zones()).empty()) << "it is today";
  EXPECT_TRUE(chapter_.VisitorReminders("", At(kNow - kDay), Zones()).empty()) << "two days";
}

TEST_F(VisitorPipelineTest, Replay_RebuildsThePipeline) {
  VisitorIn(v1::VISITOR_STATE_INVITED);
  VisitorIn(v1::VISITOR_STATE_DECLINED);
  VisitorIn(v1::VISITOR_STATE_JOINED);
  Chapter replayed;
  for (const v1::Event& event : log_) {
    replayed.Apply(event);
  }
  auto a = chapter_.ListVisitors({});
  auto b = replayed.ListVisitors({});
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].SerializeAsString(), (*b)[i].SerializeAsString());
  }
  Chapter restored = Chapter::FromState(chapter_.ExportState());
  EXPECT_EQ(a->size(), restored.ListVisitors({})->size());
}

}  // namespace
}  // namespace reciproca::domain::testing
