// What history costs: a real `reciprocad` process is given N referrals over gRPC (100 chapters
// of 10 members), stopped, and started again with the three shipped plugins. Printed per store
// (SQLite, PostgreSQL) and N (10k and 100k events; 1M with --million):
//   - write throughput (durable GiveReferral calls per second, 64 in flight);
//   - disk per event and per referral (SQLite: the database file after a WAL checkpoint and
//     after VACUUM; PostgreSQL: pg_total_relation_size of the tables after VACUUM);
//   - cold start: from exec to the port file, which reciprocad writes once it is SERVING;
//   - first plugin answer: from SERVING to the first successful GetScores (the plugins replay);
//   - RSS at rest: reciprocad's VmRSS and its plugin host processes', once every plugin answered.
//
// Usage: history_bench [--events 10000,100000] [--million] [--store sqlite|postgresql|both]
//                      [--in-flight 64] [--server PATH] [--keep]
// PostgreSQL runs on a private cluster (tests/support/postgres_cluster.h). bench/README.md has
// the figures.

#include <grpcpp/grpcpp.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "reciproca/v1/chapter_service.grpc.pb.h"
#include "reciproca/v1/insight_service.grpc.pb.h"
#include "reciproca/v1/member_service.grpc.pb.h"
#include "reciproca/v1/referral_service.grpc.pb.h"
#include "support/postgres_cluster.h"

namespace {

namespace fs = std::filesystem;
namespace v1 = reciproca::v1;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kChapters = 100;
constexpr int kMembersPerChapter = 10;
constexpr auto kCallTimeout = std::chrono::seconds(30);

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

struct Config {
  std::vector<int64_t> events = {10000, 100000};
  bool sqlite = true;
  bool postgresql = true;
  int in_flight = 64;
  bool keep = false;  // leave the data directories behind (their paths are printed)
  // --server PATH: another reciprocad (a build of another commit, for before/after figures).
  std::string server = RECIPROCA_SERVER_PATH;
};

// ---- The server process. ----

long RssKibOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::strtol(line.c_str() + 6, nullptr, 10);
    }
  }
  return 0;
}

// The VmRSS of every child process of `parent` (the plugin hosts), summed.
long ChildrenRssKib(pid_t parent) {
  long total = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::ifstream stat(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const size_t close = text.rfind(')');
    if (close == std::string::npos) {
      continue;
    }
    std::istringstream fields(text.substr(close + 2));
    std::string state;
    pid_t ppid = 0;
    fields >> state >> ppid;
    if (ppid == parent) {
      total += RssKibOf(static_cast<pid_t>(std::stol(name)));
    }
  }
  return total;
}

// The server running now, stopped by Fail() too: a bench that gives up leaves no process behind.
pid_t g_server_pid = -1;

[[noreturn]] void Fail(int code) {
  if (g_server_pid > 0) {
    ::kill(g_server_pid, SIGTERM);
  }
  std::exit(code);
}

class ServerProcess {
 public:
  // Starts reciprocad on a free loopback port; returns once its port file exists (SERVING).
  ServerProcess(const std::string& binary, const fs::path& data_dir, const std::string& store_uri,
                bool plugins) {
    const fs::path port_file = data_dir / "port";
    fs::remove(port_file);
    std::vector<std::string> args = {binary,
                                     "--data-dir",
                                     data_dir.string(),
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--port-file",
                                     port_file.string(),
                                     "--log-level",
                                     "warn",
                                     "--mutations-per-second",
                                     "0",
                                     "--max-calls-per-address",
                                     "0"};
    if (!store_uri.empty()) {
      args.insert(args.end(), {"--store", store_uri});
    }
    if (plugins) {
      const fs::path dir = data_dir / "bench-plugins";
      fs::create_directories(dir);
      for (const char* name : {"leaderboard", "reciprocity", "traffic_light"}) {
        const fs::path link = dir / (std::string(name) + ".so");
        if (!fs::exists(link)) {
          fs::create_symlink(fs::path(RECIPROCA_SHIPPED_PLUGIN_DIR) / link.filename(), link);
        }
      }
      args.insert(args.end(), {"--plugin-dir", dir.string()});
    }
    const auto start = Steady::now();
    const std::string log = (data_dir / "server.log").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      // Its log beside its data, not in the bench's output.
      if (std::FILE* out = std::fopen(log.c_str(), "a")) {
        ::dup2(::fileno(out), STDOUT_FILENO);
        ::dup2(::fileno(out), STDERR_FILENO);
      }
      ::setenv("RECIPROCA_PLUGIN_HOST", RECIPROCA_PLUGIN_HOST_PATH, 1);
      std::vector<char*> argv;
      for (auto& arg : args) {
        argv.push_back(arg.data());
      }
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
    g_server_pid = pid_;
    while (!fs::exists(port_file)) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        std::fprintf(stderr, "reciprocad exited before serving (status %d); see %s\n", status,
                     log.c_str());
        std::exit(1);
      }
      if (Steady::now() - start > std::chrono::minutes(5)) {
        std::fprintf(stderr, "reciprocad not serving after 5 minutes\n");
        Fail(2);
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    cold_start_ = Steady::now() - start;
    serving_at_ = Steady::now();
    std::ifstream(port_file) >> port_;
    std::ifstream(data_dir / "admin.token") >> admin_token_;
  }
  ~ServerProcess() { Stop(); }

