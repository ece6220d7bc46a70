#pragma once

// Bearer tokens: how they are made, hashed and looked up.
//
// The database stores only SHA-256 hashes. Member and display tokens are derived with
// HMAC-SHA-256 from a server secret (<data-dir>/token.secret, mode 0600) and the resource they
// belong to, so that a retried CreateMember/CreateChapter (same request_id) can hand out the very
// same token again without the plaintext ever being stored.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
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
  // The display token of `generation` (0 at creation; RotateDisplayToken counts up). Generation
  // 0 is the token chapters had before rotation existed, so those stay valid until rotated.
  std::string ForDisplay(std::string_view chapter_name, int64_t generation = 0) const {
    std::string purpose = "display:" + std::string(chapter_name);
    if (generation > 0) {
      purpose += "#" + std::to_string(generation);
    }
    return Mint(purpose);
  }

 private:
  std::string secret_;
};

// Told once when the token it watches is revoked (TokenRegistry::Watch). Called from the
// thread that revoked it, with no registry lock held: must not block; post work away.
class TokenWatcher {
 public:
  virtual ~TokenWatcher() = default;
  // `reason`: for the person, e.g. "the display link was replaced; open the new one".
  virtual void OnRevoked(const std::string& reason) = 0;
};

// The in-memory map from token hash to principal. Thread-safe.
//
// Every revocation ends what the token opened: a stream that must stop when its token stops
// working (an event stream of a replaced display link, of a member who left) watches it, and is
// told by the revocation itself. This is the one hook for "a revoked token ends its streams".
class TokenRegistry {
 public:
  void Add(const store::TokenRecord& record);
  void AddAdmin(std::string_view token);
  // Revokes every token of the member and tells their watchers.
  void RevokeMember(std::string_view member_name);
  // Revokes the token of this SHA-256 hash (hex) and tells its watchers why (a display token is
  // revoked only when it is replaced).
  void RevokeHash(std::string_view token_hash);
  std::optional<domain::Principal> Find(std::string_view token) const;

  // Calls watcher->OnRevoked once, when `token` is revoked. False (and no call) when the token is
  // not valid now: the caller treats it as revoked. A watcher that is gone is forgotten.
  // Const: watching changes no token.
  bool Watch(std::string_view token, std::weak_ptr<TokenWatcher> watcher) const;

  static store::TokenRecord MemberRecord(std::string_view token, std::string_view chapter,
                                         std::string_view member);
  static store::TokenRecord DisplayRecord(std::string_view token, std::string_view chapter);

 private:
  // Removes the watchers of `hashes` under the lock and tells them after it.
  void Notify(std::unique_lock<std::shared_mutex>& lock, const std::vector<std::string>& hashes,
              const std::string& reason);

  mutable std::shared_mutex mu_;
  std::map<std::string, domain::Principal, std::less<>> by_hash_;
  mutable std::multimap<std::string, std::weak_ptr<TokenWatcher>, std::less<>> watchers_;
  mutable size_t watchers_after_sweep_ = 0;
};

}  // namespace reciproca::engine
