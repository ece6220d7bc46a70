#pragma once

// The engine's home for one chapter: its strand and everything only that strand touches. Part
// of the engine (engine.cc, replica_sync.cc), not of its interface.

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/domain/chapter.h"
#include "server/engine/engine.h"
#include "server/engine/group_committer.h"
#include "server/stream/event_feed.h"

namespace reciproca::engine {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

// The store's microseconds since the epoch (an idempotency record's created_micros) as a time.
std::chrono::system_clock::time_point FromMicros(int64_t micros);

struct Engine::Slot {
  explicit Slot(boost::asio::io_context& io) : strand(boost::asio::make_strand(io)) {}

  Strand strand;
  // Touched only on `strand`.
  domain::Chapter chapter;
  IdempotencyTable idempotency;
  std::shared_ptr<stream::ChapterFeed> feed;
  // Shared stores: the fence generation `chapter` was rebuilt at (strand only), and the fence
  // the writer thread checks each commit against.
  int64_t decided_generation = 0;
  std::shared_ptr<ChapterFence> fence = std::make_shared<ChapterFence>();
  // A catch-up found this server's own commits in flight and is due again once they settle
  // (strand only): without it, a notice that arrived meanwhile would be lost.
  bool catch_up_due = false;
  // Another server asked for a turn on the chapter: new requests wait until this time, or
  // until that server's commit is seen, whichever comes first (strand only).
  std::chrono::steady_clock::time_point others_turn_until{};
  // The seq of the chapter's last snapshot (stored, or on its way) and when it was taken
  // (strand only; Recover and Stop touch them with the strands idle).
  int64_t snapshot_seq = 0;
  std::chrono::steady_clock::time_point snapshot_at = std::chrono::steady_clock::now();
  // A copy of chapter.Info() for readers on other threads.
  mutable std::mutex info_mu;
  v1::Chapter info;

  void RefreshInfo() {
    auto fresh = chapter.Info();
    std::lock_guard lock(info_mu);
    info = std::move(fresh);
  }
};

}  // namespace reciproca::engine
