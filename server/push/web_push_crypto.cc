#include "server/push/web_push_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <array>
#include <utility>
#include <vector>

namespace reciproca::push {
namespace {

constexpr size_t kPointSize = 65;
constexpr size_t kScalarSize = 32;
constexpr uint32_t kRecordSize = 4096;

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Freer<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Freer<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Freer<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using Kdf = std::unique_ptr<EVP_KDF, Freer<EVP_KDF, EVP_KDF_free>>;
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, Freer<EVP_KDF_CTX, EVP_KDF_CTX_free>>;
using Bignum = std::unique_ptr<BIGNUM, Freer<BIGNUM, BN_clear_free>>;
using Group = std::unique_ptr<EC_GROUP, Freer<EC_GROUP, EC_GROUP_free>>;
using Point = std::unique_ptr<EC_POINT, Freer<EC_POINT, EC_POINT_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Freer<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Freer<OSSL_PARAM, OSSL_PARAM_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Freer<ECDSA_SIG, ECDSA_SIG_free>>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Error CryptoError(std::string what) { return Internal("web push: " + std::move(what)); }

// A key of the P-256 group from OpenSSL parameters: the public point, and the private scalar when
// `scalar` is not empty.
Result<EVP_PKEY*> KeyFromParts(std::string_view point, std::string_view scalar) {
  ParamBld bld(OSSL_PARAM_BLD_new());
  Bignum priv;
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, SN_X9_62_prime256v1,
                                       0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size())) {
    return CryptoError("cannot build key parameters");
  }
  if (!scalar.empty()) {
    priv.reset(BN_bin2bn(Bytes(scalar), static_cast<int>(scalar.size()), nullptr));
    if (!priv || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get())) {
      return CryptoError("cannot build key parameters");
    }
  }
  Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, scalar.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR,
                        params.get()) <= 0) {
    return InvalidArgument("not a P-256 key");
  }
  // fromdata does not check that the point is on the curve: a hostile p256dh must not be used.
  PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) <= 0) {
    EVP_PKEY_free(key);
    return InvalidArgument("not a point of P-256");
  }
  return key;
}

Result<std::string> EncodedPublic(EVP_PKEY* key) {
  std::string point(kPointSize, '\0');
  size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                      reinterpret_cast<unsigned char*>(point.data()), point.size(),
                                      &length) <= 0 ||
      length != kPointSize) {
    return CryptoError("cannot encode the public key");
  }
  return point;
}

Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return CryptoError("no randomness");
  }
  return out;
}

}  // namespace

Result<std::string> Base64UrlDecode(std::string_view text) {
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
  }
  std::string out;
  if (!domain::Base64UrlDecode(text, &out)) {
    return InvalidArgument("not base64url");
  }
  return out;
}

P256Key::P256Key(EVP_PKEY* key) : key_(key) {}
P256Key::P256Key(P256Key&& other) noexcept
    : key_(std::exchange(other.key_, nullptr)), public_point_(std::move(other.public_point_)) {}
P256Key& P256Key::operator=(P256Key&& other) noexcept {
  std::swap(key_, other.key_);
  std::swap(public_point_, other.public_point_);
  return *this;
}
P256Key::~P256Key() { EVP_PKEY_free(key_); }

Result<P256Key> P256Key::Generate() {
  EVP_PKEY* raw = EVP_EC_gen(SN_X9_62_prime256v1);
  if (raw == nullptr) {
    return CryptoError("cannot generate a P-256 key");
  }
  P256Key key(raw);
  Result<std::string> point = EncodedPublic(raw);
  if (!point.ok()) {
    return point.error();
  }
  key.public_point_ = std::move(*point);
  return key;
}

Result<P256Key> P256Key::FromPrivate(std::string_view scalar) {
  if (scalar.size() != kScalarSize) {
    return InvalidArgument("a P-256 private key has 32 bytes");
  }
  // The public point is scalar × G, computed by OpenSSL's EC arithmetic.
  Group group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  Bignum priv(BN_bin2bn(Bytes(scalar), static_cast<int>(scalar.size()), nullptr));
  Point pub(group ? EC_POINT_new(group.get()) : nullptr);
  std::string point(kPointSize, '\0');
  if (!group || !priv || !pub ||
      EC_POINT_mul(group.get(), pub.get(), priv.get(), nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                         reinterpret_cast<unsigned char*>(point.data()), point.size(),
                         nullptr) != kPointSize) {
    return InvalidArgument("not a P-256 private key");
  }
  Result<EVP_PKEY*> raw = KeyFromParts(point, scalar);
  if (!raw.ok()) {
    return raw.error();
  }
  P256Key key(*raw);
  key.public_point_ = std::move(point);
  return key;
}

