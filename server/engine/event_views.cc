#include "server/engine/event_views.h"

#include "server/domain/need_to_know.h"

namespace reciproca::engine {
namespace {

// The event as `view` sees it; empty when that is the full event.
stream::SharedBytes VersionFor(domain::View view, const v1::Event& event, const std::string& full) {
  v1::Event copy = event;
  domain::Redact(view, &copy);
  std::string bytes = copy.SerializeAsString();
  return bytes == full ? stream::SharedBytes() : stream::SharedBytes(std::move(bytes));
}

}  // namespace

stream::FeedEvent FeedEventOf(const v1::Event& event, std::string bytes) {
  stream::FeedEvent out{event.seq(), stream::SharedBytes(std::move(bytes)), nullptr};
  const auto role = domain::RoleSetBy(event);
  if (!role && !domain::HasPersonalData(event)) {
    return out;
  }
  auto views = std::make_shared<stream::EventViews>();
  const std::string full(out.bytes.view());
  views->others = VersionFor(domain::View::kOthers, event, full);
  views->display = VersionFor(domain::View::kDisplay, event, full);
  views->parties = domain::PartiesOf(event);
  if (role) {
    views->sets_role = true;
    views->role_member = role->member;
    views->role_organizer = role->organizer;
  }
  out.views = std::move(views);
  return out;
}

}  // namespace reciproca::engine
