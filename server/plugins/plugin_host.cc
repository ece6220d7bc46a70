#include "server/plugins/plugin_host.h"

#include <unistd.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <deque>
#include <future>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include <spdlog/spdlog.h>

#include "server/domain/error_reasons.h"
#include "server/domain/need_to_know.h"
#include "server/domain/validation.h"
#include "server/engine/tokens.h"
#include "server/plugins/in_process_runtime.h"
#include "server/plugins/plugin_directories.h"
#include "server/plugins/plugin_library.h"

namespace reciproca::plugins {
namespace {

// A query's answer is of its kind: the two oneofs share their field numbers (plugin.proto).
static_assert(static_cast<int>(plugin::v1::Query::kScores) ==
              static_cast<int>(plugin::v1::QueryAnswer::kScores));
static_assert(static_cast<int>(plugin::v1::Query::kLeaderboard) ==
              static_cast<int>(plugin::v1::QueryAnswer::kLeaderboard));
static_assert(static_cast<int>(plugin::v1::Query::kReminders) ==
              static_cast<int>(plugin::v1::QueryAnswer::kReminders));
static_assert(static_cast<int>(plugin::v1::Query::kRelationships) ==
              static_cast<int>(plugin::v1::QueryAnswer::kRelationships));

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using SteadyClock = std::chrono::steady_clock;
constexpr int kReplayPage = 512;
// Calls whose latency is kept for the p99 of ListPlugins.
constexpr size_t kLatencyWindow = 512;

domain::Principal HostPrincipal() {
  domain::Principal principal;
  principal.kind = domain::Principal::Kind::kAdmin;
  return principal;
}

std::string CapabilityName(uint64_t capability) {
  auto names = CapabilityNames(capability);
  return names.empty() ? "these" : names.front();
}

// Why a create() failed, for the caller. A plugin that refuses its configuration returns NULL
// from create() after logging why (the ABI's rule): that is INVALID_ARGUMENT naming `field`,
// with the plugin's reason (`refusal`, its last error line). Anything else (the library
// refused, a crash) stays as it is.
Error StartFailure(const std::string& plugin, const std::string& field, Error error,
                   const std::string& refusal) {
  if (error.code != ErrorCode::kFailedPrecondition || refusal.empty()) {
    return error;
  }
  return InvalidArgument(field + ": plugin " + plugin +
                         " refused to start with this configuration: " + refusal)
      .Because(domain::kPluginConfigRefused, {{"plugin", plugin}, {"problem", refusal}});
}

std::string DefaultHostExecutable() {
  if (const char* path = std::getenv("RECIPROCA_PLUGIN_HOST"); path && *path) {
    return path;
  }
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (self.parent_path() / "reciproca-plugin-host").string();
}

constexpr std::string_view kWorkRootPrefix = "reciproca-plugins-";

// $TMPDIR/reciproca-plugins-{pid}. Roots left by servers that were killed (no process of that
// pid any more) are removed on the way.
std::filesystem::path DefaultWorkRoot() {
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path parent(tmp && *tmp ? tmp : "/tmp");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kWorkRootPrefix, 0) == 0 &&
        !std::filesystem::exists("/proc/" + name.substr(kWorkRootPrefix.size()), ec)) {
      std::filesystem::remove_all(entry.path(), ec);
    }
  }
  return parent / (std::string(kWorkRootPrefix) + std::to_string(getpid()));
}

}  // namespace

struct PluginHost::Instance {
  Instance(boost::asio::io_context& io, boost::asio::io_context& timers)
      : strand(boost::asio::make_strand(io)), restart_timer(timers), hold_timer(io) {}

  Strand strand;
  PluginSpec spec;
  // Out of process: the server's copy of the library, opened by each process started for it.
  std::filesystem::path library_copy;
  std::string copy_name;
  PluginDescription description;
  boost::asio::steady_timer restart_timer;

  // Touched on the strand only.
  std::map<std::string, int64_t> next_seq;
  // The chapters' own configs its running process was created with.
  std::map<std::string, std::string> chapter_json;
  // Of the config its running process was created with (PluginSnapshotFile.config_sha256).
  std::string config_fingerprint;
  int64_t events_since_snapshot = 0;
  SteadyClock::time_point last_snapshot{};
  std::deque<SteadyClock::time_point> crashes;
  SteadyClock::time_point minute_start{};
  int minute_outputs = 0;

  // Shared with other threads.
  mutable std::mutex mu;
  // Replaced on the strand (a restart); read elsewhere for pid, memory and Abort.
  std::shared_ptr<PluginRuntime> runtime;
  v1::PluginState state = v1::PLUGIN_STATE_LOADING;
  std::string last_error;
  int64_t restarts = 0;
  std::map<std::string, int64_t> delivered;  // per chapter, the last seq delivered
  std::set<std::string> behind;              // chapters to catch up from the store
  bool catch_up_posted = false;
  int64_t calls = 0;
  int64_t call_micros = 0;
  int64_t max_call_micros = 0;
  std::deque<int64_t> recent_call_micros;  // the last kLatencyWindow, per call
  std::atomic<int64_t> events_seen{0};
  std::atomic<int64_t> outputs_recorded{0};
  std::atomic<int> outputs_in_flight{0};
  // Live batches waiting for the strand, drained together (one frame per chapter) by one task.
  std::vector<std::pair<std::string, std::vector<stream::FeedEvent>>> inbox;
  bool drain_posted = false;
  // Armed (under mu) by the commit that finds the inbox empty: the drain runs when it fires,
  // delivery_hold later, on the strand. Only that commit and Stop (cancel) touch it.
  boost::asio::steady_timer hold_timer;

  v1::PluginState State() const {
    std::lock_guard lock(mu);
    return state;
  }
  bool Usable() const {
    const auto s = State();
    return s == v1::PLUGIN_STATE_LOADING || s == v1::PLUGIN_STATE_ACTIVE;
  }
  std::shared_ptr<PluginRuntime> Runtime() const {
    std::lock_guard lock(mu);
    return runtime;
  }
  void Timed(SteadyClock::time_point since, int64_t n) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - since).count();
    std::lock_guard lock(mu);
    calls += n;
    call_micros += micros;
    const int64_t per_call = micros / std::max<int64_t>(n, 1);
    max_call_micros = std::max(max_call_micros, per_call);
    recent_call_micros.push_back(per_call);
    if (recent_call_micros.size() > kLatencyWindow) {
      recent_call_micros.pop_front();
    }
  }
  // Under mu.
  int64_t P99CallMicros() const {
    if (recent_call_micros.empty()) {
      return 0;
    }
    std::vector<int64_t> sorted(recent_call_micros.begin(), recent_call_micros.end());
    const size_t at = std::min(sorted.size() - 1, sorted.size() * 99 / 100);
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(at),
                     sorted.end());
    return sorted[at];
  }
  bool SeesContacts() const { return description.capabilities & RECIPROCA_CAP_CONTACTS; }
  const std::string& name() const { return spec.name; }
};

