// The chapter's own settings: creating the chapter, and changing its name, schedule, language,
// agenda, feature-presentation rotation and what the room display may show.

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/money.h"
#include "server/domain/names.h"
#include "server/domain/occurred.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// The settings UpdateChapter may change, in the order changed_fields lists them.
constexpr std::string_view kChapterMaskPaths[] = {
    "display_name", "display_amounts", "meeting_weekday", "meeting_time",
    "time_zone",    "language",        "agenda",          "feature_rotation"};

constexpr std::string_view kKnownPaths =
    "display_name, display_amounts, meeting_weekday, meeting_time, time_zone, language, agenda, "
    "feature_rotation";

// The rotation: at most kMaxRotationEntries weeks (each within kMaxPlannedWeeksAhead).
constexpr int kMaxRotationEntries = 60;

bool SamePresenter(const v1::FeaturePresenter& a, const v1::FeaturePresenter& b) {
  return a.date() == b.date() && a.member() == b.member();
}

// A chapter's agenda: at most kMaxAgendaItems segments, each titled as a segment is
// (StartSegment), with its minutes and countdown in range; titles trimmed.
constexpr int kMaxAgendaItems = 40;

Status CheckAgenda(const google::protobuf::RepeatedPtrField<v1::AgendaItem>& in,
                   google::protobuf::RepeatedPtrField<v1::AgendaItem>* out) {
  if (in.size() > kMaxAgendaItems) {
    return NotBetween("chapter.agenda", 0, kMaxAgendaItems, in.size());
  }
  out->Clear();
  for (int i = 0; i < in.size(); ++i) {
    const std::string field = "chapter.agenda[" + std::to_string(i) + "]";
    auto title = CheckText(field + ".title", in[i].title(), 1, 60);
    if (!title) {
      return title.error();
    }
    if (in[i].minutes() < 0 || in[i].minutes() > 240) {
      return NotBetween(field + ".minutes", 0, 240, in[i].minutes());
    }
    if (in[i].countdown_seconds() < 0 || in[i].countdown_seconds() > 3600) {
      return NotBetween(field + ".countdown_seconds", 0, 3600, in[i].countdown_seconds());
    }
    v1::AgendaItem* item = out->Add();
    item->set_title(*title);
    item->set_minutes(in[i].minutes());
    item->set_countdown_seconds(in[i].countdown_seconds());
  }
  return {};
}

// Validates the settings of `in` named in `paths` and writes the normalized (trimmed) values into
// `out`; errors name "chapter.{field}". Shared by create and update, so both accept the same.
Status CheckChapterFields(const v1::Chapter& in, const std::set<std::string, std::less<>>& paths,
                          const TimeZones& time_zones, v1::Chapter* out) {
  if (paths.count("display_name")) {
    auto display_name = CheckText("chapter.display_name", in.display_name(), 1, 100);
    if (!display_name) {
      return display_name.error();
    }
    out->set_display_name(*display_name);
  }
  if (paths.count("display_amounts")) {
    out->set_display_amounts(in.display_amounts());
  }
  if (paths.count("meeting_weekday")) {
    if (!v1::Weekday_IsValid(in.meeting_weekday())) {
      return InvalidArgument("chapter.meeting_weekday: unknown weekday " +
                             std::to_string(in.meeting_weekday()));
    }
    out->set_meeting_weekday(in.meeting_weekday());
  }
  if (paths.count("meeting_time")) {
    std::string meeting_time(Trim(in.meeting_time()));
    if (!meeting_time.empty() && !IsValidTimeOfDay(meeting_time)) {
      return InvalidArgument("chapter.meeting_time: \"" + meeting_time +
                             "\" is not a time of day \"HH:MM\" between 00:00 and 23:59");
    }
    out->set_meeting_time(meeting_time);
  }
  if (paths.count("time_zone")) {
    auto time_zone = CheckOptionalTimeZone("chapter.time_zone", in.time_zone(), time_zones);
    if (!time_zone) {
      return time_zone.error();
    }
    out->set_time_zone(*time_zone);
  }
  if (paths.count("language")) {
    auto language = CheckLanguageTag("chapter.language", in.language());
    if (!language) {
      return language.error();
    }
    out->set_language(*language);
  }
  if (paths.count("agenda")) {
    if (Status s = CheckAgenda(in.agenda(), out->mutable_agenda()); !s) {
      return s;
    }
  }
  return {};
}

}  // namespace

