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
  v1::Event event = NewEvent(ctx, 1, "");
  event.set_actor("plugin:" + plugin);
  auto* recorded = event.mutable_plugin_output();
  recorded->set_plugin(plugin);
  *recorded->mutable_output() = std::move(checked);
  return Events{event};
}

}  // namespace reciproca::domain
