// reciprocad: configuration and wiring only. See server/app/server.h.

#include <grpc/support/log.h>
#include <signal.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/app/server.h"
#include "server/plugins/plugin_spec.h"

namespace {

// One setting: its key (the flag without "--", and the key in the --config file), the value's
// name in --help, and its help text.
struct SettingSpec {
  const char* key;
  const char* value_name;
  const char* help;
};

constexpr SettingSpec kSettings[] = {
    {"listen", "ADDR", "address to serve gRPC on (default 127.0.0.1:50051; port 0 picks one)"},
    {"data-dir", "DIR", "where the SQLite database and the tokens live (default ./data)"},
    {"store", "URI",
     "keep the events in PostgreSQL instead (postgresql://user@host/db), shared by every "
     "replica of a region; see \"Running for a region\" in the README"},
    {"port-file", "FILE", "write the port actually listened on to FILE once serving"},
    {"http-listen", "ADDR",
     "serve the web pages, the JSON API, live events, /healthz and /metrics over HTTP on ADDR "
     "(e.g. 127.0.0.1:8080; port 0 picks one); off if unset"},
    {"http-port-file", "FILE", "write the HTTP port actually listened on to FILE once serving"},
    {"log-level", "LEVEL", "trace, debug, info (default), warn, error"},
    {"threads", "N", "engine worker threads (default 2)"},
    {"tls-cert", "FILE", "PEM certificate chain; with --tls-key, serve TLS"},
    {"tls-key", "FILE", "PEM private key"},
    {"http-tls-cert", "FILE",
     "PEM certificate chain; with --http-tls-key, serve HTTPS (the --tls-cert file may do)"},
    {"http-tls-key", "FILE", "PEM private key of --http-tls-cert"},
    {"plugin-dir", "DIR", "load every *.so in DIR as a plugin (DIR/NAME.json is its config)"},
    {"plugin-dirs", "DIRS",
     "':'-separated directories LoadPlugin may load from, besides --plugin-dir (default: none)"},
    {"plugin-tick-seconds", "N", "how often plugins get a clock tick (default 60)"},
    {"max-streams-per-principal", "N",
     "event streams one token may hold open (default 16; 0: no limit)"},
    {"max-calls-per-address", "N",
     "gRPC calls in progress from one client address (default 256; 0: no limit, e.g. behind a "
     "reverse proxy)"},
    {"grpc-max-streams-per-connection", "N",
     "gRPC calls one connection may have open at once (default 100; 0: gRPC's default)"},
    {"http-max-connections", "N", "HTTP connections in all (default 1024)"},
    {"http-max-connections-per-address", "N",
     "HTTP connections from one client address (default 64; 0: no limit, e.g. behind a reverse "
     "proxy)"},
    {"http-header-timeout-seconds", "N", "a request head must arrive within N s (default 10)"},
    {"mutations-per-second", "R",
     "mutations a member's token may make per second, sustained (default 20; 0: no limit); "
     "see docs/limits.md"},
    {"mutation-burst", "N", "mutations a member's token may make at once (default 300)"},
    {"subscriber-queue-bytes", "N",
     "bytes of events a subscriber that takes nothing may leave waiting before its stream ends "
     "(default 8388608; 0: no limit)"},
    {"idempotency-retention-hours", "H",
     "how long a request_id is remembered for retries (default 168, 7 days)"},
    {"import-max-bytes", "N",
     "bytes one imported file may have (default 1000000; the gRPC message limit also applies)"},
    {"import-max-lines", "N", "data lines one imported file may have (default 5000)"},
    {"snapshot-every-events", "N",
     "write a chapter's snapshot after N of its events (default 1000; 0: not by count); see "
     "docs/storage.md"},
    {"push", "BOOL",
     "send Web Push notifications to members who opt in on the phone page (default true); see "
     "docs/push.md"},
    {"push-subject", "URI",
     "the VAPID contact push services see, mailto: or https: (default "
     "mailto:admin@reciproca.invalid)"},
    {"push-meeting-lead-minutes", "N",
     "how many minutes before a scheduled meeting its notification goes (default 15)"},
    {"push-ca-file", "FILE",
     "TEST ONLY: a PEM file of CAs trusted for push services besides the system's (a test's "
     "self-signed endpoint); verification is never turned off"},
    {"snapshot-every-minutes", "M",
     "write a changed chapter's snapshot M minutes after its last one (default 10; 0: not by "
     "time)"},
};

constexpr const char* kConfigHelp =
    "a JSON file with the same settings as keys (\"listen\", \"data-dir\", ...) and \"plugins\": "
    "a list of {\"name\": N, \"path\": P, \"config\": {...}}; flags win over the file";

constexpr const char* kFooter =
    "The admin token is RECIPROCA_ADMIN_TOKEN if set, else DIR/admin.token (created on first "
    "start,\nmode 0600). SIGTERM or SIGINT: stop serving, end streams, flush, exit 0.";

bool IsSetting(const std::string& key) {
  for (const SettingSpec& spec : kSettings) {
    if (key == spec.key) {
      return true;
    }
  }
  return false;
}

// Writes `port` to `path` (atomically: readers never see a half-written file).
void WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << port << "\n";
  std::rename(tmp.c_str(), path.c_str());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Settings {
  std::map<std::string, std::string> values;
  std::vector<reciproca::plugins::PluginSpec> plugins;
};

// The --config file's settings into `settings` (its values are overwritten by flags later).
void ReadConfigFile(const std::string& path, Settings& settings) {
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(ReadFile(path));
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(path + ": not valid JSON: " + e.what());
  }
  if (!config.is_object()) {
    throw std::invalid_argument(path + ": expected a JSON object");
  }
  for (const auto& [key, value] : config.items()) {
    if (key == "plugins") {
      if (!value.is_array()) {
        throw std::invalid_argument(path + ": \"plugins\" must be a list");
      }
      for (const auto& plugin : value) {
        auto spec = reciproca::plugins::PluginSpecFromJson(plugin);
        if (!spec.ok()) {
          throw std::invalid_argument(path + ": " + spec.error().message);
        }
        settings.plugins.push_back(std::move(spec).value());
      }
    } else if (IsSetting(key)) {
      settings.values[key] = value.is_string() ? value.get<std::string>() : value.dump();
    } else {
      throw std::invalid_argument(path + ": unknown setting \"" + key + "\" (see --help)");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // The command line (CLI11): one option per setting, the same keys as the --config file.
  CLI::App app{"reciprocad: the Reciproca server (gRPC, and HTTP with --http-listen).",
               "reciprocad"};
  app.footer(kFooter);
  app.get_formatter()->column_width(28);
  std::map<std::string, std::string> flags;
  std::string config_path;
  app.add_option("--config", config_path, kConfigHelp)->type_name("FILE");
  for (const SettingSpec& spec : kSettings) {
    app.add_option("--" + std::string(spec.key), flags[spec.key], spec.help)
        ->type_name(spec.value_name)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "reciprocad: " << e.what() << "\n" << app.help();
    return 2;
  }
  Settings parsed;
  try {
    if (!config_path.empty()) {
      ReadConfigFile(config_path, parsed);
    }
  } catch (const std::exception& e) {
    std::cerr << "reciprocad: " << e.what() << "\n";
    return 2;
  }
  for (const SettingSpec& spec : kSettings) {
    if (app.get_option("--" + std::string(spec.key))->count() > 0) {
      parsed.values[spec.key] = flags[spec.key];  // Flags win over the file.
    }
  }
  const auto& settings = parsed.values;
  auto get = [&settings](const std::string& key, const std::string& fallback) {
    auto it = settings.find(key);
    return it == settings.end() ? fallback : it->second;
  };
  spdlog::set_level(spdlog::level::from_str(get("log-level", "info")));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  // gRPC's own log lines are about one connection (a failed TLS handshake, a reset), and any
  // client can cause them at will: they go to the debug level, through spdlog, unless
  // GRPC_VERBOSITY asks for gRPC's own logging. The server reports its own failures itself.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) {
    gpr_set_log_function([](gpr_log_func_args* args) { spdlog::debug("grpc: {}", args->message); });
  }

  // The data directory holds the admin token and the token secret: nobody else reads it.
  ::umask(077);

  // Signals are taken by sigwait in this thread only; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  reciproca::api::ServerOptions options;
  options.listen = get("listen", options.listen);
  options.data_dir = get("data-dir", options.data_dir);
  options.store = get("store", "");
  options.http.listen = get("http-listen", "");
  if (const char* token = std::getenv("RECIPROCA_ADMIN_TOKEN"); token && *token) {
    options.admin_token = token;
  }
  try {
    options.worker_threads = std::stoi(get("threads", "2"));
    options.plugins = parsed.plugins;
    options.plugin_dir = get("plugin-dir", "");
    for (std::string dirs = get("plugin-dirs", ""); !dirs.empty();) {
      const auto colon = dirs.find(':');
      if (colon != 0) {
        options.plugin_dirs.push_back(dirs.substr(0, colon));
      }
      dirs = colon == std::string::npos ? "" : dirs.substr(colon + 1);
    }
    options.plugin_tick_interval =
        std::chrono::seconds(std::stoi(get("plugin-tick-seconds", "60")));
    options.max_streams_per_principal = std::stoul(
        get("max-streams-per-principal", std::to_string(options.max_streams_per_principal)));
    options.max_calls_per_address =
        std::stoul(get("max-calls-per-address", std::to_string(options.max_calls_per_address)));
    options.max_streams_per_connection = std::stoi(
        get("grpc-max-streams-per-connection", std::to_string(options.max_streams_per_connection)));
    options.http.max_connections =
        std::stoul(get("http-max-connections", std::to_string(options.http.max_connections)));
    options.http.max_connections_per_address =
        std::stoul(get("http-max-connections-per-address",
                       std::to_string(options.http.max_connections_per_address)));
    options.http.header_timeout = std::chrono::seconds(std::stoi(
        get("http-header-timeout-seconds",
            std::to_string(
                std::chrono::ceil<std::chrono::seconds>(options.http.header_timeout).count()))));
    auto& limits = options.limits;
    limits.mutations_per_second =
        std::stod(get("mutations-per-second", std::to_string(limits.mutations_per_second)));
    limits.mutation_burst = std::stod(get("mutation-burst", std::to_string(limits.mutation_burst)));
    limits.subscriber_queue_bytes =
        std::stoull(get("subscriber-queue-bytes", std::to_string(limits.subscriber_queue_bytes)));
    const auto hours = std::stoll(get(
        "idempotency-retention-hours",
        std::to_string(
            std::chrono::duration_cast<std::chrono::hours>(limits.idempotency_retention).count())));
    if (hours < 1 || limits.mutations_per_second < 0 || limits.mutation_burst < 0) {
      throw std::invalid_argument(
          "--idempotency-retention-hours must be at least 1, and the mutation rate and burst not "
          "negative");
    }
    limits.idempotency_retention = std::chrono::hours(hours);
    limits.import.max_bytes =
        std::stoull(get("import-max-bytes", std::to_string(limits.import.max_bytes)));
    limits.import.max_lines =
        std::stoi(get("import-max-lines", std::to_string(limits.import.max_lines)));
    if (limits.import.max_lines < 0) {
      throw std::invalid_argument("--import-max-lines must not be negative");
    }
    auto& snapshots = options.snapshots;
    snapshots.every_events =
        std::stoll(get("snapshot-every-events", std::to_string(snapshots.every_events)));
    const auto snapshot_minutes = std::stoll(get(
        "snapshot-every-minutes",
        std::to_string(std::chrono::duration_cast<std::chrono::minutes>(snapshots.every).count())));
    if (snapshots.every_events < 0 || snapshot_minutes < 0) {
      throw std::invalid_argument(
          "--snapshot-every-events and --snapshot-every-minutes must not be negative");
    }
    snapshots.every = std::chrono::minutes(snapshot_minutes);
    const std::string push = get("push", "true");
    if (push != "true" && push != "false") {
      throw std::invalid_argument("--push must be true or false, got \"" + push + "\"");
    }
    options.push_enabled = push == "true";
    options.push.subject = get("push-subject", options.push.subject);
    options.push.extra_ca_file = get("push-ca-file", "");
    const auto lead = std::stoll(
        get("push-meeting-lead-minutes", std::to_string(options.push.rules.meeting_lead.count())));
    if (lead < 1 || lead > 24 * 60) {
      throw std::invalid_argument("--push-meeting-lead-minutes must be between 1 and 1440");
    }
    options.push.rules.meeting_lead = std::chrono::minutes(lead);
    if (settings.count("tls-cert") || settings.count("tls-key")) {
      options.tls_cert_chain = ReadFile(get("tls-cert", ""));
      options.tls_private_key = ReadFile(get("tls-key", ""));
    }
    if (settings.count("http-tls-cert") || settings.count("http-tls-key")) {
      options.http.tls_cert_chain = ReadFile(get("http-tls-cert", ""));
      options.http.tls_private_key = ReadFile(get("http-tls-key", ""));
    }
  } catch (const std::exception& e) {
    std::cerr << "reciprocad: " << e.what() << "\n";
    return 2;
  }

  if (!options.tls_cert_chain.empty() && !options.http.listen.empty() &&
      options.http.tls_cert_chain.empty()) {
    spdlog::warn(
        "gRPC uses TLS but the HTTP gateway serves plain HTTP (tokens cross the network in "
        "clear): pass --http-tls-cert and --http-tls-key (the same files may do)");
  }
  auto server = reciproca::api::Server::Start(options);
  if (!server.ok()) {
    spdlog::error("cannot start: {}", server.error().message);
    return 1;
  }
  if (const std::string port_file = get("port-file", ""); !port_file.empty()) {
    WritePortFile(port_file, (*server)->port());
  }
  if (const std::string port_file = get("http-port-file", ""); !port_file.empty()) {
    WritePortFile(port_file, (*server)->http_port());
  }

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received {}", received == SIGTERM ? "SIGTERM" : "SIGINT");
  (*server)->Shutdown();
  return 0;
}
