#include "server/plugins/plugin_host.h"

#include <boost/asio/post.hpp>
#include <future>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>

#include <spdlog/spdlog.h>

#include "server/domain/validation.h"
#include "server/engine/tokens.h"
#include "server/plugins/plugin_library.h"

namespace reciproca::plugins {
namespace {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
constexpr int kReplayPage = 512;

domain::Principal HostPrincipal() {
  domain::Principal principal;
  principal.kind = domain::Principal::Kind::kAdmin;
  return principal;
}

std::string CapabilityName(uint64_t capability) {
  auto names = CapabilityNames(capability);
  return names.empty() ? "these" : names.front();
}

}  // namespace

struct PluginHost::Instance {
  explicit Instance(boost::asio::io_context& io) : strand(boost::asio::make_strand(io)) {}

  Strand strand;
  PluginSpec spec;
  PluginLibrary library;
  reciproca_host host{};

  // Touched on the strand only.
  void* plugin = nullptr;
  std::map<std::string, int64_t> next_seq;
  std::vector<plugin::v1::Output> emitted;

  // Shared with other threads.
  mutable std::mutex mu;
  v1::PluginState state = v1::PLUGIN_STATE_LOADING;
  std::string last_error;
  std::atomic<int64_t> events_seen{0};
  std::atomic<int64_t> outputs_recorded{0};
  std::atomic<int> outputs_in_flight{0};

  v1::PluginState State() const {
    std::lock_guard lock(mu);
    return state;
  }
  bool Usable() const {
    const auto s = State();
    return s == v1::PLUGIN_STATE_LOADING || s == v1::PLUGIN_STATE_ACTIVE;
  }
  const std::string& name() const { return spec.name; }
};

PluginHost::PluginHost(engine::Engine& engine, std::filesystem::path cache_dir,
                       std::chrono::milliseconds tick_interval)
    : engine_(engine),
      cache_dir_(std::move(cache_dir)),
      tick_interval_(tick_interval),
      work_(std::make_unique<
            boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          io_.get_executor())),
      tick_timer_(io_) {
  // Copies left by an earlier run are not in use by this process: unlink them (a mapped file
  // stays valid after unlink; only overwriting it in place would not).
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(cache_dir_, ec)) {
    std::filesystem::remove(entry.path(), ec);
  }
  for (int i = 0; i < 2; ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
  engine_.SetCommitObserver(
      [this](const std::string& chapter, const std::vector<stream::FeedEvent>& events) {
        OnCommitted(chapter, events);
      });
  ScheduleTick();
}

PluginHost::~PluginHost() { Stop(); }

Result<v1::PluginInfo> PluginHost::Load(PluginSpec spec) {
  static const std::regex kName("[a-z0-9_-]{1,60}");
  if (spec.path.empty()) {
    return InvalidArgument("path: required, the plugin's shared library (.so)");
  }
  if (spec.name.empty()) {
    spec.name = std::filesystem::path(spec.path).stem().string();
  }
  if (!std::regex_match(spec.name, kName)) {
    return InvalidArgument("name: 1..60 of a-z, 0-9, '_' and '-', got \"" + spec.name + "\"");
  }
  if (spec.config_json.empty()) {
    spec.config_json = "{}";
  }
  if (!nlohmann::json::accept(spec.config_json)) {
    return InvalidArgument("config_json: not valid JSON");
  }
  std::shared_ptr<Instance> previous = Find(spec.name);
  if (previous && previous->State() != v1::PLUGIN_STATE_UNLOADED) {
    return AlreadyExists("plugin " + spec.name + " is already loaded; reload or unload it");
  }
  return Start(std::move(spec));
}

