#include "server/app/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <sys/stat.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <spdlog/spdlog.h>

#include "server/api/call_limits.h"
#include "server/api/chapter_service.h"
#include "server/api/event_service.h"
#include "server/api/import_service.h"
#include "server/api/insight_service.h"
#include "server/api/meeting_service.h"
#include "server/api/member_service.h"
#include "server/api/plugin_service.h"
#include "server/api/push_service.h"
#include "server/api/referral_service.h"
#include "server/api/report_service.h"
#include "server/api/status.h"
#include "server/api/unparseable_request.h"
#include "server/engine/engine.h"
#include "server/store/postgres_event_store.h"
#include "server/store/postgres_push_store.h"
#include "server/store/sqlite_event_store.h"
#include "server/store/sqlite_push_store.h"

namespace reciproca::api {
namespace {

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

// Reads a secret file, or creates it (mode 0600) with `make()` when it does not exist.
Result<std::string> ReadOrCreateSecret(const std::filesystem::path& path,
                                       const std::function<std::string()>& make) {
  if (std::filesystem::exists(path)) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    std::string secret = Trimmed(content.str());
    if (!in || secret.empty()) {
      return Internal("cannot read " + path.string());
    }
    return secret;
  }
  std::string secret = make();
  const std::string tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << secret << "\n";
    if (!out.flush()) {
      return Internal("cannot write " + tmp);
    }
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, path);
  return secret;
}

// The store --store names: SQLite in the data directory by default, or PostgreSQL.
Result<std::unique_ptr<store::EventStore>> OpenStore(const ServerOptions& options,
                                                     const std::filesystem::path& dir) {
  if (options.store.empty()) {
    auto sqlite = store::SqliteEventStore::Open((dir / "reciproca.db").string());
    if (!sqlite.ok()) {
      return sqlite.error();
    }
    return std::unique_ptr<store::EventStore>(std::move(sqlite).value());
  }
  if (!store::IsPostgresUri(options.store)) {
    return InvalidArgument(
        "--store: expected a postgresql:// URI (or nothing, for SQLite in --data-dir), got \"" +
        options.store + "\"");
  }
  auto postgres = store::PostgresEventStore::Open(options.store);
  if (!postgres.ok()) {
    return postgres.error();
  }
  return std::unique_ptr<store::EventStore>(std::move(postgres).value());
}

