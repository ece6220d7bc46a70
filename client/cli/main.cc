// reciproca: the command-line client of reciprocad.
//
// Exit codes: 0 ok, 2 usage error, 3 rejected by the server ("error: CODE: message"),
// 4 server unreachable.

#include <grpc/support/log.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/cli/commands.h"
#include "client/cli/tls_probe.h"

namespace reciproca::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitRejected = 3;
constexpr int kExitUnreachable = 4;

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto group :
       {ChapterCommands, MemberCommands, MeetingCommands, VisitorCommands, ReferralCommands,
        WatchCommands, ReportCommands, InsightCommands, PluginCommands, ImportCommands}) {
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

// "M --name TITLE": the positional arguments' name in help is the synopsis's first word.
std::string PositionalName(const Command& command) {
  std::string word = command.synopsis.substr(0, command.synopsis.find(' '));
  if (word.empty() || word.find("--") != std::string::npos) {
    return "ARGS";
  }
  word.erase(std::remove(word.begin(), word.end(), '['), word.end());
  word.erase(std::remove(word.begin(), word.end(), ']'), word.end());
  return word;
}

// CLI11's help with the commands' own usage lines ("reciproca member add --chapter C ...").
class HelpFormatter : public CLI::Formatter {
 public:
  void SetUsage(const CLI::App* app, std::string usage) { usages_[app] = std::move(usage); }

  std::string make_usage(const CLI::App* app, std::string name) const override {
    auto it = usages_.find(app);
    if (it == usages_.end()) {
      return CLI::Formatter::make_usage(app, std::move(name));
    }
    return "usage: " + it->second + "\n";
  }

 private:
  std::map<const CLI::App*, std::string> usages_;
};

// One command of the table in the CLI11 tree: its flags' values and positional arguments land
// here, and become the ParsedArgs its handler reads.
struct Binding {
  const Command* command = nullptr;
  CLI::App* app = nullptr;
  std::vector<std::pair<FlagSpec, CLI::Option*>> flags;
  std::deque<std::string> values;  // stable addresses for CLI11 to write to
  std::vector<std::string> positionals;

  ParsedArgs Args() const {
    std::map<std::string, std::string, std::less<>> given;
    for (size_t i = 0; i < flags.size(); ++i) {
      if (flags[i].second->count() > 0) {
        given[flags[i].first.name] = flags[i].first.value_name.empty() ? "" : values[i];
      }
    }
    return ParsedArgs(std::move(given), positionals);
  }
};

std::string Usage(const Command& command) {
  return "reciproca " + command.path + (command.synopsis.empty() ? "" : " " + command.synopsis);
}

// The command line: global flags on the top app (fall-through makes them valid anywhere on
// the line), one subcommand per group ("member"), one per command beneath it ("add").
class CommandLine {
 public:
  explicit CommandLine(const std::vector<Command>& commands) : commands_(commands) {
    formatter_ = std::make_shared<HelpFormatter>();
    app_.formatter(formatter_);
    app_.set_help_flag("-h,--help", "show help");
    app_.description(
        "reciproca: the command-line client of reciprocad, the Reciproca server for referral\n"
        "networking chapters (meetings, attendance, referrals, thank-yous).");
    formatter_->SetUsage(&app_,
                         "reciproca [--server HOST:PORT] [--token T] [--tls] [--ca-cert FILE] "
                         "[--json] COMMAND [ARGS]");
    app_.footer("Commands:\n" + CommandList("") +
                "\nIds: pass full names (chapters/demo/members/7) or short ids (7); short ids "
                "are\nexpanded with --chapter, else with your token's chapter.\n"
                "Exit codes: 0 ok, 2 usage error, 3 rejected by the server, 4 server "
                "unreachable.\nRun 'reciproca COMMAND --help' for a command's flags.");
    app_.add_option("--server", server_,
                    "reciprocad's address ($RECIPROCA_SERVER, 127.0.0.1:50051)")
        ->type_name("HOST:PORT")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app_.add_option("--token", token_, "your access token ($RECIPROCA_TOKEN)")
        ->type_name("T")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    tls_ = app_.add_flag("--tls")->description(
        "speak TLS, trusting the system's certificate authorities ($RECIPROCA_TLS=1)");
    app_.add_option("--ca-cert", ca_cert_,
                    "speak TLS, trusting the certificate authority in FILE "
                    "(deploy/make-certs.sh's ca.crt; $RECIPROCA_CA_CERT)")
        ->type_name("FILE")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    json_ = app_.add_flag("--json")->description("print protobuf JSON instead of text");
    // What no subcommand takes (an unknown command, flag or extra argument) is reported by Run
    // in the words of the command line, not CLI11's "not expected".
    app_.allow_extras();
    for (const Command& command : commands_) {
      Add(command);
    }
  }

  // Parses `tokens`; returns the exit code.
  int Run(std::vector<std::string> tokens) {
    // "reciproca help member add" is "reciproca member add --help".
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i] == "--server" || tokens[i] == "--token" || tokens[i] == "--ca-cert") {
        ++i;
      } else if (tokens[i] == "help") {
        tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i));
        tokens.push_back("--help");
        break;
      } else if (tokens[i].empty() || tokens[i][0] != '-') {
        break;
      }
    }
    std::vector<std::string> reversed(tokens.rbegin(), tokens.rend());
    try {
      app_.parse(reversed);
    } catch (const CLI::CallForHelp&) {
      std::cout << app_.help();
      return kExitOk;
    } catch (const CLI::ParseError& error) {
      return UsageFailure(error.what());
    }
    const Binding* binding = Selected();
    const std::vector<std::string> extras = app_.remaining();
    if (binding == nullptr) {
      return NoCommand(extras);
    }
    if (!extras.empty()) {
      return UsageFailure(extras.front().rfind("-", 0) == 0 && extras.front().size() > 1
                              ? "unknown flag \"" + extras.front() + "\""
                              : "unexpected argument \"" + extras.front() + "\"");
    }
    if (const CLI::App* group = SelectedGroup();
        group != nullptr && binding->app->get_parent() != group) {
      // "reciproca member watch": a top-level command's word after a group's.
      return UsageFailure("unknown command \"" + group->get_name() + " " +
                          binding->app->get_name() + "\"");
    }
    const Command& command = *binding->command;
    for (size_t i = 0; i < binding->flags.size(); ++i) {
      const FlagSpec& flag = binding->flags[i].first;
      if (flag.required && !flag.value_name.empty() && binding->values[i].empty()) {
        return UsageFailure("missing required flag --" + flag.name);  // given, but empty
      }
    }
    if (binding->positionals.size() < command.min_positionals) {
      return UsageFailure("missing argument");
    }
    if (binding->positionals.size() > command.max_positionals) {
      return UsageFailure("unexpected argument \"" + binding->positionals[command.max_positionals] +
                          "\"");
    }
    return RunCommand(*binding);
  }

 private:
  void Add(const Command& command) {
    const std::string group = FirstWord(command.path);
    CLI::App* parent = &app_;
    std::string word = command.path;
    if (group != command.path) {
      parent = Group(group);
      word = command.path.substr(group.size() + 1);
    }
    Binding& binding = bindings_.emplace_back();
    binding.command = &command;
    binding.app = parent->add_subcommand(word, command.summary);
    binding.app->fallthrough();
    binding.app->group("");  // listed by the footers, with the full paths
    // Once a command is named, later words are its arguments, never other commands (the
    // leaderboard in "plugin reload leaderboard" is the plugin's name).
    binding.app->preparse_callback([this, app = binding.app](size_t) {
      for (Binding& other : bindings_) {
        if (other.app != app) {
          other.app->disabled();
        }
      }
    });
    formatter_->SetUsage(binding.app, Usage(command));
    binding.app->footer(
        "Global flags (anywhere on the line): --server HOST:PORT, --token T, --tls, "
        "--ca-cert FILE, --json; see 'reciproca --help'.");
    std::vector<FlagSpec> flags = command.flags;
    if (command.mutating) {
      flags.push_back({"request-id", "ID",
                       "idempotency key: a retry with the same id records nothing twice "
                       "(default: a fresh one)"});
    }
    for (const FlagSpec& flag : flags) {
      CLI::Option* option = nullptr;
      if (flag.value_name.empty()) {
        option = binding.app->add_flag("--" + flag.name)->description(flag.help);
        binding.values.emplace_back();
      } else {
        option = binding.app->add_option("--" + flag.name, binding.values.emplace_back(), flag.help)
                     ->type_name(flag.value_name)
                     ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
      }
      if (flag.required) {
        option->required();
      }
      binding.flags.emplace_back(flag, option);
    }
    if (command.max_positionals > 0) {
      binding.app->add_option(PositionalName(command), binding.positionals,
                              command.max_positionals == 1 ? "the resource's name or short id"
                                                           : "the resources' names or short ids");
    }
  }

  CLI::App* Group(const std::string& group) {
    CLI::App*& app = groups_[group];
    if (app != nullptr) {
      return app;
    }
    app = app_.add_subcommand(group, group + " commands");
    app->fallthrough();
    app->group("");
    formatter_->SetUsage(app, "reciproca " + group + " SUBCOMMAND [ARGS]");
    app->footer("Subcommands:\n" + CommandList(group) + "\nRun 'reciproca " + group +
                " SUBCOMMAND --help' for its flags.");
    return app;
  }

  // The selected command and group (nullptr when none).
  const Binding* Selected() const {
    for (const Binding& binding : bindings_) {
      if (binding.app->parsed()) {
        return &binding;
      }
    }
    return nullptr;
  }
  const CLI::App* SelectedGroup() const {
    for (const CLI::App* sub : app_.get_subcommands()) {
      if (IsGroup(commands_, sub->get_name())) {
        return sub;
      }
    }
    return nullptr;
  }

  // No command was named: top help, a group's help, or an unknown command.
  int NoCommand(const std::vector<std::string>& extras) {
    const CLI::App* group = SelectedGroup();
    if (group == nullptr) {
      if (extras.empty()) {
        std::cerr << app_.help();
        return kExitUsage;
      }
      if (extras.front().rfind("-", 0) == 0) {
        return UsageFailure("expected a command before \"" + extras.front() + "\"");
      }
      return UsageFailure("unknown command \"" + extras.front() + "\"");
    }
    if (extras.empty() || extras.front().rfind("-", 0) == 0) {
      std::cerr << "error: " << group->get_name() << " needs a subcommand\n" << app_.help();
      return kExitUsage;
    }
    return UsageFailure("unknown command \"" + group->get_name() + " " + extras.front() + "\"");
  }

  // Prints the mistake, the usage line when known, and where to find help; returns exit code 2.
  int UsageFailure(const std::string& message) const {
    std::string path;
    std::string usage;
    if (const Binding* binding = Selected(); binding != nullptr) {
      path = binding->command->path;
      usage = Usage(*binding->command);
    } else if (const CLI::App* group = SelectedGroup(); group != nullptr) {
      path = group->get_name();
    }
    std::cerr << "error: " << message << "\n";
    if (!usage.empty()) {
      std::cerr << "usage: " << usage << "\n";
    }
    std::cerr << "run 'reciproca" << (path.empty() ? "" : " " + path) << " --help' for usage\n";
    return kExitUsage;
  }

  int RunCommand(const Binding& binding) {
    const Command& command = *binding.command;
    GlobalOptions options;
    const char* server = std::getenv("RECIPROCA_SERVER");
    options.server = server != nullptr && *server != '\0' ? server : "127.0.0.1:50051";
    if (const char* token = std::getenv("RECIPROCA_TOKEN"); token != nullptr) {
      options.token = token;
    }
    if (const char* tls = std::getenv("RECIPROCA_TLS"); tls != nullptr) {
      options.tls = *tls != '\0' && std::string_view(tls) != "0";
    }
    if (const char* ca_cert = std::getenv("RECIPROCA_CA_CERT"); ca_cert != nullptr) {
      options.ca_cert = ca_cert;
    }
    if (app_.get_option("--server")->count() > 0) {
      options.server = server_;
    }
    if (tls_->count() > 0) {
      options.tls = true;
    }
    if (app_.get_option("--ca-cert")->count() > 0) {
      if (ca_cert_.empty()) {
        return UsageFailure("--ca-cert needs a file (deploy/make-certs.sh's ca.crt)");
      }
      options.ca_cert = ca_cert_;
    }
    if (app_.get_option("--token")->count() > 0) {
      options.token = token_;
    }
    options.json = json_->count() > 0;
    if (options.server.empty()) {
      return UsageFailure("--server must not be empty");
    }
    try {
      const ParsedArgs args = binding.Args();
      Context context(options, args);
      try {
        return command.run(context, args);
      } catch (const RpcError& error) {
        if (error.unreachable()) {
          Unreachable(options, context.client().options(), error.status());
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
      return UsageFailure(error.what());
    }
  }

  // Why the server could not be reached and, when TLS is the reason, what to do about it (a
  // TLS connection of the CLI's own tells: gRPC says only "unavailable").
  static void Unreachable(const GlobalOptions& options, const client::Options& client,
                          const grpc::Status& status) {
    const std::string& server = options.server;
    const TlsProbe probe = ProbeTls(server, client.tls_root_certs, client.tls);
    if (client.tls && probe.result == TlsProbeResult::kUntrusted) {
      std::cerr << "error: cannot reach reciprocad at " << server
                << " over TLS: its certificate is not trusted (" << probe.detail << ")\n"
                << (options.ca_cert.empty()
                        ? "hint: pass --ca-cert FILE, the ca.crt deploy/make-certs.sh made "
                          "(./data/tls/ca.crt)\n"
                        : "hint: " + options.ca_cert +
                              " is not the authority that signed the server's certificate\n");
      return;
    }
    if (client.tls && probe.result == TlsProbeResult::kWrongName) {
      std::cerr << "error: cannot reach reciprocad at " << server
                << " over TLS: its certificate does not name that address (" << probe.detail
                << ")\nhint: make one that does: deploy/make-certs.sh "
                << server.substr(0, server.rfind(':')) << "\n";
      return;
    }
    if (client.tls && probe.result == TlsProbeResult::kNotTls) {
      std::cerr << "error: cannot reach reciprocad at " << server
                << " over TLS: the server does not speak TLS there\n"
                << "hint: leave out --tls and --ca-cert (and RECIPROCA_TLS, RECIPROCA_CA_CERT)\n";
      return;
    }
    if (!client.tls && probe.result == TlsProbeResult::kHandshakeOk) {
      std::cerr << "error: cannot reach reciprocad at " << server << ": the server speaks TLS\n"
                << "hint: pass --ca-cert FILE (deploy/make-certs.sh's ca.crt), or --tls for a "
                   "certificate from a public authority\n";
      return;
    }
    std::cerr << "error: cannot reach reciprocad at " << server << (client.tls ? " over TLS" : "")
              << "\n  (" << StatusCodeName(status.error_code()) << ": " << status.error_message()
              << ")\n";
  }

  std::string CommandList(const std::string& group) const {
    size_t width = 0;
    for (const Command& command : commands_) {
      if (group.empty() || FirstWord(command.path) == group) {
        width = std::max(width, command.path.size());
      }
    }
    std::string out;
    for (const Command& command : commands_) {
      if (group.empty() || FirstWord(command.path) == group) {
        out += "  " + command.path + std::string(width - command.path.size() + 2, ' ') +
               command.summary + "\n";
      }
    }
    return out;
  }

  const std::vector<Command>& commands_;
  CLI::App app_{"", "reciproca"};
  std::shared_ptr<HelpFormatter> formatter_;
  std::string server_;
  std::string token_;
  std::string ca_cert_;
  CLI::Option* tls_ = nullptr;
  CLI::Option* json_ = nullptr;
  std::deque<Binding> bindings_;
  std::map<std::string, CLI::App*> groups_;
};

int Run(const std::vector<std::string>& tokens) {
  const std::vector<Command> commands = AllCommands();
  CommandLine line(commands);
  return line.Run(tokens);
}

}  // namespace
}  // namespace reciproca::cli

int main(int argc, char** argv) {
  // gRPC's own log lines (a failed TLS handshake prints one) would come before the CLI's
  // message, which says the same in words a person can act on; GRPC_VERBOSITY brings them back.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) {
    gpr_set_log_function([](gpr_log_func_args*) {});
  }
  std::vector<std::string> tokens(argv + 1, argv + argc);
  try {
    return reciproca::cli::Run(tokens);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}
