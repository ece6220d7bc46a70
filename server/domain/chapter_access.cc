// The chapter itself: creation, who may do what, lookups shared by the commands, Info().

#include <string>

#include "server/domain/chapter.h"
#include "server/domain/money.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

bool IsLeadershipRole(v1::Role role) {
  return role != v1::ROLE_UNSPECIFIED && role != v1::ROLE_MEMBER && v1::Role_IsValid(role);
}

}  // namespace

Result<Events> Chapter::DecideCreate(const Context& ctx, const v1::CreateChapterRequest& request,
                                     const std::string& chapter_id) {
  if (ctx.principal.kind != Principal::Kind::kAdmin) {
    return PermissionDenied("only the server admin may create chapters");
  }
  const v1::Chapter& in = request.chapter();
  auto display_name = CheckText("chapter.display_name", in.display_name(), 1, 100);
  if (!display_name) {
    return display_name.error();
  }
  if (!v1::Weekday_IsValid(in.meeting_weekday())) {
    return InvalidArgument("chapter.meeting_weekday: unknown weekday " +
                           std::to_string(in.meeting_weekday()));
  }
  std::string meeting_time(Trim(in.meeting_time()));
  if (!meeting_time.empty() && !IsValidTimeOfDay(meeting_time)) {
    return InvalidArgument("chapter.meeting_time: \"" + meeting_time +
                           "\" is not a time of day \"HH:MM\" between 00:00 and 23:59");
  }
  std::string time_zone(Trim(in.time_zone()));
  if (!time_zone.empty() && !IsValidTimeZoneSyntax(time_zone)) {
    return InvalidArgument("chapter.time_zone: \"" + time_zone +
                           "\" is not an IANA time zone name like \"Europe/Rome\" or \"UTC\"");
  }
  std::string currency = in.currency().empty() ? "EUR" : in.currency();
  if (Status s = CheckCurrency("chapter.currency", currency); !s) {
    return s.error();
  }

  v1::Event event;
  event.set_chapter("chapters/" + chapter_id);
  event.set_seq(1);
  *event.mutable_time() = ToTimestamp(ctx.now);
  event.set_actor(ctx.principal.ActorName());
  v1::Chapter* out = event.mutable_chapter_created()->mutable_chapter();
  out->set_name(event.chapter());
  out->set_display_name(*display_name);
  out->set_meeting_weekday(in.meeting_weekday());
  out->set_meeting_time(meeting_time);
  out->set_time_zone(time_zone);
  out->set_currency(currency);
  *out->mutable_create_time() = event.time();
  return Events{event};
}

Status Chapter::CheckCanRead(const Principal& principal) const {
  switch (principal.kind) {
    case Principal::Kind::kAdmin:
      return {};
    case Principal::Kind::kDisplay:
      if (principal.chapter == info_.name()) {
        return {};
      }
      return PermissionDenied("this display belongs to another chapter than " + info_.name());
    case Principal::Kind::kMember:
      break;
  }
  return CheckCanWrite(principal);
}

Status Chapter::CheckCanWrite(const Principal& principal) const {
  switch (principal.kind) {
    case Principal::Kind::kAdmin:
      return {};
    case Principal::Kind::kDisplay:
      return PermissionDenied("the room display is read-only");
    case Principal::Kind::kMember:
      break;
  }
  if (principal.chapter != info_.name() || ChapterOf(principal.member) != info_.name()) {
    return PermissionDenied("caller is not a member of " + info_.name());
  }
  auto it = members_.find(principal.member);
  if (it == members_.end()) {
    return PermissionDenied("caller " + principal.member + " is not a member of " + info_.name());
  }
  if (it->second.state() != v1::MEMBER_STATE_ACTIVE) {
    return PermissionDenied("caller " + principal.member + " has left " + info_.name());
  }
  return {};
}

bool Chapter::IsOrganizerPrincipal(const Principal& principal) const {
  return principal.kind == Principal::Kind::kAdmin ||
         (principal.kind == Principal::Kind::kMember && principal.chapter == info_.name() &&
          IsOrganizer(principal.member));
}

Status Chapter::CheckOrganizer(const Principal& principal, std::string_view what) const {
  if (Status s = CheckCanWrite(principal); !s) {
    return s;
  }
  if (!IsOrganizerPrincipal(principal)) {
    return PermissionDenied("only organizers may " + std::string(what));
  }
  return {};
}

bool Chapter::IsOrganizer(std::string_view member_name) const {
  auto it = members_.find(member_name);
  return it != members_.end() && it->second.state() == v1::MEMBER_STATE_ACTIVE &&
         IsLeadershipRole(it->second.role());
}