Result<P256Key> P256Key::FromPublic(std::string_view point) {
  if (point.size() != kPointSize || point[0] != 0x04) {
    return InvalidArgument("a P-256 public key is a 65-byte uncompressed point");
  }
  Result<EVP_PKEY*> raw = KeyFromParts(point, {});
  if (!raw.ok()) {
    return raw.error();
  }
  P256Key key(*raw);
  key.public_point_ = std::string(point);
  return key;
}

Result<std::string> P256Key::PrivateScalar() const {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key_, OSSL_PKEY_PARAM_PRIV_KEY, &raw) <= 0) {
    return FailedPrecondition("a public key has no private scalar");
  }
  Bignum priv(raw);
  std::string scalar(kScalarSize, '\0');
  if (BN_bn2binpad(priv.get(), reinterpret_cast<unsigned char*>(scalar.data()),
                   static_cast<int>(scalar.size())) != static_cast<int>(kScalarSize)) {
    return CryptoError("cannot encode the private key");
  }
  return scalar;
}

Result<std::string> P256Key::SharedSecret(const P256Key& peer) const {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_, nullptr));
  size_t length = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.key_) <= 0 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &length) <= 0) {
    return CryptoError("ECDH failed");
  }
  std::string secret(length, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(secret.data()), &length) <= 0) {
    return CryptoError("ECDH failed");
  }
  secret.resize(length);
  return secret;
}

Result<std::string> P256Key::SignEs256(std::string_view data) const {
  MdCtx ctx(EVP_MD_CTX_new());
  size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_) <= 0 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, Bytes(data), data.size()) <= 0) {
    return CryptoError("ES256 signing failed");
  }
  std::vector<unsigned char> der(length);
  if (EVP_DigestSign(ctx.get(), der.data(), &length, Bytes(data), data.size()) <= 0) {
    return CryptoError("ES256 signing failed");
  }
  // OpenSSL signs in DER; JWS wants r and s as two 32-byte big-endian integers.
  const unsigned char* p = der.data();
  EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(length)));
  if (!sig) {
    return CryptoError("ES256 signature unreadable");
  }
  std::string out(2 * kScalarSize, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), bytes, kScalarSize) != kScalarSize ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), bytes + kScalarSize, kScalarSize) != kScalarSize) {
    return CryptoError("ES256 signature too long");
  }
  return out;
}

bool P256Key::VerifyEs256(std::string_view data, std::string_view signature) const {
  if (signature.size() != 2 * kScalarSize) {
    return false;
  }
  EcdsaSig sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(Bytes(signature), kScalarSize, nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(signature) + kScalarSize, kScalarSize, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return false;
  }
  unsigned char* der = nullptr;
  int der_length = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_length <= 0) {
    return false;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_) > 0 &&
            EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_length), Bytes(data),
                             data.size()) == 1;
  OPENSSL_free(der);
  return ok;
}

Result<std::string> HkdfSha256(std::string_view salt, std::string_view ikm, std::string_view info,
                               size_t length) {
  Kdf kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  KdfCtx ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!ctx) {
    return CryptoError("no HKDF");
  }
  char digest[] = "SHA256";
  std::array<OSSL_PARAM, 5> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(ikm.data()),
                                        ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()),
                                        info.size()),
      OSSL_PARAM_construct_end()};
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), length,
                     params.data()) <= 0) {
    return CryptoError("HKDF failed");
  }
  return out;
}

