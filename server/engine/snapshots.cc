// Chapter snapshots (docs/storage.md, "Snapshots"): a chapter is rebuilt from its newest
// snapshot and the events after it; snapshots are written in the background once a commit that
// makes one due is durable, and at a clean stop. They are a cache: the events stay the truth,
// and a snapshot this code cannot read is ignored with a log line.

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "server/engine/chapter_slot.h"
#include "server/engine/chapter_snapshot.h"
#include "server/engine/engine.h"

namespace reciproca::engine {
namespace {

constexpr int kRebuildPage = 1000;

}  // namespace

Status Engine::RebuildChapter(const std::string& name, domain::Chapter* out, int64_t keep_after,
                              std::vector<v1::Event>* kept, bool* from_snapshot) {
  domain::Chapter chapter;
  int64_t start = 0;
  auto snapshot = store_.LoadSnapshot(name);
  if (!snapshot.ok()) {
    spdlog::warn("snapshot of {} not read ({}); rebuilding it from its events", name,
                 snapshot.error().message);
  } else if (snapshot->has_value()) {
    const store::ChapterSnapshot& stored = **snapshot;
    auto decoded = DecodeChapterSnapshot(name, stored.seq, stored.version, stored.bytes);
    if (decoded.ok()) {
      chapter = std::move(decoded).value();
      start = stored.seq;
    } else {
      spdlog::warn("snapshot of {} at seq {} ignored ({}); rebuilding it from its events", name,
                   stored.seq, decoded.error().message);
    }
  }
  if (from_snapshot != nullptr) {
    *from_snapshot = start > 0;
  }
  int64_t after = kept != nullptr ? std::min(start, keep_after) : start;
  std::vector<store::StoredEvent> page;
  for (;;) {
    if (auto s = store_.ReadEvents(name, after, kRebuildPage, &page); !s.ok()) {
      return s;
    }
    for (const auto& stored : page) {
      v1::Event event;
      if (!event.ParseFromString(stored.bytes)) {
        return Internal("event " + name + "#" + std::to_string(stored.seq) + " cannot be parsed");
      }
      if (stored.seq != after + 1) {
        return Internal("the log of " + name + " jumps from seq " + std::to_string(after) + " to " +
                        std::to_string(stored.seq));
      }
      if (stored.seq == 1 && !event.has_chapter_created()) {
        return Internal("the log of " + name + " does not start with its creation");
      }
      after = stored.seq;
      if (stored.seq > start) {
        chapter.Apply(event);
      }
      if (kept != nullptr && stored.seq > keep_after) {
        kept->push_back(std::move(event));
      }
    }
    if (page.size() < static_cast<size_t>(kRebuildPage)) {
      break;
    }
  }
  *out = std::move(chapter);
  return {};
}

std::shared_ptr<const domain::Chapter> Engine::SnapshotIfDue(Slot& slot) {
  const SnapshotOptions& options = options_.snapshots;
  const int64_t since = slot.chapter.last_seq() - slot.snapshot_seq;
  const auto now = std::chrono::steady_clock::now();
  const bool by_events = options.every_events > 0 && since >= options.every_events;
  const bool by_time =
      options.every.count() > 0 && since > 0 && now - slot.snapshot_at >= options.every;
  if (!by_events && !by_time) {
    return nullptr;
  }
  slot.snapshot_seq = slot.chapter.last_seq();
  slot.snapshot_at = now;
  return std::make_shared<const domain::Chapter>(slot.chapter);
}

void Engine::WriteSnapshot(const domain::Chapter& chapter) {
  store::ChapterSnapshot snapshot{chapter.name(), chapter.last_seq(), kChapterSnapshotVersion,
                                  EncodeChapterSnapshot(chapter)};
  if (auto s = store_.PutSnapshot(snapshot); !s.ok()) {
    spdlog::warn("snapshot of {} at seq {} not written: {}", snapshot.chapter, snapshot.seq,
                 s.error().message);
    return;
  }
  spdlog::debug("snapshot of {} at seq {} written ({} bytes)", snapshot.chapter, snapshot.seq,
                snapshot.bytes.size());
}

}  // namespace reciproca::engine
