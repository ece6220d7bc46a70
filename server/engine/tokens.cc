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
  std::erase_if(by_hash_, [&](const auto& entry) {
    return entry.second.kind == domain::Principal::Kind::kMember &&
           entry.second.member == member_name;
  });
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
