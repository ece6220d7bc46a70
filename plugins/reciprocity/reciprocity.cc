#include "reciprocity.h"

#include <stdexcept>

#include "texts.h"
#include "vcp.h"

namespace reciproca::reciprocity {

namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

Reciprocity::Reciprocity(sdk::Host host, const pv1::PluginConfig& config)
    : host_(host),
      plugin_name_(config.plugin_name().empty() ? "reciprocity" : config.plugin_name()),
      config_(ParseConfig(config.json())),
      texts_(CatalogFiles()) {}

Reciprocity::Chapter& Reciprocity::ChapterOf(const std::string& name) {
  std::unique_ptr<Chapter>& chapter = chapters_[name];
  if (!chapter) {
    chapter = std::make_unique<Chapter>(config_, texts_, name);
  }
  return *chapter;
}

void Reciprocity::OnEvent(const v1::Event& event) {
  Chapter& chapter = ChapterOf(event.chapter());
  const int64_t now = Nanos(event.time());
  if (event.has_plugin_output()) {
    if (event.plugin_output().plugin() == plugin_name_ &&
        event.plugin_output().output().has_reminder()) {
      chapter.reminders.Recorded(event.plugin_output().output().reminder(), chapter.facts, now);
    }
  } else {
    chapter.facts.Apply(event);
    chapter.reminders.AfterEvent(event);
  }
  chapter.reminders.RunDue(chapter.facts, now);
  if (live_) {
    EmitDue(event.chapter(), chapter, now);
  }
}

void Reciprocity::OnTick(const pv1::Tick& tick) {
  live_ = true;
  const int64_t now = Nanos(tick.now());
  for (auto& [name, chapter] : chapters_) {
    chapter->reminders.RunDue(chapter->facts, now);
    EmitDue(name, *chapter, now);
  }
}

void Reciprocity::EmitDue(const std::string& name, Chapter& chapter, int64_t now) {
  for (pv1::Reminder& reminder : chapter.reminders.TakeDue(chapter.facts, now)) {
    pv1::Output output;
    output.set_chapter(name);
    output.set_key(reminder.id());
    *output.mutable_reminder() = std::move(reminder);
    host_.Emit(output);
  }
}

pv1::QueryAnswer Reciprocity::Query(const pv1::Query& query) {
  std::string member;
  switch (query.kind_case()) {
    case pv1::Query::kReminders:
      member = query.reminders().member();
      break;
    case pv1::Query::kRelationships:
      member = query.relationships().member();
      break;
    default:
      throw std::invalid_argument(
          "reciprocity: answers reminders and relationships queries only (query.reminders or "
          "query.relationships must be set)");
  }
  pv1::QueryAnswer answer;
  const auto found = chapters_.find(query.chapter());
  if (found == chapters_.end()) {
    // No event of this chapter yet: nothing to report.
    if (query.kind_case() == pv1::Query::kReminders) {
      answer.mutable_reminders();
    } else {
      answer.mutable_relationships();
    }
    return answer;
  }
  const Chapter& chapter = *found->second;
  if (!member.empty() && chapter.facts.Member(member) == nullptr) {
    throw std::invalid_argument("member: unknown \"" + member + "\" in " + query.chapter());
  }
  const int64_t now = Nanos(query.now());
  if (query.kind_case() == pv1::Query::kReminders) {
    *answer.mutable_reminders() = chapter.reminders.Active(chapter.facts, member, now);
  } else {
    *answer.mutable_relationships() = Relationships(chapter.facts, config_, texts_, member, now);
  }
  return answer;
}

}  // namespace reciproca::reciprocity
