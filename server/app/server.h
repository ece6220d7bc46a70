#pragma once

// reciprocad as a library: opens the store in the data directory, recovers the chapters, and
// serves every gRPC service (plus health checking and reflection) on one address. main.cpp and
// the integration tests both start it this way. The composition root: the one place that wires
// the layers together (docs/architecture.md).

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "server/domain/result.h"
#include "server/engine/chapter_snapshot.h"
#include "server/engine/clock.h"
#include "server/engine/limits.h"
#include "server/http/gateway.h"
#include "server/plugins/plugin_host.h"
#include "server/push/push_worker.h"

namespace reciproca::api {

struct ServerOptions {
  // "127.0.0.1:50051"; port 0 picks a free port.
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "./data";
  // Where the events live: "" for SQLite in data_dir (the default), or a PostgreSQL URI
  // ("postgresql://user@host/db") shared by every replica of a region. With PostgreSQL, the
  // admin token and the token secret are the store's (the first replica's), so that every
  // replica accepts the same tokens; data_dir keeps a copy of them and the plugins' files.
  std::string store;
  // When set, the admin token (otherwise <data_dir>/admin.token, created on first start).
  std::string admin_token;
  int worker_threads = 2;
  // TLS: both set to serve TLS (PEM files' contents).
  std::string tls_cert_chain;
  std::string tls_private_key;
  // Largest request accepted, in bytes.
  int max_message_bytes = 1 << 20;
  // Event streams (gRPC Subscribe and HTTP /api/events) one principal may have open at once;
  // more are RESOURCE_EXHAUSTED (HTTP 429). 0: no limit.
  size_t max_streams_per_principal = 16;
  // gRPC calls in progress from one client address, over all its connections; more are
  // RESOURCE_EXHAUSTED. 0: no limit (behind a reverse proxy, where every call has its address).
  size_t max_calls_per_address = 256;
  // Calls one gRPC connection may have open at once (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS; a
  // client queues the others). 0: gRPC's default (no limit).
  int max_streams_per_connection = 100;
  // How many recent events each chapter keeps in memory for subscribers; older ones are read
  // from the store.
  size_t feed_ring_capacity = 4096;
  // Plugins to load at start, then every *.so of plugin_dir (with <name>.json beside it as its
  // configuration, if present).
  std::vector<plugins::PluginSpec> plugins;
  std::string plugin_dir;
  // Where LoadPlugin may load plugins from, besides plugin_dir; anything else is refused.
  std::vector<std::string> plugin_dirs;
  // How often plugins that want ticks get one; 0 for never (tests tick by hand).
  std::chrono::milliseconds plugin_tick_interval{60000};
  // A plugin with snapshots (ABI 1.1) hands its state over after this many events (kept in
  // {data_dir}/plugin-snapshots; docs/plugin-isolation.md).
  int64_t plugin_snapshot_every_events = 1000;
  // The HTTP gateway (web pages, JSON API, live events, /healthz, /metrics): http.listen
  // "127.0.0.1:8080" turns it on; empty leaves it off.
  http::GatewayOptions http;
  // Mutation rate, subscriber queue, idempotency retention (docs/limits.md).
  engine::Limits limits;
  // When chapters' snapshots are written (docs/storage.md, "Snapshots").
  engine::SnapshotOptions snapshots;
  // Web Push (docs/push.md): on by default; the VAPID key is <data_dir>/vapid.key (the store's,
  // with PostgreSQL).
  bool push_enabled = true;
  push::PushOptions push;
  // Injected time source; nullptr for the system clock. Not owned.
  const engine::Clock* clock = nullptr;
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  int port() const;
  // The HTTP gateway's port; 0 when it is off.
  int http_port() const;
  const std::string& admin_token() const;
  plugins::PluginHost& plugin_host();

  // Health NOT_SERVING, streams ended, in-flight calls finished, everything durable, threads
  // stopped. Idempotent.
  void Shutdown();
  // Blocks until Shutdown() has run (from another thread).
  void Wait();

  struct Parts;

 private:
  explicit Server(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace reciproca::api
