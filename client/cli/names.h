#pragma once

// Resource names on the command line: a full name ("chapters/demo/members/7") is used as is; a
// short id ("7") is expanded with the chapter from --chapter, else the chapter of a full name
// given earlier in the same command, else the token's chapter (WhoAmI, asked only when needed).

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "reciproca/v1/chapter_service.pb.h"

namespace reciproca::cli {

class Context;

// "chapters/demo" for "chapters/demo/members/7" (or "chapters/demo"); empty when not a name.
std::string ChapterOf(std::string_view name);
// The last segment of a resource name: "7" for "chapters/demo/members/7".
std::string ShortId(std::string_view name);

class Names {
 public:
  // `chapter_flag` is the command's --chapter value (may be empty).
  Names(Context& context, std::string chapter_flag);

  // "chapters/demo" for "demo" or "chapters/demo".
  std::string Chapter(std::string_view arg);
  // --chapter, else a chapter seen in a full name, else the token's chapter.
  std::string DefaultChapter();

  std::string Member(std::string_view arg) { return Expand(arg, "members", "member"); }
  std::string Meeting(std::string_view arg) { return Expand(arg, "meetings", "meeting"); }
  std::string Referral(std::string_view arg) { return Expand(arg, "referrals", "referral"); }
  // "chapters/demo/meetings/3/visitors/12" for "3/12" (meeting/visitor) or the full name.
  std::string Visitor(std::string_view arg);

  // Who the token is (asked once).
  const v1::WhoAmIResponse& WhoAmI();

  // The member's display name ("Ana Rossi"); the resource name itself when it cannot be read.
  std::string DisplayName(const std::string& member);

 private:
  std::string Expand(std::string_view arg, std::string_view collection, std::string_view what);

  Context& context_;
  std::string chapter_flag_;
  // The chapter of the first full resource name this command was given.
  std::string seen_chapter_;
  std::optional<v1::WhoAmIResponse> who_am_i_;
  // chapter -> (member name -> display name), filled by one ListMembers per chapter.
  std::map<std::string, std::map<std::string, std::string>> display_names_;
};

}  // namespace reciproca::cli
