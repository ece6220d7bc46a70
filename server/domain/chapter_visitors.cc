// The visitors' pipeline: inviting ahead, the visitor host's moves, joining as a member, and the
// reminders that keep it moving (docs/organizers.md, "Visitors").

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/list_order.h"
#include "server/domain/message_catalogs.h"
#include "server/domain/names.h"
#include "server/domain/occurred.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// "FOLLOWED_UP": the state's name without its prefix, as the errors and the CLI show it.
std::string VisitorStateName(v1::VisitorState state) {
  const std::string& full = v1::VisitorState_Name(state);
  constexpr std::string_view kPrefix = "VISITOR_STATE_";
  return full.starts_with(kPrefix) ? full.substr(kPrefix.size()) : full;
}

// The one table of the pipeline's moves (ATTENDED is reached by registering at the meeting).
bool IsLegalMove(v1::VisitorState from, v1::VisitorState to) {
  switch (to) {
    case v1::VISITOR_STATE_FOLLOWED_UP:
      return from == v1::VISITOR_STATE_ATTENDED;
    case v1::VISITOR_STATE_APPLIED:
      return from == v1::VISITOR_STATE_FOLLOWED_UP;
    case v1::VISITOR_STATE_JOINED:
      return from == v1::VISITOR_STATE_APPLIED;
    case v1::VISITOR_STATE_DECLINED:
      return from != v1::VISITOR_STATE_JOINED && from != v1::VISITOR_STATE_DECLINED;
    default:
      return false;
  }
}

bool IsOpenMeeting(const v1::Meeting& meeting) {
  return meeting.state() == v1::MEETING_STATE_SCHEDULED ||
         meeting.state() == v1::MEETING_STATE_OPEN ||
         meeting.state() == v1::MEETING_STATE_IN_PROGRESS;
}

void AddStep(const v1::Event& event, v1::VisitorState state, std::string_view note,
             v1::Visitor* visitor) {
  v1::VisitorStep* step = visitor->add_history();
  step->set_state(state);
  *step->mutable_time() = event.time();
  step->set_actor(event.actor());
  step->set_note(std::string(note));
}

// When the visitor came: the time of their ATTENDED step (register_time for a visitor whose
// history does not have it).
TimePoint AttendedAt(const v1::Visitor& visitor) {
  for (const v1::VisitorStep& step : visitor.history()) {
    if (step.state() == v1::VISITOR_STATE_ATTENDED) {
      return FromTimestamp(step.time());
    }
  }
  return FromTimestamp(visitor.register_time());
}

}  // namespace

Result<const v1::Visitor*> Chapter::FindVisitor(std::string_view field,
                                                std::string_view name) const {
  if (name.empty()) {
    return Required(field, PatternOf(NameKind::kVisitor));
  }
  if (Status s = CheckName(field, name, NameKind::kVisitor, info_.name()); !s) {
    return s.error();
  }
  if (auto it = invitations_.find(name); it != invitations_.end()) {
    return &it->second;
  }
  if (auto meeting = meetings_.find(MeetingOfVisitor(name)); meeting != meetings_.end()) {
    for (const v1::Visitor& visitor : meeting->second.visitors()) {
      if (visitor.name() == name) {
        return &visitor;
      }
    }
  }
  return Unknown(field, "visitor", name);
}

const v1::Visitor* Chapter::Invitation(std::string_view meeting,
                                       std::string_view display_name) const {
  const std::string wanted = AsciiLower(Trim(display_name));
  for (const auto& [name, visitor] : invitations_) {
    if (visitor.state() == v1::VISITOR_STATE_INVITED && MeetingOfVisitor(name) == meeting &&
        AsciiLower(visitor.display_name()) == wanted) {
      return &visitor;
    }
  }
  return nullptr;
}