Result<v1::PluginInfo> PluginHost::Start(PluginSpec spec) {
  {
    uint64_t copy;
    {
      std::lock_guard lock(mu_);
      copy = ++copies_;
    }
    auto library = OpenPluginLibrary(
        spec.path, cache_dir_,
        spec.name + "-" + std::to_string(copy) + "-" + engine::RandomHex(6) + ".so");
    if (!library.ok()) {
      return library.error();
    }
    auto instance = std::make_shared<Instance>(io_);
    instance->spec = spec;
    instance->library = std::move(library).value();
    instance->host.struct_size = sizeof(reciproca_host);
    instance->host.abi_major = RECIPROCA_PLUGIN_ABI_MAJOR;
    instance->host.abi_minor = RECIPROCA_PLUGIN_ABI_MINOR;
    instance->host.context = instance.get();
    instance->host.emit = [](void* context, const uint8_t* data, size_t size) {
      auto* self = static_cast<Instance*>(context);
      plugin::v1::Output output;
      if (output.ParseFromArray(data, static_cast<int>(size))) {
        self->emitted.push_back(std::move(output));
      } else {
        spdlog::warn("plugin {}: emitted bytes that are not a reciproca.plugin.v1.Output",
                     self->name());
      }
    };
    instance->host.log = [](void* context, int level, const char* message) {
      auto* self = static_cast<Instance*>(context);
      const auto spd = level >= RECIPROCA_LOG_ERROR  ? spdlog::level::err
                       : level >= RECIPROCA_LOG_WARN ? spdlog::level::warn
                       : level >= RECIPROCA_LOG_INFO ? spdlog::level::info
                                                     : spdlog::level::debug;
      spdlog::log(spd, "plugin {}: {}", self->name(), message ? message : "");
      if (level >= RECIPROCA_LOG_ERROR) {
        std::lock_guard lock(self->mu);
        self->last_error = message ? message : "";
      }
    };
    plugin::v1::PluginConfig config;
    config.set_plugin_name(spec.name);
    config.set_json(spec.config_json);
    const std::string config_bytes = config.SerializeAsString();
    instance->plugin = instance->library.table->create(
        &instance->host, reinterpret_cast<const uint8_t*>(config_bytes.data()),
        config_bytes.size());
    if (!instance->plugin) {
      std::lock_guard lock(instance->mu);
      return FailedPrecondition(
          "plugin " + spec.name + " refused to start: " +
          (instance->last_error.empty() ? "create() returned NULL" : instance->last_error));
    }
    {
      std::lock_guard lock(mu_);
      if (auto it = instances_.find(spec.name); it != instances_.end()) {
        retired_.push_back(it->second);
      }
      instances_[spec.name] = instance;
    }
    spdlog::info("plugin {} {} loaded from {} (ABI {}); replaying the log", spec.name,
                 instance->library.table->version, spec.path, instance->library.abi_version);
    Replay(instance);
    return Info(*instance);
  }
}

Result<v1::PluginInfo> PluginHost::Unload(const std::string& name) {
  auto instance = Find(name);
  if (!instance) {
    return NotFound("plugin " + name + " is not loaded");
  }
  {
    std::lock_guard lock(instance->mu);
    if (instance->state == v1::PLUGIN_STATE_UNLOADED) {
      return FailedPrecondition("plugin " + name + " is already unloaded");
    }
    instance->state = v1::PLUGIN_STATE_UNLOADED;
  }
  boost::asio::post(instance->strand, [instance] {
    instance->library.table->destroy(instance->plugin);
    instance->plugin = nullptr;
  });
  spdlog::info("plugin {} unloaded (its library stays mapped)", name);
  return Info(*instance);
}

Result<v1::PluginInfo> PluginHost::Reload(const std::string& name, const std::string& config_json) {
  auto old = Find(name);
  if (!old) {
    return NotFound("plugin " + name + " is not loaded");
  }
  PluginSpec spec = old->spec;
  if (!config_json.empty()) {
    if (!nlohmann::json::accept(config_json)) {
      return InvalidArgument("config_json: not valid JSON");
    }
    spec.config_json = config_json;
  }
  // The new build starts beside the old one; only once it started does it replace it.
  v1::PluginState previous;
  {
    std::lock_guard lock(old->mu);
    previous = old->state;
    old->state = v1::PLUGIN_STATE_UNLOADED;
  }
  auto loaded = Start(spec);
  if (!loaded.ok()) {
    std::lock_guard lock(old->mu);
    old->state = previous;  // keep the old build as it was
    return loaded;
  }
  if (previous == v1::PLUGIN_STATE_UNLOADED) {
    return loaded;  // its instance was destroyed at unload
  }
  boost::asio::post(old->strand, [old] {
    old->library.table->destroy(old->plugin);
    old->plugin = nullptr;
  });
  return loaded;
}