// One Query on its way through the plugins that can answer it.
struct PluginHost::QueryCall {
  uint64_t capability = 0;
  plugin::v1::Query query;
  std::function<void(Result<plugin::v1::QueryAnswer>)> done;
  std::vector<std::shared_ptr<Instance>> candidates;
  size_t next = 0;
  // Why the plugins tried so far did not answer.
  std::string unavailable;
  std::string failed;
};

PluginHost::PluginHost(engine::Engine& engine, std::filesystem::path cache_dir,
                       std::chrono::milliseconds tick_interval, PluginHostOptions options)
    : engine_(engine),
      cache_dir_(std::move(cache_dir)),
      tick_interval_(tick_interval),
      options_(std::move(options)),
      work_(std::make_unique<
            boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          io_.get_executor())),
      timers_work_(std::make_unique<
                   boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          timers_.get_executor())),
      tick_timer_(timers_) {
  if (options_.host_executable.empty()) {
    options_.host_executable = DefaultHostExecutable();
  }
  if (options_.work_root.empty()) {
    options_.work_root = DefaultWorkRoot();
  }
  if (!options_.journal.empty()) {
    journal_ = std::make_unique<PluginJournal>(options_.journal);
  }
  if (!options_.snapshot_dir.empty()) {
    snapshots_ = std::make_unique<PluginSnapshots>(options_.snapshot_dir);
  }
  // Where plugins are enabled is in the chapters (recovered before the host starts).
  for (const auto& chapter : engine_.ListChapters(HostPrincipal())) {
    latest_seq_[chapter.name()] = chapter.last_seq();
    std::promise<void> read;
    auto done = read.get_future();
    engine_.Read(
        HostPrincipal(), chapter.name(),
        [this](const domain::Chapter& c) {
          for (const auto& [name, plugin] : c.plugins()) {
            enabled_[c.name()][name] = plugin.config_json();
          }
          return Status{};
        },
        [&read](const Status&) { read.set_value(); });
    done.wait();
  }
  // Copies left by an earlier run are not in use by this process: unlink them (a mapped file
  // stays valid after unlink; only overwriting it in place would not).
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(cache_dir_, ec)) {
    std::filesystem::remove(entry.path(), ec);
  }
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
  timer_thread_ = std::thread([this] { timers_.run(); });
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
    return AlreadyExists("plugin " + spec.name + " is already loaded; reload it or unload it");
  }
  return Start(std::move(spec));
}

Result<v1::PluginInfo> PluginHost::LoadRequested(PluginSpec spec) {
  auto allowed = AllowedPluginPath(spec.path, options_.plugin_dirs);
  if (!allowed.ok()) {
    return allowed.error();
  }
  spec.path = allowed->string();
  auto loaded = Load(spec);
  if (loaded.ok() && journal_) {
    spec.name = loaded->name();
    if (auto kept = journal_->Loaded(spec); !kept.ok()) {
      spdlog::error("plugin {} loaded but not kept for the next start: {}", spec.name,
                    kept.error().message);
    }
  }
  return loaded;
}

std::vector<PluginSpec> PluginHost::PluginsToRestore(std::vector<PluginSpec> configured) const {
  if (!journal_) {
    return configured;
  }
  std::set<std::string> configured_paths;
  for (const PluginSpec& spec : configured) {
    configured_paths.insert(spec.path);
  }
  std::vector<PluginSpec> restored;
  for (PluginSpec& spec : journal_->Apply(std::move(configured))) {
    if (configured_paths.count(spec.path) > 0) {
      restored.push_back(std::move(spec));
      continue;
    }
    // Loaded through the API before: checked again, since the plugin directories may have
    // changed since (LoadPlugin's rule holds at every start, not only when it was loaded).
    auto allowed = AllowedPluginPath(spec.path, options_.plugin_dirs);
    if (!allowed.ok()) {
      spdlog::error("plugin {} not restored from the plugin journal: {}", spec.name,
                    allowed.error().message);
      continue;
    }
    spec.path = allowed->string();
    restored.push_back(std::move(spec));
  }
  return restored;
}

Result<std::vector<std::string>> PluginHost::CheckEnable(const std::string& name,
                                                         const std::string& config_json) const {
  auto instance = Find(name);
  if (!instance || instance->State() == v1::PLUGIN_STATE_UNLOADED) {
    return NotFound("name: plugin " + name +
                    " is not loaded; the server admin loads plugins (`reciproca plugin list` "
                    "shows those loaded)");
  }
  if (!config_json.empty() && !nlohmann::json::accept(config_json)) {
    return InvalidArgument("config_json: not valid JSON");
  }
  return CapabilityNames(instance->description.capabilities);
}

Result<void> PluginHost::CheckChapterConfig(const std::string& name, const std::string& chapter,
                                            const std::string& config_json) const {
  if (auto capabilities = CheckEnable(name, config_json); !capabilities.ok()) {
    return capabilities.error();
  }
  auto instance = Find(name);
  const nlohmann::json patch = nlohmann::json::parse(config_json.empty() ? "{}" : config_json);
  if (!instance || patch == nlohmann::json::object()) {
    return {};  // the load-time config, which the plugin took
  }
  // The chapter's config over the load-time one, as the plugin reads it (a JSON merge patch):
  // created as if loaded with it, the plugin refuses it the way it refuses a LoadPlugin config.
  nlohmann::json merged = nlohmann::json::parse(instance->spec.config_json);
  merged.merge_patch(patch);
  plugin::v1::PluginConfig config;
  config.set_plugin_name(instance->spec.name);
  config.set_json(merged.dump());
  // In process, this create() runs beside the running instance. The plugin may log from any
  // thread until destroy().
  struct Refusal {
    std::mutex mu;
    std::string line;
  };
  auto refusal = std::make_shared<Refusal>();
  auto log = [name, refusal](int level, const std::string& message) {
    spdlog::debug("plugin {} (checking a chapter's configuration): {}", name, message);
    if (level >= RECIPROCA_LOG_ERROR) {
      std::lock_guard lock(refusal->mu);
      refusal->line = message;
    }
  };
  std::string copy_name;
  {
    std::lock_guard lock(mu_);
    copy_name = instance->copy_name;
  }
  auto runtime = NewRuntime(*instance, copy_name, /*copied=*/true, std::move(log));
  auto started = runtime->Start(config.SerializeAsString());
  runtime->Destroy();
  if (!started.ok()) {
    std::lock_guard lock(refusal->mu);
    Error error = StartFailure(name, "config_json", started.error(), refusal->line);
    if (error.code == ErrorCode::kInvalidArgument) {
      error.message += "; " + chapter + " keeps the configuration it had";
    }
    return error;
  }
  return {};
}

void PluginHost::ExpectScopeChange(const std::string& chapter, int64_t seq) {
  std::lock_guard lock(mu_);
  scope_pending_[chapter].insert(seq);
}

bool PluginHost::Serves(const Instance& instance, const std::string& chapter) const {
  if (instance.spec.all_chapters) {
    return true;
  }
  std::lock_guard lock(mu_);
  const auto it = enabled_.find(chapter);
  return it != enabled_.end() && it->second.contains(instance.name());
}

