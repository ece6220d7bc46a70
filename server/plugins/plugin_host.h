#pragma once

// The plugin host: loads plugins, feeds them the committed events of the chapters they serve
// in order (first the log so far, then live), ticks them, asks them queries, and records what
// they emit.
//
// Chapters: a plugin serves every chapter (PluginSpec::all_chapters, the admin's choice) or
// only those where it is enabled (PluginEnabled events, by the admin or the chapter's
// organizers, each with that chapter's config, handed to create() in PluginConfig.chapter_json;
// a change of it starts the plugin again). It receives only those chapters' events, records
// outputs only into them, is asked only their queries, and gets outside referrals' contact
// details only with RECIPROCA_CAP_CONTACTS (else the events as a non-party member sees them).
//
// Isolation: by default each plugin runs in a reciproca-plugin-host process of its own
// (plugin_process.h), so its crash, hang or leak is the loss of that process only: the plugin
// goes RESTARTING, is started again after an exponential backoff and replayed the log; after
// `quarantine_after` crashes within `crash_window` it is QUARANTINED until an admin reloads it.
// `"isolation": "in-process"` runs a trusted plugin inside the server (in_process_runtime.h).
//
// Each plugin instance has its own strand on the host's own threads, so calls on one instance
// never overlap, and neither plugin code nor a wait for it ever runs on a gRPC thread or a
// chapter's strand. Delivery is by cursor: per chapter the next seq the instance expects; live
// events before it are skipped, a gap is filled from the store first. So a plugin loaded while
// events flow sees each event exactly once, in order. Live batches wait for one plugin at most
// `delivery_hold` (so that one delivery carries the commits of that time) and until its strand
// is free, then go together, one frame per chapter; a query is answered only after the plugin
// was delivered every batch committed before it reached the plugin, without waiting for the
// hold. At most `max_queued_batches` live batches wait; past that the plugin is behind and
// catches up from the store, a page per frame.
//
// Snapshots (ABI 1.1): a plugin with snapshot() and restore() hands the host its state as
// bytes every `snapshot_every_events` events delivered (or `snapshot_interval`, when events
// came), and when the server stops; they are kept with the seq each chapter had reached
// (plugin_snapshots.h). A new instance (a start, a restart after a crash) is restored from the
// latest and delivered only what follows. A snapshot of another version or config, of a chapter
// it no longer serves, damaged, or refused by restore() is not used: the whole log is replayed,
// with a line in the log saying why. A snapshot is taken only while none of the plugin's outputs
// is still being recorded, so an output is never lost between a snapshot and a crash.
//
// Outputs are checked (they parse, are within the bounds per call and per minute, and name the
// chapter of the event being handled), then recorded through the engine as the admin with
// request_id "plugin:{name}:{key}": the idempotency records make a repeat (a replay after a
// restart, a reload) a no-op, so an output is never recorded twice.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "reciproca/plugin/v1/plugin.pb.h"
#include "reciproca/v1/plugin_service.pb.h"
#include "server/domain/result.h"
#include "server/engine/engine.h"
#include "server/plugins/plugin_journal.h"
#include "server/plugins/plugin_process.h"
#include "server/plugins/plugin_snapshots.h"
#include "server/plugins/plugin_spec.h"

