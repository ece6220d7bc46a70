// Substitutes registered ahead (RegisterSubstitute): a member names who comes in their place on
// a meeting day; closing that day's meeting records them SUBSTITUTE (DecideCloseMeeting).

#include <algorithm>
#include <string>
#include <tuple>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/names.h"
#include "server/domain/occurred.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// Chapter.expected_substitutes holds at most this many entries.
constexpr int kMaxExpectedSubstitutes = 200;

bool SameSlot(const v1::ExpectedSubstitute& a, std::string_view date, std::string_view member) {
  return a.date() == date && a.member() == member;
}

}  // namespace

const v1::ExpectedSubstitute* Chapter::ExpectedSubstitute(std::string_view date,
                                                          std::string_view member) const {
  for (const v1::ExpectedSubstitute& e : info_.expected_substitutes()) {
    if (SameSlot(e, date, member)) {
      return &e;
    }
  }
  return nullptr;
}

Result<Events> Chapter::DecideRegisterSubstitute(const Context& ctx,
                                                 const v1::RegisterSubstituteRequest& r) const {
  const Principal& p = ctx.principal;
  if (Status s = CheckCanWrite(p); !s) {
    return s.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  std::string member_name(Trim(r.member()));
  if (member_name.empty()) {
    if (p.kind == Principal::Kind::kAdmin) {
      return InvalidArgument("member: required for the admin, who is not a member");
    }
    member_name = p.member;
  } else if (member_name != p.member && !IsOrganizerPrincipal(p)) {
    return PermissionDenied("member: only organizers may register a substitute for another member")
        .Because(kOrganizersOnly);
  }
  auto member = FindActiveMember("member", member_name);
  if (!member) {
    return member.error();
  }
  auto day = CheckDay("date", r.date());
  if (!day) {
    return day.error();
  }
  const std::string day_text = UtcDate(*day);
  auto substitute = CheckText("substitute_name", r.substitute_name(), 0, 100);
  if (!substitute) {
    return substitute.error();
  }
  const v1::ExpectedSubstitute* registered = ExpectedSubstitute(day_text, member_name);
  if (substitute->empty()) {
    if (registered == nullptr) {
      return FailedPrecondition("substitute_name: empty withdraws a substitute, but " +
                                (*member)->display_name() + " has none registered for " + day_text)
          .Because(kSubstituteNone, {{"member", (*member)->display_name()}, {"day", day_text}});
    }
  } else {
    if (Status s = CheckPlannedDay(ctx, "date", *day,
                                   {kSubstituteDatePast, kSubstituteDateTooFar, "a substitute"});
        !s) {
      return s.error();
    }
    if (registered == nullptr && info_.expected_substitutes_size() >= kMaxExpectedSubstitutes) {
      return FailedPrecondition(
                 "date: the chapter already has " + std::to_string(kMaxExpectedSubstitutes) +
                 " substitutes registered ahead; register this one closer to " + day_text)
          .Because(kSubstitutesFull, {{"count", std::to_string(kMaxExpectedSubstitutes)}});
    }
  }
  // The day's meeting, once it is closed or called off, takes no more substitutes ahead: its
  // attendance is recorded (RecordAttendance) or there is none.
  for (const auto& [name, meeting] : meetings_) {
    if (ChapterDay(ctx.time_zones, FromTimestamp(meeting.start_time())) == *day &&
        (meeting.state() == v1::MEETING_STATE_CLOSED ||
         meeting.state() == v1::MEETING_STATE_CANCELLED)) {
      return FailedPrecondition(
                 "date: the meeting of " + day_text + " (" + name + ") is " +
                 (meeting.state() == v1::MEETING_STATE_CLOSED ? "closed" : "cancelled") +
                 "; an organizer records its attendance instead")
          .Because(kSubstituteMeetingDone, {{"day", day_text}});
    }
  }
  v1::Event event = NewEvent(ctx, 1, member_name != p.member ? member_name : "");
  v1::SubstituteRegistered* e = event.mutable_substitute_registered();
  e->set_today(UtcDate(ChapterDay(ctx.time_zones, ctx.now)));
  v1::ExpectedSubstitute* out = e->mutable_substitute();
  out->set_date(day_text);
  out->set_member(member_name);
  out->set_substitute_name(*substitute);
  *out->mutable_register_time() = event.time();
  return Events{event};
}

void Chapter::ApplySubstituteRegistered(const v1::SubstituteRegistered& e) {
  auto* list = info_.mutable_expected_substitutes();
  const v1::ExpectedSubstitute& in = e.substitute();
  list->erase(std::remove_if(list->begin(), list->end(),
                             [&](const v1::ExpectedSubstitute& x) {
                               return x.date() < e.today() || SameSlot(x, in.date(), in.member());
                             }),
              list->end());
  if (!in.substitute_name().empty()) {
    *list->Add() = in;
    std::sort(list->begin(), list->end(),
              [](const v1::ExpectedSubstitute& a, const v1::ExpectedSubstitute& b) {
                return std::tie(a.date(), a.member()) < std::tie(b.date(), b.member());
              });
  }
}

void Chapter::DropExpectedSubstitutes(std::string_view day) {
  auto* list = info_.mutable_expected_substitutes();
  list->erase(std::remove_if(list->begin(), list->end(),
                             [&](const v1::ExpectedSubstitute& x) { return x.date() == day; }),
              list->end());
}

}  // namespace reciproca::domain
