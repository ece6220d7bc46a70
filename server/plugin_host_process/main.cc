// reciproca-plugin-host: runs one plugin out of the server's process.
//
//   reciproca-plugin-host --name NAME --library COPY --shown-path PATH --working-dir DIR
//                         [--memory-mib N] [--max-outputs N] [--max-output-bytes N]
//
// reciprocad starts it (server/plugins/plugin_process.cc) with the socket as fd 3. It enters its
// sandbox (sandbox.h), dlopens the library through the unchanged C ABI, then answers the
// server's calls (proto/reciproca/plugin/v1/host.proto) one at a time until the server says
// shutdown or closes the socket. Whatever the plugin does to this process (crash, hang, leak)
// the server sees as this process dying or not answering.

#include <reciproca/plugin.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "reciproca/plugin/v1/host.pb.h"
#include "server/plugin_host_process/sandbox.h"
#include "server/plugins/host_frames.h"
#include "server/plugins/plugin_library.h"

namespace reciproca::plugin_host {
namespace {

namespace pv1 = reciproca::plugin::v1;
using plugins::AppendFrame;
using plugins::FrameBuffer;
using plugins::OpenCopiedPluginLibrary;
using plugins::PluginLibrary;
constexpr int kSocket = 3;
constexpr size_t kMaxLogLine = 4096;

struct Args {
  std::string name;
  std::string library;
  std::string shown_path;
  std::string working_dir;
  uint64_t memory_mib = 0;
  size_t max_outputs = 256;
  size_t max_output_bytes = 64 << 10;
};

bool ParseArgs(int argc, char** argv, Args* args) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--name") {
      args->name = value;
    } else if (key == "--library") {
      args->library = value;
    } else if (key == "--shown-path") {
      args->shown_path = value;
    } else if (key == "--working-dir") {
      args->working_dir = value;
    } else if (key == "--memory-mib") {
      args->memory_mib = std::stoull(value);
    } else if (key == "--max-outputs") {
      args->max_outputs = std::stoull(value);
    } else if (key == "--max-output-bytes") {
      args->max_output_bytes = std::stoull(value);
    } else {
      std::cerr << "reciproca-plugin-host: unknown option " << key << "\n";
      return false;
    }
  }
  return !args->library.empty() && !args->working_dir.empty();
}

// The host's one writer: replies and log lines (a plugin may log from any thread).
class Wire {
 public:
  // Writes the reply now, after any queued ones (so the order stays the order of the calls).
  void Send(const pv1::HostReply& reply) {
    std::lock_guard lock(mu_);
    AppendFrame(reply, &queued_);
    WriteQueued();
  }

  // Queues the reply of one event of a batch: the replies of a batch go out in few writes (one
  // wakeup of the server's reader, not one per event), at most kReplyDelay after the last write
  // or the batch's start, so a reply waits at most kReplyDelay plus the next event's call.
  void Queue(const pv1::HostReply& reply) {
    std::lock_guard lock(mu_);
    AppendFrame(reply, &queued_);
    if (std::chrono::steady_clock::now() - last_write_ >= kReplyDelay) {
      WriteQueued();
    }
  }
  // A batch starts: its first reply is not held back by the time before it.
  void StartBatch() {
    std::lock_guard lock(mu_);
    last_write_ = std::chrono::steady_clock::now();
  }
  void Flush() {
    std::lock_guard lock(mu_);
    WriteQueued();
  }

  // The next request, or false when the server closed the socket.
  bool Receive(pv1::HostRequest* request) {
    std::string frame;
    for (;;) {
      switch (frames_.Take(&frame)) {
        case FrameBuffer::Next::kFrame:
          return request->ParseFromString(frame);
        case FrameBuffer::Next::kTooLarge:
          return false;
        case FrameBuffer::Next::kIncomplete:
          break;
      }
      char buffer[64 << 10];
      const ssize_t n = read(kSocket, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return false;
      }
      frames_.Append(buffer, static_cast<size_t>(n));
    }
  }

 private:
  // Well under any call deadline (the server applies one per event reply).
  static constexpr std::chrono::milliseconds kReplyDelay{20};

