#include "server/engine/store_migration.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <vector>

#include "server/domain/chapter.h"
#include "server/engine/projection.h"

namespace reciproca::engine {
namespace {

constexpr size_t kEventsPerBatch = 1000;
constexpr int kComparePage = 1000;

// Writes the commits gathered so far as one batch.
Status Flush(store::EventStore& to, std::vector<store::Commit>& commits) {
  if (commits.empty()) {
    return {};
  }
  std::vector<const store::Commit*> batch;
  for (const auto& commit : commits) {
    batch.push_back(&commit);
  }
  Status status = to.AppendBatch(batch);
  commits.clear();
  return status;
}

// Every event of `chapter` in both stores, page by page: the same seqs, times and bytes.
Status Compare(store::EventStore& from, store::EventStore& to, const std::string& chapter) {
  std::vector<store::StoredEvent> a;
  std::vector<store::StoredEvent> b;
  for (int64_t after = 0;;) {
    if (auto s = from.ReadEvents(chapter, after, kComparePage, &a); !s.ok()) {
      return s;
    }
    if (auto s = to.ReadEvents(chapter, after, kComparePage, &b); !s.ok()) {
      return s;
    }
    for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      if (i >= a.size() || i >= b.size() || a[i].seq != b[i].seq ||
          a[i].time_micros != b[i].time_micros || a[i].bytes != b[i].bytes) {
        return Internal("migration check: " + chapter + " differs at seq " +
                        std::to_string(after + static_cast<int64_t>(i) + 1) +
                        " between the two stores");
      }
    }
    if (a.size() < static_cast<size_t>(kComparePage)) {
      return {};
    }
    after = a.back().seq;
  }
}

}  // namespace

Result<MigrationReport> MigrateStore(store::EventStore& from, store::EventStore& to) {
  // An empty target: ForEachEvent stops at its first event.
  bool target_empty = true;
  if (auto s = to.ForEachEvent([&](const store::StoredEvent&) -> Status {
        target_empty = false;
        return FailedPrecondition("stop");
      });
      !s.ok() && target_empty) {
    return s.error();
  }
  if (!target_empty) {
    return FailedPrecondition(
        "the target store already holds events; migrate into an empty database");
  }

  MigrationReport report;
  std::vector<store::Commit> commits;
  std::vector<std::string> chapters;
  domain::Chapter chapter;
  size_t pending_events = 0;
  Status copied = from.ForEachEvent([&](const store::StoredEvent& stored) -> Status {
    if (chapters.empty() || chapters.back() != stored.chapter) {
      chapters.push_back(stored.chapter);
      chapter = domain::Chapter();
    }
    v1::Event event;
    if (!event.ParseFromString(stored.bytes)) {
      return Internal("event " + stored.chapter + "#" + std::to_string(stored.seq) +
                      " cannot be parsed");
    }
    chapter.Apply(event);
    store::Commit commit;
    commit.events.push_back(stored);
    commit.projections = ProjectionRows(chapter, domain::Events{event});
    report.projection_rows += static_cast<int64_t>(commit.projections.size());
    commits.push_back(std::move(commit));
    ++report.events;
    if (++pending_events >= kEventsPerBatch) {
      pending_events = 0;
      return Flush(to, commits);
    }
    return {};
  });
  if (!copied.ok()) {
    return copied.error();
  }
  if (auto s = Flush(to, commits); !s.ok()) {
    return s.error();
  }
  report.chapters = static_cast<int64_t>(chapters.size());

  store::Commit rest;
  if (auto s = from.LoadTokens(&rest.new_tokens); !s.ok()) {
    return s.error();
  }
  if (auto s = from.LoadIdempotency(&rest.idempotency); !s.ok()) {
    return s.error();
  }
  report.tokens = static_cast<int64_t>(rest.new_tokens.size());
  report.idempotency_records = static_cast<int64_t>(rest.idempotency.size());
  commits.push_back(std::move(rest));
  if (auto s = Flush(to, commits); !s.ok()) {
    return s.error();
  }

  for (const auto& name : chapters) {
    if (auto s = Compare(from, to, name); !s.ok()) {
      return s.error();
    }
  }
  return report;
}

}  // namespace reciproca::engine
