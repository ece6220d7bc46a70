// Durable commit throughput of SqliteEventStore: one commit per AppendBatch (one fsync each)
// against 100 commits per AppendBatch (group commit). Each commit carries one ~200-byte event.
//
// Usage: store_bench [directory]   (default: the system temp directory; use the disk the server
// will use, since fsync cost is the whole story). Runs about 3 seconds.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "server/store/sqlite_event_store.h"

namespace {

namespace fs = std::filesystem;
using reciproca::store::Commit;
using reciproca::store::SqliteEventStore;
using reciproca::store::StoredEvent;
using Clock = std::chrono::steady_clock;

constexpr auto kPhaseDuration = std::chrono::milliseconds(1500);
constexpr size_t kPayloadBytes = 200;

// Appends batches of `commits_per_batch` single-event commits for about kPhaseDuration and
// returns commits per second, or a negative number on error.
double RunPhase(SqliteEventStore& store, const std::string& chapter, int commits_per_batch) {
  const std::string payload(kPayloadBytes, 'x');
  int64_t next_seq = 1;
  int64_t commits = 0;
  std::vector<Commit> batch(static_cast<size_t>(commits_per_batch));
  std::vector<const Commit*> pointers;
  for (Commit& commit : batch) {
    commit.events.resize(1);
    commit.events[0].chapter = chapter;
    commit.events[0].bytes = payload;
    pointers.push_back(&commit);
  }
  Clock::time_point start = Clock::now();
  Clock::time_point end = start;
  while (end - start < kPhaseDuration) {
    for (Commit& commit : batch) {
      StoredEvent& event = commit.events[0];
      event.seq = next_seq++;
      event.time_micros = event.seq;
    }
    reciproca::Status status = store.AppendBatch(pointers);
    if (!status.ok()) {
      std::fprintf(stderr, "AppendBatch failed: %s\n", status.error().message.c_str());
      return -1;
    }
    commits += commits_per_batch;
    end = Clock::now();
  }
  return static_cast<double>(commits) / std::chrono::duration<double>(end - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  fs::path base = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path();
  fs::path dir =
      base / ("reciproca_store_bench_" + std::to_string(Clock::now().time_since_epoch().count()));
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) {
    std::fprintf(stderr, "cannot create %s: %s\n", dir.c_str(), error.message().c_str());
    return 1;
  }
  int exit_code = 0;
  {
    auto store = SqliteEventStore::Open((dir / "reciproca.db").string());
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.error().message.c_str());
      exit_code = 1;
    } else {
      double single = RunPhase(**store, "chapters/single", 1);
      double grouped = RunPhase(**store, "chapters/grouped", 100);
      if (single < 0 || grouped < 0) {
        exit_code = 1;
      } else {
        std::printf("%s (synchronous=FULL, %zu-byte events)\n", dir.c_str(), kPayloadBytes);
        std::printf("  1 commit per AppendBatch:    %10.0f commits/s\n", single);
        std::printf("  100 commits per AppendBatch: %10.0f commits/s\n", grouped);
      }
    }
  }
  fs::remove_all(dir, error);
  return exit_code;
}
