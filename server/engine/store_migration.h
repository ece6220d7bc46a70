#pragma once

// Copying one store into another: `reciprocad migrate --from DATA_DIR --to postgresql://...`
// moves a region's first server from its SQLite file to PostgreSQL. Every event (in order, with
// the projection rows it produced, rebuilt by replaying the chapter), every active token and
// every idempotency record is copied; then every chapter's events are read back from both
// stores and compared, byte for byte.

#include <cstdint>

#include "server/domain/result.h"
#include "server/store/event_store.h"

namespace reciproca::engine {

struct MigrationReport {
  int64_t chapters = 0;
  int64_t events = 0;
  int64_t tokens = 0;
  int64_t idempotency_records = 0;
  int64_t projection_rows = 0;
};

// `to` must hold no event yet (kFailedPrecondition otherwise: nothing is copied). Any
// difference found when comparing is kInternal, naming the chapter and the seq.
Result<MigrationReport> MigrateStore(store::EventStore& from, store::EventStore& to);

}  // namespace reciproca::engine
