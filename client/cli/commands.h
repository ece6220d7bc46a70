#pragma once

// The command table: every command declares its words, flags and handler; main.cc parses the
// command line against it and prints help from it.

#include <functional>
#include <string>
#include <vector>

#include "client/cli/args.h"
#include "client/cli/context.h"

namespace reciproca::cli {

struct Command {
  // The words that name it: "member add", "checkin".
  std::string path;
  // What follows the words in the usage line: "--chapter C --name N [--role R]".
  std::string synopsis;
  // One line for the listings.
  std::string summary;
  std::vector<FlagSpec> flags;
  size_t min_positionals = 0;
  size_t max_positionals = 0;
  // Mutations also accept --request-id.
  bool mutating = false;
  // Returns the exit code; throws UsageError or RpcError.
  std::function<int(Context&, const ParsedArgs&)> run;
};

// One function per command group, each in its own file.
std::vector<Command> ChapterCommands();   // chapter create|get|list|update, whoami, display-url
std::vector<Command> MemberCommands();    // member add|get|list|update|remove|invite-link
std::vector<Command> MeetingCommands();   // meeting ..., checkin, attendance, visitor add
std::vector<Command> VisitorCommands();   // visitor invite|list|move
std::vector<Command> ReferralCommands();  // refer, referral ..., thanks, one-to-one, ceu, ...
std::vector<Command> WatchCommands();     // watch
std::vector<Command> ReportCommands();    // report palms
std::vector<Command> PluginCommands();    // plugin list|load|unload|reload
std::vector<Command> InsightCommands();   // scores, leaderboard, reminders, relationships
std::vector<Command> ImportCommands();    // import

// Shared by the command files.
// --chapter, for commands that accept short ids.
FlagSpec ChapterFlag(bool required = false);
// --on-behalf-of, for records an organizer may type in for a member.
FlagSpec OnBehalfOfFlag();
// --web-url, for the commands that print links to reciprocad's web pages.
FlagSpec WebUrlFlag();
// --meeting M and --date D, for records typed in after they happened (the request's occurred:
// see docs/organizers.md, "Recording later").
FlagSpec OccurredMeetingFlag();
FlagSpec OccurredDateFlag();
// Reads `occurred` from --date (checked as YYYY-MM-DD before the server does) or, when
// `with_meeting`, --meeting; both is a UsageError. False, and `occurred` untouched, when
// neither was given.
bool ReadOccurred(Context& context, const ParsedArgs& args, bool with_meeting,
                  v1::Occurred* occurred);
// ReadOccurred into a recording request's occurred, left unset when neither flag was given.
template <typename Request>
void SetOccurred(Context& context, const ParsedArgs& args, bool with_meeting, Request* request) {
  v1::Occurred occurred;
  if (ReadOccurred(context, args, with_meeting, &occurred)) {
    *request->mutable_occurred() = occurred;
  }
}

}  // namespace reciproca::cli
