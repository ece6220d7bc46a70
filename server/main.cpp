// reciprocad: configuration and wiring only. See server/api/server.h.

#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include <spdlog/spdlog.h>

#include "server/api/server.h"

namespace {

constexpr const char* kUsage = R"(usage: reciprocad [options]

  --listen ADDR       address to serve gRPC on (default 127.0.0.1:50051; port 0 picks one)
  --data-dir DIR      where the SQLite database and the tokens live (default ./data)
  --config FILE       a file of "key = value" lines with the same keys (listen, data-dir,
                      port-file, log-level, threads, tls-cert, tls-key); flags win
  --port-file FILE    write the port actually listened on to FILE once serving
  --log-level LEVEL   trace, debug, info (default), warn, error
  --threads N         engine worker threads (default 2)
  --tls-cert FILE     PEM certificate chain; with --tls-key, serve TLS
  --tls-key FILE      PEM private key

The admin token is RECIPROCA_ADMIN_TOKEN if set, else DIR/admin.token (created on first start,
mode 0600). SIGTERM or SIGINT: stop serving, end streams, flush, exit 0.
)";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string Trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r");
  const auto end = s.find_last_not_of(" \t\r");
  return begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
}

// Flags, then the config file's keys for what the flags did not set.
std::map<std::string, std::string> ParseSettings(int argc, char** argv) {
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
      key = key.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw std::invalid_argument("--" + key + " needs a value");
    }
    flags[key] = value;
  }
  static const std::map<std::string, int> kKnown = {
      {"listen", 0},    {"data-dir", 0}, {"config", 0},   {"port-file", 0},
      {"log-level", 0}, {"threads", 0},  {"tls-cert", 0}, {"tls-key", 0}};
  std::map<std::string, std::string> settings;
  if (flags.count("config")) {
    std::istringstream lines(ReadFile(flags["config"]));
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
      ++number;
      line = Trim(line.substr(0, line.find('#')));
      if (line.empty()) {
        continue;
      }
      const auto eq = line.find('=');
      if (eq == std::string::npos) {
        throw std::invalid_argument(flags["config"] + ":" + std::to_string(number) +
                                    ": expected \"key = value\"");
      }
      settings[Trim(line.substr(0, eq))] = Trim(line.substr(eq + 1));
    }
  }
  for (auto& [key, value] : flags) {
    settings[key] = value;
  }
  for (auto& [key, value] : settings) {
    if (!kKnown.count(key)) {
      throw std::invalid_argument("unknown setting \"" + key + "\" (see --help)");
    }
  }
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> settings;
  try {
    settings = ParseSettings(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "reciprocad: " << e.what() << "\n" << kUsage;
    return 2;
  }
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
  if (const char* token = std::getenv("RECIPROCA_ADMIN_TOKEN"); token && *token) {
    options.admin_token = token;
  }
  try {
    options.worker_threads = std::stoi(get("threads", "2"));
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
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << (*server)->port() << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received {}", received == SIGTERM ? "SIGTERM" : "SIGINT");
  (*server)->Shutdown();
  return 0;
}