// A secret of the data directory (the admin token, the token secret). A store shared by
// several replicas keeps the first replica's, and each replica's file is a copy of it.
Result<std::string> SharedSecret(store::EventStore& store, const std::string& name,
                                 const std::filesystem::path& path,
                                 const std::function<std::string()>& make) {
  auto local = ReadOrCreateSecret(path, make);
  if (!local.ok() || !store.shared()) {
    return local;
  }
  auto shared = store.SharedSetting(name, *local);
  if (!shared.ok() || *shared == *local) {
    return shared;
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return ReadOrCreateSecret(path, [&] { return *shared; });
}

// The push store beside the event store: the same SQLite file or PostgreSQL database.
Result<std::unique_ptr<store::PushStore>> OpenPushStore(const ServerOptions& options,
                                                        const std::filesystem::path& dir) {
  if (options.store.empty()) {
    auto sqlite = store::SqlitePushStore::Open((dir / "reciproca.db").string());
    if (!sqlite.ok()) {
      return sqlite.error();
    }
    return std::unique_ptr<store::PushStore>(std::move(sqlite).value());
  }
  auto postgres = store::PostgresPushStore::Open(options.store);
  if (!postgres.ok()) {
    return postgres.error();
  }
  return std::unique_ptr<store::PushStore>(std::move(postgres).value());
}

// The server's VAPID key pair (RFC 8292), made once: its private scalar, base64url, is the
// secret <data_dir>/vapid.key (mode 0600; with PostgreSQL the store's, the same for every
// replica, so a browser's subscription works with all of them). Never logged.
Result<push::P256Key> VapidKey(store::EventStore& store, const std::filesystem::path& dir) {
  auto scalar = SharedSecret(store, "vapid_private_key", dir / "vapid.key", [] {
    Result<push::P256Key> fresh = push::P256Key::Generate();
    Result<std::string> secret = fresh.ok() ? fresh->PrivateScalar() : fresh.error();
    return secret.ok() ? push::Base64UrlEncode(*secret) : std::string();
  });
  if (!scalar.ok()) {
    return scalar.error();
  }
  Result<std::string> bytes = push::Base64UrlDecode(*scalar);
  if (!bytes.ok()) {
    return Internal((dir / "vapid.key").string() + ": not a base64url P-256 private key");
  }
  Result<push::P256Key> key = push::P256Key::FromPrivate(*bytes);
  if (!key.ok()) {
    return Internal((dir / "vapid.key").string() + ": not a P-256 private key");
  }
  return key;
}

// The configured plugins, then those of plugin_dir in name order.
std::vector<plugins::PluginSpec> PluginsToLoad(const ServerOptions& options) {
  std::vector<plugins::PluginSpec> specs = options.plugins;
  if (options.plugin_dir.empty()) {
    return specs;
  }
  std::vector<std::filesystem::path> libraries;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options.plugin_dir, ec)) {
    if (entry.path().extension() == ".so") {
      libraries.push_back(entry.path());
    }
  }
  if (ec) {
    spdlog::error("--plugin-dir {}: {}", options.plugin_dir, ec.message());
  }
  std::sort(libraries.begin(), libraries.end());
  for (const auto& library : libraries) {
    plugins::PluginSpec spec{library.stem().string(), library.string(), ""};
    auto config = library;
    config.replace_extension(".json");
    if (std::filesystem::exists(config)) {
      std::ifstream in(config);
      spec.config_json.assign(std::istreambuf_iterator<char>(in), {});
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

}  // namespace

struct Server::Parts {
  engine::SystemClock system_clock;
  http::Metrics metrics;
  std::string admin_token;
  std::unique_ptr<store::EventStore> store;
  engine::TokenRegistry tokens;
  std::unique_ptr<stream::EventHub> hub;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<plugins::PluginHost> plugin_host;
  std::unique_ptr<ChapterService> chapters;
  std::unique_ptr<MemberService> members;
  std::unique_ptr<MeetingService> meetings;
  std::unique_ptr<ReferralService> referrals;
  std::unique_ptr<EventService> events;
  std::unique_ptr<ReportService> reports;
  std::unique_ptr<PluginService> plugin_service;
  std::unique_ptr<InsightService> insights;
  std::unique_ptr<ImportService> imports;
  std::unique_ptr<store::PushStore> push_store;
  std::unique_ptr<push::PushWorker> push_worker;
  std::unique_ptr<PushService> push_service;
  // Before grpc_server: its interceptors use it until the server is gone.
  std::unique_ptr<PeerCallLimit> peer_calls;
  std::unique_ptr<grpc::Server> grpc_server;
  std::unique_ptr<http::Gateway> gateway;
  int port = 0;

  std::mutex mu;
  std::condition_variable cv;
  bool shut_down = false;
  bool stopped = false;
};

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  auto parts = std::make_unique<Parts>();
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Internal("--data-dir " + options.data_dir + ": " + ec.message());
  }
  const std::filesystem::path dir(options.data_dir);

  auto store = OpenStore(options, dir);
  if (!store.ok()) {
    return store.error();
  }
  parts->store = std::move(store).value();
  if (!options.admin_token.empty()) {
    parts->admin_token = options.admin_token;
  } else {
    auto token = SharedSecret(*parts->store, "admin_token", dir / "admin.token",
                              [] { return "rcp_admin_" + engine::RandomHex(20); });
    if (!token.ok()) {
      return token.error();
    }
    parts->admin_token = std::move(token).value();
  }
  auto secret = SharedSecret(*parts->store, "token_secret", dir / "token.secret",
                             [] { return engine::RandomHex(32); });
  if (!secret.ok()) {
    return secret.error();
  }
  parts->tokens.AddAdmin(parts->admin_token);
  parts->hub = std::make_unique<stream::EventHub>(options.feed_ring_capacity);
  const engine::Clock& clock = options.clock ? *options.clock : parts->system_clock;
  engine::EngineOptions engine_options;
  engine_options.worker_threads = options.worker_threads;
  engine_options.on_durable = [metrics = &parts->metrics](size_t count) {
    metrics->EventsAppended(count);
  };
  engine_options.limits = options.limits;
  engine_options.snapshots = options.snapshots;
  engine_options.on_limit_refused = [metrics = &parts->metrics](const char* limit,
                                                                const std::string& why) {
    metrics->LimitRefused(limit, why);
  };
  parts->engine = std::make_unique<engine::Engine>(*parts->store, clock, parts->tokens,
                                                   engine::TokenMinter(secret.value()), *parts->hub,
                                                   engine_options);
  if (auto s = parts->engine->Recover(); !s.ok()) {
    return s.error();
  }

  plugins::PluginHostOptions host_options;
  host_options.journal = dir / "plugins.jsonl";
  host_options.snapshot_dir = dir / "plugin-snapshots";
  host_options.snapshot_every_events = options.plugin_snapshot_every_events;
  for (const auto& allowed : options.plugin_dirs) {
    host_options.plugin_dirs.emplace_back(allowed);
  }
  if (!options.plugin_dir.empty()) {
    host_options.plugin_dirs.emplace_back(options.plugin_dir);
  }
  parts->plugin_host = std::make_unique<plugins::PluginHost>(
      *parts->engine, dir / "plugin-cache", options.plugin_tick_interval, host_options);
  for (const auto& spec : parts->plugin_host->PluginsToRestore(PluginsToLoad(options))) {
    // A plugin that does not load is reported, and the meeting goes on without it.
    if (auto loaded = parts->plugin_host->Load(spec); !loaded.ok()) {
      spdlog::error("plugin {} not loaded: {}", spec.path, loaded.error().message);
    }
  }

  auto& engine = *parts->engine;
  parts->chapters = std::make_unique<ChapterService>(engine, parts->tokens);
  parts->members = std::make_unique<MemberService>(engine, parts->tokens);
  parts->meetings = std::make_unique<MeetingService>(engine, parts->tokens);
  parts->referrals = std::make_unique<ReferralService>(engine, parts->tokens);
  parts->events = std::make_unique<EventService>(
      engine, parts->tokens, *parts->hub,
      StreamLimit{options.max_streams_per_principal,
                  [metrics = &parts->metrics](const std::string& why) {
                    metrics->LimitRefused("event_streams_per_principal", why);
                  }});
  parts->reports = std::make_unique<ReportService>(engine, parts->tokens);
  parts->plugin_service =
      std::make_unique<PluginService>(engine, parts->tokens, *parts->plugin_host);
  parts->insights = std::make_unique<InsightService>(engine, parts->tokens, *parts->plugin_host);
  parts->imports = std::make_unique<ImportService>(engine, parts->tokens);
  if (options.push_enabled) {
    auto push_store = OpenPushStore(options, dir);
    if (!push_store.ok()) {
      parts->plugin_host->Stop();
      parts->engine->Stop();
      return push_store.error();
    }
    parts->push_store = std::move(push_store).value();
    auto vapid = VapidKey(*parts->store, dir);
    if (!vapid.ok()) {
      parts->plugin_host->Stop();
      parts->engine->Stop();
      return vapid.error();
    }
    parts->push_worker = std::make_unique<push::PushWorker>(engine, *parts->push_store,
                                                            std::move(vapid).value(), options.push);
  }
  parts->push_service = std::make_unique<PushService>(
      engine, parts->tokens, parts->push_worker.get(), parts->push_store.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!options.tls_cert_chain.empty()) {
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({options.tls_private_key, options.tls_cert_chain});
    credentials = grpc::SslServerCredentials(ssl);
  }
  builder.AddListeningPort(options.listen, credentials, &parts->port);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  // Phones: allow their keepalive pings, drop dead connections, recycle old ones gently.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 30 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 6 * 60 * 60 * 1000);
  // What one connection may have open; with the calls per client address below, what one
  // client may cost (docs/limits.md: gRPC 1.51 cannot refuse a connection by address).
  if (options.max_streams_per_connection > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_streams_per_connection);
  }
  parts->peer_calls = std::make_unique<PeerCallLimit>(
      options.max_calls_per_address, [metrics = &parts->metrics](const std::string& why) {
        metrics->LimitRefused("grpc_calls_per_address", why);
      });
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(parts->peer_calls->InterceptorFactory());
  interceptors.push_back(UnparseableRequestInterceptorFactory());
  interceptors.push_back(parts->metrics.InterceptorFactory());
  // Last, so that every refusal above is localized too: the caller's Accept-Language, else its
  // chapter's language (docs/errors.md).
  interceptors.push_back(ErrorDetailsInterceptorFactory(
      [tokens = &parts->tokens, engine = parts->engine.get()](std::string_view authorization) {
        constexpr std::string_view kBearer = "Bearer ";
        if (!authorization.starts_with(kBearer)) {
          return std::string();
        }
        auto principal = tokens->Find(authorization.substr(kBearer.size()));
        if (!principal || principal->chapter.empty()) {
          return std::string();
        }
        for (const v1::Chapter& chapter : engine->ListChapters(*principal)) {
          if (chapter.name() == principal->chapter) {
            return chapter.language();
          }
        }
        return std::string();
      }));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(parts->chapters.get());
  builder.RegisterService(parts->members.get());
  builder.RegisterService(parts->meetings.get());
  builder.RegisterService(parts->referrals.get());
  builder.RegisterService(parts->events.get());
  builder.RegisterService(parts->reports.get());
  builder.RegisterService(parts->plugin_service.get());
  builder.RegisterService(parts->insights.get());
  builder.RegisterService(parts->imports.get());
  builder.RegisterService(parts->push_service.get());
  parts->grpc_server = builder.BuildAndStart();
  if (!parts->grpc_server || parts->port == 0) {
    parts->plugin_host->Stop();
    parts->engine->Stop();
    return Error{ErrorCode::kUnavailable,
                 "cannot listen on " + options.listen + " (address in use or malformed?)"};
  }
  if (!options.http.listen.empty()) {
    http::GatewayBackend backend;
    backend.channel = parts->grpc_server->InProcessChannel(grpc::ChannelArguments());
    backend.clock = &clock;
    backend.healthy = [engine = parts->engine.get()] { return engine->healthy(); };
    backend.metrics = &parts->metrics;
    backend.plugins = [host = parts->plugin_host.get()] { return host->List(); };
    backend.limits = options.limits;
    auto gateway =
        http::Gateway::Start(parts->engine->io_context(), options.http, std::move(backend));
    if (!gateway.ok()) {
      parts->grpc_server->Shutdown();
      parts->plugin_host->Stop();
      parts->engine->Stop();
      parts->grpc_server->Wait();
      return gateway.error();
    }
    parts->gateway = std::move(gateway).value();
  }
  if (parts->push_worker) {
    parts->push_worker->Start();
  }
  parts->grpc_server->GetHealthCheckService()->SetServingStatus(true);
  spdlog::info("reciprocad listening on {} (port {}), data in {}", options.listen, parts->port,
               options.store.empty() ? options.data_dir : store::RedactConninfo(options.store));
  return std::unique_ptr<Server>(new Server(std::move(parts)));
}

