#pragma once

// The HTTPS client of Web Push (RFC 8030 section 5): one POST of an encrypted message to a push
// service's endpoint, over Boost.Beast and OpenSSL, the server certificate verified against the
// system's trust store (plus, for tests only, the CA of --push-ca-file) and the endpoint's host
// name. Blocking, with a deadline: called from the push worker's thread only.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace reciproca::push {

struct PushResponse {
  // The HTTP status, or 0 when no answer came (connection, TLS or deadline): the message is
  // retried.
  int status = 0;
  // Why there was no answer, or the Retry-After header's value; for the log line.
  std::string detail;
};

class PushSender {
 public:
  // `extra_ca_file`: a PEM file of CAs trusted besides the system's (test-only, documented);
  // "" for none.
  explicit PushSender(std::string extra_ca_file,
                      std::chrono::milliseconds deadline = std::chrono::seconds(15))
      : extra_ca_file_(std::move(extra_ca_file)), deadline_(deadline) {}

  PushResponse Post(const std::string& url,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& body) const;

 private:
  std::string extra_ca_file_;
  std::chrono::milliseconds deadline_;
};

}  // namespace reciproca::push