std::map<std::string, std::string> PluginHost::ChapterConfigs(const Instance& instance) const {
  std::map<std::string, std::string> configs;
  std::lock_guard lock(mu_);
  for (const auto& [chapter, plugins] : enabled_) {
    if (auto it = plugins.find(instance.name()); it != plugins.end() && !it->second.empty()) {
      configs[chapter] = it->second;
    }
  }
  return configs;
}

std::shared_ptr<PluginRuntime> PluginHost::NewRuntime(const Instance& instance,
                                                      const std::string& copy_name, bool copied,
                                                      PluginLogSink log) const {
  const auto& spec = instance.spec;
  if (spec.in_process) {
    return std::make_shared<InProcessRuntime>(spec.name, spec.path, cache_dir_, copy_name,
                                              std::move(log), copied);
  }
  return std::make_shared<PluginProcess>(spec.name, options_.host_executable, instance.library_copy,
                                         spec.path, options_.work_root, spec.limits,
                                         std::move(log));
}

Result<void> PluginHost::Launch(Instance& instance, PluginDescription* description, bool resume) {
  const auto& spec = instance.spec;
  // The reason a create() that returns NULL gives: its last error line.
  auto refusal = std::make_shared<std::string>();
  auto log = [name = spec.name, self = &instance, refusal](int level, const std::string& message) {
    const auto spd = level >= RECIPROCA_LOG_ERROR  ? spdlog::level::err
                     : level >= RECIPROCA_LOG_WARN ? spdlog::level::warn
                     : level >= RECIPROCA_LOG_INFO ? spdlog::level::info
                                                   : spdlog::level::debug;
    spdlog::log(spd, "plugin {}: {}", name, message);
    if (level >= RECIPROCA_LOG_ERROR) {
      std::lock_guard lock(self->mu);
      self->last_error = message;
      *refusal = message;
    }
  };
  if (!spec.in_process && instance.library_copy.empty()) {
    // The server only copies the file; opening it (which runs the plugin's static
    // constructors) happens in the plugin host.
    auto copy = CopyPluginLibrary(spec.path, cache_dir_, instance.copy_name);
    if (!copy.ok()) {
      return copy.error();
    }
    instance.library_copy = *copy;
  }
  std::shared_ptr<PluginRuntime> runtime =
      NewRuntime(instance, instance.copy_name, /*copied=*/false, std::move(log));
  plugin::v1::PluginConfig config;
  config.set_plugin_name(spec.name);
  config.set_json(spec.config_json);
  instance.chapter_json = ChapterConfigs(instance);
  config.mutable_chapter_json()->insert(instance.chapter_json.begin(), instance.chapter_json.end());
  auto started = runtime->Start(config.SerializeAsString());
  if (!started.ok()) {
    std::lock_guard lock(instance.mu);
    return StartFailure(spec.name, "config_json", started.error(), *refusal);
  }
  *description = std::move(started).value();
  {
    std::lock_guard lock(instance.mu);
    instance.runtime = runtime;
  }
  instance.config_fingerprint = ConfigFingerprint(config);
  instance.next_seq.clear();
  instance.events_since_snapshot = 0;
  instance.last_snapshot = SteadyClock::now();
  const Resumed resumed = resume ? Resume(instance, *description) : Resumed::kNo;
  if (resumed == Resumed::kRefused) {
    // restore() may have left the instance half-restored: a fresh one gets the whole log.
    runtime->Destroy();
    if (spec.in_process) {
      std::lock_guard lock(mu_);
      instance.copy_name = NewCopyNameLocked(spec.name);  // the copy open stays mapped
    }
    return Launch(instance, description, /*resume=*/false);
  }
  std::lock_guard lock(instance.mu);
  instance.delivered.clear();
  for (const auto& [chapter, next] : instance.next_seq) {
    instance.delivered[chapter] = next - 1;
  }
  return {};
}

PluginHost::Resumed PluginHost::Resume(Instance& instance, const PluginDescription& description) {
  if (!snapshots_ || !description.has_snapshots) {
    return Resumed::kNo;
  }
  auto loaded = snapshots_->Load(instance.name());
  if (!loaded.ok()) {
    spdlog::warn("plugin {}: its snapshot is not used ({}); replaying the whole log",
                 instance.name(), loaded.error().message);
    return Resumed::kNo;
  }
  if (!loaded->has_value()) {
    return Resumed::kNo;
  }
  const plugin::v1::PluginSnapshotFile& snapshot = **loaded;
  std::string unusable;
  if (snapshot.plugin_name() != description.name ||
      snapshot.plugin_version() != description.version) {
    unusable = "it was taken of " + snapshot.plugin_name() + " " + snapshot.plugin_version() +
               ", this is " + description.name + " " + description.version;
  } else if (snapshot.config_sha256() != instance.config_fingerprint) {
    unusable = "the plugin's configuration changed since";
  }
  int64_t covered = 0;
  for (const auto& [chapter, seq] : snapshot.seqs()) {
    int64_t latest = 0;
    {
      std::lock_guard lock(mu_);
      if (auto it = latest_seq_.find(chapter); it != latest_seq_.end()) {
        latest = it->second;
      }
    }
    if (!unusable.empty()) {
      break;
    }
    if (!Serves(instance, chapter)) {
      unusable = "it covers " + chapter + ", which the plugin no longer serves";
    } else if (seq < 0 || seq > latest) {
      unusable = "it covers " + chapter + " up to seq " + std::to_string(seq) +
                 ", past the log's last seq " + std::to_string(latest);
    }
    covered += seq;
  }
  if (!unusable.empty()) {
    spdlog::info("plugin {}: its snapshot is not used ({}); replaying the whole log",
                 instance.name(), unusable);
    return Resumed::kNo;
  }
  auto call = instance.Runtime()->Restore(snapshot.state());
  if (!call.ok()) {
    spdlog::warn(
        "plugin {} refused its snapshot ({}); starting it afresh with the whole log",
        instance.name(),
        call.outcome == PluginCall::Outcome::kCrashed ? "it crashed: " + call.error : call.error);
    return Resumed::kRefused;
  }
  for (const auto& [chapter, seq] : snapshot.seqs()) {
    instance.next_seq[chapter] = seq + 1;
  }
  spdlog::info(
      "plugin {} resumed from its snapshot ({} events of {} chapters); replaying what "
      "follows",
      instance.name(), covered, snapshot.seqs_size());
  return Resumed::kYes;
}

