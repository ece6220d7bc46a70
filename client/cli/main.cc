// reciproca: the command-line client of reciprocad.
//
// Exit codes: 0 ok, 2 usage error, 3 rejected by the server ("error: CODE: message"),
// 4 server unreachable.

#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "client/cli/commands.h"

namespace reciproca::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitRejected = 3;
constexpr int kExitUnreachable = 4;

std::vector<FlagSpec> GlobalFlags() {
  return {{"server", "HOST:PORT", "reciprocad's address ($RECIPROCA_SERVER, 127.0.0.1:50051)"},
          {"token", "T", "your access token ($RECIPROCA_TOKEN)"},
          {"json", "", "print protobuf JSON instead of text"},
          {"help", "", "show help (also -h)"}};
}

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto group : {ChapterCommands, MemberCommands, MeetingCommands, ReferralCommands,
                     WatchCommands, ReportCommands, InsightCommands, PluginCommands}) {
    for (Command& command : group()) {
      all.push_back(std::move(command));
    }
  }
  return all;
}

std::string FirstWord(const std::string& path) { return path.substr(0, path.find(' ')); }

bool IsGroup(const std::vector<Command>& commands, const std::string& word) {
  for (const Command& command : commands) {
    if (command.path.rfind(word + " ", 0) == 0) {
      return true;
    }
  }
  return false;
}

const Command* FindCommand(const std::vector<Command>& commands, const std::string& path) {
  for (const Command& command : commands) {
    if (command.path == path) {
      return &command;
    }
  }
  return nullptr;
}

std::string CommandList(const std::vector<Command>& commands, const std::string& group) {
  size_t width = 0;
  for (const Command& command : commands) {
    if (group.empty() || FirstWord(command.path) == group) {
      width = std::max(width, command.path.size());
    }
  }
  std::string out;
  for (const Command& command : commands) {
    if (group.empty() || FirstWord(command.path) == group) {
      out += "  " + command.path + std::string(width - command.path.size() + 2, ' ') +
             command.summary + "\n";
    }
  }
  return out;
}

std::string TopHelp(const std::vector<Command>& commands) {
  return "reciproca: the command-line client of reciprocad, the Reciproca server for referral\n"
         "networking chapters (meetings, attendance, referrals, thank-yous).\n\n"
         "usage: reciproca [--server HOST:PORT] [--token T] [--json] COMMAND [ARGS]\n\n"
         "Commands:\n" +
         CommandList(commands, "") + "\nGlobal flags (anywhere on the line):\n" +
         FormatFlags(GlobalFlags()) +
         "\nIds: pass full names (chapters/demo/members/7) or short ids (7); short ids are\n"
         "expanded with --chapter, else with your token's chapter.\n"
         "Exit codes: 0 ok, 2 usage error, 3 rejected by the server, 4 server unreachable.\n"
         "Run 'reciproca COMMAND --help' for a command's flags.\n";
}

std::string GroupHelp(const std::vector<Command>& commands, const std::string& group) {
  return "usage: reciproca " + group + " SUBCOMMAND [ARGS]\n\nSubcommands:\n" +
         CommandList(commands, group) + "\nRun 'reciproca " + group +
         " SUBCOMMAND --help' for its flags.\n";
}

std::vector<FlagSpec> CommandFlags(const Command& command) {
  std::vector<FlagSpec> flags = command.flags;
  if (command.mutating) {
    flags.push_back({"request-id", "ID",
                     "idempotency key: a retry with the same id records nothing twice "
                     "(default: a fresh one)"});
  }
  return flags;
}

std::string CommandHelp(const Command& command) {
  std::string out = "usage: reciproca " + command.path +
                    (command.synopsis.empty() ? "" : " " + command.synopsis) + "\n\n" +
                    command.summary + "\n";
  std::vector<FlagSpec> flags = CommandFlags(command);
  if (!flags.empty()) {
    out += "\nFlags:\n" + FormatFlags(flags);
  }
  return out + "\nGlobal flags:\n" + FormatFlags(GlobalFlags());
}

bool IsGlobalFlag(const std::string& token, bool* takes_value) {
  for (const FlagSpec& flag : GlobalFlags()) {
    const std::string full = "--" + flag.name;
    if (token == full || (flag.value_name.size() > 0 && token.rfind(full + "=", 0) == 0)) {
      *takes_value = !flag.value_name.empty() && token == full;
      return true;
    }
  }
  *takes_value = false;
  return token == "-h";
}

