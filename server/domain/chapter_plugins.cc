// What plugins ask to record in the chapter's log.

#include <string>
#include <utility>

#include "server/domain/chapter.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {

Result<Events> Chapter::DecideRecordPluginOutput(const Context& ctx, const std::string& plugin,
                                                 const plugin::v1::Output& output) const {
  if (ctx.principal.kind != Principal::Kind::kAdmin) {
    return PermissionDenied("only the server's plugin host records plugin outputs");
  }
  const std::string what = "plugin " + plugin + ": output";
  if (output.chapter() != info_.name()) {
    return InvalidArgument(what + ".chapter: " + Quoted(output.chapter()) + " is not " +
                           info_.name());
  }
  // A plugin's key and reminder text follow the text hygiene of person-facing text, and are
  // recorded as checked (trimmed, NFC).
  plugin::v1::Output checked = output;
  auto key = CheckText(what + ".key", output.key(), 1, 200);
  if (!key) {
    return key.error();
  }
  checked.set_key(*key);
  std::string member;
  switch (output.kind_case()) {
    case plugin::v1::Output::kScoreChange:
      member = output.score_change().member();
      break;
    case plugin::v1::Output::kReminder: {
      member = output.reminder().member();
      auto text = CheckText(what + ".reminder.text", output.reminder().text(), 1, 1000);
      if (!text) {
        return text.error();
      }
      checked.mutable_reminder()->set_text(*text);
      break;
    }
    case plugin::v1::Output::KIND_NOT_SET:
      return InvalidArgument(what + ": has neither a score_change nor a reminder");
  }
  if (auto found = FindMember(what + ".member", member); !found) {
    return found.error();
  }
  // What it is about must be of this chapter too: a plugin enabled here learns and tells
  // nothing of another chapter.
  if (output.kind_case() == plugin::v1::Output::kReminder) {
    const std::string prefix = info_.name() + "/";
    for (const auto& about : output.reminder().about()) {
      if (about.rfind(prefix, 0) != 0) {
        return InvalidArgument(what + ".reminder.about: \"" + about + "\" is not of " +
                               info_.name());
      }
    }
  }
  v1::Event event = NewEvent(ctx, 1, "");
  event.set_actor("plugin:" + plugin);
  auto* recorded = event.mutable_plugin_output();
  recorded->set_plugin(plugin);
  *recorded->mutable_output() = std::move(checked);
  return Events{event};
}

namespace {

constexpr size_t kMaxPluginConfigBytes = 64 * 1024;

}  // namespace

Result<Events> Chapter::DecideEnablePlugin(const Context& ctx, const v1::EnablePluginRequest& r,
                                           const std::vector<std::string>& capabilities) const {
  if (Status s = CheckOrganizer(ctx.principal, "enable plugins in " + info_.name()); !s) {
    return s.error();
  }
  if (r.chapter() != info_.name()) {
    return InvalidArgument("chapter: expected " + info_.name() + ", got \"" + r.chapter() + "\"");
  }
  if (r.config_json().size() > kMaxPluginConfigBytes) {
    return InvalidArgument("config_json: at most " + std::to_string(kMaxPluginConfigBytes) +
                           " bytes, got " + std::to_string(r.config_json().size()));
  }
  if (auto it = plugins_.find(r.name());
      it != plugins_.end() && it->second.config_json() == r.config_json()) {
    return AlreadyExists("plugin " + r.name() + " is already enabled in " + info_.name() +
                         " with this configuration");
  }
  v1::Event event = NewEvent(ctx, 1, "");
  auto* enabled = event.mutable_plugin_enabled();
  enabled->set_plugin(r.name());
  enabled->set_config_json(r.config_json());
  for (const auto& capability : capabilities) {
    enabled->add_capabilities(capability);
  }
  return Events{std::move(event)};
}

Result<Events> Chapter::DecideDisablePlugin(const Context& ctx,
                                            const v1::DisablePluginRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "disable plugins in " + info_.name()); !s) {
    return s.error();
  }
  if (r.chapter() != info_.name()) {
    return InvalidArgument("chapter: expected " + info_.name() + ", got \"" + r.chapter() + "\"");
  }
  if (!plugins_.contains(r.name())) {
    return FailedPrecondition("plugin " + r.name() + " is not enabled in " + info_.name());
  }
  v1::Event event = NewEvent(ctx, 1, "");
  event.mutable_plugin_disabled()->set_plugin(r.name());
  return Events{std::move(event)};
}

}  // namespace reciproca::domain
