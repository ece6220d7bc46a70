// reciprocad: configuration and wiring only. See server/api/server.h.

#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include <spdlog/spdlog.h>

#include "server/api/server.h"

namespace {

constexpr const char* kUsage = R"(usage: reciprocad [options]

  --listen ADDR          address to serve gRPC on (default 127.0.0.1:50051; port 0 picks one)
  --data-dir DIR         where the SQLite database and the tokens live (default ./data)
  --store URI            keep the events in PostgreSQL instead (postgresql://user@host/db),
                         shared by every replica of a region; see "Running for a region"
  --config FILE          a JSON file with the same settings as keys ("listen", "data-dir",
                         "port-file", "log-level", "threads", "tls-cert", "tls-key",
                         "plugin-dir", "plugin-tick-seconds", "http-listen",
                         "http-port-file") and "plugins": a list of
                         {"name": N, "path": P, "config": {...}}; flags win over the file
  --port-file FILE       write the port actually listened on to FILE once serving
  --http-listen ADDR     serve the web pages, the JSON API, live events, /healthz and /metrics
                         over HTTP on ADDR (e.g. 127.0.0.1:8080; port 0 picks one); off if unset
  --http-port-file FILE  write the HTTP port actually listened on to FILE once serving
  --log-level LEVEL      trace, debug, info (default), warn, error
  --threads N            engine worker threads (default 2)
  --tls-cert FILE        PEM certificate chain; with --tls-key, serve TLS
  --tls-key FILE         PEM private key
  --plugin-dir DIR       load every *.so in DIR as a plugin (DIR/NAME.json is its config)
  --plugin-tick-seconds N  how often plugins get a clock tick (default 60)

The admin token is RECIPROCA_ADMIN_TOKEN if set, else DIR/admin.token (created on first start,
mode 0600). SIGTERM or SIGINT: stop serving, end streams, flush, exit 0.
)";

const std::set<std::string> kKeys = {
    "listen",  "data-dir",   "port-file",           "log-level",   "threads",        "tls-cert",
    "tls-key", "plugin-dir", "plugin-tick-seconds", "http-listen", "http-port-file", "store"};

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

// The config file's settings, then the flags over them.
Settings ParseSettings(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (arg.rfind("--", 0) != 0) {
      throw std::invalid_argument("unexpected argument \"" + arg + "\"");
    }
    std::string key = arg.substr(2);
    std::string value;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key.resize(eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw std::invalid_argument("--" + key + " needs a value");
    }
    if (key != "config" && !kKeys.count(key)) {
      throw std::invalid_argument("unknown flag --" + key + " (see --help)");
    }
    flags[key] = value;
  }
  Settings settings;
  if (flags.count("config")) {
    const std::string& path = flags["config"];
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
          if (!plugin.is_object() || !plugin.contains("path") || !plugin["path"].is_string()) {
            throw std::invalid_argument(path + ": each plugin needs a \"path\"");
          }
          settings.plugins.push_back({plugin.value("name", ""), plugin["path"].get<std::string>(),
                                      plugin.contains("config") ? plugin["config"].dump() : ""});
        }
      } else if (kKeys.count(key)) {
        settings.values[key] = value.is_string() ? value.get<std::string>() : value.dump();
      } else {
        throw std::invalid_argument(path + ": unknown setting \"" + key + "\" (see --help)");
      }
    }
    flags.erase("config");
  }
  for (auto& [key, value] : flags) {
    settings.values[key] = value;
  }
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  Settings parsed;
  try {
    parsed = ParseSettings(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "reciprocad: " << e.what() << "\n" << kUsage;
    return 2;
  }
  const auto& settings = parsed.values;
  auto get = [&settings](const std::string& key, const std::string& fallback) {
    auto it = settings.find(key);
    return it == settings.end() ? fallback : it->second;
  };
  spdlog::set_level(spdlog::level::from_str(get("log-level", "info")));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");

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
    options.plugin_tick_interval =
        std::chrono::seconds(std::stoi(get("plugin-tick-seconds", "60")));
    if (settings.count("tls-cert") || settings.count("tls-key")) {
      options.tls_cert_chain = ReadFile(get("tls-cert", ""));
      options.tls_private_key = ReadFile(get("tls-key", ""));
    }
  } catch (const std::exception& e) {
    std::cerr << "reciprocad: " << e.what() << "\n";
    return 2;
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
