#pragma once

// Bearer tokens: how they are made, hashed and looked up.
//
// The database stores only SHA-256 hashes. Member and display tokens are derived with
// HMAC-SHA-256 from a server secret (<data-dir>/token.secret, mode 0600) and the resource they
// belong to, so that a retried CreateMember/CreateChapter (same request_id) can hand out the very
// same token again without the plaintext ever being stored.

#include <map>
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
class TokenRegistry {
 public:
  void Add(const store::TokenRecord& record);
  void AddAdmin(std::string_view token);
  void RevokeMember(std::string_view member_name);
  std::optional<domain::Principal> Find(std::string_view token) const;

  static store::TokenRecord MemberRecord(std::string_view token, std::string_view chapter,
                                         std::string_view member);
  static store::TokenRecord DisplayRecord(std::string_view token, std::string_view chapter);

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, domain::Principal, std::less<>> by_hash_;
};

}  // namespace reciproca::engine