// Prints the mistake, the usage line when known, and where to find help; returns exit code 2.
int UsageFailure(const std::string& message, const std::string& path,
                 const std::string& usage = "") {
  std::cerr << "error: " << message << "\n";
  if (!usage.empty()) {
    std::cerr << "usage: reciproca " << usage << "\n";
  }
  std::cerr << "run 'reciproca" << (path.empty() ? "" : " " + path) << " --help' for usage\n";
  return kExitUsage;
}

int Run(const std::vector<std::string>& tokens) {
  const std::vector<Command> commands = AllCommands();

  // The command's words come first, possibly after global flags; everything else is parsed
  // against the command's flags (global flags included).
  std::vector<std::string> words;
  std::vector<std::string> rest;
  bool help = false;
  size_t i = 0;
  while (i < tokens.size()) {
    const std::string& token = tokens[i];
    bool takes_value = false;
    if (IsGlobalFlag(token, &takes_value)) {
      help = help || token == "--help" || token == "-h";
      rest.push_back(token);
      if (takes_value && i + 1 < tokens.size()) {
        rest.push_back(tokens[++i]);
      }
      ++i;
      continue;
    }
    if (token.empty() || token[0] == '-') {
      break;
    }
    words.push_back(token);
    ++i;
    if (words.size() == 1 && words[0] == "help") {
      continue;
    }
    const bool help_word = words[0] == "help";
    const std::string& group = help_word ? words.back() : words[0];
    if (!IsGroup(commands, group) || words.size() == (help_word ? 3u : 2u)) {
      break;
    }
  }
  rest.insert(rest.end(), tokens.begin() + static_cast<std::ptrdiff_t>(i), tokens.end());

  if (!words.empty() && words[0] == "help") {
    words.erase(words.begin());
    help = true;
  }
  if (words.empty()) {
    if (help) {
      std::cout << TopHelp(commands);
      return kExitOk;
    }
    if (!rest.empty()) {
      return UsageFailure("expected a command before \"" + rest.front() + "\"", "");
    }
    std::cerr << TopHelp(commands);
    return kExitUsage;
  }
  std::string path = words[0];
  if (IsGroup(commands, words[0])) {
    if (words.size() == 1) {
      if (help) {
        std::cout << GroupHelp(commands, words[0]);
        return kExitOk;
      }
      std::cerr << "error: " << words[0] << " needs a subcommand\n"
                << GroupHelp(commands, words[0]);
      return kExitUsage;
    }
    path += " " + words[1];
  }
  const Command* command = FindCommand(commands, path);
  if (command == nullptr) {
    return UsageFailure("unknown command \"" + path + "\"",
                        IsGroup(commands, words[0]) ? words[0] : "");
  }

  GlobalOptions options;
  const char* server = std::getenv("RECIPROCA_SERVER");
  options.server = server != nullptr && *server != '\0' ? server : "127.0.0.1:50051";
  if (const char* token = std::getenv("RECIPROCA_TOKEN"); token != nullptr) {
    options.token = token;
  }
  std::vector<FlagSpec> flags = CommandFlags(*command);
  for (const FlagSpec& flag : GlobalFlags()) {
    flags.push_back(flag);
  }
  if (help) {
    std::cout << CommandHelp(*command);
    return kExitOk;
  }
  try {
    ParsedArgs args = ParseArgs(rest, flags, command->min_positionals, command->max_positionals);
    if (args.Has("help")) {
      std::cout << CommandHelp(*command);
      return kExitOk;
    }
    options.server = args.GetOr("server", options.server);
    options.token = args.GetOr("token", options.token);
    options.json = args.Has("json");
    if (options.server.empty()) {
      throw UsageError("--server must not be empty");
    }
    Context context(options, args);
    try {
      return command->run(context, args);
    } catch (const RpcError& error) {
      if (error.unreachable()) {
        std::cerr << "error: cannot reach reciprocad at " << options.server << "\n  ("
                  << StatusCodeName(error.status().error_code()) << ": "
                  << error.status().error_message() << ")\n";
        return kExitUnreachable;
      }
      std::cerr << "error: " << StatusCodeName(error.status().error_code()) << ": "
                << error.status().error_message() << "\n";
      if (error.status().error_code() == grpc::StatusCode::UNAUTHENTICATED &&
          options.token.empty()) {
        std::cerr << "hint: pass --token or set RECIPROCA_TOKEN\n";
      }
      return kExitRejected;
    }
  } catch (const UsageError& error) {
    return UsageFailure(error.what(), command->path,
                        command->path + (command->synopsis.empty() ? "" : " " + command->synopsis));
  }
}

}  // namespace
}  // namespace reciproca::cli

int main(int argc, char** argv) {
  std::vector<std::string> tokens(argv + 1, argv + argc);
  try {
    return reciproca::cli::Run(tokens);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}
