#pragma once

// The limits that keep one careless or hostile client from exhausting the server, with their
// defaults (docs/limits.md explains each, and what a client sees when it hits one). Set from
// reciprocad's flags through ServerOptions::limits.

#include <chrono>
#include <cstddef>
#include <string>

#include "server/domain/import_csv.h"
#include "server/domain/principal.h"

namespace reciproca::engine {

// What a per-principal limit counts by: each member, each chapter's room display (its tokens
// before and after a rotation count as one), and the admin.
inline std::string LimitKey(const domain::Principal& principal) {
  switch (principal.kind) {
    case domain::Principal::Kind::kAdmin:
      return "admin";
    case domain::Principal::Kind::kDisplay:
      return principal.chapter + " (display)";
    case domain::Principal::Kind::kMember:
      break;
  }
  return principal.member;
}

struct Limits {
  // Mutations per principal (a member's token, or the room display's), as a token bucket:
  // `mutation_burst` at once, refilled at `mutations_per_second`. The server's admin token (the
  // operator, and the plugins' outputs, recorded as the admin) is not limited. The default lets
  // an organizer run a whole meeting of a 150-member chapter at machine speed (schedule, open,
  // everyone's attendance, visitors, segments, close: under 200 mutations) within one burst, and
  // keep 20 mutations a second after it: far beyond what a person taps. 0 turns the limit off.
  double mutations_per_second = 20;
  double mutation_burst = 300;

  // Bytes of events one subscriber may leave waiting: those committed to its chapter while one
  // write to it stays unfinished (its client takes nothing), i.e. what a queue of its own would
  // hold. Subscribers are cursors over the chapter's shared ring (stream/event_feed.h), so the
  // server holds no such queue; but a subscriber this far behind is not keeping up, and past
  // the bound its stream ends with RESOURCE_EXHAUSTED and the after_seq to resume from. 0 turns
  // the limit off.
  size_t subscriber_queue_bytes = 8 << 20;

  // How long a request_id is remembered (retries under it answer the first result). Longer than
  // a phone stays offline over a weekend. An older request_id is treated as new. Plugins'
  // output ids ("plugin:...") are kept for as long as the events they answer (never pruned).
  std::chrono::seconds idempotency_retention = std::chrono::hours(24 * 7);

  // One file of ImportService.ImportFile: its bytes and its data lines. A file is recorded in
  // one append and answered whole (every row, every rejected line), so this bounds the cost of
  // one import. Refused beyond with INVALID_ARGUMENT (IMPORT_TOO_LARGE, IMPORT_TOO_MANY_LINES).
  domain::ImportLimits import;
};

}  // namespace reciproca::engine