namespace reciproca::plugins {

// How the host supervises plugins; the defaults are documented in docs/plugins.md.
struct PluginHostOptions {
  // reciproca-plugin-host; empty: $RECIPROCA_PLUGIN_HOST, else the one beside the server's
  // executable.
  std::string host_executable;
  // Under which each plugin host process gets its own working directory; empty: $TMPDIR (or
  // /tmp) / "reciproca-plugins-{pid}". Never inside the data directory.
  std::filesystem::path work_root;
  // The first restart waits restart_backoff; each further one in the window twice as long.
  std::chrono::milliseconds restart_backoff{200};
  std::chrono::milliseconds max_restart_backoff{30000};
  int quarantine_after = 5;
  std::chrono::milliseconds crash_window{600000};
  // A query not answered within this answers UNAVAILABLE (or goes to the next plugin).
  std::chrono::milliseconds query_deadline{5000};
  int max_queued_batches = 64;
  // A live batch waits up to this long for the commits after it, so that one delivery (one
  // frame, one wake-up of the plugin's thread and process) carries several; 0: delivered at
  // once. A query, WaitIdle, an unload and Stop deliver what waits first, so none of them waits
  // for the hold.
  std::chrono::microseconds delivery_hold{2000};
  // Live outputs (not those of a replay) one plugin may emit per minute.
  int max_outputs_per_minute = 6000;
  // Stop() gives the plugins this long to destroy() before their processes are killed.
  std::chrono::milliseconds shutdown_grace{2000};
  int threads = 4;
  // Where LoadPlugin may load from (plugin_directories.h); empty: LoadPlugin loads nothing.
  std::vector<std::filesystem::path> plugin_dirs;
  // The admin's load, reload and unload decisions (plugin_journal.h); empty: not kept.
  std::filesystem::path journal;
  // Where plugins' snapshots are kept (plugin_snapshots.h); empty: none are taken.
  std::filesystem::path snapshot_dir;
  // A snapshot after this many events delivered since the last one, or after snapshot_interval
  // when at least one came.
  int64_t snapshot_every_events = 1000;
  std::chrono::milliseconds snapshot_interval{300000};
};

class PluginHost {
 public:
  PluginHost(engine::Engine& engine, std::filesystem::path cache_dir,
             std::chrono::milliseconds tick_interval, PluginHostOptions options = {});
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Opens, checks and creates the plugin (on its strand, in its process unless in-process; the
  // caller waits at most the start deadline); the replay of the log runs after, on its strand
  // (state LOADING, then ACTIVE).
  Result<v1::PluginInfo> Load(PluginSpec spec);
  // LoadPlugin's: Load from one of options.plugin_dirs only (PERMISSION_DENIED naming them,
  // before anything is copied), and kept in the journal.
  Result<v1::PluginInfo> LoadRequested(PluginSpec spec);
  // The plugins of the server's configuration with the journal's decisions applied: what to
  // Load at start.
  std::vector<PluginSpec> PluginsToRestore(std::vector<PluginSpec> configured) const;
  // Before an EnablePlugin: the capabilities `name` declared (NOT_FOUND when it is not loaded,
  // INVALID_ARGUMENT when `config_json` is not JSON).
  Result<std::vector<std::string>> CheckEnable(const std::string& name,
                                               const std::string& config_json) const;
  // Before an EnablePlugin with a config_json, once the caller may enable it: whether the
  // plugin takes `config_json` for `chapter`. The plugin's own check is its create(): a
  // throwaway instance (a process of its own unless in-process) is created with the chapter's
  // config merged over the load-time one (JSON merge patch) and destroyed. INVALID_ARGUMENT
  // (reason PLUGIN_CONFIG_REFUSED) with the plugin's reason naming the key when it refuses;
  // UNAVAILABLE when it crashed or hung doing it. Runs on the caller's thread, at most the
  // plugin's start deadline; "" and {} are the load-time config and start nothing.
  Result<void> CheckChapterConfig(const std::string& name, const std::string& chapter,
                                  const std::string& config_json) const;
  // The event at `seq` of `chapter`, about to commit, enables or disables a plugin: when it is
  // durable (OnCommitted) the host starts or stops serving the chapter with that plugin.
  void ExpectScopeChange(const std::string& chapter, int64_t seq);
  // Stops delivering to the plugin and destroys its instance (the library stays mapped). Kept in
  // the journal, as Reload is.
  Result<v1::PluginInfo> Unload(const std::string& name);
  // A fresh copy of the file at the plugin's path replaces the running instance (whatever its
  // state: this is how an admin brings back a FAILED or QUARANTINED plugin). Refused, the
  // running instance goes on as it was (a replay included).
  Result<v1::PluginInfo> Reload(const std::string& name, const std::string& config_json);
  std::vector<v1::PluginInfo> List() const;

  // From the engine's writer thread: committed events of one chapter, in seq order.
  void OnCommitted(const std::string& chapter, const std::vector<stream::FeedEvent>& events);

  // Asks the plugins with `capability`, in name order, until one answers; `done` runs once, on
  // a host thread, within query_deadline per plugin tried. FAILED_PRECONDITION when no plugin
  // has the capability (or those that have it failed); UNAVAILABLE when they are restarting,
  // crashed or did not answer in time.
  void Query(uint64_t capability, plugin::v1::Query query,
             std::function<void(Result<plugin::v1::QueryAnswer>)> done);

  // Ticks every plugin that wants ticks, now (the timer does it every tick_interval).
  void TickNow();
  // Blocks until every plugin has handled everything posted to it so far (and the outputs it
  // emitted are recorded); false after `timeout`. For tests and orderly shutdown.
  bool WaitIdle(std::chrono::milliseconds timeout);
  // Stops the timers, destroys every instance (killing the processes that do not finish within
  // shutdown_grace) and joins the threads. Idempotent.
  void Stop();

  struct Instance;

 private:
  struct QueryCall;

  // `resume`: restored from the plugin's snapshot when it has a usable one (not for a reload).
  Result<v1::PluginInfo> Start(PluginSpec spec, bool resume = true);
  // On the instance's strand: makes its runtime, calls create(), and with `resume` restores
  // the plugin's snapshot (next_seq then starts after it; else at seq 1 everywhere).
  Result<void> Launch(Instance& instance, PluginDescription* description, bool resume);
  // A runtime for a new create() of the instance's plugin: a plugin host process on its library
  // copy, or in the server's process on `copy_name` (`copied`: that copy is open already).
  std::shared_ptr<PluginRuntime> NewRuntime(const Instance& instance, const std::string& copy_name,
                                            bool copied, PluginLogSink log) const;
  // Under mu_: a fresh file name for a copy of the plugin's library in the cache.
  std::string NewCopyNameLocked(const std::string& name);
  enum class Resumed { kNo, kYes, kRefused };
  // On the strand, right after create(): restores the snapshot if there is a usable one.
  Resumed Resume(Instance& instance, const PluginDescription& description);
  // On the strand: snapshot() into the store, when nothing it emitted is still being recorded.
  void MaybeSnapshot(const std::shared_ptr<Instance>& instance, bool now = false);
  void Replay(const std::shared_ptr<Instance>& instance);
  void ReplayNow(const std::shared_ptr<Instance>& instance);
  void DeliverLive(const std::shared_ptr<Instance>& instance, const std::string& chapter,
                   const std::vector<stream::FeedEvent>& events);
  // On the strand: delivers every live batch waiting in the instance's inbox (held or not).
  void DrainInbox(const std::shared_ptr<Instance>& instance);
  struct Pending {
    int64_t seq;
    std::string_view bytes;
    // Live: the event's other versions (null: everyone sees `bytes`). From the store: unknown.
    const stream::EventViews* views = nullptr;
    bool from_store = false;
  };
  void Deliver(const std::shared_ptr<Instance>& instance, const std::string& chapter,
               const std::vector<Pending>& events);
  void CatchUp(const std::shared_ptr<Instance>& instance, const std::string& chapter,
               int64_t up_to);
  // Checks what one call emitted, then records it; false (the plugin failed) when it broke a
  // rule. `chapter`: the event's chapter, empty for a tick.
  bool RecordOutputs(Instance& instance, const std::vector<std::string>& outputs,
                     const std::string& chapter);
  void RecordOutput(Instance& instance, std::shared_ptr<plugin::v1::Output> output);
  // On the instance's strand: one clock tick, if the plugin wants ticks.
  void Tick(const std::shared_ptr<Instance>& instance);
  void Fail(Instance& instance, const std::string& why);
  // Whether the instance serves `chapter` (all chapters, or enabled there).
  bool Serves(const Instance& instance, const std::string& chapter) const;
  // PluginConfig.chapter_json for the instance: its chapters' own configs.
  std::map<std::string, std::string> ChapterConfigs(const Instance& instance) const;
  // Under mu_: applies the scope changes of a commit; returns the plugins whose scope changed.
  std::set<std::string> ApplyScopeChanges(const std::string& chapter,
                                          const std::vector<stream::FeedEvent>& events);
  // On the strand: `chapter` was enabled or disabled (or its config changed) for the instance.
  void OnScopeChanged(const std::shared_ptr<Instance>& instance, const std::string& chapter);
  // On the strand: its process is gone; restart it later, or quarantine it.
  void OnCrash(const std::shared_ptr<Instance>& instance, const std::string& why);
  // On the strand: a new process (a new create()) for a RESTARTING instance, replayed the log;
  // `after_crash` counts it in `restarts`.
  void Restart(const std::shared_ptr<Instance>& instance, bool after_crash = true);
  void AskNext(std::shared_ptr<QueryCall> call);
  void ScheduleTick();
  v1::PluginInfo Info(const Instance& instance) const;
  std::shared_ptr<Instance> Find(const std::string& name) const;
  std::vector<std::shared_ptr<Instance>> All() const;

  engine::Engine& engine_;
  std::filesystem::path cache_dir_;
  std::chrono::milliseconds tick_interval_;
  PluginHostOptions options_;

  // Plugin calls, on the instances' strands.
  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  // Timers only (ticks, restarts, query deadlines), so they fire even while every plugin thread
  // waits on a plugin.
  boost::asio::io_context timers_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      timers_work_;
  boost::asio::steady_timer tick_timer_;
  std::thread timer_thread_;

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Instance>> instances_;
  // Instances replaced by a reload or unloaded: kept so their libraries and tasks stay valid.
  std::vector<std::shared_ptr<Instance>> retired_;
  // Deadlines of queries in flight, cancelled by Stop() so their callers are answered.
  std::vector<std::weak_ptr<boost::asio::steady_timer>> query_timers_;
  // The last committed seq per chapter (for events_behind).
  std::map<std::string, int64_t> latest_seq_;
  // Per chapter, the plugins enabled there and their config there ("": the loaded one).
  std::map<std::string, std::map<std::string, std::string>> enabled_;
  // Per chapter, seqs of PluginEnabled/PluginDisabled events not yet durable.
  std::map<std::string, std::set<int64_t>> scope_pending_;
  std::unique_ptr<PluginJournal> journal_;
  std::unique_ptr<PluginSnapshots> snapshots_;
  uint64_t copies_ = 0;
  bool stopped_ = false;
};

}  // namespace reciproca::plugins