std::vector<v1::PluginInfo> PluginHost::List() const {
  std::vector<v1::PluginInfo> out;
  std::lock_guard lock(mu_);
  for (const auto& [name, instance] : instances_) {
    out.push_back(Info(*instance));
  }
  return out;
}

v1::PluginInfo PluginHost::Info(const Instance& instance) const {
  v1::PluginInfo info;
  const auto* table = instance.library.table;
  info.set_name(instance.name());
  info.set_plugin_name(table->name);
  info.set_version(table->version);
  info.set_abi_version(instance.library.abi_version);
  info.set_path(instance.spec.path);
  info.set_events_seen(instance.events_seen.load());
  info.set_outputs_recorded(instance.outputs_recorded.load());
  for (auto& capability : CapabilityNames(table->capabilities)) {
    info.add_capabilities(capability);
  }
  std::lock_guard lock(instance.mu);
  info.set_state(instance.state);
  info.set_last_error(instance.last_error);
  return info;
}

std::shared_ptr<PluginHost::Instance> PluginHost::Find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  return it == instances_.end() ? nullptr : it->second;
}

void PluginHost::Replay(const std::shared_ptr<Instance>& instance) {
  boost::asio::post(instance->strand, [this, instance] {
    for (const auto& chapter : engine_.ListChapters(HostPrincipal())) {
      CatchUp(*instance, chapter.name(), std::numeric_limits<int64_t>::max());
    }
    {
      std::lock_guard lock(instance->mu);
      if (instance->state != v1::PLUGIN_STATE_LOADING) {
        return;
      }
      instance->state = v1::PLUGIN_STATE_ACTIVE;
    }
    spdlog::info("plugin {} is live after replaying {} events", instance->name(),
                 instance->events_seen.load());
    // Rules about time judge the rebuilt state against today at once, not at the next tick
    // (and never during the replay: ticks queue behind it on the strand).
    Tick(*instance);
  });
}

void PluginHost::OnCommitted(const std::string& chapter,
                             const std::vector<stream::FeedEvent>& events) {
  std::vector<std::shared_ptr<Instance>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, instance] : instances_) {
      targets.push_back(instance);
    }
  }
  for (auto& instance : targets) {
    if (!instance->Usable()) {
      continue;
    }
    boost::asio::post(instance->strand, [this, instance, chapter, events] {
      for (const auto& event : events) {
        if (!instance->Usable()) {
          return;
        }
        int64_t& next = instance->next_seq.try_emplace(chapter, 1).first->second;
        if (event.seq < next) {
          continue;  // seen in the replay already
        }
        if (event.seq > next) {
          CatchUp(*instance, chapter, event.seq - 1);
        }
        if (event.seq != next) {
          return Fail(*instance, "events of " + chapter + " before seq " +
                                     std::to_string(event.seq) + " could not be read");
        }
        Deliver(*instance, chapter, event.seq,
                reinterpret_cast<const uint8_t*>(event.bytes.view().data()), event.bytes.size());
        ++next;
      }
    });
  }
}

void PluginHost::CatchUp(Instance& instance, const std::string& chapter, int64_t up_to) {
  int64_t& next = instance.next_seq.try_emplace(chapter, 1).first->second;
  std::vector<store::StoredEvent> page;
  while (next <= up_to && instance.Usable()) {
    if (auto s = engine_.store().ReadEvents(chapter, next - 1, kReplayPage, &page); !s.ok()) {
      return Fail(instance, "reading the log of " + chapter + ": " + s.error().message);
    }
    if (page.empty()) {
      return;
    }
    for (const auto& event : page) {
      if (event.seq > up_to || !instance.Usable()) {
        return;
      }
      Deliver(instance, chapter, event.seq, reinterpret_cast<const uint8_t*>(event.bytes.data()),
              event.bytes.size());
      ++next;
    }
  }
}

