#pragma once

// The versions of a committed event for each audience (need-to-know), made once per event: the
// engine makes them at commit for the live feed, the event service for events it replays from
// the store. The rule of who sees what is the domain's (server/domain/need_to_know.h).

#include <string>

#include "reciproca/v1/events.pb.h"
#include "server/stream/event_feed.h"

namespace reciproca::engine {

// `bytes` is `event` serialized. views is null when every reader sees the full event.
stream::FeedEvent FeedEventOf(const v1::Event& event, std::string bytes);

}  // namespace reciproca::engine