void PluginHost::MaybeSnapshot(const std::shared_ptr<Instance>& instance, bool now) {
  if (!snapshots_ || !instance->description.has_snapshots || instance->events_since_snapshot == 0 ||
      !instance->Usable()) {
    return;
  }
  const auto when = SteadyClock::now();
  if (!now && instance->events_since_snapshot < options_.snapshot_every_events &&
      when - instance->last_snapshot < options_.snapshot_interval) {
    return;
  }
  // An output still on its way to the log would be lost if the server died after this
  // snapshot (its event is covered, so it is not delivered again): wait for the next chance.
  if (instance->outputs_in_flight.load() > 0) {
    return;
  }
  auto runtime = instance->Runtime();
  if (!runtime) {
    return;
  }
  auto call = runtime->Snapshot();
  instance->Timed(when, 1);
  if (call.outcome == PluginCall::Outcome::kCrashed) {
    return OnCrash(instance, "snapshot: " + call.error);
  }
  instance->events_since_snapshot = 0;
  instance->last_snapshot = SteadyClock::now();
  if (!call.ok() || !call.answered) {
    // Not a failed plugin: it goes on, and a restart replays more.
    spdlog::warn("plugin {}: snapshot() {}; a restart replays from the last snapshot",
                 instance->name(), call.ok() ? "wrote nothing" : "failed: " + call.error);
    return;
  }
  plugin::v1::PluginSnapshotFile file;
  file.set_name(instance->name());
  file.set_plugin_name(instance->description.name);
  file.set_plugin_version(instance->description.version);
  file.set_config_sha256(instance->config_fingerprint);
  for (const auto& [chapter, next] : instance->next_seq) {
    if (next > 1) {
      (*file.mutable_seqs())[chapter] = next - 1;
    }
  }
  file.set_state(std::move(call.answer));
  if (auto saved = snapshots_->Save(file); !saved.ok()) {
    spdlog::warn("plugin {}: snapshot not kept: {}", instance->name(), saved.error().message);
    return;
  }
  spdlog::debug("plugin {}: snapshot of {} bytes kept", instance->name(), file.state().size());
}

std::string PluginHost::NewCopyNameLocked(const std::string& name) {
  return name + "-" + std::to_string(++copies_) + "-" + engine::RandomHex(6) + ".so";
}

Result<v1::PluginInfo> PluginHost::Start(PluginSpec spec, bool resume) {
  auto instance = std::make_shared<Instance>(io_, timers_);
  instance->spec = std::move(spec);
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      return Error{ErrorCode::kUnavailable, "the server is stopping"};
    }
    instance->copy_name = NewCopyNameLocked(instance->name());
  }
  // create() runs on the plugin's strand (never on the caller's thread, a gRPC one), in its
  // own process unless it is in-process; the caller waits at most the start deadline.
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto launched = promise->get_future();
  boost::asio::post(instance->strand, [this, instance, promise, resume] {
    promise->set_value(Launch(*instance, &instance->description, resume));
  });
  const auto wait = instance->spec.limits.start_deadline + std::chrono::seconds(2);
  if (launched.wait_for(wait) != std::future_status::ready) {
    return Error{ErrorCode::kUnavailable, "plugin " + instance->name() +
                                              ": create() did not return within " +
                                              std::to_string(wait.count()) + " ms"};
  }
  if (auto s = launched.get(); !s.ok()) {
    return s.error();
  }
  {
    std::lock_guard lock(mu_);
    if (auto it = instances_.find(instance->name()); it != instances_.end()) {
      retired_.push_back(it->second);
    }
    instances_[instance->name()] = instance;
  }
  const auto& d = instance->description;
  spdlog::info("plugin {} {} loaded from {} (ABI {}, {}); replaying the log", instance->name(),
               d.version, instance->spec.path, d.abi_version,
               instance->spec.in_process ? "in process" : "out of process: " + d.sandbox);
  Replay(instance);
  return Info(*instance);
}

Result<v1::PluginInfo> PluginHost::Unload(const std::string& name) {
  auto instance = Find(name);
  if (!instance) {
    return NotFound("plugin " + name + " is not loaded");
  }
  if (instance->State() == v1::PLUGIN_STATE_UNLOADED) {
    return FailedPrecondition("plugin " + name + " is already unloaded");
  }
  // What was committed before the unload is delivered first (it is queued on the strand ahead
  // of this), and its outputs recorded; the wait is bounded by the plugin's deadlines.
  auto promise = std::make_shared<std::promise<void>>();
  auto unloaded = promise->get_future();
  boost::asio::post(instance->strand, [this, instance, promise] {
    DrainInbox(instance);  // held by the delivery hold, but committed before the unload
    {
      std::lock_guard lock(instance->mu);
      instance->state = v1::PLUGIN_STATE_UNLOADED;
    }
    instance->restart_timer.cancel();
    if (auto runtime = instance->Runtime()) {
      runtime->Destroy();
    }
    promise->set_value();
  });
  const auto deadline = SteadyClock::now() + instance->spec.limits.start_deadline;
  if (unloaded.wait_until(deadline) != std::future_status::ready) {
    std::lock_guard lock(instance->mu);
    instance->state = v1::PLUGIN_STATE_UNLOADED;  // its call is stuck: stop using it now
  }
  while (instance->outputs_in_flight.load() > 0 && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  spdlog::info("plugin {} unloaded", name);
  if (journal_) {
    if (auto kept = journal_->Unloaded(name); !kept.ok()) {
      spdlog::error("plugin {} unloaded but not kept for the next start: {}", name,
                    kept.error().message);
    }
  }
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
  // The new build starts beside the old one; only once it started does it replace it, so a
  // refused reload leaves the old one exactly as it was (a replay in progress goes on). It
  // starts from the log, not from the snapshot the old one took (a reload is how a plugin whose
  // state went wrong is brought back).
  if (snapshots_) {
    snapshots_->Remove(name);
  }
  auto loaded = Start(spec, /*resume=*/false);
  if (!loaded.ok()) {
    return loaded;
  }
  {
    std::lock_guard lock(old->mu);
    old->state = v1::PLUGIN_STATE_UNLOADED;
  }
  if (journal_) {
    if (auto kept = journal_->Reloaded(name, config_json); !kept.ok()) {
      spdlog::error("plugin {} reloaded but not kept for the next start: {}", name,
                    kept.error().message);
    }
  }
  boost::asio::post(old->strand, [old] {
    old->restart_timer.cancel();
    if (auto runtime = old->Runtime()) {
      runtime->Destroy();
    }
  });
  return loaded;
}

std::vector<std::shared_ptr<PluginHost::Instance>> PluginHost::All() const {
  std::vector<std::shared_ptr<Instance>> all;
  std::lock_guard lock(mu_);
  for (const auto& [name, instance] : instances_) {
    all.push_back(instance);
  }
  return all;
}

std::vector<v1::PluginInfo> PluginHost::List() const {
  std::vector<v1::PluginInfo> out;
  for (const auto& instance : All()) {
    out.push_back(Info(*instance));
  }
  return out;
}

v1::PluginInfo PluginHost::Info(const Instance& instance) const {
  v1::PluginInfo info;
  const auto& d = instance.description;
  info.set_name(instance.name());
  info.set_plugin_name(d.name);
  info.set_version(d.version);
  info.set_abi_version(d.abi_version);
  info.set_path(instance.spec.path);
  info.set_events_seen(instance.events_seen.load());
  info.set_outputs_recorded(instance.outputs_recorded.load());
  for (auto& capability : CapabilityNames(d.capabilities)) {
    info.add_capabilities(capability);
  }
  info.set_isolation(instance.spec.in_process ? v1::PLUGIN_ISOLATION_IN_PROCESS
                                              : v1::PLUGIN_ISOLATION_OUT_OF_PROCESS);
  info.set_sandbox(d.sandbox);
  if (!instance.spec.in_process) {
    const auto& limits = instance.spec.limits;
    info.mutable_limits()->set_call_deadline_ms(
        static_cast<uint32_t>(limits.call_deadline.count()));
    info.mutable_limits()->set_memory_mib(static_cast<uint32_t>(limits.memory_mib));
    info.mutable_limits()->set_max_outputs_per_call(
        static_cast<uint32_t>(limits.max_outputs_per_call));
    info.mutable_limits()->set_max_output_bytes(static_cast<uint32_t>(limits.max_output_bytes));
  }
  info.set_scope(instance.spec.all_chapters ? v1::PLUGIN_SCOPE_ALL_CHAPTERS
                                            : v1::PLUGIN_SCOPE_ENABLED_CHAPTERS);
  std::map<std::string, int64_t> latest;
  {
    std::lock_guard lock(mu_);
    for (const auto& [chapter, seq] : latest_seq_) {
      const auto it = enabled_.find(chapter);
      const bool enabled = it != enabled_.end() && it->second.contains(instance.name());
      if (enabled && !instance.spec.all_chapters) {
        info.add_chapters(chapter);
      }
      if (enabled || instance.spec.all_chapters) {
        latest.emplace(chapter, seq);  // behind only in the chapters it serves
      }
    }
  }
  std::shared_ptr<PluginRuntime> runtime;
  {
    std::lock_guard lock(instance.mu);
    info.set_state(instance.state);
    info.set_last_error(instance.last_error);
    info.set_restarts(instance.restarts);
    info.set_mean_call_micros(instance.calls ? instance.call_micros / instance.calls : 0);
    info.set_max_call_micros(instance.max_call_micros);
    info.set_p99_call_micros(instance.P99CallMicros());
    int64_t behind = 0;
    for (const auto& [chapter, seq] : latest) {
      const auto it = instance.delivered.find(chapter);
      behind += std::max<int64_t>(0, seq - (it == instance.delivered.end() ? 0 : it->second));
    }
    info.set_events_behind(behind);
    runtime = instance.runtime;
  }
  if (runtime) {
    info.set_pid(runtime->pid());
    info.set_memory_bytes(runtime->MemoryBytes());
  }
  return info;
}

std::shared_ptr<PluginHost::Instance> PluginHost::Find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = instances_.find(name);
  return it == instances_.end() ? nullptr : it->second;
}