void PluginHost::Deliver(Instance& instance, const std::string& chapter, int64_t seq,
                         const uint8_t* data, size_t size) {
  const auto* table = instance.library.table;
  const reciproca_status status = table->on_event(instance.plugin, data, size);
  ++instance.events_seen;
  RecordOutputs(instance);
  if (status != RECIPROCA_OK) {
    Fail(instance, "on_event(" + chapter + "#" + std::to_string(seq) +
                       "): " + table->last_error(instance.plugin));
  }
}

void PluginHost::RecordOutputs(Instance& instance) {
  std::vector<plugin::v1::Output> emitted;
  emitted.swap(instance.emitted);
  for (auto& output : emitted) {
    auto request = std::make_shared<plugin::v1::Output>(std::move(output));
    auto response = std::make_shared<v1::Event>();
    engine::Mutation mutation;
    mutation.principal = HostPrincipal();
    mutation.chapter = request->chapter();
    mutation.method = "RecordPluginOutput";
    mutation.request = request.get();
    // The key decides what "the same output" is; hashed to fit a request_id.
    mutation.request_id = std::string(engine::kPluginRequestIdPrefix) + instance.name() + ":" +
                          engine::Sha256Hex(request->key()).substr(0, 32);
    const std::string plugin_name = instance.name();
    mutation.decide = [plugin_name, request](const domain::Chapter& chapter,
                                             const domain::Context& context) {
      return chapter.DecideRecordPluginOutput(context, plugin_name, *request);
    };
    Instance* counted = &instance;
    mutation.respond = [counted, response](const domain::Chapter&, const domain::Events& events,
                                           store::Commit&) {
      ++counted->outputs_recorded;
      *response = events.front();
      return Status{};
    };
    mutation.response = response.get();
    ++instance.outputs_in_flight;
    // `instance` outlives this: instances are never freed while the host runs.
    engine_.Mutate(std::move(mutation), [counted, request, response](const Status& status) {
      if (!status.ok()) {
        const bool repeat = status.error().reason == ErrorReason::kRequestIdReused;
        if (repeat) {
          spdlog::debug("plugin {}: output {} was recorded before with other content",
                        counted->name(), request->key());
        } else {
          spdlog::warn("plugin {}: output {} not recorded: {}", counted->name(), request->key(),
                       status.error().message);
          std::lock_guard lock(counted->mu);
          counted->last_error = "output " + request->key() + ": " + status.error().message;
        }
      }
      --counted->outputs_in_flight;
    });
  }
}

void PluginHost::Fail(Instance& instance, const std::string& why) {
  std::lock_guard lock(instance.mu);
  if (instance.state == v1::PLUGIN_STATE_UNLOADED) {
    return;
  }
  instance.state = v1::PLUGIN_STATE_FAILED;
  instance.last_error = why;
  spdlog::error("plugin {} failed and receives nothing more until it is reloaded: {}",
                instance.name(), why);
}