Status Chapter::CheckPlannedDay(const Context& ctx, std::string_view field,
                                std::chrono::sys_days day, const PlannedDayRules& rules) const {
  const std::chrono::sys_days today = ChapterDay(ctx.time_zones, ctx.now);
  const std::string zone = " in " + (info_.time_zone().empty() ? "UTC" : info_.time_zone());
  const std::string day_text = UtcDate(day);
  if (day < today) {
    return InvalidArgument(std::string(field) + ": " + day_text + " is before today (" +
                           UtcDate(today) + zone + "); " + std::string(rules.what) +
                           " is set for today or later")
        .Because(rules.past, {{"day", day_text}});
  }
  if (day > today + std::chrono::weeks(kMaxPlannedWeeksAhead)) {
    return InvalidArgument(std::string(field) + ": " + day_text + " is more than " +
                           std::to_string(kMaxPlannedWeeksAhead) + " weeks after today (" +
                           UtcDate(today) + zone + ")")
        .Because(rules.too_far,
                 {{"day", day_text}, {"weeks", std::to_string(kMaxPlannedWeeksAhead)}});
  }
  return {};
}

Status Chapter::CheckFeatureRotation(
    const Context& ctx, const google::protobuf::RepeatedPtrField<v1::FeaturePresenter>& in,
    google::protobuf::RepeatedPtrField<v1::FeaturePresenter>* out) const {
  if (in.size() > kMaxRotationEntries) {
    return NotBetween("chapter.feature_rotation", 0, kMaxRotationEntries, in.size());
  }
  std::map<std::chrono::sys_days, int> taken;  // day -> the entry that has it
  std::vector<std::pair<std::chrono::sys_days, v1::FeaturePresenter>> checked;
  for (int i = 0; i < in.size(); ++i) {
    const std::string field = "chapter.feature_rotation[" + std::to_string(i) + "]";
    const auto day = CheckDay(field + ".date", in[i].date());
    if (!day) {
      return day.error();
    }
    const std::string day_text = UtcDate(*day);
    if (auto [it, fresh] = taken.emplace(*day, i); !fresh) {
      return InvalidArgument(field + ".date: " + day_text +
                             " is already chapter.feature_rotation[" + std::to_string(it->second) +
                             "]'s; one member presents per date")
          .Because(kRotationDateTaken, {{"day", day_text}});
    }
    v1::FeaturePresenter entry;
    entry.set_date(day_text);
    entry.set_member(std::string(Trim(in[i].member())));
    // An entry set before stays as it is, even once its day has passed or its member has left.
    const bool kept =
        std::any_of(info_.feature_rotation().begin(), info_.feature_rotation().end(),
                    [&](const v1::FeaturePresenter& e) { return SamePresenter(e, entry); });
    if (!kept) {
      if (Status s = CheckPlannedDay(ctx, field + ".date", *day,
                                     {kRotationDatePast, kRotationDateTooFar, "the rotation"});
          !s) {
        return s.error();
      }
      if (auto member = FindActiveMember(field + ".member", entry.member()); !member) {
        return member.error();
      }
    }
    checked.emplace_back(*day, std::move(entry));
  }
  std::sort(checked.begin(), checked.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  out->Clear();
  for (auto& [day, entry] : checked) {
    *out->Add() = std::move(entry);
  }
  return {};
}

Result<Events> Chapter::DecideCreate(const Context& ctx, const v1::CreateChapterRequest& request,
                                     std::string_view chapter_id, bool taken) {
  if (ctx.principal.kind != Principal::Kind::kAdmin) {
    return PermissionDenied("only the server admin creates chapters");
  }
  if (Status s = CheckChapterId("chapter_id", chapter_id); !s) {
    return s.error();
  }
  if (taken) {
    return AlreadyExists("chapter_id: " + ChapterName(chapter_id) + " already exists")
        .Because(kChapterIdTaken, {{"chapter", std::string(chapter_id)}});
  }
  const v1::Chapter& in = request.chapter();
  v1::Event event;
  event.set_chapter(ChapterName(chapter_id));
  event.set_seq(1);
  *event.mutable_time() = ToTimestamp(ctx.now);
  event.set_actor(ctx.principal.ActorName());
  v1::Chapter* out = event.mutable_chapter_created()->mutable_chapter();
  const std::set<std::string, std::less<>> all(std::begin(kChapterMaskPaths),
                                               std::end(kChapterMaskPaths));
  if (Status s = CheckChapterFields(in, all, ctx.time_zones, out); !s) {
    return s.error();
  }
  std::string currency = in.currency().empty() ? "EUR" : in.currency();
  if (Status s = CheckCurrency("chapter.currency", currency); !s) {
    return s.error();
  }
  out->set_name(event.chapter());
  out->set_currency(currency);
  *out->mutable_create_time() = event.time();
  return Events{event};
}

Result<Events> Chapter::DecideUpdateChapter(const Context& ctx,
                                            const v1::UpdateChapterRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "update the chapter"); !s) {
    return s.error();
  }
  const std::string& name = r.chapter().name();
  if (name.empty()) {
    return Required("chapter.name", "chapters/{chapter}");
  }
  if (name != info_.name()) {
    return InvalidArgument("chapter.name: expected " + info_.name() + ", got \"" + name + "\"");
  }
  if (r.update_mask().paths_size() == 0) {
    return Required("update_mask", "paths: " + std::string(kKnownPaths));
  }
  std::set<std::string, std::less<>> paths;
  for (const std::string& path : r.update_mask().paths()) {
    if (std::find(std::begin(kChapterMaskPaths), std::end(kChapterMaskPaths), path) ==
        std::end(kChapterMaskPaths)) {
      return InvalidArgument("update_mask: unknown path \"" + path +
                             "\" (known: " + std::string(kKnownPaths) + ")");
    }
    paths.insert(path);
  }
  v1::Chapter after = info_;
  if (Status s = CheckChapterFields(r.chapter(), paths, ctx.time_zones, &after); !s) {
    return s.error();
  }
  if (paths.count("feature_rotation")) {
    if (Status s = CheckFeatureRotation(ctx, r.chapter().feature_rotation(),
                                        after.mutable_feature_rotation());
        !s) {
      return s.error();
    }
  }
  v1::Event event = NewEvent(ctx, 1, "");
  v1::ChapterUpdated* updated = event.mutable_chapter_updated();
  auto changed = [&](std::string_view field, bool differs) {
    if (paths.count(field) && differs) {
      updated->add_changed_fields(std::string(field));
    }
  };
  changed("display_name", info_.display_name() != after.display_name());
  changed("display_amounts", info_.display_amounts() != after.display_amounts());
  changed("meeting_weekday", info_.meeting_weekday() != after.meeting_weekday());
  changed("meeting_time", info_.meeting_time() != after.meeting_time());
  changed("time_zone", info_.time_zone() != after.time_zone());
  changed("language", info_.language() != after.language());
  changed("agenda",
          !std::equal(info_.agenda().begin(), info_.agenda().end(), after.agenda().begin(),
                      after.agenda().end(), [](const v1::AgendaItem& a, const v1::AgendaItem& b) {
                        return a.title() == b.title() && a.minutes() == b.minutes() &&
                               a.countdown_seconds() == b.countdown_seconds();
                      }));
  changed(
      "feature_rotation",
      !std::equal(info_.feature_rotation().begin(), info_.feature_rotation().end(),
                  after.feature_rotation().begin(), after.feature_rotation().end(), SamePresenter));
  after.clear_last_seq();
  after.clear_active_member_count();
  *updated->mutable_chapter() = std::move(after);
  return Events{event};
}

}  // namespace reciproca::domain
