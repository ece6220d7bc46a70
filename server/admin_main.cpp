// reciproca-admin: operations on a server's data while no server uses it.
//
//   reciproca-admin migrate --from DATA_DIR --to postgresql://user@host/db
//
// copies a data directory's SQLite store into an empty PostgreSQL database (every event, active
// token, idempotency record and projection row), with the data directory's admin token and
// token secret, so that every token handed out before keeps working; then compares every
// chapter's events in both. Stop reciprocad first. See docs/storage.md.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <spdlog/spdlog.h>

#include "server/engine/store_migration.h"
#include "server/store/postgres_event_store.h"
#include "server/store/sqlite_event_store.h"

namespace {

constexpr const char* kUsage = R"(usage: reciproca-admin migrate --from DATA_DIR --to URI

  --from DATA_DIR   a stopped reciprocad's data directory (reciproca.db, admin.token,
                    token.secret)
  --to URI          an empty PostgreSQL database: postgresql://user@host:port/db
)";

// The first line of a secret file, or "" if it cannot be read.
std::string ReadSecret(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

int Fail(const std::string& why) {
  std::cerr << "reciproca-admin: " << why << "\n";
  return 1;
}

int Migrate(const std::map<std::string, std::string>& flags) {
  if (!flags.count("from") || !flags.count("to")) {
    std::cerr << kUsage;
    return 2;
  }
  const std::filesystem::path dir = flags.at("from");
  const std::string uri = flags.at("to");
  if (!std::filesystem::exists(dir / "reciproca.db")) {
    return Fail("--from " + dir.string() + ": no reciproca.db there (is it a data directory?)");
  }
  if (!reciproca::store::IsPostgresUri(uri)) {
    return Fail("--to: expected a postgresql:// URI, got \"" + uri + "\"");
  }
  auto from = reciproca::store::SqliteEventStore::Open((dir / "reciproca.db").string());
  if (!from.ok()) {
    return Fail(from.error().message);
  }
  auto to = reciproca::store::PostgresEventStore::Open(uri);
  if (!to.ok()) {
    return Fail(to.error().message);
  }
  // The secrets first: a target that already has other ones belongs to another region.
  for (const char* name : {"admin_token", "token_secret"}) {
    const std::string file = std::string(name) == "admin_token" ? "admin.token" : "token.secret";
    const std::string local = ReadSecret(dir / file);
    if (local.empty()) {
      continue;
    }
    auto shared = (*to)->SharedSetting(name, local);
    if (!shared.ok()) {
      return Fail(shared.error().message);
    }
    if (*shared != local) {
      return Fail("the target database already has another " + file +
                  " (it belongs to another region); migrate into an empty database");
    }
  }
  auto report = reciproca::engine::MigrateStore(**from, **to);
  if (!report.ok()) {
    return Fail(report.error().message);
  }
  std::cout << "migrated " << report->events << " events of " << report->chapters << " chapters, "
            << report->tokens << " tokens, " << report->idempotency_records
            << " idempotency records and " << report->projection_rows
            << " projection rows; every chapter's events compared equal\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  if (argc < 2 || std::string(argv[1]) != "migrate") {
    std::cerr << kUsage;
    return 2;
  }
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg.rfind("--", 0) != 0 || i + 1 >= argc) {
      std::cerr << "reciproca-admin: unexpected argument \"" << arg << "\"\n" << kUsage;
      return 2;
    }
    flags[arg.substr(2)] = argv[++i];
  }
  return Migrate(flags);
}