Result<v1::Visitor> Chapter::CheckVisitorFields(const v1::Visitor& in) {
  v1::Visitor out;
  auto display_name = CheckText("visitor.display_name", in.display_name(), 1, 100);
  if (!display_name) {
    return display_name.error();
  }
  auto business = CheckText("visitor.business", in.business(), 1, 100);
  if (!business) {
    return business.error();
  }
  auto email = CheckOptionalEmail("visitor.email", in.email());
  if (!email) {
    return email.error();
  }
  auto phone = CheckOptionalPhone("visitor.phone", in.phone());
  if (!phone) {
    return phone.error();
  }
  out.set_display_name(*display_name);
  out.set_business(*business);
  out.set_email(*email);
  out.set_phone(*phone);
  return out;
}

Result<Events> Chapter::DecideInviteVisitor(const Context& ctx,
                                            const v1::InviteVisitorRequest& r) const {
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  const v1::Visitor& in = r.visitor();
  auto acting = ResolveActing(ctx, in.invited_by(), "visitor.invited_by");
  if (!acting) {
    return acting.error();
  }
  auto checked = CheckVisitorFields(in);
  if (!checked) {
    return checked.error();
  }
  if (r.meeting().empty() == r.date().empty()) {
    return InvalidArgument(
               "meeting, date: give exactly one: the meeting the visitor is invited to, or a "
               "day \"YYYY-MM-DD\" (the chapter's next meeting on or after it)")
        .Because(kFieldRequired);
  }
  const v1::Meeting* meeting = nullptr;
  if (!r.meeting().empty()) {
    auto found = FindMeeting("meeting", r.meeting());
    if (!found) {
      return found.error();
    }
    meeting = *found;
    if (meeting->state() == v1::MEETING_STATE_CANCELLED) {
      return FailedPrecondition("meeting: " + r.meeting() + " was cancelled; invite the visitor " +
                                "to another meeting")
          .Because(kMeetingCancelled);
    }
    if (!IsOpenMeeting(*meeting)) {
      return FailedPrecondition("meeting: " + r.meeting() +
                                " is closed; a visitor who came is registered there (visitor "
                                "add), a new one is invited to a later meeting")
          .Because(kMeetingAlreadyClosed);
    }
  } else {
    const std::string_view text = Trim(r.date());
    const auto day = ParseDay(text);
    if (!day) {
      return InvalidArgument("date: " + Quoted(text) + " is not a calendar date \"YYYY-MM-DD\"")
          .Because(kDateInvalid, {{"value", Quoted(text)}});
    }
    if (*day < ChapterDay(ctx.time_zones, ctx.now)) {
      return InvalidArgument("date: " + std::string(text) +
                             " is before today; visitors are invited to meetings ahead")
          .Because(kVisitorDatePast, {{"date", std::string(text)}});
    }
    for (const auto& [name, m] : meetings_) {
      if (IsOpenMeeting(m) && ChapterDay(ctx.time_zones, FromTimestamp(m.start_time())) >= *day &&
          (meeting == nullptr || ToNanos(m.start_time()) < ToNanos(meeting->start_time()))) {
        meeting = &m;
      }
    }
    if (meeting == nullptr) {
      return FailedPrecondition("date: no meeting is scheduled on or after " + std::string(text) +
                                "; schedule it first")
          .Because(kNoMeetingAfterDate, {{"date", std::string(text)}});
    }
  }
  if (const v1::Visitor* twin = Invitation(meeting->name(), checked->display_name())) {
    return AlreadyExists("visitor.display_name: " + checked->display_name() +
                         " is already invited to " + meeting->name() + " (" + twin->name() + ")")
        .Because(kVisitorAlreadyInvited, {{"visitor", checked->display_name()}});
  }
  v1::Event event = NewEvent(ctx, 1, acting->on_behalf_of);
  v1::VisitorInvited* invited = event.mutable_visitor_invited();
  invited->set_meeting(meeting->name());
  v1::Visitor* visitor = invited->mutable_visitor();
  visitor->set_name(VisitorName(meeting->name(), event.seq()));
  visitor->set_display_name(checked->display_name());
  visitor->set_business(checked->business());
  visitor->set_invited_by(acting->member);
  visitor->set_email(checked->email());
  visitor->set_phone(checked->phone());
  visitor->set_state(v1::VISITOR_STATE_INVITED);
  *visitor->mutable_invite_time() = event.time();
  AddStep(event, v1::VISITOR_STATE_INVITED, "", visitor);
  return Events{event};
}

