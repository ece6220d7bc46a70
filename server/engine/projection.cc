#include "server/engine/projection.h"

#include <optional>
#include <set>
#include <string>

#include "server/domain/event_catalogue.h"

namespace reciproca::engine {

std::vector<store::ProjectionRow> ProjectionRows(const domain::Chapter& chapter,
                                                 const domain::Events& events) {
  std::vector<store::ProjectionRow> rows;
  rows.push_back({chapter.name(), chapter.name(), "chapter", chapter.Info().SerializeAsString(),
                  chapter.last_seq()});
  // Newest first, so each resource's row carries the seq of the last event that touched it. The
  // chapter's row is written above, whichever events touched it.
  std::set<std::string> seen = {chapter.name()};
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    std::optional<domain::Touch> touch = domain::TouchedBy(*it);
    if (!touch.has_value() || touch->kind == domain::ResourceKind::kNone ||
        !seen.insert(touch->name).second) {
      continue;
    }
    auto resource = domain::ReadResource(chapter, touch->kind, touch->name);
    rows.push_back({chapter.name(), touch->name, std::string(domain::KindName(touch->kind)),
                    resource.ok() ? resource.value()->SerializeAsString() : std::string(),
                    it->seq()});
  }
  return rows;
}

}  // namespace reciproca::engine