void PluginHost::Replay(const std::shared_ptr<Instance>& instance) {
  boost::asio::post(instance->strand, [this, instance] { ReplayNow(instance); });
}

void PluginHost::ReplayNow(const std::shared_ptr<Instance>& instance) {
  for (const auto& chapter : engine_.ListChapters(HostPrincipal())) {
    if (Serves(*instance, chapter.name())) {
      CatchUp(instance, chapter.name(), std::numeric_limits<int64_t>::max());
    }
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
  Tick(instance);
}

void PluginHost::OnCommitted(const std::string& chapter,
                             const std::vector<stream::FeedEvent>& events) {
  if (events.empty()) {
    return;
  }
  std::set<std::string> rescoped;
  {
    std::lock_guard lock(mu_);
    latest_seq_[chapter] = events.back().seq;
    if (scope_pending_.contains(chapter)) {
      rescoped = ApplyScopeChanges(chapter, events);
    }
  }
  for (auto& instance : All()) {
    if (rescoped.contains(instance->name())) {
      boost::asio::post(instance->strand,
                        [this, instance, chapter] { OnScopeChanged(instance, chapter); });
    }
    if (!instance->Usable() || !Serves(*instance, chapter)) {
      continue;
    }
    std::unique_lock lock(instance->mu);
    if (static_cast<int>(instance->inbox.size()) >= options_.max_queued_batches) {
      // Behind: rather than queue without bound, it catches up from the store.
      instance->behind.insert(chapter);
      if (!instance->catch_up_posted) {
        instance->catch_up_posted = true;
        boost::asio::post(instance->strand, [this, instance] {
          std::set<std::string> chapters;
          {
            std::lock_guard lock(instance->mu);
            chapters.swap(instance->behind);
            instance->catch_up_posted = false;
          }
          for (const auto& c : chapters) {
            CatchUp(instance, c, std::numeric_limits<int64_t>::max());
          }
        });
      }
      continue;
    }
    instance->inbox.emplace_back(chapter, events);
    if (instance->drain_posted) {
      continue;
    }
    instance->drain_posted = true;
    if (options_.delivery_hold.count() > 0) {
      // The commits of the next delivery_hold join this one: one delivery, not one per commit.
      instance->hold_timer.expires_after(options_.delivery_hold);
      instance->hold_timer.async_wait(boost::asio::bind_executor(
          instance->strand, [this, instance](const boost::system::error_code& ec) {
            if (ec != boost::asio::error::operation_aborted) {  // aborted: re-armed since
              DrainInbox(instance);
            }
          }));
      continue;
    }
    lock.unlock();
    boost::asio::post(instance->strand, [this, instance] { DrainInbox(instance); });
  }
}

void PluginHost::DrainInbox(const std::shared_ptr<Instance>& instance) {
  std::vector<std::pair<std::string, std::vector<stream::FeedEvent>>> batches;
  {
    std::lock_guard lock(instance->mu);
    batches.swap(instance->inbox);
    instance->drain_posted = false;
  }
  // A plugin that fell behind the commits gets what waits for it in one call per chapter run
  // (one frame, one write), not one per commit.
  for (size_t i = 0; i < batches.size();) {
    std::vector<stream::FeedEvent> run = std::move(batches[i].second);
    size_t j = i + 1;
    for (; j < batches.size() && batches[j].first == batches[i].first; ++j) {
      run.insert(run.end(), batches[j].second.begin(), batches[j].second.end());
    }
    DeliverLive(instance, batches[i].first, run);
    i = j;
  }
}

std::set<std::string> PluginHost::ApplyScopeChanges(const std::string& chapter,
                                                    const std::vector<stream::FeedEvent>& events) {
  std::set<std::string> changed;
  auto& pending = scope_pending_[chapter];
  for (const auto& event : events) {
    if (!pending.erase(event.seq)) {
      continue;
    }
    v1::Event parsed;
    if (!parsed.ParseFromArray(event.bytes.view().data(),
                               static_cast<int>(event.bytes.view().size()))) {
      continue;
    }
    if (parsed.has_plugin_enabled()) {
      const auto& e = parsed.plugin_enabled();
      enabled_[chapter][e.plugin()] = e.config_json();
      changed.insert(e.plugin());
    } else if (parsed.has_plugin_disabled()) {
      enabled_[chapter].erase(parsed.plugin_disabled().plugin());
      changed.insert(parsed.plugin_disabled().plugin());
    }
  }
  // A seq at or before this commit's that was not in it did not commit (its commit failed).
  std::erase_if(pending, [&](int64_t seq) { return seq <= events.back().seq; });
  if (pending.empty()) {
    scope_pending_.erase(chapter);
  }
  return changed;
}

void PluginHost::OnScopeChanged(const std::shared_ptr<Instance>& instance,
                                const std::string& chapter) {
  if (!instance->Usable()) {
    return;  // a restart or reload creates it with the chapters as they are then
  }
  if (ChapterConfigs(*instance) != instance->chapter_json) {
    // Its config for the chapter changed: a new create() with it, then the log again.
    spdlog::info("plugin {}: its configuration for {} changed; starting it again", instance->name(),
                 chapter);
    if (auto runtime = instance->Runtime()) {
      runtime->Destroy();
    }
    {
      std::lock_guard lock(instance->mu);
      instance->state = v1::PLUGIN_STATE_RESTARTING;
    }
    return Restart(instance, /*after_crash=*/false);
  }
  if (Serves(*instance, chapter)) {
    spdlog::info("plugin {} enabled in {}; delivering its log", instance->name(), chapter);
    CatchUp(instance, chapter, std::numeric_limits<int64_t>::max());
  } else {
    spdlog::info("plugin {} disabled in {}", instance->name(), chapter);
  }
}

void PluginHost::DeliverLive(const std::shared_ptr<Instance>& instance, const std::string& chapter,
                             const std::vector<stream::FeedEvent>& events) {
  if (!instance->Usable() || !Serves(*instance, chapter)) {
    return;
  }
  const int64_t next = instance->next_seq.try_emplace(chapter, 1).first->second;
  const auto first = std::find_if(events.begin(), events.end(),
                                  [next](const stream::FeedEvent& e) { return e.seq >= next; });
  if (first == events.end()) {
    return;  // seen in the replay already
  }
  if (first->seq > next) {
    CatchUp(instance, chapter, first->seq - 1);
    if (!instance->Usable()) {
      return;
    }
  }
  if (instance->next_seq[chapter] != first->seq) {
    return Fail(*instance, "events of " + chapter + " before seq " + std::to_string(first->seq) +
                               " could not be read");
  }
  std::vector<Pending> batch;
  for (auto it = first; it != events.end(); ++it) {
    batch.push_back({it->seq, it->bytes.view(), it->views.get(), false});
  }
  Deliver(instance, chapter, batch);
}

void PluginHost::CatchUp(const std::shared_ptr<Instance>& instance, const std::string& chapter,
                         int64_t up_to) {
  std::vector<store::StoredEvent> page;
  while (instance->Usable() && Serves(*instance, chapter)) {
    const int64_t next = instance->next_seq.try_emplace(chapter, 1).first->second;
    if (next > up_to) {
      return;
    }
    if (auto s = engine_.store().ReadEvents(chapter, next - 1, kReplayPage, &page); !s.ok()) {
      return Fail(*instance, "reading the log of " + chapter + ": " + s.error().message);
    }
    std::vector<Pending> batch;
    for (const auto& event : page) {
      if (event.seq > up_to) {
        break;
      }
      batch.push_back({event.seq, event.bytes, nullptr, true});
    }
    if (batch.empty()) {
      return;
    }
    Deliver(instance, chapter, batch);
    if (instance->next_seq[chapter] == next) {
      return;  // nothing was delivered (its process died): the restart replays
    }
  }
}

void PluginHost::Deliver(const std::shared_ptr<Instance>& instance, const std::string& chapter,
                         const std::vector<Pending>& events) {
  auto runtime = instance->Runtime();
  if (!runtime) {
    return;
  }
  std::vector<std::string_view> bytes;
  bytes.reserve(events.size());
  // Without RECIPROCA_CAP_CONTACTS a plugin gets events as a member who is not a party does.
  std::deque<std::string> redacted;
  const bool contacts = instance->SeesContacts();
  for (const auto& e : events) {
    if (contacts) {
      bytes.push_back(e.bytes);
    } else if (!e.from_store) {
      bytes.push_back(e.views && !e.views->others.view().empty() ? e.views->others.view()
                                                                 : e.bytes);
    } else {
      v1::Event event;
      if (event.ParseFromArray(e.bytes.data(), static_cast<int>(e.bytes.size())) &&
          domain::HasPersonalData(event)) {
        domain::Redact(domain::View::kOthers, &event);
        bytes.push_back(redacted.emplace_back(event.SerializeAsString()));
      } else {
        bytes.push_back(e.bytes);
      }
    }
  }
  size_t index = 0;
  const auto since = SteadyClock::now();
  runtime->OnEvents(bytes, [&](PluginCall& call) {
    const int64_t seq = events[index++].seq;
    // Words a failure only: the usual call succeeds.
    const auto where = [&] { return "on_event(" + chapter + "#" + std::to_string(seq) + ")"; };
    if (call.outcome == PluginCall::Outcome::kCrashed) {
      return OnCrash(instance, where() + ": " + call.error);
    }
    ++instance->events_seen;
    ++instance->events_since_snapshot;
    instance->next_seq[chapter] = seq + 1;
    {
      std::lock_guard lock(instance->mu);
      instance->delivered[chapter] = seq;
    }
    if (!RecordOutputs(*instance, call.outputs, chapter)) {
      call.outcome = PluginCall::Outcome::kError;  // stop the batch: the plugin failed
      return;
    }
    if (!call.ok()) {
      Fail(*instance, where() + ": " + call.error);
    }
  });
  instance->Timed(since, static_cast<int64_t>(index));
  MaybeSnapshot(instance);
}

bool PluginHost::RecordOutputs(Instance& instance, const std::vector<std::string>& outputs,
                               const std::string& chapter) {
  if (outputs.empty()) {
    return true;
  }
  const auto& limits = instance.spec.limits;
  if (outputs.size() > limits.max_outputs_per_call) {
    Fail(instance, "emitted " + std::to_string(outputs.size()) +
                       " outputs in one call; the limit is " +
                       std::to_string(limits.max_outputs_per_call));
    return false;
  }
  std::vector<std::shared_ptr<plugin::v1::Output>> parsed;
  for (const auto& bytes : outputs) {
    if (bytes.size() > limits.max_output_bytes) {
      Fail(instance, "emitted an output of " + std::to_string(bytes.size()) +
                         " bytes; the limit is " + std::to_string(limits.max_output_bytes));
      return false;
    }
    auto output = std::make_shared<plugin::v1::Output>();
    if (!output->ParseFromString(bytes)) {
      Fail(instance, "emitted bytes that are not a reciproca.plugin.v1.Output");
      return false;
    }
    // A plugin records into the chapter whose event it handles; from a tick, only into a
    // chapter it has been delivered.
    if (!chapter.empty() && output->chapter() != chapter) {
      Fail(instance, "output " + output->key() + " is for " + output->chapter() +
                         " while handling an event of " + chapter +
                         ": a plugin records only into the chapter of the event");
      return false;
    }
    if (chapter.empty() &&
        (!instance.next_seq.count(output->chapter()) || !Serves(instance, output->chapter()))) {
      Fail(instance, "output " + output->key() + " is for " + output->chapter() +
                         ", a chapter it does not serve (never delivered, or not enabled there)");
      return false;
    }
    parsed.push_back(std::move(output));
  }
  if (instance.State() == v1::PLUGIN_STATE_ACTIVE) {
    // Live outputs are bounded per minute too (a replay's are repeats, recorded once).
    const auto now = SteadyClock::now();
    if (now - instance.minute_start >= std::chrono::minutes(1)) {
      instance.minute_start = now;
      instance.minute_outputs = 0;
    }
    instance.minute_outputs += static_cast<int>(parsed.size());
    if (instance.minute_outputs > options_.max_outputs_per_minute) {
      Fail(instance, "emitted more than " + std::to_string(options_.max_outputs_per_minute) +
                         " outputs within a minute");
      return false;
    }
  }
  for (auto& output : parsed) {
    RecordOutput(instance, std::move(output));
  }
  return true;
}

void PluginHost::RecordOutput(Instance& instance, std::shared_ptr<plugin::v1::Output> request) {
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
      const bool repeat = status.error().reason == domain::kRequestIdReused;
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

void PluginHost::Fail(Instance& instance, const std::string& why) {
  std::lock_guard lock(instance.mu);
  if (instance.state == v1::PLUGIN_STATE_UNLOADED || instance.state == v1::PLUGIN_STATE_FAILED) {
    return;
  }
  instance.state = v1::PLUGIN_STATE_FAILED;
  instance.last_error = why;
  spdlog::error("plugin {} failed and receives nothing more until it is reloaded: {}",
                instance.name(), why);
}

void PluginHost::OnCrash(const std::shared_ptr<Instance>& instance, const std::string& why) {
  const auto now = SteadyClock::now();
  auto& crashes = instance->crashes;
  crashes.push_back(now);
  while (!crashes.empty() && now - crashes.front() > options_.crash_window) {
    crashes.pop_front();
  }
  const int in_window = static_cast<int>(crashes.size());
  std::chrono::milliseconds delay = options_.restart_backoff;
  for (int i = 1; i < in_window && delay < options_.max_restart_backoff; ++i) {
    delay *= 2;
  }
  delay = std::min(delay, options_.max_restart_backoff);
  bool stopping;
  {
    std::lock_guard lock(mu_);
    stopping = stopped_;
  }
  {
    std::lock_guard lock(instance->mu);
    if (instance->state == v1::PLUGIN_STATE_UNLOADED) {
      return;
    }
    if (stopping) {
      instance->state = v1::PLUGIN_STATE_RESTARTING;  // not usable; never restarted
      instance->last_error = why;
      return;
    }
    if (in_window >= options_.quarantine_after) {
      instance->state = v1::PLUGIN_STATE_QUARANTINED;
      instance->last_error = "quarantined after " + std::to_string(in_window) + " crashes within " +
                             std::to_string(options_.crash_window.count() / 1000) +
                             " s; reload it to try again. Last: " + why;
      spdlog::error("plugin {} {}", instance->name(), instance->last_error);
      return;
    }
    instance->state = v1::PLUGIN_STATE_RESTARTING;
    instance->last_error = why;
  }
  spdlog::warn(
      "plugin {} crashed ({}); restarting it in {} ms (crash {} of {} allowed within "
      "{} s)",
      instance->name(), why, delay.count(), in_window, options_.quarantine_after - 1,
      options_.crash_window.count() / 1000);
  instance->restart_timer.expires_after(delay);
  instance->restart_timer.async_wait([this, instance](const boost::system::error_code& ec) {
    if (!ec) {
      boost::asio::post(instance->strand, [this, instance] { Restart(instance); });
    }
  });
}

void PluginHost::Restart(const std::shared_ptr<Instance>& instance, bool after_crash) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      return;
    }
  }
  if (instance->State() != v1::PLUGIN_STATE_RESTARTING) {
    return;  // unloaded or reloaded meanwhile
  }
  // The description stays the first launch's: other threads read it without a lock.
  PluginDescription description;
  auto launched = Launch(*instance, &description, /*resume=*/true);
  if (!launched.ok()) {
    if (launched.error().code == ErrorCode::kUnavailable) {
      return OnCrash(instance, "create(): " + launched.error().message);
    }
    return Fail(*instance, launched.error().message);
  }
  // A new process knows nothing but its snapshot, if Launch restored one (a plugin keeps its
  // state in memory): it is replayed its chapters' logs from the snapshot's seqs, else from
  // seq 1, and its outputs up to where the last process got are repeats, recorded once (their
  // request ids); then it goes on with what was committed meanwhile and live, so nothing
  // committed while it was down is skipped.
  instance->events_seen = 0;
  {
    std::lock_guard lock(instance->mu);
    if (instance->state != v1::PLUGIN_STATE_RESTARTING) {
      return;
    }
    instance->state = v1::PLUGIN_STATE_LOADING;
    if (after_crash) {
      ++instance->restarts;
    }
  }
  spdlog::info("plugin {} {} (pid {}); replaying the log{}", instance->name(),
               after_crash ? "restarted" : "started again", instance->Runtime()->pid(),
               instance->next_seq.empty() ? "" : " after its snapshot");
  ReplayNow(instance);
}

