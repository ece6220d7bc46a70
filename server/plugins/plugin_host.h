#pragma once

// The plugin host: loads plugins, feeds them every chapter's committed events in order (first
// the log so far, then live), ticks them, asks them queries, and records what they emit.
//
// Each plugin instance has its own strand on the host's own threads, so calls on one instance
// never overlap and a slow plugin never holds up a chapter or a gRPC thread. Delivery is by
// cursor: per chapter the next seq the instance expects; live events before it are skipped,
// a gap is filled from the store first. So a plugin loaded while events flow sees each event
// exactly once, in order.
//
// Outputs are recorded through the engine as the admin with request_id
// "plugin:{name}:{key}": the idempotency records make a repeat (a replay after a restart, a
// reload) a no-op, so an output is never recorded twice.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "reciproca/plugin/v1/plugin.pb.h"
#include "reciproca/v1/plugin_service.pb.h"
#include "server/domain/result.h"
#include "server/engine/engine.h"

namespace reciproca::plugins {

struct PluginSpec {
  // Unique name it is loaded under; empty: the file name without ".so".
  std::string name;
  std::string path;
  // JSON; empty means "{}".
  std::string config_json;
};

class PluginHost {
 public:
  PluginHost(engine::Engine& engine, std::filesystem::path cache_dir,
             std::chrono::milliseconds tick_interval);
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Opens, checks and creates the plugin; the replay of the log runs after, on its strand
  // (state LOADING, then ACTIVE).
  Result<v1::PluginInfo> Load(PluginSpec spec);
  // Stops delivering to the plugin and destroys its instance (the library stays mapped).
  Result<v1::PluginInfo> Unload(const std::string& name);
  // A fresh copy of the file at the plugin's path replaces the running instance.
  Result<v1::PluginInfo> Reload(const std::string& name, const std::string& config_json);
  std::vector<v1::PluginInfo> List() const;

  // From the engine's writer thread: committed events of one chapter, in seq order.
  void OnCommitted(const std::string& chapter, const std::vector<stream::FeedEvent>& events);

  // Asks the first usable plugin with `capability`; `done` runs on that plugin's strand.
  // FAILED_PRECONDITION when no plugin has the capability.
  void Query(uint64_t capability, plugin::v1::Query query,
             std::function<void(Result<plugin::v1::QueryAnswer>)> done);

  // Ticks every plugin that wants ticks, now (the timer does it every tick_interval).
  void TickNow();
  // Blocks until every plugin has handled everything posted to it so far (and the outputs it
  // emitted are recorded); false after `timeout`. For tests and orderly shutdown.
  bool WaitIdle(std::chrono::milliseconds timeout);
  // Stops the timer and the threads and destroys every instance. Idempotent.
  void Stop();

  struct Instance;

 private:
  // Opens, creates and registers a plugin (replacing any instance of the same name), then
  // starts its replay.
  Result<v1::PluginInfo> Start(PluginSpec spec);
  void Replay(const std::shared_ptr<Instance>& instance);
  void Deliver(Instance& instance, const std::string& chapter, int64_t seq, const uint8_t* data,
               size_t size);
  void CatchUp(Instance& instance, const std::string& chapter, int64_t up_to);
  void RecordOutputs(Instance& instance);
  // On the instance's strand: one clock tick, if the plugin wants ticks.
  void Tick(Instance& instance);
  void Fail(Instance& instance, const std::string& why);
  void ScheduleTick();
  v1::PluginInfo Info(const Instance& instance) const;
  std::shared_ptr<Instance> Find(const std::string& name) const;

  engine::Engine& engine_;
  std::filesystem::path cache_dir_;
  std::chrono::milliseconds tick_interval_;

  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  boost::asio::steady_timer tick_timer_;
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Instance>> instances_;
  // Instances replaced by a reload or unloaded: kept so their libraries and tasks stay valid.
  std::vector<std::shared_ptr<Instance>> retired_;
  uint64_t copies_ = 0;
  bool stopped_ = false;
};

}  // namespace reciproca::plugins