  // Under mu_.
  void WriteQueued() {
    size_t sent = 0;
    while (sent < queued_.size()) {
      const ssize_t n = write(kSocket, queued_.data() + sent, queued_.size() - sent);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        _exit(0);  // the server is gone: nothing left to do
      }
      sent += static_cast<size_t>(n);
    }
    queued_.clear();
    last_write_ = std::chrono::steady_clock::now();
  }

  std::mutex mu_;
  FrameBuffer frames_;
  std::string queued_;
  std::chrono::steady_clock::time_point last_write_;
};

// The host side of the ABI: what reciproca_host's callbacks write into.
struct Session {
  const Args* args = nullptr;
  Wire wire;
  const reciproca_plugin_v1* table = nullptr;
  bool has_on_tick = false;
  bool library_has_snapshots = false;
  void* plugin = nullptr;
  reciproca_host host{};
  // The call in progress (emit is only valid during on_event and on_tick, on the calling thread).
  pv1::HostReply* current = nullptr;
  bool flooded = false;
  std::mutex log_mu;
  std::string last_error_log;
};

void Emit(void* context, const uint8_t* data, size_t size) {
  auto* session = static_cast<Session*>(context);
  if (!session->current || session->flooded) {
    return;
  }
  if (static_cast<size_t>(session->current->outputs_size()) >= session->args->max_outputs ||
      size > session->args->max_output_bytes) {
    session->flooded = true;
    session->current->set_ok(false);
    session->current->set_error(
        size > session->args->max_output_bytes
            ? "emitted an output of " + std::to_string(size) + " bytes; the limit is " +
                  std::to_string(session->args->max_output_bytes)
            : "emitted more than " + std::to_string(session->args->max_outputs) +
                  " outputs in one call");
    session->current->clear_outputs();
    return;
  }
  session->current->add_outputs(reinterpret_cast<const char*>(data), size);
}

void Log(void* context, int level, const char* message) {
  auto* session = static_cast<Session*>(context);
  pv1::HostReply reply;
  std::string line = message ? message : "";
  if (line.size() > kMaxLogLine) {
    line.resize(kMaxLogLine);
  }
  if (level >= RECIPROCA_LOG_ERROR) {
    std::lock_guard lock(session->log_mu);
    session->last_error_log = line;
  }
  reply.mutable_log()->set_level(level);
  reply.mutable_log()->set_message(std::move(line));
  session->wire.Send(reply);
}

void Finish(Session& session, reciproca_status status, pv1::HostReply& reply) {
  if (status != RECIPROCA_OK && !session.flooded) {
    reply.set_ok(false);
    const char* why = session.table->last_error(session.plugin);
    reply.set_error(why ? why : "");
  } else if (!session.flooded) {
    reply.set_ok(true);
  }
  session.current = nullptr;
  session.flooded = false;
}

void Start(Session& session, const std::string& config, const PluginLibrary& library,
           const std::string& sandbox) {
  pv1::HostReply reply;
  session.table = library.table;
  session.has_on_tick = library.has_on_tick;
  session.library_has_snapshots = library.has_snapshots;
  session.host.struct_size = sizeof(reciproca_host);
  session.host.abi_major = RECIPROCA_PLUGIN_ABI_MAJOR;
  session.host.abi_minor = RECIPROCA_PLUGIN_ABI_MINOR;
  session.host.context = &session;
  session.host.emit = &Emit;
  session.host.log = &Log;
  session.plugin = session.table->create(
      &session.host, reinterpret_cast<const uint8_t*>(config.data()), config.size());
  if (!session.plugin) {
    std::lock_guard lock(session.log_mu);
    reply.set_ok(false);
    reply.set_error(
        "plugin " + session.args->name + " refused to start: " +
        (session.last_error_log.empty() ? "create() returned NULL" : session.last_error_log));
    return session.wire.Send(reply);
  }
  reply.set_ok(true);
  auto* started = reply.mutable_started();
  started->set_name(session.table->name);
  started->set_version(session.table->version);
  started->set_abi_version(library.abi_version);
  started->set_capabilities(session.table->capabilities);
  started->set_has_on_tick(library.has_on_tick);
  started->set_sandbox(sandbox);
  started->set_has_snapshots(library.has_snapshots);
  session.wire.Send(reply);
}

void OnEvents(Session& session, const pv1::HostEvents& events) {
  session.wire.StartBatch();
  for (const auto& event : events.events()) {
    pv1::HostReply reply;
    session.current = &reply;
    const auto status = session.table->on_event(
        session.plugin, reinterpret_cast<const uint8_t*>(event.data()), event.size());
    Finish(session, status, reply);
    session.wire.Queue(reply);
    if (!reply.ok()) {
      break;  // the server stops at the first failure, and so do we
    }
  }
  session.wire.Flush();
}

