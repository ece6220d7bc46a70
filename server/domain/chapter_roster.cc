// The roster: adding, updating and removing members.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

constexpr std::string_view kMemberMaskPaths[] = {"display_name", "business", "category",
                                                 "role",         "email",    "phone"};

Error CategoryTaken(std::string_view field, const v1::Member& holder) {
  return AlreadyExists(std::string(field) + ": category \"" + holder.category() + "\" is held by " +
                       holder.name() + " (" + holder.display_name() + ")")
      .Because(kCategoryTaken,
               {{"category", holder.category()}, {"holder", holder.display_name()}});
}

Result<v1::Role> CheckRole(std::string_view field, v1::Role role) {
  if (role == v1::ROLE_UNSPECIFIED) {
    return v1::ROLE_MEMBER;
  }
  if (!v1::Role_IsValid(role)) {
    return InvalidArgument(std::string(field) + ": unknown role " + std::to_string(role));
  }
  return role;
}

// Validates the member's editable fields named in `paths` and writes the normalized (trimmed,
// defaulted) values into `out`; errors name "{prefix}{field}" ("member.category").
Status CheckMemberFields(const v1::Member& in, const std::set<std::string>& paths, v1::Member* out,
                         std::string_view prefix = "member.") {
  const auto field = [prefix](std::string_view name) {
    return std::string(prefix) + std::string(name);
  };
  if (paths.count("display_name")) {
    auto v = CheckText(field("display_name"), in.display_name(), 1, 100);
    if (!v) {
      return v.error();
    }
    out->set_display_name(*v);
  }
  if (paths.count("business")) {
    auto v = CheckText(field("business"), in.business(), 1, 100);
    if (!v) {
      return v.error();
    }
    out->set_business(*v);
  }
  if (paths.count("category")) {
    auto v = CheckText(field("category"), in.category(), 1, 60);
    if (!v) {
      return v.error();
    }
    out->set_category(*v);
  }
  if (paths.count("role")) {
    auto v = CheckRole(field("role"), in.role());
    if (!v) {
      return v.error();
    }
    out->set_role(*v);
  }
  if (paths.count("email")) {
    auto v = CheckOptionalEmail(field("email"), in.email());
    if (!v) {
      return v.error();
    }
    out->set_email(*v);
  }
  if (paths.count("phone")) {
    auto v = CheckOptionalPhone(field("phone"), in.phone());
    if (!v) {
      return v.error();
    }
    out->set_phone(*v);
  }
  return {};
}

}  // namespace

Result<v1::Member> Chapter::CheckNewMember(const v1::Member& in, std::string_view prefix) const {
  v1::Member member;
  std::set<std::string> all(std::begin(kMemberMaskPaths), std::end(kMemberMaskPaths));
  if (Status s = CheckMemberFields(in, all, &member, prefix); !s) {
    return s.error();
  }
  if (const v1::Member* holder = CategoryHolder(member.category())) {
    return CategoryTaken(std::string(prefix) + "category", *holder);
  }
  return member;
}

Result<Events> Chapter::DecideCreateMember(const Context& ctx,
                                           const v1::CreateMemberRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "add members"); !s) {
    return s.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  auto checked = CheckNewMember(r.member(), "member.");
  if (!checked) {
    return checked.error();
  }
  v1::Member member = std::move(*checked);
  v1::Event event = NewEvent(ctx, 1, "");
  member.set_name(ChildName(info_.name(), NameKind::kMember, event.seq()));
  member.set_state(v1::MEMBER_STATE_ACTIVE);
  *member.mutable_join_time() = event.time();
  *event.mutable_member_added()->mutable_member() = std::move(member);
  return Events{event};
}

Result<Events> Chapter::DecideUpdateMember(const Context& ctx,
                                           const v1::UpdateMemberRequest& r) const {
  const Principal& p = ctx.principal;
  if (Status s = CheckCanWrite(p); !s) {
    return s.error();
  }
  const std::string& name = r.member().name();
  if (name.empty()) {
    return Required("member.name", PatternOf(NameKind::kMember));
  }
  if (Status s = CheckName("member.name", name, NameKind::kMember, info_.name()); !s) {
    return s.error();
  }
  if (r.update_mask().paths_size() == 0) {
    return Required("update_mask",
                    "paths: display_name, business, category, role, email, phone, contact");
  }
  std::set<std::string> paths;
  for (const std::string& path : r.update_mask().paths()) {
    if (path == "contact") {
      paths.insert("email");
      paths.insert("phone");
    } else if (std::find(std::begin(kMemberMaskPaths), std::end(kMemberMaskPaths), path) !=
               std::end(kMemberMaskPaths)) {
      paths.insert(path);
    } else {
      return InvalidArgument("update_mask: unknown path \"" + path +
                             "\" (known: display_name, business, category, role, email, phone, "
                             "contact)");
    }
  }
  if (!IsOrganizerPrincipal(p)) {
    if (name != p.member) {
      return PermissionDenied("member.name: members may update only themselves, not " + name);
    }
    if (paths.count("category") || paths.count("role")) {
      return PermissionDenied("update_mask: only organizers may change category or role");
    }
  }
  auto it = members_.find(name);
  if (it == members_.end()) {
    return Unknown("member.name", "member", name);
  }
  const v1::Member& before = it->second;
  if (before.state() != v1::MEMBER_STATE_ACTIVE) {
    return FailedPrecondition("member.name: " + name + " (" + before.display_name() +
                              ") has left the chapter and cannot be updated")
        .Because(kMemberLeft, {{"member", before.display_name()}});
  }
  v1::Member after = before;
  if (Status s = CheckMemberFields(r.member(), paths, &after); !s) {
    return s.error();
  }
  if (paths.count("category")) {
    const v1::Member* holder = CategoryHolder(after.category());
    if (holder != nullptr && holder->name() != name) {
      return CategoryTaken("member.category", *holder);
    }
  }
  v1::Event event = NewEvent(ctx, 1, "");
  v1::MemberUpdated* updated = event.mutable_member_updated();
  auto changed = [&](std::string_view field, bool differs) {
    if (paths.count(std::string(field)) && differs) {
      updated->add_changed_fields(std::string(field));
    }
  };
  changed("display_name", before.display_name() != after.display_name());
  changed("business", before.business() != after.business());
  changed("category", before.category() != after.category());
  changed("role", before.role() != after.role());
  changed("email", before.email() != after.email());
  changed("phone", before.phone() != after.phone());
  *updated->mutable_member() = std::move(after);
  return Events{event};
}

Result<Events> Chapter::DecideRemoveMember(const Context& ctx,
                                           const v1::RemoveMemberRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "remove members"); !s) {
    return s.error();
  }
  auto member = FindMember("name", r.name());
  if (!member) {
    return member.error();
  }
  if ((*member)->state() != v1::MEMBER_STATE_ACTIVE) {
    return FailedPrecondition("name: " + r.name() + " (" + (*member)->display_name() +
                              ") has already left the chapter");
  }
  v1::Event event = NewEvent(ctx, 1, "");
  event.mutable_member_left()->set_member(r.name());
  return Events{event};
}

}  // namespace reciproca::domain