  // SIGTERM, then waits for the exit (reciprocad flushes and exits 0).
  void Stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      g_server_pid = -1;
    }
  }

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& admin_token() const { return admin_token_; }
  Steady::duration cold_start() const { return cold_start_; }
  Steady::time_point serving_at() const { return serving_at_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string admin_token_;
  Steady::duration cold_start_{};
  Steady::time_point serving_at_{};
};

// ---- Load. ----

std::unique_ptr<grpc::ClientContext> NewContext(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  return context;
}

// Runs `count` calls with `in_flight` of them in progress at once. `start(i, context, done)`
// starts call i; each call's context is kept until the next one of its lane starts.
class Pump {
 public:
  // `slot` (0 .. 2 * in_flight - 1) names storage for the call's messages that no other call
  // in progress uses.
  using Start = std::function<void(int64_t index, size_t slot, grpc::ClientContext* context,
                                   std::function<void(grpc::Status)> done)>;
  using Token = std::function<const std::string&(int64_t index)>;

  // The calls' first error, or "" when all succeeded.
  static std::string Run(int64_t count, int in_flight, const Token& token, const Start& start) {
    Pump pump(count, in_flight, token, start);
    return pump.Wait();
  }

 private:
  struct Lane {
    std::unique_ptr<grpc::ClientContext> contexts[2];
    int turn = 0;
  };

  Pump(int64_t count, int in_flight, const Token& token, const Start& start)
      : count_(count), token_(token), start_(start), lanes_(static_cast<size_t>(in_flight)) {
    active_ = in_flight;
    for (size_t lane = 0; lane < lanes_.size(); ++lane) {
      Next(lane);
    }
  }

  void Next(size_t lane) {
    const int64_t index = next_.fetch_add(1);
    if (index >= count_ || failed_.load()) {
      std::lock_guard lock(mu_);
      if (--active_ == 0) {
        cv_.notify_all();
      }
      return;
    }
    Lane& l = lanes_[lane];
    l.turn ^= 1;
    l.contexts[l.turn] = NewContext(token_(index));
    start_(index, lane * 2 + static_cast<size_t>(l.turn), l.contexts[l.turn].get(),
           [this, lane](grpc::Status status) {
             if (!status.ok() && !failed_.exchange(true)) {
               std::lock_guard lock(mu_);
               error_ = std::to_string(status.error_code()) + " " + status.error_message();
             }
             Next(lane);
           });
  }

  std::string Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return active_ == 0; });
    return error_;
  }

  const int64_t count_;
  const Token& token_;
  const Start& start_;
  std::vector<Lane> lanes_;
  std::atomic<int64_t> next_{0};
  std::atomic<bool> failed_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  int active_ = 0;
  std::string error_;
};

struct Member {
  std::string name;
  std::string token;
};

struct Chapters {
  std::vector<std::string> names;
  std::vector<std::vector<Member>> members;
};

void Check(const std::string& error, const char* what) {
  if (!error.empty()) {
    std::fprintf(stderr, "%s: %s\n", what, error.c_str());
    Fail(1);
  }
}