void PluginHost::Query(uint64_t capability, plugin::v1::Query query,
                       std::function<void(Result<plugin::v1::QueryAnswer>)> done) {
  auto call = std::make_shared<QueryCall>();
  call->capability = capability;
  call->query = std::move(query);
  call->done = std::move(done);
  for (auto& instance : All()) {
    if ((instance->description.capabilities & capability) &&
        Serves(*instance, call->query.chapter())) {
      call->candidates.push_back(instance);
    }
  }
  AskNext(std::move(call));
}

void PluginHost::AskNext(std::shared_ptr<QueryCall> call) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      return call->done(Error{ErrorCode::kUnavailable, "the server is stopping"});
    }
  }
  while (call->next < call->candidates.size()) {
    auto target = call->candidates[call->next++];
    const auto state = target->State();
    if (state == v1::PLUGIN_STATE_RESTARTING) {
      call->unavailable = "plugin " + target->name() + " is restarting after a crash";
      continue;
    }
    if (state == v1::PLUGIN_STATE_FAILED || state == v1::PLUGIN_STATE_QUARANTINED) {
      call->failed = target->name();
      continue;
    }
    if (!target->Usable()) {
      continue;
    }
    // Whichever comes first, the answer or the deadline, finishes this attempt.
    auto once = std::make_shared<std::atomic<bool>>(false);
    auto timer = std::make_shared<boost::asio::steady_timer>(timers_, options_.query_deadline);
    {
      std::lock_guard lock(mu_);
      std::erase_if(query_timers_, [](const auto& t) { return t.expired(); });
      query_timers_.push_back(timer);
    }
    timer->async_wait([this, call, once, target](const boost::system::error_code& ec) {
      if (once->exchange(true)) {
        return;
      }
      if (ec) {  // cancelled by Stop()
        return call->done(Error{ErrorCode::kUnavailable, "the server is stopping"});
      }
      call->unavailable = "plugin " + target->name() + " did not answer within " +
                          std::to_string(options_.query_deadline.count()) + " ms";
      AskNext(call);
    });
    boost::asio::post(target->strand, [this, call, once, timer, target] {
      if (once->load()) {
        return;  // the caller was answered meanwhile
      }
      // The answer covers every batch committed before the query got here, held or not.
      DrainInbox(target);
      auto runtime = target->Runtime();
      if (!target->Usable() || !runtime) {
        if (!once->exchange(true)) {
          timer->cancel();
          call->unavailable = "plugin " + target->name() + " stopped";
          AskNext(call);
        }
        return;
      }
      const auto since = SteadyClock::now();
      auto answer = runtime->Query(call->query.SerializeAsString());
      target->Timed(since, 1);
      if (answer.outcome == PluginCall::Outcome::kCrashed) {
        OnCrash(target, "query: " + answer.error);
      }
      plugin::v1::QueryAnswer parsed;
      const bool garbage =
          answer.ok() && (!answer.answered || !parsed.ParseFromString(answer.answer));
      // An answer of another kind (a leaderboard for a scores query) is as wrong as garbage.
      const bool other_kind =
          answer.ok() && !garbage &&
          static_cast<int>(parsed.kind_case()) != static_cast<int>(call->query.kind_case());
      if (garbage) {
        Fail(*target, "answered a query with bytes that are not a reciproca.plugin.v1.QueryAnswer");
      } else if (other_kind) {
        Fail(*target, "answered a query with a reciproca.plugin.v1.QueryAnswer of another kind");
      }
      if (once->exchange(true)) {
        return;  // too late: the caller was answered (or moved on)
      }
      timer->cancel();
      if (answer.outcome == PluginCall::Outcome::kCrashed) {
        call->unavailable = "plugin " + target->name() + " crashed answering";
        return AskNext(call);
      }
      if (garbage || other_kind) {
        call->failed = target->name();
        return AskNext(call);
      }
      if (!answer.ok()) {
        return call->done(InvalidArgument("plugin " + target->name() + ": " + answer.error));
      }
      call->done(std::move(parsed));
    });
    return;
  }
  const std::string what = CapabilityName(call->capability);
  if (!call->unavailable.empty()) {
    return call->done(Error{ErrorCode::kUnavailable, call->unavailable +
                                                         "; no other plugin answers " + what +
                                                         " queries now: retry in a few seconds"});
  }
  if (!call->failed.empty()) {
    return call->done(
        FailedPrecondition("plugin " + call->failed + " (" + what + ") has failed; reload it"));
  }
  call->done(FailedPrecondition("no plugin answers " + what + " queries in " +
                                call->query.chapter() +
                                ": load one with `reciproca plugin load`, or enable one there "
                                "with `reciproca plugin enable NAME --chapter " +
                                call->query.chapter() + "`"));
}

