// When a record happened, when it is not the moment it is recorded (resources.proto's Occurred):
// the rules of dating a record, in one place for the six recording commands.

#include <string>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/occurred.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// The first day a record may be dated (the server's times start in 1900: CheckTimestamp).
constexpr std::chrono::sys_days kFirstDay{std::chrono::year(1900) / 1 / 1};

}  // namespace

std::chrono::sys_days Chapter::ChapterDay(const TimeZones& zones, TimePoint t) const {
  return LocalDay(zones, info_.time_zone(), t);
}

bool Chapter::InWeekOf(const TimeZones& zones, const v1::Meeting& meeting,
                       std::chrono::sys_days day) const {
  const std::chrono::sys_days start = ChapterDay(zones, FromTimestamp(meeting.start_time()));
  return start <= day && day < start + std::chrono::days(7);
}

const v1::Meeting* Chapter::MeetingOfDay(const TimeZones& zones, std::chrono::sys_days day) const {
  const v1::Meeting* found = nullptr;
  for (const auto& [name, meeting] : meetings_) {
    if (meeting.state() == v1::MEETING_STATE_CANCELLED) {
      continue;  // a week without its meeting: the date stands on its own
    }
    if (InWeekOf(zones, meeting, day) &&
        (found == nullptr || ToNanos(found->start_time()) < ToNanos(meeting.start_time()))) {
      found = &meeting;
    }
  }
  return found;
}

Result<Chapter::Occurrence> Chapter::ResolveOccurred(const Context& ctx,
                                                     const v1::Occurred& occurred,
                                                     std::string_view member,
                                                     std::string_view pinned,
                                                     std::string_view pinned_field) const {
  Occurrence out;
  std::string field;
  std::chrono::sys_days day{};
  switch (occurred.when_case()) {
    case v1::Occurred::kDate: {
      field = "occurred.date";
      const auto parsed = CheckDay(field, occurred.date());
      if (!parsed) {
        return parsed.error();
      }
      day = *parsed;  // its instant once the rules below bound it (DayStart)
      break;
    }
    case v1::Occurred::kMeeting:
    case v1::Occurred::WHEN_NOT_SET: {
      const bool named = occurred.when_case() == v1::Occurred::kMeeting;
      if (!named && pinned.empty()) {
        return out;  // nothing dates it: now
      }
      field = named ? "occurred.meeting" : std::string(pinned_field);
      const std::string& name = named ? occurred.meeting() : std::string(pinned);
      if (name.empty()) {
        return Required(field, "the meeting the record belongs to");
      }
      auto meeting = FindMeeting(field, name);
      if (!meeting) {
        return meeting.error();
      }
      if (!pinned.empty() && name != pinned) {
        return InvalidArgument(field + ": " + name + " is not " + std::string(pinned_field) + " " +
                               std::string(pinned) + "; name one meeting, or leave one empty")
            .Because(kOccurredOtherMeeting);
      }
      out.meeting = *meeting;
      out.time = FromTimestamp((*meeting)->start_time());
      day = ChapterDay(ctx.time_zones, *out.time);
      break;
    }
  }

  const std::string day_text = UtcDate(day);
  const std::chrono::sys_days today = ChapterDay(ctx.time_zones, ctx.now);
  const std::string zone = " in " + (info_.time_zone().empty() ? "UTC" : info_.time_zone());
  if (day > today) {
    return InvalidArgument(field + ": " + day_text + " is after today (" + UtcDate(today) + zone +
                           "); a record is dated today or earlier")
        .Because(kOccurredInFuture, {{"day", day_text}});
  }
  if (day < kFirstDay) {
    // Also keeps the day's instant within the clock's range (int64 nanoseconds).
    return InvalidArgument(field + ": " + day_text + " is before 1900-01-01")
        .Because(kDateInvalid, {{"value", day_text}});
  }
  const bool organizer = IsOrganizerPrincipal(ctx.principal);
  if (!organizer && day < today - std::chrono::weeks(kMaxOccurredWeeksBack)) {
    return FailedPrecondition(field + ": " + day_text + " is more than " +
                              std::to_string(kMaxOccurredWeeksBack) + " weeks before today (" +
                              UtcDate(today) + zone + "); only an organizer can record it")
        .Because(kOccurredTooLongAgo,
                 {{"day", day_text}, {"weeks", std::to_string(kMaxOccurredWeeksBack)}});
  }
  if (auto it = members_.find(member); it != members_.end()) {
    const std::chrono::sys_days joined =
        ChapterDay(ctx.time_zones, FromTimestamp(it->second.join_time()));
    if (day < joined) {
      return FailedPrecondition(field + ": " + day_text + " is before " + it->first + " (" +
                                it->second.display_name() + ") joined the chapter on " +
                                UtcDate(joined))
          .Because(kOccurredBeforeJoining, {{"member", it->second.display_name()},
                                            {"joined", UtcDate(joined)},
                                            {"day", day_text}});
    }
  }
  if (occurred.when_case() == v1::Occurred::kDate) {
    out.time = DayStart(ctx.time_zones, info_.time_zone(), day);
  }
  if (occurred.when_case() == v1::Occurred::kDate && pinned.empty()) {
    out.meeting = MeetingOfDay(ctx.time_zones, day);
  } else if (occurred.when_case() == v1::Occurred::kDate) {
    auto meeting = FindMeeting(pinned_field, pinned);
    if (!meeting) {
      return meeting.error();
    }
    if (!InWeekOf(ctx.time_zones, **meeting, day)) {
      return InvalidArgument(field + ": " + day_text + " is not in the week of " +
                             std::string(pinned_field) + " " + std::string(pinned) +
                             " (the day it starts and the six days after it)")
          .Because(kOccurredOtherMeeting);
    }
    out.meeting = *meeting;
  }
  if (out.meeting != nullptr) {
    auto correction = IsCorrection(ctx.principal, *out.meeting, field);
    if (!correction) {
      return correction.error();
    }
    out.correction = *correction;
  }
  return out;
}

void Chapter::Stamp(const Occurrence& occurrence, v1::Event* event) {
  if (occurrence.time && ToNanos(*occurrence.time) != ToNanos(event->time())) {
    *event->mutable_occurred_time() = ToTimestamp(*occurrence.time);
  }
  if (occurrence.meeting != nullptr) {
    event->set_occurred_meeting(occurrence.meeting->name());
  }
  event->set_correction(occurrence.correction);
}

}  // namespace reciproca::domain
