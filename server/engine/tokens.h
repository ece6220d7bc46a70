#pragma once

// Bearer tokens: how they are made, hashed and looked up.
//
// The database stores only SHA-256 hashes. Member and display tokens are derived with
// HMAC-SHA-256 from a server secret (<data-dir>/token.secret, mode 0600) and the resource they
// belong to, so that a retried CreateMember/CreateChapter (same request_id) can hand out the very
// same token again without the plaintext ever being stored.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/principal.h"
#include "server/store/event_store.h"

namespace reciproca::engine {

std::string Sha256Hex(std::string_view data);
// `bytes` random bytes from the operating system's CSPRNG, hex-encoded.
std::string RandomHex(size_t bytes);

class TokenMinter {
 public:
  explicit TokenMinter(std::string secret) : secret_(std::move(secret)) {}
  // "rcp_" + 40 hex characters of HMAC-SHA-256(secret, purpose).
  std::string Mint(std::string_view purpose) const;
  std::string ForMember(std::string_view member_name) const {
    return Mint("member:" + std::string(member_name));
  }
  std::string ForDisplay(std::string_view chapter_name) const {
    return Mint("display:" + std::string(chapter_name));
  }

 private:
  std::string secret_;
};

// The in-memory map from token hash to principal. Thread-safe.
//
// Revocation watches: whatever stays open on a token (an event stream) watches it, and is told
// when the token stops working, so that removing a member or rotating a display token ends what
// the old token still had open. A watch's callback runs once, on the thread that revokes (the
// group committer's, for a revocation that a commit carries), after the registry's lock is
// released: it must not block (post the work away) and must not destroy its own watch. It may
// run while its watch is being destroyed on another thread, so it should hold its target weakly.
class TokenRegistry {
 public:
  // Unregisters its callback when destroyed. Must not outlive the registry.
  class Watch {
   public:
    Watch(const TokenRegistry& registry, uint64_t id) : registry_(registry), id_(id) {}
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

   private:
    const TokenRegistry& registry_;
    uint64_t id_;
  };

  void Add(const store::TokenRecord& record);
  void AddAdmin(std::string_view token);
  // Every token of the member stops working; their watches are told.
  void RevokeMember(std::string_view member_name);
  // The token with this SHA-256 hash (hex) stops working; its watches are told. Unknown: no-op.
  void RevokeHash(std::string_view token_hash);
  std::optional<domain::Principal> Find(std::string_view token) const;

  // Calls `on_revoked` once when `token` is revoked. nullptr when the token is unknown (never
  // valid, or revoked already): the caller should treat it as unauthenticated. Const: watching
  // changes no token.
  std::unique_ptr<Watch> WatchRevocation(std::string_view token,
                                         std::function<void()> on_revoked) const;

  static store::TokenRecord MemberRecord(std::string_view token, std::string_view chapter,
                                         std::string_view member);
  static store::TokenRecord DisplayRecord(std::string_view token, std::string_view chapter);

 private:
  struct Watcher {
    std::string token_hash;
    std::function<void()> on_revoked;
  };
  void Unwatch(uint64_t id) const;
  // Removes the tokens `revoked` selects and returns their watchers' callbacks. Under mu_.
  std::vector<std::function<void()>> EraseLocked(
      const std::function<bool(const std::string&, const domain::Principal&)>& revoked);

  mutable std::shared_mutex mu_;
  std::map<std::string, domain::Principal, std::less<>> by_hash_;
  mutable std::map<uint64_t, Watcher> watchers_;
  mutable uint64_t next_watch_ = 1;
};

}  // namespace reciproca::engine
