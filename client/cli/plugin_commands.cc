// plugin list|load|unload|reload (admin), plugin enable|disable (admin, organizers), and what
// plugins compute: scores, leaderboard,
// reminders, relationships.

#include <fstream>
#include <iostream>
#include <sstream>

#include "client/cli/commands.h"
#include "client/cli/output.h"

namespace reciproca::cli {
namespace {

namespace pv1 = reciproca::plugin::v1;

// Prints rows as columns aligned to their widest cell.
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += (i ? "  " : "") + row[i] + std::string(widths[i] - row[i].size(), ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << "\n";
  }
}

// --config JSON, or the contents of --config-file; empty when neither is given.
std::string ConfigJson(const ParsedArgs& args) {
  if (args.Has("config") && args.Has("config-file")) {
    throw UsageError("give --config or --config-file, not both");
  }
  if (!args.Has("config-file")) {
    return args.Get("config");
  }
  std::ifstream in(args.Get("config-file"));
  if (!in) {
    throw UsageError("--config-file: cannot read " + args.Get("config-file"));
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void PrintPlugin(Context& context, const v1::PluginInfo& info) {
  if (context.json()) {
    return PrintJson(info);
  }
  std::string capabilities;
  for (const auto& c : info.capabilities()) {
    capabilities += (capabilities.empty() ? "" : ",") + c;
  }
  std::cout << "plugin " << info.name() << ": " << info.plugin_name() << " " << info.version()
            << " (ABI " << info.abi_version() << "), " << EnumWord(info.state()) << ", "
            << info.events_seen() << " events seen, " << info.outputs_recorded()
            << " outputs recorded\n  path: " << info.path() << "\n  does: " << capabilities << "\n";
  std::string chapters = "every chapter";
  if (info.scope() == v1::PLUGIN_SCOPE_ENABLED_CHAPTERS) {
    chapters.clear();
    for (const auto& c : info.chapters()) {
      chapters += (chapters.empty() ? "" : ", ") + c;
    }
    if (chapters.empty()) {
      chapters =
          "none yet (enable it with `reciproca plugin enable " + info.name() + " --chapter C`)";
    }
  }
  std::cout << "  serves: " << chapters << "\n";
  if (!info.last_error().empty()) {
    std::cout << "  last error: " << info.last_error() << "\n";
  }
}

// What whoever enables a plugin must know: what it does, and whether it sees contact details.
void PrintChapterPlugin(Context& context, const v1::ChapterPlugin& plugin) {
  if (context.json()) {
    return PrintJson(plugin);
  }
  std::string capabilities;
  bool contacts = false;
  for (const auto& c : plugin.capabilities()) {
    capabilities += (capabilities.empty() ? "" : ",") + c;
    contacts = contacts || c == "contacts";
  }
  std::cout << "plugin " << plugin.name() << " " << (plugin.enabled() ? "enabled" : "disabled")
            << " in " << plugin.chapter() << "\n";
  if (!plugin.enabled()) {
    return;
  }
  std::cout << "  does: " << capabilities << "\n  config: "
            << (plugin.config_json().empty() ? "the one it was loaded with" : plugin.config_json())
            << "\n"
            << (contacts ? "  it SEES the contact details (name, phone, e-mail) of outside "
                           "referrals and their notes\n"
                         : "  it does not see outside referrals' contact details\n");
}

int PluginEnable(Context& context, const ParsedArgs& args) {
  v1::EnablePluginRequest request;
  request.set_name(args.Positional(0));
  request.set_chapter(context.names().DefaultChapter());
  request.set_config_json(ConfigJson(args));
  request.set_request_id(context.RequestId());
  v1::ChapterPlugin plugin;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().plugins().EnablePlugin(rpc, request, &plugin);
  });
  PrintChapterPlugin(context, plugin);
  return 0;
}

int PluginDisable(Context& context, const ParsedArgs& args) {
  v1::DisablePluginRequest request;
  request.set_name(args.Positional(0));
  request.set_chapter(context.names().DefaultChapter());
  request.set_request_id(context.RequestId());
  v1::ChapterPlugin plugin;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().plugins().DisablePlugin(rpc, request, &plugin);
  });
  PrintChapterPlugin(context, plugin);
  return 0;
}

