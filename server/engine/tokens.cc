#include "server/engine/tokens.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace reciproca::engine {
namespace {

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return Hex(digest, size);
}

std::string RandomHex(size_t bytes) {
  std::string buffer(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buffer.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("the operating system's random source failed");
  }
  return Hex(reinterpret_cast<const unsigned char*>(buffer.data()), bytes);
}

std::string TokenMinter::Mint(std::string_view purpose) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(), mac, &size);
  return "rcp_" + Hex(mac, 20);
}

void TokenRegistry::Add(const store::TokenRecord& record) {
  domain::Principal principal;
  if (record.kind == "admin") {
    principal.kind = domain::Principal::Kind::kAdmin;
  } else if (record.kind == "display") {
    principal.kind = domain::Principal::Kind::kDisplay;
  } else {
    principal.kind = domain::Principal::Kind::kMember;
  }
  principal.chapter = record.chapter;
  principal.member = record.member;
  std::unique_lock lock(mu_);
  by_hash_[record.token_hash] = std::move(principal);
}

void TokenRegistry::AddAdmin(std::string_view token) {
  Add(store::TokenRecord{Sha256Hex(token), "admin", "", ""});
}

std::vector<std::function<void()>> TokenRegistry::EraseLocked(
    const std::function<bool(const std::string&, const domain::Principal&)>& revoked) {
  std::vector<std::string> hashes;
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    if (revoked(it->first, it->second)) {
      hashes.push_back(it->first);
      it = by_hash_.erase(it);
    } else {
      ++it;
    }
  }
  std::vector<std::function<void()>> callbacks;
  for (auto it = watchers_.begin(); it != watchers_.end();) {
    if (std::find(hashes.begin(), hashes.end(), it->second.token_hash) != hashes.end()) {
      callbacks.push_back(std::move(it->second.on_revoked));
      it = watchers_.erase(it);
    } else {
      ++it;
    }
  }
  return callbacks;
}

void TokenRegistry::RevokeMember(std::string_view member_name) {
  std::vector<std::function<void()>> callbacks;
  {
    std::unique_lock lock(mu_);
    callbacks = EraseLocked([&](const std::string&, const domain::Principal& principal) {
      return principal.kind == domain::Principal::Kind::kMember && principal.member == member_name;
    });
  }
  for (auto& callback : callbacks) {
    callback();
  }
}

void TokenRegistry::RevokeHash(std::string_view token_hash) {
  std::vector<std::function<void()>> callbacks;
  {
    std::unique_lock lock(mu_);
    callbacks = EraseLocked(
        [&](const std::string& hash, const domain::Principal&) { return hash == token_hash; });
  }
  for (auto& callback : callbacks) {
    callback();
  }
}

std::unique_ptr<TokenRegistry::Watch> TokenRegistry::WatchRevocation(
    std::string_view token, std::function<void()> on_revoked) const {
  std::string hash = Sha256Hex(token);
  std::unique_lock lock(mu_);
  if (by_hash_.find(hash) == by_hash_.end()) {
    return nullptr;
  }
  const uint64_t id = next_watch_++;
  watchers_.emplace(id, Watcher{std::move(hash), std::move(on_revoked)});
  return std::make_unique<Watch>(*this, id);
}

void TokenRegistry::Unwatch(uint64_t id) const {
  std::unique_lock lock(mu_);
  watchers_.erase(id);
}

TokenRegistry::Watch::~Watch() { registry_.Unwatch(id_); }

std::optional<domain::Principal> TokenRegistry::Find(std::string_view token) const {
  const std::string hash = Sha256Hex(token);
  std::shared_lock lock(mu_);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) {
    return std::nullopt;
  }
  return it->second;
}

store::TokenRecord TokenRegistry::MemberRecord(std::string_view token, std::string_view chapter,
                                               std::string_view member) {
  return {Sha256Hex(token), "member", std::string(chapter), std::string(member)};
}

store::TokenRecord TokenRegistry::DisplayRecord(std::string_view token, std::string_view chapter) {
  return {Sha256Hex(token), "display", std::string(chapter), ""};
}

}  // namespace reciproca::engine
