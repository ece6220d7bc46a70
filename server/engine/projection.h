#pragma once

// The `resources` projection: the current state of every resource an event touched, written in
// the same transaction as the events, so the database can be read with ordinary SQLite tools.

#include <vector>

#include "server/domain/chapter.h"
#include "server/store/event_store.h"

namespace reciproca::engine {

// Rows for the chapter itself and every resource `events` touched, read from `chapter` after the
// events were applied.
std::vector<store::ProjectionRow> ProjectionRows(const domain::Chapter& chapter,
                                                 const domain::Events& events);

}  // namespace reciproca::engine