int PluginList(Context& context, const ParsedArgs&) {
  v1::ListPluginsResponse response;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().plugins().ListPlugins(rpc, {}, &response);
  });
  if (context.json()) {
    PrintJson(response);
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "PLUGIN", "VERSION", "STATE", "ISOLATION", "PID", "RESTARTS", "EVENTS", "BEHIND",
       "OUTPUTS", "MEMORY MIB", "MEAN CALL US", "P99 CALL US", "CHAPTERS", "LAST ERROR"}};
  for (const auto& p : response.plugins()) {
    rows.push_back(
        {p.name(), p.plugin_name(), p.version(), EnumWord(p.state()), EnumWord(p.isolation()),
         std::to_string(p.pid()), std::to_string(p.restarts()), std::to_string(p.events_seen()),
         std::to_string(p.events_behind()), std::to_string(p.outputs_recorded()),
         std::to_string(p.memory_bytes() >> 20), std::to_string(p.mean_call_micros()),
         std::to_string(p.p99_call_micros()),
         p.scope() == v1::PLUGIN_SCOPE_ALL_CHAPTERS ? "all" : std::to_string(p.chapters_size()),
         p.last_error()});
  }
  PrintTable(rows);
  if (response.plugins().empty()) {
    std::cout << "(no plugins loaded)\n";
  }
  return 0;
}

// Load, unload and reload are not idempotent (a second load of a plugin whose create() is slow
// would run it twice): one attempt, never retried.
void CallOnce(Context& context, const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  auto rpc = context.client().NewContext();
  context.Check(call(rpc.get()));
}

int PluginLoad(Context& context, const ParsedArgs& args) {
  v1::LoadPluginRequest request;
  request.set_path(args.Positional(0));
  request.set_name(args.Get("name"));
  request.set_config_json(ConfigJson(args));
  if (args.Has("all-chapters")) {
    request.set_scope(v1::PLUGIN_SCOPE_ALL_CHAPTERS);
  }
  v1::PluginInfo info;
  CallOnce(context, [&](grpc::ClientContext* rpc) {
    return context.client().plugins().LoadPlugin(rpc, request, &info);
  });
  PrintPlugin(context, info);
  return 0;
}

int PluginUnload(Context& context, const ParsedArgs& args) {
  v1::UnloadPluginRequest request;
  request.set_name(args.Positional(0));
  v1::PluginInfo info;
  CallOnce(context, [&](grpc::ClientContext* rpc) {
    return context.client().plugins().UnloadPlugin(rpc, request, &info);
  });
  PrintPlugin(context, info);
  return 0;
}

int PluginReload(Context& context, const ParsedArgs& args) {
  v1::ReloadPluginRequest request;
  request.set_name(args.Positional(0));
  request.set_config_json(ConfigJson(args));
  v1::PluginInfo info;
  CallOnce(context, [&](grpc::ClientContext* rpc) {
    return context.client().plugins().ReloadPlugin(rpc, request, &info);
  });
  PrintPlugin(context, info);
  return 0;
}

int Scores(Context& context, const ParsedArgs& args) {
  v1::GetScoresRequest request;
  request.set_chapter(context.names().DefaultChapter());
  request.set_window(args.Get("window"));
  if (args.Has("member")) {
    request.set_member(context.names().Member(args.Get("member")));
  }
  pv1::Scores scores;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().insights().GetScores(rpc, request, &scores);
  });
  if (context.json()) {
    PrintJson(scores);
    return 0;
  }
  std::cout << "Scores of " << request.chapter() << " over " << scores.window() << "\n\n";
  std::vector<std::vector<std::string>> rows = {{"ID", "NAME", "POINTS", "BAND"}};
  for (const auto& s : scores.scores()) {
    rows.push_back({ShortId(s.member()), s.display_name(),
                    std::to_string(s.points()) + "/" + std::to_string(s.max_points()), s.band()});
    if (args.Has("why")) {
      for (const auto& row : s.rows()) {
        rows.push_back({"", "  " + row.name(),
                        std::to_string(row.points()) + "/" + std::to_string(row.max_points()),
                        row.measured()});
      }
    }
  }
  PrintTable(rows);
  return 0;
}

int Leaderboard(Context& context, const ParsedArgs& args) {
  v1::GetLeaderboardRequest request;
  request.set_chapter(context.names().DefaultChapter());
  request.set_board(args.Get("board"));
  request.set_window(args.GetOr("window", "all"));
  request.set_limit(static_cast<int32_t>(args.GetInt("limit", 0, 0, 1000)));
  pv1::Leaderboard board;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().insights().GetLeaderboard(rpc, request, &board);
  });
  if (context.json()) {
    PrintJson(board);
    return 0;
  }
  std::cout << "Leaderboard " << board.board() << " (" << board.window() << ")\n\n";
  std::vector<std::vector<std::string>> rows = {{"RANK", "ID", "NAME", "VALUE"}};
  for (const auto& e : board.entries()) {
    rows.push_back(
        {std::to_string(e.rank()), ShortId(e.member()), e.display_name(), e.value_text()});
  }
  PrintTable(rows);
  if (board.entries().empty()) {
    std::cout << "(nobody yet)\n";
  }
  return 0;
}

