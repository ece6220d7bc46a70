#pragma once

// A member named on the command line by their display name ("Ana Rossi") instead of their id.

#include <string>
#include <string_view>
#include <vector>

namespace reciproca::cli {

struct RosterEntry {
  std::string name;          // "chapters/demo/members/7"
  std::string display_name;  // "Ana Rossi"
};

// True when `arg` is a member id ("7") or a full resource name ("chapters/demo/members/7"), which
// are used as they are; anything else is a display name to look up with MatchMemberByName.
bool IsMemberIdOrName(std::string_view arg);

// The resource name of the one member of `roster` whose display name is `wanted`, ignoring ASCII
// case and white space at either end. UsageError when none matches (naming the chapter and the
// command that lists the roster) or when several do (listing them with their ids, so the caller
// can pass an id instead).
std::string MatchMemberByName(const std::vector<RosterEntry>& roster, std::string_view wanted,
                              std::string_view chapter);

}  // namespace reciproca::cli
