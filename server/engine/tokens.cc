#include "server/engine/tokens.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

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

void TokenRegistry::RevokeMember(std::string_view member_name) {
  std::unique_lock lock(mu_);
  std::vector<std::string> revoked;
  std::erase_if(by_hash_, [&](const auto& entry) {
    const bool of_member =
        entry.second.kind == domain::Principal::Kind::kMember && entry.second.member == member_name;
    if (of_member) {
      revoked.push_back(entry.first);
    }
    return of_member;
  });
  Notify(lock, revoked, "your membership of the chapter ended; your access token is revoked");
}

void TokenRegistry::RevokeHash(std::string_view token_hash) {
  std::unique_lock lock(mu_);
  auto it = by_hash_.find(token_hash);
  if (it == by_hash_.end()) {
    return;
  }
  const std::string reason =
      it->second.kind == domain::Principal::Kind::kDisplay
          ? "the display link was replaced by an organizer; open the new display link"
          : "this access token was revoked; ask an organizer for a new one";
  std::vector<std::string> revoked{it->first};
  by_hash_.erase(it);
  Notify(lock, revoked, reason);
}

void TokenRegistry::Notify(std::unique_lock<std::shared_mutex>& lock,
                           const std::vector<std::string>& hashes, const std::string& reason) {
  std::vector<std::shared_ptr<TokenWatcher>> told;
  for (const std::string& hash : hashes) {
    auto [first, last] = watchers_.equal_range(hash);
    for (auto it = first; it != last; ++it) {
      if (auto watcher = it->second.lock()) {
        told.push_back(std::move(watcher));
      }
    }
    watchers_.erase(first, last);
  }
  lock.unlock();
  for (const auto& watcher : told) {
    watcher->OnRevoked(reason);
  }
}

bool TokenRegistry::Watch(std::string_view token, std::weak_ptr<TokenWatcher> watcher) const {
  const std::string hash = Sha256Hex(token);
  std::unique_lock lock(mu_);
  if (!by_hash_.contains(hash)) {
    return false;
  }
  // Streams end without unwatching: forget the watchers that are gone whenever the map has
  // doubled since the last sweep, so it stays proportional to the open streams.
  if (watchers_.size() >= 2 * watchers_after_sweep_ + 64) {
    std::erase_if(watchers_, [](const auto& entry) { return entry.second.expired(); });
    watchers_after_sweep_ = watchers_.size();
  }
  watchers_.emplace(hash, std::move(watcher));
  return true;
}

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