Chapters CreateChapters(const std::shared_ptr<grpc::Channel>& channel, const std::string& admin,
                        int in_flight) {
  auto chapters = v1::ChapterService::NewStub(channel);
  auto members = v1::MemberService::NewStub(channel);
  Chapters out;
  out.names.resize(kChapters);
  out.members.resize(kChapters, std::vector<Member>(kMembersPerChapter));
  std::vector<v1::CreateChapterRequest> create(kChapters);
  std::vector<v1::CreateChapterResponse> created(kChapters);
  auto admin_token = [&](int64_t) -> const std::string& { return admin; };
  Check(Pump::Run(kChapters, in_flight, admin_token,
                  [&](int64_t i, size_t, grpc::ClientContext* context, auto done) {
                    auto& r = create[static_cast<size_t>(i)];
                    r.set_chapter_id("history-" + std::to_string(i));
                    r.set_request_id("create-" + std::to_string(i));
                    auto* c = r.mutable_chapter();
                    c->set_display_name("History " + std::to_string(i));
                    c->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
                    c->set_meeting_time("07:00");
                    c->set_time_zone("Europe/Rome");
                    c->set_currency("EUR");
                    chapters->async()->CreateChapter(context, &r, &created[static_cast<size_t>(i)],
                                                     std::move(done));
                  }),
        "CreateChapter");
  for (int i = 0; i < kChapters; ++i) {
    out.names[static_cast<size_t>(i)] = created[static_cast<size_t>(i)].chapter().name();
  }
  const int64_t count = int64_t{kChapters} * kMembersPerChapter;
  std::vector<v1::CreateMemberRequest> add(static_cast<size_t>(count));
  std::vector<v1::CreateMemberResponse> added(static_cast<size_t>(count));
  Check(Pump::Run(count, in_flight, admin_token,
                  [&](int64_t i, size_t, grpc::ClientContext* context, auto done) {
                    auto& r = add[static_cast<size_t>(i)];
                    r.set_parent(out.names[static_cast<size_t>(i % kChapters)]);
                    r.set_request_id("add-" + std::to_string(i));
                    const std::string n = std::to_string(i / kChapters + 1);
                    r.mutable_member()->set_display_name("Member " + n);
                    r.mutable_member()->set_business("Business " + n + " Ltd");
                    r.mutable_member()->set_category("Category " + n);
                    r.mutable_member()->set_role(v1::ROLE_MEMBER);
                    members->async()->CreateMember(context, &r, &added[static_cast<size_t>(i)],
                                                   std::move(done));
                  }),
        "CreateMember");
  for (int64_t i = 0; i < count; ++i) {
    const auto& a = added[static_cast<size_t>(i)];
    out.members[static_cast<size_t>(i % kChapters)][static_cast<size_t>(i / kChapters)] = {
        a.member().name(), a.access_token()};
  }
  return out;
}

// Gives `count` referrals round the chapters; returns the calls per second.
double GiveReferrals(const std::shared_ptr<grpc::Channel>& channel, const Chapters& chapters,
                     int64_t count, int in_flight) {
  auto referrals = v1::ReferralService::NewStub(channel);
  struct Call {
    v1::GiveReferralRequest request;
    v1::Referral response;
  };
  std::vector<Call> calls(static_cast<size_t>(in_flight) * 2);
  auto giver = [&](int64_t i) -> const Member& {
    const auto& members = chapters.members[static_cast<size_t>(i % kChapters)];
    return members[static_cast<size_t>((i / kChapters) % kMembersPerChapter)];
  };
  auto token = [&](int64_t i) -> const std::string& { return giver(i).token; };
  const auto start = Steady::now();
  Check(Pump::Run(count, in_flight, token,
                  [&](int64_t i, size_t slot, grpc::ClientContext* context, auto done) {
                    Call& call = calls[slot];
                    const auto& members = chapters.members[static_cast<size_t>(i % kChapters)];
                    const int64_t g = (i / kChapters) % kMembersPerChapter;
                    const int64_t r =
                        (g + 1 + (i / kChapters / kMembersPerChapter) % (kMembersPerChapter - 1)) %
                        kMembersPerChapter;
                    call.request.Clear();
                    call.request.set_parent(chapters.names[static_cast<size_t>(i % kChapters)]);
                    call.request.set_request_id("give-" + std::to_string(i));
                    auto* referral = call.request.mutable_referral();
                    referral->set_receiver(members[static_cast<size_t>(r)].name);
                    referral->set_kind(v1::REFERRAL_KIND_INSIDE);
                    referral->set_temperature(static_cast<int>(i % 5) + 1);
                    referral->set_contact_name("Contact " + std::to_string(i));
                    referral->set_note("needs a quote for a new roof");
                    referrals->async()->GiveReferral(context, &call.request, &call.response,
                                                     std::move(done));
                  }),
        "GiveReferral");
  return static_cast<double>(count) / Seconds(Steady::now() - start);
}

