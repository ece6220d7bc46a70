// What plugins ask to record in the chapter's log.

#include <string>

#include "server/domain/chapter.h"
#include "server/domain/names.h"

namespace reciproca::domain {

Result<Events> Chapter::DecideRecordPluginOutput(const Context& ctx, const std::string& plugin,
                                                 const plugin::v1::Output& output) const {
  if (ctx.principal.kind != Principal::Kind::kAdmin) {
    return PermissionDenied("only the server's plugin host records plugin outputs");
  }
  const std::string what = "plugin " + plugin + ": output";
  if (output.chapter() != info_.name()) {
    return InvalidArgument(what + ".chapter: \"" + output.chapter() + "\" is not " + info_.name());
  }
  if (output.key().empty() || output.key().size() > 200) {
    return InvalidArgument(what + ".key: must be 1..200 characters, got " +
                           std::to_string(output.key().size()));
  }
  std::string member;
  switch (output.kind_case()) {
    case plugin::v1::Output::kScoreChange:
      member = output.score_change().member();
      break;
    case plugin::v1::Output::kReminder:
      member = output.reminder().member();
      if (output.reminder().text().empty()) {
        return InvalidArgument(what + ".reminder.text: is required");
      }
      break;
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
  *recorded->mutable_output() = output;
  return Events{event};
}

}  // namespace reciproca::domain
