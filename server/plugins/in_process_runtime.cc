#include "server/plugins/in_process_runtime.h"

namespace reciproca::plugins {

InProcessRuntime::InProcessRuntime(std::string name, std::filesystem::path path,
                                   std::filesystem::path cache_dir, std::string copy_name,
                                   PluginLogSink log, bool copied)
    : name_(std::move(name)),
      path_(std::move(path)),
      cache_dir_(std::move(cache_dir)),
      copy_name_(std::move(copy_name)),
      log_(std::move(log)),
      copied_(copied) {}

InProcessRuntime::~InProcessRuntime() { Destroy(); }

Result<PluginDescription> InProcessRuntime::Start(const std::string& config) {
  auto library = copied_ ? OpenCopiedPluginLibrary(cache_dir_ / copy_name_, path_.string())
                         : OpenPluginLibrary(path_, cache_dir_, copy_name_);
  if (!library.ok()) {
    return library.error();
  }
  library_ = std::move(library).value();
  host_.struct_size = sizeof(reciproca_host);
  host_.abi_major = RECIPROCA_PLUGIN_ABI_MAJOR;
  host_.abi_minor = RECIPROCA_PLUGIN_ABI_MINOR;
  host_.context = this;
  host_.emit = [](void* context, const uint8_t* data, size_t size) {
    static_cast<InProcessRuntime*>(context)->emitted_.emplace_back(
        reinterpret_cast<const char*>(data), size);
  };
  host_.log = [](void* context, int level, const char* message) {
    auto* self = static_cast<InProcessRuntime*>(context);
    const std::string line = message ? message : "";
    if (level >= RECIPROCA_LOG_ERROR) {
      self->last_error_log_ = line;
    }
    self->log_(level, line);
  };
  plugin_ = library_.table->create(&host_, reinterpret_cast<const uint8_t*>(config.data()),
                                   config.size());
  if (!plugin_) {
    return FailedPrecondition(
        "plugin " + name_ + " refused to start: " +
        (last_error_log_.empty() ? "create() returned NULL" : last_error_log_));
  }
  const auto* table = library_.table;
  return PluginDescription{table->name,
                           table->version,
                           library_.abi_version,
                           table->capabilities,
                           library_.has_on_tick,
                           library_.has_snapshots,
                           "none: in the server's process"};
}

PluginCall InProcessRuntime::Finish(reciproca_status status) {
  PluginCall call;
  call.outputs.swap(emitted_);
  if (status != RECIPROCA_OK) {
    call.outcome = PluginCall::Outcome::kError;
    const char* why = library_.table->last_error(plugin_);
    call.error = why ? why : "";
  }
  return call;
}

PluginCall InProcessRuntime::Stopped() const {
  PluginCall call;
  call.outcome = PluginCall::Outcome::kError;
  call.error = "plugin " + name_ + " is stopped (its instance was destroyed)";
  return call;
}

void InProcessRuntime::OnEvents(const std::vector<std::string_view>& events,
                                const std::function<void(PluginCall&)>& each) {
  // A delivery queued before Destroy() must never reach the plugin with a NULL instance.
  if (!plugin_) {
    PluginCall call = Stopped();
    each(call);
    return;
  }
  for (const auto event : events) {
    auto call = Finish(library_.table->on_event(
        plugin_, reinterpret_cast<const uint8_t*>(event.data()), event.size()));
    each(call);
    if (!call.ok()) {
      return;
    }
  }
}

PluginCall InProcessRuntime::OnTick(const std::string& tick) {
  if (!library_.has_on_tick) {
    return {};
  }
  if (!plugin_) {
    return Stopped();
  }
  return Finish(
      library_.table->on_tick(plugin_, reinterpret_cast<const uint8_t*>(tick.data()), tick.size()));
}

namespace {

// A reciproca_write_fn sink: the bytes go into the call's answer.
struct AnswerSink {
  std::string answer;
  bool answered = false;

  static void Write(void* sink, const uint8_t* data, size_t size) {
    auto* out = static_cast<AnswerSink*>(sink);
    out->answer.assign(reinterpret_cast<const char*>(data), size);
    out->answered = true;
  }
  PluginCall Into(PluginCall call) {
    call.answer = std::move(answer);
    call.answered = answered;
    return call;
  }
};

}  // namespace

PluginCall InProcessRuntime::Query(const std::string& query) {
  if (!plugin_) {
    return Stopped();
  }
  AnswerSink sink;
  return sink.Into(
      Finish(library_.table->query(plugin_, reinterpret_cast<const uint8_t*>(query.data()),
                                   query.size(), &AnswerSink::Write, &sink)));
}

PluginCall InProcessRuntime::Snapshot() {
  if (!plugin_) {
    return Stopped();
  }
  AnswerSink sink;
  return sink.Into(Finish(library_.table->snapshot(plugin_, &AnswerSink::Write, &sink)));
}

PluginCall InProcessRuntime::Restore(const std::string& state) {
  if (!plugin_) {
    return Stopped();
  }
  return Finish(library_.table->restore(plugin_, reinterpret_cast<const uint8_t*>(state.data()),
                                        state.size()));
}

void InProcessRuntime::Destroy() {
  if (plugin_) {
    library_.table->destroy(plugin_);
    plugin_ = nullptr;
  }
}

}  // namespace reciproca::plugins