Result<std::string> EncryptAes128gcm(std::string_view plaintext, std::string_view ua_public,
                                     std::string_view auth_secret, const P256Key& sender,
                                     std::string_view salt) {
  if (plaintext.size() > kMaxPushPlaintext) {
    return InvalidArgument("a push message holds at most 3993 bytes");
  }
  if (auth_secret.size() != 16 || salt.size() != 16) {
    return InvalidArgument("the auth secret and the salt have 16 bytes");
  }
  Result<P256Key> ua = P256Key::FromPublic(ua_public);
  if (!ua.ok()) {
    return ua.error();
  }
  Result<std::string> ecdh = sender.SharedSecret(*ua);
  if (!ecdh.ok()) {
    return ecdh.error();
  }
  // RFC 8291 section 3.4: key_info = "WebPush: info" || 0x00 || ua_public || as_public.
  std::string key_info("WebPush: info\0", 14);
  key_info.append(ua_public).append(sender.public_point());
  Result<std::string> ikm = HkdfSha256(auth_secret, *ecdh, key_info, 32);
  if (!ikm.ok()) {
    return ikm.error();
  }
  // RFC 8188 section 2.2 and 2.3.
  Result<std::string> cek =
      HkdfSha256(salt, *ikm, std::string_view("Content-Encoding: aes128gcm\0", 28), 16);
  Result<std::string> nonce =
      HkdfSha256(salt, *ikm, std::string_view("Content-Encoding: nonce\0", 24), 12);
  if (!cek.ok() || !nonce.ok()) {
    return CryptoError("HKDF failed");
  }
  // One record: the plaintext, then the last record's delimiter 0x02 (no padding).
  std::string record(plaintext);
  record.push_back('\x02');

  std::string body(salt);
  for (int shift = 24; shift >= 0; shift -= 8) {
    body.push_back(static_cast<char>((kRecordSize >> shift) & 0xff));
  }
  body.push_back(static_cast<char>(kPointSize));
  body.append(sender.public_point());
  size_t header = body.size();
  body.resize(header + record.size() + 16);
  auto* out = reinterpret_cast<unsigned char*>(body.data() + header);

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int written = 0;
  int final_written = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, Bytes(*cek), Bytes(*nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out, &written, Bytes(record), static_cast<int>(record.size())) !=
          1 ||
      EVP_EncryptFinal_ex(ctx.get(), out + written, &final_written) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, out + written + final_written) !=
          1) {
    return CryptoError("AES-128-GCM failed");
  }
  return body;
}

Result<std::string> EncryptForSubscription(std::string_view plaintext, std::string_view ua_public,
                                           std::string_view auth_secret) {
  Result<P256Key> sender = P256Key::Generate();
  Result<std::string> salt = RandomBytes(16);
  if (!sender.ok()) {
    return sender.error();
  }
  if (!salt.ok()) {
    return salt.error();
  }
  return EncryptAes128gcm(plaintext, ua_public, auth_secret, *sender, *salt);
}

Result<std::string> EndpointOrigin(std::string_view endpoint) {
  size_t scheme_end = endpoint.find("://");
  if (scheme_end == std::string_view::npos) {
    return InvalidArgument("not a URL");
  }
  std::string_view scheme = endpoint.substr(0, scheme_end);
  if (scheme != "https" && scheme != "http") {
    return InvalidArgument("not an https URL");
  }
  size_t authority_end = endpoint.find_first_of("/?#", scheme_end + 3);
  std::string_view origin = endpoint.substr(0, authority_end);
  if (origin.size() == scheme_end + 3 || origin.find('@') != std::string_view::npos) {
    return InvalidArgument("a URL needs a host (and no user)");
  }
  return std::string(origin);
}

Result<std::string> VapidJwt(const P256Key& key, std::string_view audience, int64_t expires_unix,
                             std::string_view subject) {
  // The claims are ours (an origin, a number, a mailto: or https: URL): no character needs
  // escaping in JSON, and a caller passing one that does gets an error rather than bad JSON.
  for (std::string_view text : {audience, subject}) {
    for (char c : text) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
        return InvalidArgument("a VAPID claim has a character JSON would escape");
      }
    }
  }
  std::string header = Base64UrlEncode(R"({"typ":"JWT","alg":"ES256"})");
  std::string claims = Base64UrlEncode("{\"aud\":\"" + std::string(audience) +
                                       "\",\"exp\":" + std::to_string(expires_unix) +
                                       ",\"sub\":\"" + std::string(subject) + "\"}");
  std::string signing_input = header + "." + claims;
  Result<std::string> signature = key.SignEs256(signing_input);
  if (!signature.ok()) {
    return signature.error();
  }
  return signing_input + "." + Base64UrlEncode(*signature);
}

std::string VapidAuthorization(std::string_view jwt, const P256Key& key) {
  return "vapid t=" + std::string(jwt) + ", k=" + Base64UrlEncode(key.public_point());
}

}  // namespace reciproca::push