Result<Events> Chapter::DecideMoveVisitor(const Context& ctx,
                                          const v1::MoveVisitorRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "move visitors through the pipeline"); !s) {
    return s.error();
  }
  auto found = FindVisitor("name", r.name());
  if (!found) {
    return found.error();
  }
  const v1::Visitor& before = **found;
  if (r.state() == v1::VISITOR_STATE_UNSPECIFIED || !v1::VisitorState_IsValid(r.state())) {
    return Required("state", "FOLLOWED_UP, APPLIED, JOINED or DECLINED");
  }
  const v1::VisitorState from = before.state();
  if (!IsLegalMove(from, r.state())) {
    std::string message = "state: " + before.display_name() + " is " + VisitorStateName(from) +
                          " and cannot move to " + VisitorStateName(r.state());
    if (r.state() == v1::VISITOR_STATE_ATTENDED) {
      message += "; a visitor is ATTENDED when registered at the meeting (visitor add)";
    }
    return FailedPrecondition(std::move(message))
        .Because(kVisitorStateMove,
                 {{"from", VisitorStateName(from)}, {"to", VisitorStateName(r.state())}});
  }
  auto note = CheckText("note", r.note(), 0, 500);
  if (!note) {
    return note.error();
  }
  v1::Event event = NewEvent(ctx, 1, "");
  v1::VisitorStateChanged* changed = event.mutable_visitor_state_changed();
  changed->set_meeting(std::string(MeetingOfVisitor(before.name())));
  changed->set_from(from);
  v1::Visitor* after = changed->mutable_visitor();
  *after = before;
  after->set_state(r.state());
  AddStep(event, r.state(), *note, after);
  Events events;
  if (r.state() == v1::VISITOR_STATE_JOINED) {
    v1::Member in;
    in.set_display_name(before.display_name());
    in.set_business(r.business().empty() ? before.business() : r.business());
    in.set_category(r.category());
    in.set_role(r.role());
    in.set_email(before.email());
    in.set_phone(before.phone());
    auto member = CheckNewMember(in, "");
    if (!member) {
      return member.error();
    }
    v1::Event added = NewEvent(ctx, 2, "");
    member->set_name(ChildName(info_.name(), NameKind::kMember, added.seq()));
    member->set_state(v1::MEMBER_STATE_ACTIVE);
    *member->mutable_join_time() = added.time();
    member->set_visitor(before.name());
    after->set_member(member->name());
    *added.mutable_member_added()->mutable_member() = std::move(*member);
    events.push_back(std::move(event));
    events.push_back(std::move(added));
    return events;
  }
  events.push_back(std::move(event));
  return events;
}

Result<std::vector<v1::Visitor>> Chapter::ListVisitors(const VisitorFilter& filter) const {
  if (!v1::VisitorState_IsValid(filter.state)) {
    return InvalidArgument("state: unknown visitor state " + std::to_string(filter.state));
  }
  if (!filter.invited_by.empty()) {
    if (Status s = CheckName("invited_by", filter.invited_by, NameKind::kMember, info_.name());
        !s) {
      return s.error();
    }
  }
  std::vector<v1::Visitor> out;
  const auto keep = [&](const v1::Visitor& visitor) {
    if ((filter.state == v1::VISITOR_STATE_UNSPECIFIED || visitor.state() == filter.state) &&
        (filter.invited_by.empty() || visitor.invited_by() == filter.invited_by)) {
      out.push_back(visitor);
    }
  };
  for (const auto& [name, visitor] : invitations_) {
    keep(visitor);
  }
  for (const auto& [name, meeting] : meetings_) {
    for (const v1::Visitor& visitor : meeting.visitors()) {
      keep(visitor);
    }
  }
  SortByListKey(out, VisitorListKey);
  for (v1::Visitor& visitor : out) {
    for (const v1::VisitorState to : {v1::VISITOR_STATE_FOLLOWED_UP, v1::VISITOR_STATE_APPLIED,
                                      v1::VISITOR_STATE_JOINED, v1::VISITOR_STATE_DECLINED}) {
      if (IsLegalMove(visitor.state(), to)) {
        visitor.add_next_states(to);
      }
    }
  }
  return out;
}

