#pragma once

// The world the server harnesses fuzz: one real reciprocad (api::Server, the library the binary
// is made of) per fuzzing process, on 127.0.0.1:0 with a fresh data directory (in /dev/shm when
// there is one, so commits cost no disk flushes), and a chapter "chapters/fuzz" with an
// organizer, two members, a scheduled meeting and the display token, so that fuzzed requests can
// name things that exist. Started on first use, never stopped (libFuzzer ends the process); the
// data directory is removed at exit.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "server/app/server.h"

namespace reciproca::fuzz {

// Aborts with `what` unless `condition`: a broken promise of the server, which libFuzzer then
// reports as a crash with the input that caused it.
void Require(bool condition, const std::string& what);

struct World {
  api::Server* server = nullptr;
  std::shared_ptr<grpc::Channel> channel;
  std::string chapter = "chapters/fuzz";
  // Tokens, in the order a harness's principal byte picks them; the last one is no token.
  std::string admin_token;
  std::string organizer_token;
  std::string member_token;
  std::string display_token;
  std::vector<std::string> members;  // organizer, member, member
  std::string meeting;

  // Token by a fuzzed byte: admin, organizer, member, display, a made-up one, or none ("").
  const std::string& TokenFor(uint8_t selector) const;

 private:
  friend World& StartWorld(api::ServerOptions options);
  std::string made_up_token_ = "rcp_m_0000000000000000000000000000000000000000";
  std::string no_token_;
};

// Starts the world once (later calls return it); `options` adds to the defaults above (the
// gateway, plugins).
World& StartWorld(api::ServerOptions options = {});

// "authorization: Bearer TOKEN" on `context`, unless the token is empty.
void Authorize(grpc::ClientContext* context, const std::string& token);

}  // namespace reciproca::fuzz