void PluginHost::Query(uint64_t capability, plugin::v1::Query query,
                       std::function<void(Result<plugin::v1::QueryAnswer>)> done) {
  std::shared_ptr<Instance> target;
  std::string failed;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, instance] : instances_) {
      if (!(instance->library.table->capabilities & capability)) {
        continue;
      }
      if (instance->Usable()) {
        target = instance;
        break;
      }
      if (instance->State() == v1::PLUGIN_STATE_FAILED) {
        failed = name;
      }
    }
  }
  if (!target) {
    const std::string what = CapabilityName(capability);
    return done(FailedPrecondition(failed.empty() ? "no loaded plugin answers " + what +
                                                        " queries; load one with "
                                                        "`reciproca plugin load`"
                                                  : "plugin " + failed + " (" + what +
                                                        ") has failed; reload it"));
  }
  boost::asio::post(target->strand, [target, query = std::move(query), done = std::move(done)] {
    if (!target->Usable()) {
      return done(FailedPrecondition("plugin " + target->name() + " stopped; try again"));
    }
    const std::string bytes = query.SerializeAsString();
    std::string answer;
    const auto status = target->library.table->query(
        target->plugin, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
        [](void* sink, const uint8_t* data, size_t size) {
          static_cast<std::string*>(sink)->assign(reinterpret_cast<const char*>(data), size);
        },
        &answer);
    if (status != RECIPROCA_OK) {
      return done(InvalidArgument("plugin " + target->name() + ": " +
                                  target->library.table->last_error(target->plugin)));
    }
    plugin::v1::QueryAnswer parsed;
    if (!parsed.ParseFromString(answer)) {
      return done(Internal("plugin " + target->name() + " answered with malformed bytes"));
    }
    done(std::move(parsed));
  });
}

void PluginHost::TickNow() {
  std::lock_guard lock(mu_);
  for (const auto& [name, instance] : instances_) {
    boost::asio::post(instance->strand, [this, instance] { Tick(*instance); });
  }
}

void PluginHost::Tick(Instance& instance) {
  const auto* table = instance.library.table;
  if (!instance.Usable() || !instance.library.has_on_tick ||
      !(table->capabilities & RECIPROCA_CAP_TICKS)) {
    return;
  }
  plugin::v1::Tick tick;
  *tick.mutable_now() = domain::ToTimestamp(engine_.clock().Now());
  const std::string bytes = tick.SerializeAsString();
  const auto status =
      table->on_tick(instance.plugin, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  RecordOutputs(instance);
  if (status != RECIPROCA_OK) {
    Fail(instance, std::string("on_tick: ") + table->last_error(instance.plugin));
  }
}

void PluginHost::ScheduleTick() {
  if (tick_interval_.count() <= 0) {
    return;
  }
  tick_timer_.expires_after(tick_interval_);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) {
      return;
    }
    TickNow();
    ScheduleTick();
  });
}

bool PluginHost::WaitIdle(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int64_t last_seen = -1;
  while (std::chrono::steady_clock::now() < deadline) {
    std::vector<std::shared_ptr<Instance>> targets;
    {
      std::lock_guard lock(mu_);
      for (const auto& [name, instance] : instances_) {
        targets.push_back(instance);
      }
    }
    std::vector<std::future<void>> barriers;
    for (auto& instance : targets) {
      auto promise = std::make_shared<std::promise<void>>();
      barriers.push_back(promise->get_future());
      boost::asio::post(instance->strand, [promise] { promise->set_value(); });
    }
    for (auto& barrier : barriers) {
      if (barrier.wait_until(deadline) != std::future_status::ready) {
        return false;
      }
    }
    int64_t seen = 0;
    int in_flight = 0;
    for (auto& instance : targets) {
      seen += instance->events_seen.load();
      in_flight += instance->outputs_in_flight.load();
    }
    if (in_flight == 0 && seen == last_seen) {
      return true;
    }
    last_seen = in_flight == 0 ? seen : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

void PluginHost::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      return;
    }
    stopped_ = true;
  }
  engine_.SetCommitObserver(nullptr);
  boost::asio::post(io_, [this] { tick_timer_.cancel(); });
  std::vector<std::shared_ptr<Instance>> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, instance] : instances_) {
      all.push_back(instance);
    }
  }
  for (auto& instance : all) {
    boost::asio::post(instance->strand, [instance] {
      if (instance->plugin) {
        instance->library.table->destroy(instance->plugin);
        instance->plugin = nullptr;
      }
    });
  }
  work_.reset();
  for (auto& thread : threads_) {
    thread.join();
  }
  threads_.clear();
}

}  // namespace reciproca::plugins
