#pragma once

// A private PostgreSQL cluster for tests: Debian's server binaries, a data directory in a fresh
// temporary directory, a free port on 127.0.0.1 and its Unix socket in that directory, run as an
// unprivileged user (PostgreSQL refuses to run as root, and CI runs as root: then the cluster
// runs as the `postgres` system user the Debian package creates, or `reciproca-pg`, created
// here). Stopped and removed with the object, and by a watchdog if the test process dies first.
//
// Usage in a GoogleTest fixture:
//   std::string why;
//   PostgresCluster* cluster = PostgresCluster::Shared(&why);
//   ASSERT_NE(nullptr, cluster) << why;
//   std::string uri = cluster->CreateDatabase();  // "postgresql://postgres@127.0.0.1:PORT/db_3"
//
// initdb runs once per machine and user into a template directory that later clusters copy,
// so a test process pays about a second, not initdb's several.

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace reciproca::testing {

class PostgresCluster {
 public:
  // One cluster per test process, started on first use; nullptr with *why set if it cannot be
  // (PostgreSQL missing: the message says to run deploy/setup.sh).
  static PostgresCluster* Shared(std::string* why) {
    static std::string failure;
    static std::unique_ptr<PostgresCluster> cluster = Start(&failure);
    if (!cluster && why != nullptr) {
      *why = failure;
    }
    return cluster.get();
  }

  static std::unique_ptr<PostgresCluster> Start(std::string* why) {
    std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
    if (!cluster->Boot(why)) {
      return nullptr;
    }
    return cluster;
  }

  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  ~PostgresCluster() {
    if (started_) {
      Run(PgBin("pg_ctl") + " -D " + Quote(data_) + " -m fast -w stop", "/dev/null");
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A port on 127.0.0.1 that was free a moment ago (0 if none could be had).
  static int FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t length = sizeof(addr);
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }

  // "postgresql://postgres@127.0.0.1:PORT/DB".
  std::string Uri(const std::string& database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  // A new, empty database; returns its URI. Empty (and a test failure's message in *why) if
  // PostgreSQL refuses.
  std::string CreateDatabase(std::string* why = nullptr) {
    static std::atomic<int> counter{0};
    const std::string name =
        "db_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
    PGconn* conn = PQconnectdb(Uri("postgres").c_str());
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
      error = PQerrorMessage(conn);
    } else {
      PGresult* result = PQexec(conn, ("CREATE DATABASE " + name).c_str());
      if (PQresultStatus(result) != PGRES_COMMAND_OK) {
        error = PQresultErrorMessage(result);
      }
      PQclear(result);
    }
    PQfinish(conn);
    if (!error.empty()) {
      if (why != nullptr) {
        *why = "CREATE DATABASE " + name + ": " + error;
      }
      return "";
    }
    return Uri(name);
  }

 private:
  PostgresCluster() = default;

  static std::string Quote(const std::filesystem::path& path) { return Quote(path.string()); }
  static std::string Quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
      quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
  }

  // The newest /usr/lib/postgresql/<version>/bin, or $RECIPROCA_PG_BIN.
  static std::filesystem::path FindBinDir() {
    if (const char* env = std::getenv("RECIPROCA_PG_BIN"); env != nullptr && *env != '\0') {
      return env;
    }
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      if (std::filesystem::exists(entry.path() / "bin" / "pg_ctl") &&
          std::filesystem::exists(entry.path() / "bin" / "initdb")) {
        found.push_back(entry.path() / "bin");
      }
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return std::stoi(a.parent_path().filename().string()) <
             std::stoi(b.parent_path().filename().string());
    });
    return found.empty() ? std::filesystem::path() : found.back();
  }

  std::string PgBin(const std::string& tool) const { return Quote(bin_ / tool); }

  // Runs `command` as the cluster's user, output appended to `log`; true on exit status 0.
  bool Run(const std::string& command, const std::string& log) const {
    std::string line = command + " >>" + Quote(log) + " 2>&1";
    if (!user_.empty()) {
      line = "runuser -u " + user_ + " -- sh -c " + Quote(line);
    }
    return std::system(line.c_str()) == 0;
  }

  static std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }

  bool Boot(std::string* why) {
    bin_ = FindBinDir();
    if (bin_.empty()) {
      *why =
          "PostgreSQL's server binaries (initdb, pg_ctl) are not installed (looked in "
          "/usr/lib/postgresql/*/bin and $RECIPROCA_PG_BIN): run deploy/setup.sh, which installs "
          "Debian's postgresql package";
      return false;
    }
    if (::geteuid() == 0 && !ChooseUser(why)) {
      return false;
    }
    std::random_device random;
    dir_ = std::filesystem::temp_directory_path() /
           ("rcp-pg-" + std::to_string(::getpid()) + "-" + std::to_string(random() % 100000));
    std::filesystem::create_directories(dir_);
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
    if (!user_.empty() && std::system(("chown " + user_ + " " + Quote(dir_)).c_str()) != 0) {
      *why = "cannot give " + dir_.string() + " to the user " + user_;
      return false;
    }
    data_ = dir_ / "data";
    const std::string log = (dir_ / "server.log").string();
    if (!CopyTemplate(log)) {
      *why = "initdb failed (" + bin_.string() + "):\n" + ReadFile(log);
      return false;
    }
    // Ports are picked here and bound by the server a moment later: retry if one was taken.
    for (int attempt = 0; attempt < 5 && !started_; ++attempt) {
      port_ = FreePort();
      const std::string options = "-p " + std::to_string(port_) + " -k " + dir_.string() +
                                  " -c listen_addresses=127.0.0.1 -c max_connections=200" +
                                  // Tests kill reciprocad, never the machine: no fsync, so
                                  // CREATE DATABASE and commits do not wait for the disk.
                                  " -c fsync=off -c full_page_writes=off";
      started_ = Run(PgBin("pg_ctl") + " -D " + Quote(data_) + " -l " + Quote(log) +
                         " -w -t 60 -o " + Quote(options) + " start",
                     log);
    }
    if (!started_) {
      *why = "PostgreSQL did not start (" + bin_.string() + "):\n" + ReadFile(log);
      return false;
    }
    StartWatchdog();
    return true;
  }

  // PostgreSQL will not run as root: use the package's `postgres` user, else make one.
  bool ChooseUser(std::string* why) {
    for (const char* name : {"postgres", "reciproca-pg"}) {
      if (::getpwnam(name) != nullptr) {
        user_ = name;
        return true;
      }
    }
    if (std::system("useradd --system --no-create-home --shell /usr/sbin/nologin reciproca-pg "
                    ">/dev/null 2>&1") != 0 ||
        ::getpwnam("reciproca-pg") == nullptr) {
      *why =
          "running as root, and there is no unprivileged user to run PostgreSQL as (no "
          "`postgres`, and `useradd reciproca-pg` failed): run deploy/setup.sh";
      return false;
    }
    user_ = "reciproca-pg";
    return true;
  }

  // initdb once into a template (made in a scratch directory and renamed into place, so
  // concurrent test processes never see half of one), then copy it.
  bool CopyTemplate(const std::string& log) const {
    const std::filesystem::path root = std::filesystem::temp_directory_path();
    const std::filesystem::path template_dir =
        root / ("reciproca-pgdata-" + bin_.parent_path().filename().string() + "-" +
                (user_.empty() ? std::to_string(::geteuid()) : user_));
    if (!std::filesystem::exists(template_dir / "PG_VERSION")) {
      const std::filesystem::path scratch = dir_ / "template";
      if (!Run(PgBin("initdb") + " -D " + Quote(scratch) +
                   " -U postgres -A trust -E UTF8 --locale=C --no-sync --no-instructions",
               log)) {
        return false;
      }
      std::error_code ec;
      std::filesystem::rename(scratch, template_dir, ec);  // loses to a concurrent one: fine
      std::filesystem::remove_all(scratch, ec);
    }
    return Run(
        "cp -R " + Quote(template_dir) + " " + Quote(data_) + " && chmod 700 " + Quote(data_), log);
  }

  // Stops the cluster and removes its directory if this process dies without doing it.
  void StartWatchdog() const {
    const std::string stop = PgBin("pg_ctl") + " -D " + Quote(data_) + " -m immediate stop";
    const std::string script = "while kill -0 " + std::to_string(::getpid()) +
                               " 2>/dev/null; do sleep 1; done; " +
                               (user_.empty() ? stop : "runuser -u " + user_ + " -- " + stop) +
                               " >/dev/null 2>&1; rm -rf " + Quote(dir_);
    const std::string line = "setsid sh -c " + Quote(script) + " </dev/null >/dev/null 2>&1 &";
    (void)std::system(line.c_str());
  }

  std::filesystem::path bin_;
  std::filesystem::path dir_;
  std::filesystem::path data_;
  std::string user_;  // "" when not root: the cluster runs as this process's user
  int port_ = 0;
  bool started_ = false;
};

}  // namespace reciproca::testing
