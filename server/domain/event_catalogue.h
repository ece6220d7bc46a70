#pragma once

// The event catalogue: for every payload of v1::Event, the resource of the chapter it creates or
// changes. Chapter::Apply says how an event changes the chapter; this says where, and it is the
// only place that knows: the `resources` projection (server/engine/projection.cc) and the answer
// of every mutation (AnswerOf, used by the services in server/api) are derived from it.
//
// Keyed by the payload case in a switch without a default, so a payload added to events.proto
// without an entry here does not compile (-Wswitch, an error with RECIPROCA_WERROR), and
// tests/unit/domain/event_catalogue_test.cc fails for any payload it does not know. The recipe
// for a new event is docs/adding_an_event.md.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "google/protobuf/message.h"
#include "reciproca/v1/events.pb.h"
#include "server/domain/chapter.h"
#include "server/domain/result.h"

namespace reciproca::domain {

// The resources a chapter holds, each a message of resources.proto read with the chapter's
// Info() or Get* (ReadResource).
enum class ResourceKind {
  // The event changes no resource: a plugin's output is a fact kept in the chapter's log only.
  kNone,
  kChapter,
  kMember,
  kMeeting,
  kReferral,
  kThankYou,
  kOneToOne,
  kEducation,
  kTestimonial,
};

// "chapter", "member", "meeting", "referral", "thank_you", "one_to_one", "education",
// "testimonial" ("" for kNone): the `kind` column of the resources projection.
std::string_view KindName(ResourceKind kind);

// What one event creates or changes.
struct Touch {
  ResourceKind kind = ResourceKind::kNone;
  // The resource's name ("chapters/rome/meetings/12"; the chapter's own name for kChapter).
  std::string name;
  // For an event that adds a record inside the resource (a segment, an attendance, a visitor of
  // a meeting): that record, pointing into the event (valid while the event is); else nullptr.
  const google::protobuf::Message* record = nullptr;
};

// The catalogue entry of event.payload_case(); std::nullopt only for a payload the catalogue
// does not know (PAYLOAD_NOT_SET).
std::optional<Touch> TouchedBy(const v1::Event& event);

// The resource as `chapter` holds it now, as its resources.proto message: the chapter's Info()
// for kChapter (NOT_FOUND unless `name` is the chapter's), else the Get* of its kind and that
// read's errors. INTERNAL for kNone.
Result<std::unique_ptr<google::protobuf::Message>> ReadResource(const Chapter& chapter,
                                                                ResourceKind kind,
                                                                std::string_view name);

// The answer to the command that decided `events`, once they are applied to `chapter`: what the
// first event created or changed, as a message of out's type. That is the record it added when
// `out` is of the record's type (CheckIn answers the Attendance, RegisterVisitor the Visitor),
// else the resource as `chapter` holds it now. INTERNAL (a service asking for the wrong type, a
// bug) when `events` is empty, the first event changes no resource, or neither has out's type.
Status AnswerOf(const Chapter& chapter, const Events& events, google::protobuf::Message* out);

}  // namespace reciproca::domain
