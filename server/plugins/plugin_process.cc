#include "server/plugins/plugin_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace reciproca::plugins {
namespace {

namespace pv1 = reciproca::plugin::v1;
using Clock = std::chrono::steady_clock;

constexpr size_t kStderrTailLines = 5;
constexpr std::streamoff kStderrTailBytes = 2048;

int RemainingMs(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

std::string DescribeStatus(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = strsignal(signal);
    return "killed by signal " + std::to_string(signal) + " (" + (name ? name : "?") + ")";
  }
  if (WIFEXITED(status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return "ended (wait status " + std::to_string(status) + ")";
}

// The last few lines of the host's stderr, on one line.
std::string StderrTail(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return "";
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(size > kStderrTailBytes ? size - kStderrTailBytes : 0);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  std::string tail;
  const size_t from = lines.size() > kStderrTailLines ? lines.size() - kStderrTailLines : 0;
  for (size_t i = from; i < lines.size(); ++i) {
    tail += (tail.empty() ? "" : " | ") + lines[i];
  }
  return tail;
}

}  // namespace

PluginProcess::PluginProcess(std::string name, std::string host_executable,
                             std::filesystem::path library, std::string shown_path,
                             std::filesystem::path work_root, ProcessLimits limits,
                             PluginLogSink log)
    : name_(std::move(name)),
      host_executable_(std::move(host_executable)),
      library_(std::move(library)),
      shown_path_(std::move(shown_path)),
      work_root_(std::move(work_root)),
      limits_(limits),
      log_(std::move(log)) {}

PluginProcess::~PluginProcess() { Destroy(); }

bool PluginProcess::Spawn(std::string* why) {
  std::error_code ec;
  if (access(host_executable_.c_str(), X_OK) != 0) {
    *why = "no plugin host executable at " + host_executable_ +
           " (install reciproca-plugin-host beside reciprocad, or set RECIPROCA_PLUGIN_HOST)";
    return false;
  }
  std::filesystem::create_directories(work_root_, ec);
  std::string dir_template = (work_root_ / (name_ + "-XXXXXX")).string();
  if (!mkdtemp(dir_template.data())) {
    *why = "cannot make a working directory under " + work_root_.string() + ": " +
           std::strerror(errno);
    return false;
  }
  working_dir_ = dir_template;
  const std::string stderr_path = (working_dir_ / "stderr.log").string();
  const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  int sockets[2];
  if (err < 0 || null < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    *why = std::string("cannot prepare the plugin host's descriptors: ") + std::strerror(errno);
    if (err >= 0) close(err);
    if (null >= 0) close(null);
    return false;
  }
  // Everything the child needs, built before fork: after it only async-signal-safe calls.
  const std::string memory = std::to_string(limits_.memory_mib);
  const std::string max_outputs = std::to_string(limits_.max_outputs_per_call);
  const std::string max_bytes = std::to_string(limits_.max_output_bytes);
  const std::string library = library_.string();
  const std::string working_dir = working_dir_.string();
  std::vector<const char*> argv = {host_executable_.c_str(),
                                   "--name",
                                   name_.c_str(),
                                   "--library",
                                   library.c_str(),
                                   "--shown-path",
                                   shown_path_.c_str(),
                                   "--working-dir",
                                   working_dir.c_str(),
                                   "--memory-mib",
                                   memory.c_str(),
                                   "--max-outputs",
                                   max_outputs.c_str(),
                                   "--max-output-bytes",
                                   max_bytes.c_str(),
                                   nullptr};
  // A clean environment: the server's may hold tokens (RECIPROCA_ADMIN_TOKEN).
  std::vector<std::string> env_strings = {"PATH=/usr/bin:/bin"};
  if (const char* tz = std::getenv("TZ")) {
    env_strings.push_back(std::string("TZ=") + tz);
  }
  std::vector<const char*> envp;
  for (const auto& e : env_strings) {
    envp.push_back(e.c_str());
  }
  envp.push_back(nullptr);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid == 0) {
    // The child. Die with the spawning thread of the server; if the server is already gone,
    // do not start at all.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
      _exit(127);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(null, 0);
    dup2(null, 1);
    dup2(err, 2);
    dup2(sockets[1], 3);
    // Nothing else of the server's: its database, its listening sockets, its token file.
    syscall(SYS_close_range, 4u, ~0u, 0u);
    execve(argv[0], const_cast<char* const*>(argv.data()), const_cast<char* const*>(envp.data()));
    _exit(127);
  }
  const int fork_errno = errno;
  close(err);
  close(null);
  close(sockets[1]);
  if (pid < 0) {
    close(sockets[0]);
    *why = std::string("fork: ") + std::strerror(fork_errno);
    return false;
  }
  fd_ = sockets[0];
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  std::lock_guard lock(pid_mu_);
  pid_ = pid;
  return !aborted_;
}

Result<PluginDescription> PluginProcess::Start(const std::string& config) {
  std::string why;
  if (!Spawn(&why)) {
    if (fd_ >= 0) {
      KillAndReap("stopped while starting", false);
    }
    return Error{ErrorCode::kUnavailable, "plugin " + name_ + ": " + why};
  }
  pv1::HostRequest request;
  request.set_start(config);
  pv1::HostReply reply;
  if (!Send(request, limits_.start_deadline, "start") ||
      !Receive(&reply, limits_.start_deadline, "create()")) {
    return Error{ErrorCode::kUnavailable, "plugin " + name_ + " crashed while starting: " + crash_};
  }
  if (!reply.ok() || !reply.has_started()) {
    const std::string error =
        reply.error().empty() ? "the plugin host could not start it" : reply.error();
    KillAndReap("refused to start", true);
    return FailedPrecondition(error);
  }
  const auto& started = reply.started();
  return PluginDescription{started.name(),         started.version(),     started.abi_version(),
                           started.capabilities(), started.has_on_tick(), started.has_snapshots(),
                           started.sandbox()};
}

bool PluginProcess::Send(const pv1::HostRequest& request, std::chrono::milliseconds deadline,
                         const std::string& what) {
  if (!crash_.empty()) {
    return false;
  }
  std::string bytes;
  AppendFrame(request, &bytes);
  const auto until = Clock::now() + deadline;
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      const int left = RemainingMs(until);
      if (left == 0 || poll(&p, 1, left) == 0) {
        KillAndReap(
            "did not read " + what + " within " + std::to_string(deadline.count()) + " ms (hung?)",
            false);
        return false;
      }
      continue;
    }
    KillAndReap("its socket closed", true);
    return false;
  }
  return true;
}