std::vector<plugin::v1::Reminder> Chapter::VisitorReminders(std::string_view member, TimePoint now,
                                                            const TimeZones& zones) const {
  // Who follows visitors up: the visitor hosts, else the presidents.
  std::vector<std::string> hosts;
  for (const v1::Role role : {v1::ROLE_VISITOR_HOST, v1::ROLE_PRESIDENT}) {
    for (const auto& [name, m] : members_) {
      if (m.state() == v1::MEMBER_STATE_ACTIVE && m.role() == role) {
        hosts.push_back(name);
      }
    }
    if (!hosts.empty()) {
      break;
    }
  }
  const MessageCatalogs& catalogs = MessageCatalogs::Get();
  std::string language = catalogs.Negotiate(info_.language());
  if (language.empty()) {
    language = "en";
  }
  std::vector<plugin::v1::Reminder> reminders;
  const auto remind = [&](const std::string& to, std::string_view kind, std::string_view key,
                          const v1::Visitor& visitor, const std::map<std::string, std::string>& p,
                          std::string fallback, TimePoint created) {
    auto it = members_.find(to);
    if ((!member.empty() && to != member) || it == members_.end() ||
        it->second.state() != v1::MEMBER_STATE_ACTIVE) {
      return;
    }
    plugin::v1::Reminder& r = reminders.emplace_back();
    r.set_id(std::string(kind) + ":" + visitor.name());
    r.set_member(to);
    r.set_kind(std::string(kind));
    r.set_text(catalogs.Format(language, key, p, fallback));
    r.add_about(visitor.invited_by());
    *r.mutable_create_time() = ToTimestamp(created);
    for (const auto& [name, value] : p) {  // sorted by name, as plugin.proto's TextParam
      plugin::v1::TextParam* param = r.add_params();
      param->set_name(name);
      param->set_value(value);
    }
  };
  const auto inviter_name = [&](const v1::Visitor& visitor) {
    auto it = members_.find(visitor.invited_by());
    return it == members_.end() ? visitor.invited_by() : it->second.display_name();
  };
  const std::chrono::sys_days tomorrow = ChapterDay(zones, now) + std::chrono::days(1);
  for (const auto& [name, visitor] : invitations_) {
    auto meeting = meetings_.find(MeetingOfVisitor(name));
    if (visitor.state() != v1::VISITOR_STATE_INVITED || meeting == meetings_.end() ||
        !IsOpenMeeting(meeting->second) ||
        ChapterDay(zones, FromTimestamp(meeting->second.start_time())) != tomorrow) {
      continue;
    }
    const std::map<std::string, std::string> params = {{"business", visitor.business()},
                                                       {"visitor", visitor.display_name()}};
    remind(visitor.invited_by(), "visitor_tomorrow", kReminderVisitorTomorrow, visitor, params,
           visitor.display_name() + " comes to tomorrow's meeting",
           FromTimestamp(visitor.invite_time()));
  }
  const auto due_after = std::chrono::days(kVisitorFollowUpDays);
  for (const auto& [name, meeting] : meetings_) {
    for (const v1::Visitor& visitor : meeting.visitors()) {
      const TimePoint came = AttendedAt(visitor);
      if (visitor.state() != v1::VISITOR_STATE_ATTENDED || now - came < due_after) {
        continue;
      }
      const auto days = std::chrono::duration_cast<std::chrono::days>(now - came).count();
      const std::map<std::string, std::string> params = {{"days", std::to_string(days)},
                                                         {"inviter", inviter_name(visitor)},
                                                         {"visitor", visitor.display_name()}};
      std::vector<std::string> to = hosts;
      if (std::find(to.begin(), to.end(), visitor.invited_by()) == to.end()) {
        to.push_back(visitor.invited_by());
      }
      for (const std::string& recipient : to) {
        remind(recipient, "visitor_follow_up", kReminderVisitorFollowUp, visitor, params,
               visitor.display_name() + " came " + std::to_string(days) +
                   " days ago and is not followed up yet",
               came + due_after);
      }
    }
  }
  return reminders;
}

}  // namespace reciproca::domain
