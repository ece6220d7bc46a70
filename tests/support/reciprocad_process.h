#pragma once

// The built reciprocad as a child process (for what an in-process Server cannot show: SIGKILL,
// nginx in front), and a bounded wait.

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace reciproca::testing {

// Polls `condition` every 10 ms until it holds or `limit` passes; its last value.
template <class Condition>
bool Eventually(Condition condition, std::chrono::seconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

// reciprocad --listen 127.0.0.1:0 --store STORE --data-dir DIR, with the admin token given;
// killed (SIGKILL) with the object unless stopped before.
class ReciprocadProcess {
 public:
  ReciprocadProcess(const std::string& store, const std::filesystem::path& dir,
                    const std::string& admin_token, const std::string& listen = "127.0.0.1:0")
      : port_file_(dir / "port") {
    std::filesystem::remove(port_file_);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setenv("RECIPROCA_ADMIN_TOKEN", admin_token.c_str(), 1);
      const std::string data_dir = dir.string();
      const std::string port_file = port_file_.string();
      ::execl(RECIPROCAD_PATH, RECIPROCAD_PATH, "--listen", listen.c_str(), "--store",
              store.c_str(), "--data-dir", data_dir.c_str(), "--port-file", port_file.c_str(),
              "--log-level", "warn", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~ReciprocadProcess() { Stop(SIGKILL); }
  ReciprocadProcess(const ReciprocadProcess&) = delete;
  ReciprocadProcess& operator=(const ReciprocadProcess&) = delete;

  // The port, once the process serves (0 if it did not within 30 s).
  int WaitPort() {
    Eventually([&] { return std::filesystem::exists(port_file_); }, std::chrono::seconds(30));
    std::ifstream in(port_file_);
    int port = 0;
    in >> port;
    return port;
  }

  // Sends `signal` and waits for the process to end.
  void Stop(int signal) {
    if (pid_ > 0) {
      ::kill(pid_, signal);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

 private:
  std::filesystem::path port_file_;
  pid_t pid_ = -1;
};

}  // namespace reciproca::testing