Result<Chapter::Acting> Chapter::ResolveActing(const Context& ctx, std::string_view on_behalf_of,
                                               std::string_view field) const {
  const Principal& p = ctx.principal;
  if (Status s = CheckCanWrite(p); !s) {
    return s.error();
  }
  Acting acting;
  acting.organizer = IsOrganizerPrincipal(p);
  if (on_behalf_of.empty()) {
    if (p.kind == Principal::Kind::kAdmin) {
      return InvalidArgument(std::string(field) +
                             ": required for the admin, who is not a member: name the member "
                             "this is recorded for");
    }
    acting.member = p.member;
    return acting;
  }
  if (!acting.organizer) {
    return PermissionDenied(std::string(field) +
                            ": only organizers may record on behalf of another member");
  }
  auto member = FindActiveMember(field, on_behalf_of);
  if (!member) {
    return member.error();
  }
  acting.member = std::string(on_behalf_of);
  if (acting.member != p.member) {
    acting.on_behalf_of = acting.member;
  }
  return acting;
}

Status Chapter::CheckParent(std::string_view field, std::string_view parent) const {
  if (parent.empty() || parent == info_.name()) {
    return {};
  }
  return InvalidArgument(std::string(field) + ": \"" + std::string(parent) + "\" is not " +
                         info_.name());
}

Result<const v1::Member*> Chapter::FindMember(std::string_view field, std::string_view name) const {
  if (name.empty()) {
    return InvalidArgument(std::string(field) + ": is required (" +
                           std::string(PatternOf(NameKind::kMember)) + ")");
  }
  if (Status s = CheckName(field, name, NameKind::kMember, info_.name()); !s) {
    return s.error();
  }
  auto it = members_.find(name);
  if (it == members_.end()) {
    return NotFound(std::string(field) + ": member " + std::string(name) + " not found");
  }
  return &it->second;
}

Result<const v1::Member*> Chapter::FindActiveMember(std::string_view field,
                                                    std::string_view name) const {
  auto member = FindMember(field, name);
  if (member && (*member)->state() != v1::MEMBER_STATE_ACTIVE) {
    return FailedPrecondition(std::string(field) + ": " + std::string(name) + " (" +
                              (*member)->display_name() + ") has left the chapter");
  }
  return member;
}

Result<const v1::Meeting*> Chapter::FindMeeting(std::string_view field,
                                                std::string_view name) const {
  if (name.empty()) {
    return InvalidArgument(std::string(field) + ": is required (" +
                           std::string(PatternOf(NameKind::kMeeting)) + ")");
  }
  if (Status s = CheckName(field, name, NameKind::kMeeting, info_.name()); !s) {
    return s.error();
  }
  auto it = meetings_.find(name);
  if (it == meetings_.end()) {
    return NotFound(std::string(field) + ": meeting " + std::string(name) + " not found");
  }
  return &it->second;
}

Result<const v1::Referral*> Chapter::FindReferral(std::string_view field,
                                                  std::string_view name) const {
  if (name.empty()) {
    return InvalidArgument(std::string(field) + ": is required (" +
                           std::string(PatternOf(NameKind::kReferral)) + ")");
  }
  if (Status s = CheckName(field, name, NameKind::kReferral, info_.name()); !s) {
    return s.error();
  }
  auto it = referrals_.find(name);
  if (it == referrals_.end()) {
    return NotFound(std::string(field) + ": referral " + std::string(name) + " not found");
  }
  return &it->second;
}

const v1::Member* Chapter::CategoryHolder(std::string_view category) const {
  auto it = category_owner_.find(AsciiLower(Trim(category)));
  if (it == category_owner_.end()) {
    return nullptr;
  }
  auto member = members_.find(it->second);
  return member == members_.end() ? nullptr : &member->second;
}

v1::Event Chapter::NewEvent(const Context& ctx, int64_t offset,
                            std::string_view on_behalf_of) const {
  v1::Event event;
  event.set_chapter(info_.name());
  event.set_seq(last_seq_ + offset);
  *event.mutable_time() = ToTimestamp(ctx.now);
  event.set_actor(ctx.principal.ActorName());
  event.set_on_behalf_of(std::string(on_behalf_of));
  return event;
}

v1::Chapter Chapter::Info() const {
  v1::Chapter out = info_;
  out.set_last_seq(last_seq_);
  int32_t active = 0;
  for (const auto& [name, member] : members_) {
    if (member.state() == v1::MEMBER_STATE_ACTIVE) {
      ++active;
    }
  }
  out.set_active_member_count(active);
  return out;
}

}  // namespace reciproca::domain