bool PluginProcess::Receive(pv1::HostReply* reply, std::chrono::milliseconds deadline,
                            const std::string& what) {
  if (!crash_.empty()) {
    return false;
  }
  const auto until = Clock::now() + deadline;
  std::string frame;
  for (;;) {
    switch (frames_.Take(&frame)) {
      case FrameBuffer::Next::kFrame:
        if (!reply->ParseFromString(frame)) {
          KillAndReap("it sent bytes that are not a reciproca.plugin.v1.HostReply", false);
          return false;
        }
        if (reply->has_log()) {
          log_(reply->log().level(), reply->log().message());
          reply->Clear();
          continue;
        }
        return true;
      case FrameBuffer::Next::kTooLarge:
        KillAndReap("it sent a frame over " + std::to_string(kMaxHostFrameBytes) + " bytes", false);
        return false;
      case FrameBuffer::Next::kIncomplete:
        break;
    }
    pollfd p{fd_, POLLIN, 0};
    const int left = RemainingMs(until);
    const int ready = left == 0 ? 0 : poll(&p, 1, left);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready == 0) {
      KillAndReap(
          "no answer to " + what + " within " + std::to_string(deadline.count()) + " ms (hung?)",
          false);
      return false;
    }
    char buffer[64 << 10];
    const ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      continue;
    }
    if (n <= 0) {
      KillAndReap("during " + what, true);
      return false;
    }
    frames_.Append(buffer, static_cast<size_t>(n));
  }
}

// A reply as a call's outcome (the reply's bytes are moved out).
static PluginCall FromReply(pv1::HostReply& reply) {
  PluginCall call;
  if (!reply.ok()) {
    call.outcome = PluginCall::Outcome::kError;
    call.error = reply.error();
  }
  call.outputs.assign(reply.outputs().begin(), reply.outputs().end());
  call.answer = std::move(*reply.mutable_answer());
  call.answered = reply.answered();
  return call;
}