void OnTick(Session& session, const std::string& tick) {
  pv1::HostReply reply;
  if (!session.has_on_tick) {
    reply.set_ok(true);
    return session.wire.Send(reply);
  }
  session.current = &reply;
  const auto status = session.table->on_tick(
      session.plugin, reinterpret_cast<const uint8_t*>(tick.data()), tick.size());
  Finish(session, status, reply);
  session.wire.Send(reply);
}

// A reciproca_write_fn: the bytes are the reply's answer (a query's, a snapshot's).
void WriteAnswer(void* sink, const uint8_t* data, size_t size) {
  auto* out = static_cast<pv1::HostReply*>(sink);
  out->set_answer(reinterpret_cast<const char*>(data), size);
  out->set_answered(true);
}

void Query(Session& session, const std::string& query) {
  pv1::HostReply reply;
  const auto status =
      session.table->query(session.plugin, reinterpret_cast<const uint8_t*>(query.data()),
                           query.size(), &WriteAnswer, &reply);
  Finish(session, status, reply);
  session.wire.Send(reply);
}

// snapshot(): the state goes back as the reply's answer.
void Snapshot(Session& session) {
  pv1::HostReply reply;
  const auto status = session.table->snapshot(session.plugin, &WriteAnswer, &reply);
  Finish(session, status, reply);
  session.wire.Send(reply);
}

void Restore(Session& session, const std::string& state) {
  pv1::HostReply reply;
  const auto status = session.table->restore(
      session.plugin, reinterpret_cast<const uint8_t*>(state.data()), state.size());
  Finish(session, status, reply);
  session.wire.Send(reply);
}

int Run(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    std::cerr << "usage: reciproca-plugin-host --name NAME --library COPY --working-dir DIR "
                 "[--shown-path PATH] [--memory-mib N] [--max-outputs N] "
                 "[--max-output-bytes N] (started by reciprocad, with its socket as fd 3)\n";
    return 2;
  }
  if (args.shown_path.empty()) {
    args.shown_path = args.library;
  }
  std::signal(SIGPIPE, SIG_IGN);
  SandboxOptions sandbox_options;
  sandbox_options.working_dir = args.working_dir;
  sandbox_options.library_path = args.library;
  sandbox_options.memory_bytes = args.memory_mib << 20;
  std::string sandbox;
  const bool sandboxed = EnterSandbox(sandbox_options, &sandbox);

  Session session;
  session.args = &args;
  pv1::HostRequest request;
  if (!session.wire.Receive(&request) || request.call_case() != pv1::HostRequest::kStart) {
    return 1;
  }
  if (!sandboxed) {
    pv1::HostReply reply;
    reply.set_error("the plugin host could not enter its sandbox: " + sandbox);
    session.wire.Send(reply);
    return 1;
  }
  auto library = OpenCopiedPluginLibrary(args.library, args.shown_path);
  if (!library.ok()) {
    pv1::HostReply reply;
    reply.set_error(library.error().message);
    session.wire.Send(reply);
    return 0;
  }
  Start(session, request.start(), *library, sandbox);
  if (!session.plugin) {
    return 0;
  }
  while (session.wire.Receive(&request)) {
    switch (request.call_case()) {
      case pv1::HostRequest::kEvents:
        OnEvents(session, request.events());
        break;
      case pv1::HostRequest::kTick:
        OnTick(session, request.tick());
        break;
      case pv1::HostRequest::kQuery:
        Query(session, request.query());
        break;
      case pv1::HostRequest::kSnapshot:
        if (!session.library_has_snapshots) {
          return 1;
        }
        Snapshot(session);
        break;
      case pv1::HostRequest::kRestore:
        if (!session.library_has_snapshots) {
          return 1;
        }
        Restore(session, request.restore());
        break;
      case pv1::HostRequest::kShutdown:
        session.table->destroy(session.plugin);
        return 0;
      default:
        return 1;
    }
  }
  return 0;  // the server closed the socket: it is gone or done with us
}

}  // namespace
}  // namespace reciproca::plugin_host

int main(int argc, char** argv) { return reciproca::plugin_host::Run(argc, argv); }
