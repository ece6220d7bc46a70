#pragma once

// The cryptography of Web Push, all of it from OpenSSL's EVP interfaces (no primitive of our own):
//   - RFC 8291 message encryption with RFC 8188's "aes128gcm" content coding: P-256 ECDH between a
//     fresh sender key and the subscription's p256dh key, HKDF-SHA-256 keyed by the subscription's
//     auth secret, AES-128-GCM, one record;
//   - RFC 8292 VAPID: an ES256 JWT signed with the server's P-256 key and the
//     "vapid t=<jwt>, k=<public key>" Authorization header.
//
// Keys and secrets are raw bytes (std::string): a P-256 public key is its 65-byte uncompressed
// point, a private key its 32-byte scalar. Randomness (salts, fresh keys) comes from OpenSSL's
// RAND_bytes, except where a caller passes it in (the RFC's worked example in the tests). Nothing
// here logs: keys never reach a log line.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "server/domain/base64url.h"
#include "server/domain/result.h"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT: OpenSSL's own typedef

namespace reciproca::push {

// base64url without padding (RFC 4648 section 5), the encoding of keys in Web Push.
using domain::Base64UrlEncode;
// The bytes of base64url text, unpadded or padded with '=' (as some clients send it);
// kInvalidArgument for anything else.
Result<std::string> Base64UrlDecode(std::string_view text);

// A P-256 key pair (or a public key only). Movable, not copyable.
class P256Key {
 public:
  // A fresh key pair.
  static Result<P256Key> Generate();
  // The key pair of a 32-byte private scalar (its public point is computed).
  static Result<P256Key> FromPrivate(std::string_view scalar);
  // A public key from its 65-byte uncompressed point; refused when not on the curve.
  static Result<P256Key> FromPublic(std::string_view point);

  P256Key(P256Key&&) noexcept;
  P256Key& operator=(P256Key&&) noexcept;
  ~P256Key();

  // The 65-byte uncompressed public point.
  const std::string& public_point() const { return public_point_; }
  // The 32-byte private scalar; empty for a public key. A secret: never log it.
  Result<std::string> PrivateScalar() const;
  // ECDH with a peer's public key: the 32-byte shared secret.
  Result<std::string> SharedSecret(const P256Key& peer) const;
  // ES256 (ECDSA P-256 with SHA-256) over `data`: the 64-byte r||s of JWS (RFC 7518 3.4).
  Result<std::string> SignEs256(std::string_view data) const;
  // Checks a 64-byte r||s ES256 signature over `data`.
  bool VerifyEs256(std::string_view data, std::string_view signature) const;

 private:
  explicit P256Key(EVP_PKEY* key);
  EVP_PKEY* key_ = nullptr;
  std::string public_point_;
};

// RFC 5869 HKDF with SHA-256 (extract and expand).
Result<std::string> HkdfSha256(std::string_view salt, std::string_view ikm, std::string_view info,
                               size_t length);

// RFC 8291 section 3 + RFC 8188: `plaintext` encrypted for the subscription whose public key is
// `ua_public` (65 bytes) and auth secret `auth_secret` (16 bytes), by `sender` (an ephemeral key
// pair) with `salt` (16 bytes): the whole request body (header with the salt, record size 4096
// and the sender's public key as key id, then one record). Plaintexts longer than
// kMaxPushPlaintext are refused.
inline constexpr size_t kMaxPushPlaintext = 3993;  // 4096 - 16 (tag) - 1 (delimiter) - 86 (header)
Result<std::string> EncryptAes128gcm(std::string_view plaintext, std::string_view ua_public,
                                     std::string_view auth_secret, const P256Key& sender,
                                     std::string_view salt);
// The same with a fresh sender key and a random salt, as every real message is sent.
Result<std::string> EncryptForSubscription(std::string_view plaintext, std::string_view ua_public,
                                           std::string_view auth_secret);

// "https://push.example.net:8443" for "https://push.example.net:8443/p/abc": the audience of a
// VAPID JWT (RFC 8292 section 2). An error for anything but an https (or http) URL.
Result<std::string> EndpointOrigin(std::string_view endpoint);

// RFC 8292 section 2: the compact JWS {"typ":"JWT","alg":"ES256"} over
// {"aud":audience,"exp":expires_unix,"sub":subject}, signed with `key`.
Result<std::string> VapidJwt(const P256Key& key, std::string_view audience, int64_t expires_unix,
                             std::string_view subject);
// RFC 8292 section 3: "vapid t=<jwt>, k=<base64url public point>".
std::string VapidAuthorization(std::string_view jwt, const P256Key& key);

}  // namespace reciproca::push
