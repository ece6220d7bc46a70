#pragma once

// Need-to-know: who sees which personal data. The one home of the rule; every read path (the
// Get/List services, the event stream and its replay, the SSE stream and the JSON gateway, which
// go through them) redacts with these functions.
//
//   - An outside referral's contact (contact_name, contact_phone, contact_email) and its note:
//     its giver, its receiver, the chapter's organizers and the server admin.
//   - A visitor's e-mail and phone, and the notes of their pipeline steps (VisitorStep.note):
//     the member who invited them, organizers (the visitor host among them) and the admin.
//   - A member's e-mail and phone: every member of the chapter (a chapter shares its members'
//     business contact), organizers and the admin; never the room display.
//   - Everyone who may read the chapter sees that a referral was passed, by whom, to whom, its
//     kind, temperature, meeting and status, and who invited a visitor.
//
// Redaction clears the fields (proto3: empty), so a redacted message is a valid message.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "reciproca/v1/events.pb.h"
#include "reciproca/v1/resources.pb.h"
#include "server/domain/chapter.h"
#include "server/domain/principal.h"

namespace reciproca::domain {

// The versions of a record or an event: what one kind of viewer gets.
enum class View {
  kFull = 0,     // everything: the admin, organizers, the parties of the record
  kOthers = 1,   // a member who is not a party: no outside contact, no referral note
  kDisplay = 2,  // the room display: kOthers, and no member e-mail or phone
};
inline constexpr int kViewCount = 3;

// Who is looking, resolved once against the chapter's current state (roles change: a viewer is
// resolved per call, and a stream follows role changes with RoleSetBy).
struct Viewer {
  Principal::Kind kind = Principal::Kind::kMember;
  std::string member;      // for kMember
  bool organizer = false;  // an active member with a leadership role
};

Viewer ViewerOf(const Chapter& chapter, const Principal& principal);

// The version `viewer` gets of something whose parties (the members entitled to its outside
// contact data: a referral's giver and receiver, a visitor's host) are `parties`.
View ViewFor(const Viewer& viewer, std::span<const std::string> parties);

// Clears what `view` may not see. kFull changes nothing.
void Redact(View view, v1::Referral* referral);
void Redact(View view, v1::Member* member);
void Redact(View view, v1::Visitor* visitor);
void Redact(View view, v1::Event* event);

// The same, for a viewer: each record's parties are its own (a meeting's visitors each have
// their host).
void Redact(const Viewer& viewer, v1::Referral* referral);
void Redact(const Viewer& viewer, v1::Member* member);
void Redact(const Viewer& viewer, v1::Visitor* visitor);
void Redact(const Viewer& viewer, v1::Meeting* meeting);
void Redact(const Viewer& viewer, v1::Event* event);

// The parties of an event's outside contact data (see ViewFor): a ReferralGiven's giver and
// receiver, a VisitorRegistered's host; empty for any other event.
std::vector<std::string> PartiesOf(const v1::Event& event);
// Whether some viewer sees this event differently from the full event (so the stream makes
// other versions of it only for these).
bool HasPersonalData(const v1::Event& event);

// A member's organizer status as an event sets it: MemberAdded, MemberUpdated (of the role) and
// MemberLeft (no longer organizes). nullopt for any other event.
struct RoleChange {
  std::string member;
  bool organizer = false;
};
std::optional<RoleChange> RoleSetBy(const v1::Event& event);

}  // namespace reciproca::domain
