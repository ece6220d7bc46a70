// The HTTP gateway (server/http) as a browser or an attacker reaches it: the input is the raw
// bytes a client sends on one connection (request line, headers, body; several pipelined requests
// are fine), written to the real gateway of a whole in-process reciprocad (fuzz_server.h), after
// which the client stops sending and reads what comes back. In the input, @ADMIN@, @ORGANIZER@,
// @MEMBER@ and @DISPLAY@ stand for the world's real tokens, so seeds reach past authentication.
//
// Asserted besides "no crash, no UB, no leak": the gateway answers and closes the connection
// within a deadline (an event stream counts as answered once its head arrives); no response is
// 500 or 501 (INTERNAL, UNKNOWN, UNIMPLEMENTED: a request must never look like a server fault).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_server.h"

namespace {

using reciproca::fuzz::Require;

std::string WithTokens(std::string text, const reciproca::fuzz::World& world) {
  for (const auto& [placeholder, token] :
       {std::pair<std::string_view, const std::string&>{"@ADMIN@", world.admin_token},
        {"@ORGANIZER@", world.organizer_token},
        {"@MEMBER@", world.member_token},
        {"@DISPLAY@", world.display_token}}) {
    for (size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + token.size())) {
      text.replace(at, placeholder.size(), token);
    }
  }
  return text;
}

// Checks each complete response in `received`; true once an event stream's head arrived.
bool CheckResponses(std::string_view received) {
  size_t at = 0;
  while (at < received.size()) {
    const size_t head_end = received.find("\r\n\r\n", at);
    if (head_end == std::string_view::npos || received.substr(at, 5) != "HTTP/") {
      return false;
    }
    const std::string_view head = received.substr(at, head_end - at);
    const size_t space = head.find(' ');
    Require(space != std::string_view::npos && space + 4 <= head.size(),
            "a response without a status: " + std::string(head.substr(0, 80)));
    const std::string code(head.substr(space + 1, 3));
    Require(code != "500" && code != "501",
            "the gateway answered " + std::string(head.substr(0, head.find('\r'))));
    if (head.find("text/event-stream") != std::string_view::npos) {
      return true;
    }
    size_t length = 0;
    for (std::string_view key : {"\r\nContent-Length: ", "\r\ncontent-length: "}) {
      if (const size_t k = head.find(key); k != std::string_view::npos) {
        length = std::strtoull(std::string(head.substr(k + key.size(), 20)).c_str(), nullptr, 10);
      }
    }
    at = head_end + 4 + length;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static reciproca::fuzz::World& world = []() -> reciproca::fuzz::World& {
    reciproca::api::ServerOptions options;
    options.http.listen = "127.0.0.1:0";
    return reciproca::fuzz::StartWorld(options);
  }();
  const std::string request =
      WithTokens(std::string(reinterpret_cast<const char*>(data), size), world);

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  Require(fd >= 0, "socket()");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(world.server->http_port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  Require(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0,
          "connect() to the gateway");
  // The gateway may answer (413, 431, 400) and close before reading everything: a failed send
  // is fine, what came back is checked all the same.
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      break;
    }
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);

  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool streaming = false;
  while (!streaming) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    Require(left.count() > 0, "the gateway neither answered nor closed within 20 s");
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      continue;
    }
    char buffer[16384];
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      break;  // closed (or reset after a refusal)
    }
    received.append(buffer, static_cast<size_t>(n));
    streaming = CheckResponses(received);
  }
  CheckResponses(received);
  close(fd);
  return 0;
}