// ---- Disk. ----

int64_t FileSize(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

int64_t SqliteScalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return value;
}

struct Disk {
  int64_t events = 0;
  int64_t bytes = 0;     // after a checkpoint (SQLite) / as stored (PostgreSQL)
  int64_t vacuumed = 0;  // after VACUUM
};

// The stopped server's database: checkpointed, measured, vacuumed, measured.
Disk SqliteDisk(const fs::path& data_dir) {
  const fs::path file = data_dir / "reciproca.db";
  sqlite3* db = nullptr;
  Disk disk;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s\n", file.c_str());
    Fail(1);
  }
  SqliteScalar(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  disk.events = SqliteScalar(db, "SELECT count(*) FROM events");
  disk.bytes = FileSize(file) + FileSize(data_dir / "reciproca.db-wal");
  sqlite3_exec(db, "VACUUM", nullptr, nullptr, nullptr);
  SqliteScalar(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
  disk.vacuumed = FileSize(file) + FileSize(data_dir / "reciproca.db-wal");
  return disk;
}

int64_t PgScalar(PGconn* conn, const char* sql) {
  PGresult* result = PQexec(conn, sql);
  int64_t value = -1;
  if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) {
    value = std::strtoll(PQgetvalue(result, 0, 0), nullptr, 10);
  }
  PQclear(result);
  return value;
}

Disk PostgresDisk(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "cannot connect to %s: %s\n", uri.c_str(), PQerrorMessage(conn));
    Fail(1);
  }
  constexpr const char* kTables =
      "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n "
      "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'";
  Disk disk;
  disk.events = PgScalar(conn, "SELECT count(*) FROM events");
  disk.bytes = PgScalar(conn, kTables);
  PQclear(PQexec(conn, "VACUUM FULL"));
  disk.vacuumed = PgScalar(conn, kTables);
  PQfinish(conn);
  return disk;
}

// ---- One run. ----

struct Figures {
  double writes_per_second = 0;
  Disk disk;
  double cold_start_s = 0;
  double first_answer_s = 0;
  long server_rss_kib = 0;
  long plugins_rss_kib = 0;
};

// From SERVING until GetScores answers for the last chapter (the plugins replayed its log).
double FirstPluginAnswer(const ServerProcess& server, const std::string& chapter) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server.port()),
                                     grpc::InsecureChannelCredentials());
  auto insights = v1::InsightService::NewStub(channel);
  v1::GetScoresRequest request;
  request.set_chapter(chapter);
  for (;;) {
    reciproca::plugin::v1::Scores scores;
    auto context = NewContext(server.admin_token());
    const auto status = insights->GetScores(context.get(), request, &scores);
    if (status.ok() && scores.scores_size() > 0) {
      return Seconds(Steady::now() - server.serving_at());
    }
    if (Steady::now() - server.serving_at() > std::chrono::minutes(5)) {
      std::fprintf(stderr, "no plugin answer after 5 minutes: %s\n",
                   status.error_message().c_str());
      Fail(2);
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
}

Figures RunOne(const Config& config, const fs::path& data_dir, const std::string& uri,
               int64_t events) {
  Figures figures;
  const int64_t setup_events = int64_t{kChapters} * (1 + kMembersPerChapter);
  const int64_t referrals = std::max<int64_t>(0, events - setup_events);
  {
    ServerProcess server(config.server, data_dir, uri, /*plugins=*/false);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server.port()),
                                       grpc::InsecureChannelCredentials());
    const Chapters chapters = CreateChapters(channel, server.admin_token(), config.in_flight);
    figures.writes_per_second = GiveReferrals(channel, chapters, referrals, config.in_flight);
  }
  figures.disk = uri.empty() ? SqliteDisk(data_dir) : PostgresDisk(uri);
  ServerProcess server(config.server, data_dir, uri, /*plugins=*/true);
  figures.cold_start_s = Seconds(server.cold_start());
  figures.first_answer_s =
      FirstPluginAnswer(server, "chapters/history-" + std::to_string(kChapters - 1));
  std::this_thread::sleep_for(std::chrono::seconds(1));  // at rest
  figures.server_rss_kib = RssKibOf(server.pid());
  figures.plugins_rss_kib = ChildrenRssKib(server.pid());
  return figures;
}

