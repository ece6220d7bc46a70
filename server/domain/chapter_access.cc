// Who may do what, lookups shared by the commands, Info(). (Creating and updating the chapter's
// settings: chapter_settings.cc.)

#include <string>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {

bool IsLeadershipRole(v1::Role role) {
  return role != v1::ROLE_UNSPECIFIED && role != v1::ROLE_MEMBER && v1::Role_IsValid(role);
}

Status Chapter::CheckCanRead(const Principal& principal) const {
  switch (principal.kind) {
    case Principal::Kind::kAdmin:
      return {};
    case Principal::Kind::kDisplay:
      if (principal.Opens(info_.name())) {
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
  if (!principal.Opens(info_.name()) || ChapterOf(principal.member) != info_.name()) {
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

Status Chapter::CheckCanGetTokens(const Principal& principal, std::string_view what) const {
  if (IsOrganizerPrincipal(principal)) {
    return {};
  }
  std::string why;
  if (principal.kind == Principal::Kind::kDisplay) {
    why = "the room display's token is read-only";
  } else if (!principal.Opens(info_.name())) {
    why = "the caller is not a member of " + info_.name();
  } else {
    why = principal.member + " is not an active organizer";
  }
  return PermissionDenied("only organizers of " + info_.name() + " and the server admin may get " +
                          std::string(what) + "; " + why);
}

Status Chapter::CheckCanGetDisplayToken(const Principal& principal) const {
  return CheckCanGetTokens(principal, "the display token");
}

Result<Events> Chapter::DecideRotateDisplayToken(const Context& ctx,
                                                 const v1::RotateDisplayTokenRequest& r) const {
  if (Status s = CheckCanGetDisplayToken(ctx.principal); !s) {
    return s.error();
  }
  if (r.name() != info_.name()) {
    return InvalidArgument("name: expected " + info_.name() + ", got \"" + r.name() + "\"");
  }
  v1::Event event = NewEvent(ctx, 1, "");
  event.mutable_display_token_rotated()->set_generation(display_token_generation_ + 1);
  return Events{std::move(event)};
}

Result<v1::Member> Chapter::GetMemberForToken(const Principal& principal,
                                              std::string_view name) const {
  if (Status s = CheckCanGetTokens(principal, "a member's access token"); !s) {
    return s.error();
  }
  auto member = FindMember("name", name);
  if (!member) {
    return member.error();
  }
  if ((*member)->state() != v1::MEMBER_STATE_ACTIVE) {
    return FailedPrecondition("name: " + std::string(name) + " (" + (*member)->display_name() +
                              ") has left the chapter; their token is revoked and none is issued")
        .Because(kMemberLeft, {{"member", (*member)->display_name()}});
  }
  return **member;
}

bool Chapter::IsOrganizerPrincipal(const Principal& principal) const {
  return principal.kind == Principal::Kind::kAdmin ||
         (principal.kind == Principal::Kind::kMember && principal.Opens(info_.name()) &&
          IsOrganizer(principal.member));
}

Status Chapter::CheckOrganizer(const Principal& principal, std::string_view what) const {
  if (Status s = CheckCanWrite(principal); !s) {
    return s;
  }
  if (!IsOrganizerPrincipal(principal)) {
    return PermissionDenied("only organizers may " + std::string(what)).Because(kOrganizersOnly);
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
    return Required(field, PatternOf(NameKind::kMember));
  }
  if (Status s = CheckName(field, name, NameKind::kMember, info_.name()); !s) {
    return s.error();
  }
  auto it = members_.find(name);
  if (it == members_.end()) {
    return Unknown(field, "member", name);
  }
  return &it->second;
}

Result<const v1::Member*> Chapter::FindActiveMember(std::string_view field,
                                                    std::string_view name) const {
  auto member = FindMember(field, name);
  if (member && (*member)->state() != v1::MEMBER_STATE_ACTIVE) {
    return FailedPrecondition(std::string(field) + ": " + std::string(name) + " (" +
                              (*member)->display_name() + ") has left the chapter")
        .Because(kMemberLeft, {{"member", (*member)->display_name()}});
  }
  return member;
}

Result<const v1::Meeting*> Chapter::FindMeeting(std::string_view field,
                                                std::string_view name) const {
  if (name.empty()) {
    return Required(field, PatternOf(NameKind::kMeeting));
  }
  if (Status s = CheckName(field, name, NameKind::kMeeting, info_.name()); !s) {
    return s.error();
  }
  auto it = meetings_.find(name);
  if (it == meetings_.end()) {
    return Unknown(field, "meeting", name);
  }
  return &it->second;
}

Result<const v1::Referral*> Chapter::FindReferral(std::string_view field,
                                                  std::string_view name) const {
  if (name.empty()) {
    return Required(field, PatternOf(NameKind::kReferral));
  }
  if (Status s = CheckName(field, name, NameKind::kReferral, info_.name()); !s) {
    return s.error();
  }
  auto it = referrals_.find(name);
  if (it == referrals_.end()) {
    return Unknown(field, "referral", name);
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