PluginCall PluginProcess::Crashed() const {
  PluginCall call;
  call.outcome = PluginCall::Outcome::kCrashed;
  call.error = crash_;
  return call;
}

PluginCall PluginProcess::Call(const pv1::HostRequest& request, const std::string& what) {
  pv1::HostReply reply;
  if (!Send(request, limits_.call_deadline, what) ||
      !Receive(&reply, limits_.call_deadline, what)) {
    return Crashed();
  }
  return FromReply(reply);
}

void PluginProcess::OnEvents(const std::vector<std::string_view>& events,
                             const std::function<void(PluginCall&)>& each) {
  // One frame (usually one write) carries the whole batch; the host answers event by event,
  // each within the call deadline.
  pv1::HostRequest request;
  for (const auto event : events) {
    request.mutable_events()->add_events(event.data(), event.size());
  }
  if (!Send(request, limits_.call_deadline, "on_event")) {
    auto call = Crashed();
    return each(call);
  }
  for (size_t i = 0; i < events.size(); ++i) {
    pv1::HostReply reply;
    if (!Receive(&reply, limits_.call_deadline, "on_event")) {
      auto call = Crashed();
      return each(call);
    }
    auto call = FromReply(reply);
    each(call);
    if (!call.ok()) {
      return;
    }
  }
}

PluginCall PluginProcess::OnTick(const std::string& tick) {
  pv1::HostRequest request;
  request.set_tick(tick);
  return Call(request, "on_tick");
}

PluginCall PluginProcess::Query(const std::string& query) {
  pv1::HostRequest request;
  request.set_query(query);
  return Call(request, "query");
}

PluginCall PluginProcess::Snapshot() {
  pv1::HostRequest request;
  request.set_snapshot(true);
  return Call(request, "snapshot");
}

PluginCall PluginProcess::Restore(const std::string& state) {
  pv1::HostRequest request;
  request.set_restore(state);
  return Call(request, "restore");
}

void PluginProcess::Destroy() {
  if (fd_ < 0) {
    return;
  }
  if (crash_.empty()) {
    pv1::HostRequest request;
    request.set_shutdown(true);
    if (Send(request, std::chrono::milliseconds(500), "shutdown")) {
      // destroy() runs in the host; it then exits and closes the socket.
      pollfd p{fd_, POLLIN, 0};
      poll(&p, 1, 1000);
    }
  }
  if (crash_.empty()) {
    KillAndReap("shut down", true);
  }
}

void PluginProcess::KillAndReap(const std::string& why, bool already_exiting) {
  pid_t pid;
  {
    std::lock_guard lock(pid_mu_);
    pid = pid_;
  }
  int status = 0;
  bool reaped = false;
  if (pid > 0 && already_exiting) {
    // Its socket closed: it is most likely on its way out; give it a moment to be reaped with
    // its own status rather than ours.
    for (int i = 0; i < 40 && !reaped; ++i) {
      reaped = waitpid(pid, &status, WNOHANG) == pid;
      if (!reaped) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  }
  if (pid > 0 && !reaped) {
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  {
    std::lock_guard lock(pid_mu_);
    pid_ = -1;
  }
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  crash_ = why;
  if (pid > 0) {
    crash_ += ": plugin host " + DescribeStatus(status);
  }
  if (aborted_) {
    crash_ += " (the server is stopping)";
  }
  if (const auto tail = StderrTail(working_dir_ / "stderr.log"); !tail.empty()) {
    crash_ += "; its last stderr lines: " + tail;
  }
  std::error_code ec;
  if (!working_dir_.empty()) {
    std::filesystem::remove_all(working_dir_, ec);
  }
}

void PluginProcess::Abort() {
  std::lock_guard lock(pid_mu_);
  aborted_ = true;
  if (pid_ > 0) {
    kill(pid_, SIGKILL);  // the call in progress sees its socket close
  }
}

int PluginProcess::pid() const {
  std::lock_guard lock(pid_mu_);
  return pid_ > 0 ? pid_ : 0;
}

int64_t PluginProcess::MemoryBytes() const {
  const int id = pid();
  if (id <= 0) {
    return 0;
  }
  std::ifstream status("/proc/" + std::to_string(id) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stoll(line.substr(6)) * 1024;  // "VmRSS:    1234 kB"
    }
  }
  return 0;
}

}  // namespace reciproca::plugins