std::vector<int64_t> ParseList(const std::string& text) {
  std::vector<int64_t> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    out.push_back(std::stoll(item));
  }
  return out;
}

int Usage(const char* argv0, int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "usage: %s [--events N,N...] [--million] [--store sqlite|postgresql|both] "
               "[--in-flight K] [--server PATH] [--keep]\n",
               argv0);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--events" && i + 1 < argc) {
      config.events = ParseList(argv[++i]);
    } else if (arg == "--million") {
      config.events.push_back(1000000);
    } else if (arg == "--store" && i + 1 < argc) {
      const std::string store = argv[++i];
      config.sqlite = store == "sqlite" || store == "both";
      config.postgresql = store == "postgresql" || store == "both";
    } else if (arg == "--in-flight" && i + 1 < argc) {
      config.in_flight = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--server" && i + 1 < argc) {
      config.server = argv[++i];
    } else if (arg == "--keep") {
      config.keep = true;
    } else if (arg == "--help" || arg == "-h") {
      return Usage(argv[0], 0);
    } else {
      return Usage(argv[0], 1);
    }
  }
  std::printf("history_bench: %d chapters x %d members, GiveReferral with %d in flight\n",
              kChapters, kMembersPerChapter, config.in_flight);
  std::printf("%-10s %8s %9s %9s %9s %9s %9s %8s %8s %8s\n", "store", "events", "writes/s",
              "B/event", "B/ev vac", "B/referr", "cold s", "plugin s", "RSS MiB", "plug MiB");
  reciproca::testing::PostgresCluster* cluster = nullptr;
  if (config.postgresql) {
    std::string why;
    cluster = reciproca::testing::PostgresCluster::Shared(&why);
    if (cluster == nullptr) {
      std::fprintf(stderr, "PostgreSQL: %s\n", why.c_str());
      return 1;
    }
  }
  for (const bool postgres : {false, true}) {
    if (postgres ? !config.postgresql : !config.sqlite) {
      continue;
    }
    for (const int64_t events : config.events) {
      std::random_device random;
      const fs::path dir =
          fs::temp_directory_path() / ("reciproca-history-bench-" + std::to_string(::getpid()) +
                                       "-" + std::to_string(random()));
      fs::create_directories(dir);
      const std::string uri = postgres ? cluster->CreateDatabase() : "";
      const Figures f = RunOne(config, dir, uri, events);
      const int64_t setup_events = int64_t{kChapters} * (1 + kMembersPerChapter);
      const double referrals = static_cast<double>(std::max<int64_t>(1, events - setup_events));
      std::printf("%-10s %8lld %9.0f %9.0f %9.0f %9.0f %9.2f %8.2f %8.1f %8.1f\n",
                  postgres ? "postgresql" : "sqlite", static_cast<long long>(f.disk.events),
                  f.writes_per_second,
                  static_cast<double>(f.disk.bytes) / static_cast<double>(f.disk.events),
                  static_cast<double>(f.disk.vacuumed) / static_cast<double>(f.disk.events),
                  static_cast<double>(f.disk.vacuumed) / referrals, f.cold_start_s,
                  f.first_answer_s, static_cast<double>(f.server_rss_kib) / 1024.0,
                  static_cast<double>(f.plugins_rss_kib) / 1024.0);
      std::fflush(stdout);
      if (config.keep) {
        std::printf("  kept %s%s\n", dir.c_str(), postgres ? (" and " + uri).c_str() : "");
      } else {
        std::error_code ec;
        fs::remove_all(dir, ec);
      }
    }
  }
  return 0;
}
