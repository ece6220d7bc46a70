#pragma once

// When a record counts for the shipped plugins' windows: Event.occurred_time when the event
// carries one (a late slip, a dated one-to-one, an imported record), Event.time otherwise. The
// one home of that rule for traffic_light, leaderboard and reciprocity.

namespace reciproca::plugin_texts {

// `Event` is reciproca.v1.Event (full or lite runtime); returns a google.protobuf.Timestamp.
template <class Event>
const auto& OccurredTime(const Event& event) {
  return event.has_occurred_time() ? event.occurred_time() : event.time();
}

}  // namespace reciproca::plugin_texts
