#include "client/cli/member_match.h"

#include <cctype>

#include "client/cli/args.h"

namespace reciproca::cli {
namespace {

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool SameNameIgnoringCase(std::string_view a, std::string_view b) {
  a = TrimSpaces(a);
  b = TrimSpaces(b);
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string LastSegment(std::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace

bool IsMemberIdOrName(std::string_view arg) {
  if (arg.find('/') != std::string_view::npos) {
    return true;
  }
  if (arg.empty()) {
    return false;
  }
  for (char c : arg) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::string MatchMemberByName(const std::vector<RosterEntry>& roster, std::string_view wanted,
                              std::string_view chapter) {
  const std::string shown = "\"" + std::string(TrimSpaces(wanted)) + "\"";
  if (TrimSpaces(wanted).empty()) {
    throw UsageError("--member is empty: pass a member's name (\"Ana Rossi\") or id (\"7\")");
  }
  std::vector<const RosterEntry*> found;
  for (const RosterEntry& entry : roster) {
    if (SameNameIgnoringCase(entry.display_name, wanted)) {
      found.push_back(&entry);
    }
  }
  if (found.size() == 1) {
    return found.front()->name;
  }
  if (found.empty()) {
    throw UsageError("no member of " + std::string(chapter) + " is named " + shown +
                     "; `reciproca member list` shows the names and ids");
  }
  std::string ids;
  for (const RosterEntry* entry : found) {
    ids += (ids.empty() ? "" : ", ") + LastSegment(entry->name) + " (" + entry->display_name + ")";
  }
  throw UsageError(std::to_string(found.size()) + " members of " + std::string(chapter) +
                   " are named " + shown + ": pass the id instead, one of " + ids);
}

}  // namespace reciproca::cli
