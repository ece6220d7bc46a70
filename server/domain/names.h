#pragma once

// Resource names of a chapter's things (AIP-122): "chapters/{chapter}/members/{member}",
// "chapters/{chapter}/meetings/{meeting}/visitors/{visitor}", ... A chapter id is 3..40 of
// lower-case letters, digits and '-', starting with a letter (chosen by the chapter's creator, or
// "c" and 8 hex digits picked by the server); the other ids are 1..63 of [a-z0-9_-] (the server
// assigns decimal sequence numbers).

#include <cstdint>
#include <string>
#include <string_view>

#include "server/domain/result.h"

namespace reciproca::domain {

enum class NameKind {
  kMember,
  kMeeting,
  kReferral,
  kVisitor,
  kThankYou,
  kOneToOne,
  kEducation,
  kTestimonial,
};

// The one chapter id syntax: 3..40 of [a-z0-9-], starting with a letter ("rome-centro").
bool IsValidChapterId(std::string_view id);

// INVALID_ARGUMENT naming `field` and the syntax unless IsValidChapterId(id).
Status CheckChapterId(std::string_view field, std::string_view id);

// "chapters/{chapter_id}".
std::string ChapterName(std::string_view chapter_id);

// The collection segment of a kind ("members", "thank-yous") and its pattern for messages
// ("chapters/{chapter}/members/{member}").
std::string_view CollectionOf(NameKind kind);
std::string_view PatternOf(NameKind kind);

// True when `name` has the form of `kind` (any chapter).
bool IsWellFormed(NameKind kind, std::string_view name);

// "chapters/{chapter}" of a well-formed name.
std::string_view ChapterOf(std::string_view name);

// INVALID_ARGUMENT naming `field` when `name` is malformed or names a thing of another chapter
// than `chapter` ("chapters/rome"); OK otherwise (whether it exists is the caller's concern).
Status CheckName(std::string_view field, std::string_view name, NameKind kind,
                 std::string_view chapter);

// "{chapter}/{collection}/{seq}", e.g. ("chapters/rome", kReferral, 42) ->
// "chapters/rome/referrals/42". Not for visitors (see VisitorName).
std::string ChildName(std::string_view chapter, NameKind kind, int64_t seq);
std::string VisitorName(std::string_view meeting, int64_t seq);

// The meeting of a well-formed visitor name.
std::string_view MeetingOfVisitor(std::string_view visitor);

// The numeric id (last segment) of a name, or -1 when it is not a number.
int64_t NumericId(std::string_view name);

// Orders names by their numeric id, then by text, so "members/10" comes after "members/9". For
// members this is the order they joined the chapter (ids are the seq of their MemberAdded).
bool IdOrderLess(std::string_view a, std::string_view b);

}  // namespace reciproca::domain