int Reminders(Context& context, const ParsedArgs& args) {
  v1::ListRemindersRequest request;
  request.set_chapter(context.names().DefaultChapter());
  if (args.Has("member")) {
    request.set_member(context.names().Member(args.Get("member")));
  }
  pv1::Reminders reminders;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().insights().ListReminders(rpc, request, &reminders);
  });
  if (context.json()) {
    PrintJson(reminders);
    return 0;
  }
  for (const auto& r : reminders.reminders()) {
    std::cout << "[" << r.kind() << "] for " << context.names().DisplayName(r.member()) << " ("
              << FormatTime(r.create_time()) << ")\n  " << r.text() << "\n";
  }
  if (reminders.reminders().empty()) {
    std::cout << "(no reminders)\n";
  }
  return 0;
}

int Relationships(Context& context, const ParsedArgs& args) {
  v1::ListRelationshipsRequest request;
  request.set_chapter(context.names().DefaultChapter());
  if (args.Has("member")) {
    request.set_member(context.names().Member(args.Get("member")));
  }
  pv1::Relationships relationships;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().insights().ListRelationships(rpc, request, &relationships);
  });
  if (context.json()) {
    PrintJson(relationships);
    return 0;
  }
  for (const auto& r : relationships.relationships()) {
    std::cout << context.names().DisplayName(r.member_a()) << " <-> "
              << context.names().DisplayName(r.member_b()) << ": " << EnumWord(r.level()) << "\n  "
              << r.explanation() << "\n";
  }
  if (relationships.relationships().empty()) {
    std::cout << "(no relationships yet)\n";
  }
  return 0;
}

FlagSpec MemberFilter(const char* help) { return {"member", "X", help}; }

}  // namespace

std::vector<Command> PluginCommands() {
  const FlagSpec config{"config", "JSON", "the plugin's configuration as JSON"};
  const FlagSpec config_file{"config-file", "FILE", "read the configuration from FILE"};
  return {
      {"plugin list",
       "",
       "the loaded plugins and their state (admin)",
       {},
       0,
       0,
       false,
       PluginList},
      {"plugin load",
       "PATH [--name N] [--config JSON | --config-file FILE] [--all-chapters]",
       "load a plugin library from the server's plugin directories; it is replayed the log of "
       "the chapters it serves (admin)",
       {{"name", "N", "the name to load it under (default: the file name)"},
        config,
        config_file,
        {"all-chapters", "", "serve every chapter (default: only where it is enabled)"}},
       1,
       1,
       false,
       PluginLoad},
      {"plugin unload", "NAME", "stop using a plugin (admin)", {}, 1, 1, false, PluginUnload},
      {"plugin enable",
       "NAME --chapter C [--config JSON | --config-file FILE]",
       "turn a loaded plugin on for a chapter, with that chapter's configuration (again: change "
       "it); says whether it sees contact details (admin, the chapter's organizers)",
       {ChapterFlag(true), config, config_file},
       1,
       1,
       false,
       PluginEnable},
      {"plugin disable",
       "NAME --chapter C",
       "turn a plugin off for a chapter: it receives nothing more of it (admin, organizers)",
       {ChapterFlag(true)},
       1,
       1,
       false,
       PluginDisable},
      {"plugin reload",
       "NAME [--config JSON | --config-file FILE]",
       "load the plugin's file again (a new build) and replay the log into it (admin)",
       {config, config_file},
       1,
       1,
       false,
       PluginReload},
  };
}

std::vector<Command> InsightCommands() {
  return {
      {"scores",
       "[--chapter C] [--window 6m] [--member X] [--why]",
       "traffic-light scores, with the points per row (--why)",
       {ChapterFlag(),
        {"window", "W", "the scoring window, e.g. 6m or 30d (default: the plugin's)"},
        MemberFilter("one member only"),
        {"why", "", "show the points of every row"}},
       0,
       0,
       false,
       Scores},
      {"leaderboard",
       "--board B [--chapter C] [--window W] [--limit N]",
       "a leaderboard: referrals_given, tyfcb_generated, one_to_ones, visitors",
       {{"board", "B", "referrals_given, tyfcb_generated, one_to_ones or visitors", true},
        ChapterFlag(),
        {"window", "W", "meeting, 30d, 6m or all (default all)"},
        {"limit", "N", "show the first N (default all)"}},
       0,
       0,
       false,
       Leaderboard},
      {"reminders",
       "[--chapter C] [--member X]",
       "kind suggestions: whom to thank, call back or meet (yours, or an organizer's view)",
       {ChapterFlag(), MemberFilter("one member's reminders (organizers)")},
       0,
       0,
       false,
       Reminders},
      {"relationships",
       "[--chapter C] [--member X]",
       "VCP level of each pair: visibility, credibility, profitability",
       {ChapterFlag(), MemberFilter("the pairs of one member")},
       0,
       0,
       false,
       Relationships},
  };
}

}  // namespace reciproca::cli