void PluginHost::TickNow() {
  for (auto& instance : All()) {
    boost::asio::post(instance->strand, [this, instance] { Tick(instance); });
  }
}

void PluginHost::Tick(const std::shared_ptr<Instance>& instance) {
  // A tick at T follows every batch committed before it, held or not (as a query does): a
  // reminder due at T must see the referral recorded just before.
  DrainInbox(instance);
  MaybeSnapshot(instance);
  const auto& d = instance->description;
  auto runtime = instance->Runtime();
  if (!instance->Usable() || !runtime || !d.has_on_tick ||
      !(d.capabilities & RECIPROCA_CAP_TICKS)) {
    return;
  }
  plugin::v1::Tick tick;
  *tick.mutable_now() = domain::ToTimestamp(engine_.clock().Now());
  const auto since = SteadyClock::now();
  auto call = runtime->OnTick(tick.SerializeAsString());
  instance->Timed(since, 1);
  if (call.outcome == PluginCall::Outcome::kCrashed) {
    return OnCrash(instance, "on_tick: " + call.error);
  }
  if (RecordOutputs(*instance, call.outputs, "") && !call.ok()) {
    Fail(*instance, "on_tick: " + call.error);
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
  const auto deadline = SteadyClock::now() + timeout;
  int64_t last_seen = -1;
  while (SteadyClock::now() < deadline) {
    const auto targets = All();
    std::vector<std::future<void>> barriers;
    for (auto& instance : targets) {
      auto promise = std::make_shared<std::promise<void>>();
      barriers.push_back(promise->get_future());
      boost::asio::post(instance->strand, [this, instance, promise] {
        DrainInbox(instance);  // what a delivery hold keeps back is not idle
        promise->set_value();
      });
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
  std::vector<std::shared_ptr<Instance>> all;
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      return;
    }
    stopped_ = true;
    for (const auto& [name, instance] : instances_) {
      all.push_back(instance);
    }
    all.insert(all.end(), retired_.begin(), retired_.end());
  }
  engine_.SetCommitObserver(nullptr);
  boost::asio::post(timers_, [this] { tick_timer_.cancel(); });
  // Each plugin gets shutdown_grace to finish its call and destroy(); then its process is
  // killed, which ends a call it hangs in at once.
  std::vector<std::future<void>> destroyed;
  for (auto& instance : all) {
    auto promise = std::make_shared<std::promise<void>>();
    destroyed.push_back(promise->get_future());
    boost::asio::post(instance->strand, [this, instance, promise] {
      instance->restart_timer.cancel();
      {
        std::lock_guard lock(instance->mu);
        instance->hold_timer.cancel();  // else the threads would wait for it to fire
      }
      DrainInbox(instance);  // what the delivery hold keeps back was committed: deliver it
      // What it has seen is kept, so the next start replays nothing of it; its outputs still
      // being recorded get a moment (the engine outlives the host).
      const auto until = SteadyClock::now() + options_.shutdown_grace / 4;
      while (instance->outputs_in_flight.load() > 0 && SteadyClock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      MaybeSnapshot(instance, /*now=*/true);
      if (auto runtime = instance->Runtime()) {
        runtime->Destroy();
      }
      promise->set_value();
    });
  }
  const auto deadline = SteadyClock::now() + options_.shutdown_grace;
  for (size_t i = 0; i < all.size(); ++i) {
    if (destroyed[i].wait_until(deadline) != std::future_status::ready) {
      if (auto runtime = all[i]->Runtime()) {
        spdlog::warn("plugin {} did not stop within {} ms; killing its process", all[i]->name(),
                     options_.shutdown_grace.count());
        runtime->Abort();
      }
    }
  }
  work_.reset();
  for (auto& thread : threads_) {
    thread.join();
  }
  threads_.clear();
  // Queries still waiting are answered UNAVAILABLE (their timers' handlers do it).
  boost::asio::post(timers_, [this] {
    std::lock_guard lock(mu_);
    for (auto& weak : query_timers_) {
      if (auto timer = weak.lock()) {
        timer->cancel();
      }
    }
  });
  timers_work_.reset();
  if (timer_thread_.joinable()) {
    timer_thread_.join();
  }
  std::error_code ec;
  std::filesystem::remove_all(options_.work_root, ec);
}

}  // namespace reciproca::plugins
