#pragma once

#include <string>
#include <string_view>

namespace reciproca::domain {

// Who is calling, as established by the caller's bearer token. Whether a member is an organizer
// is not part of the principal: it is the member's current role in the chapter (roles change).
struct Principal {
  enum class Kind {
    kAdmin,    // the server admin: every chapter; not a member of any
    kMember,   // a member of `chapter`; an organizer when their role is a leadership role
    kDisplay,  // the read-only room display of `chapter`
  };
  Kind kind = Kind::kMember;
  // "chapters/{chapter}"; empty for the admin.
  std::string chapter;
  // "chapters/{chapter}/members/{member}" for kMember; empty otherwise.
  std::string member;

  // Whether this principal's token opens `chapter` ("chapters/rome"): the admin's opens every
  // chapter, a member's or a display's only its own. The one check of "a token of another
  // chapter" (the engine routes with it; the chapter's permission checks use it).
  bool Opens(std::string_view chapter_name) const {
    return kind == Kind::kAdmin || chapter == chapter_name;
  }

  // The event's `actor` for this principal: the member's name, "admin" or "display".
  std::string ActorName() const {
    switch (kind) {
      case Kind::kAdmin:
        return "admin";
      case Kind::kDisplay:
        return "display";
      case Kind::kMember:
        break;
    }
    return member;
  }
};

}  // namespace reciproca::domain