Server::Server(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Server::~Server() { Shutdown(); }

int Server::port() const { return parts_->port; }

int Server::http_port() const { return parts_->gateway ? parts_->gateway->port() : 0; }

const std::string& Server::admin_token() const { return parts_->admin_token; }

plugins::PluginHost& Server::plugin_host() { return *parts_->plugin_host; }

void Server::Shutdown() {
  {
    std::lock_guard lock(parts_->mu);
    if (parts_->shut_down) {
      return;
    }
    parts_->shut_down = true;
  }
  spdlog::info("shutting down: health NOT_SERVING, ending streams, draining calls");
  parts_->grpc_server->GetHealthCheckService()->SetServingStatus(false);
  if (parts_->gateway) {
    parts_->gateway->Stop();  // before the engine's Asio context, which it runs on, stops
  }
  parts_->hub->CloseAll();
  parts_->grpc_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (parts_->push_worker) {
    parts_->push_worker->Stop();  // before the engine, whose chapters it reads
  }
  parts_->plugin_host->Stop();
  parts_->engine->Stop();
  parts_->grpc_server->Wait();
  spdlog::info("stopped; everything acknowledged is durable");
  {
    std::lock_guard lock(parts_->mu);
    parts_->stopped = true;
  }
  parts_->cv.notify_all();
}

void Server::Wait() {
  std::unique_lock lock(parts_->mu);
  parts_->cv.wait(lock, [this] { return parts_->stopped; });
}

}  // namespace reciproca::api
