#include "server/push/web_push_crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace reciproca::push {
namespace {

std::string Decoded(std::string_view text) {
  Result<std::string> bytes = Base64UrlDecode(text);
  EXPECT_TRUE(bytes.ok()) << text;
  return bytes.ok() ? *bytes : std::string();
}

// RFC 8291, Appendix A: the exact keys, salt and expected body of the worked example.
constexpr std::string_view kPlaintext = "When I grow up, I want to be a watermelon";
constexpr std::string_view kAsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr std::string_view kAsPublic =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr std::string_view kUaPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
constexpr std::string_view kUaPublic =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr std::string_view kSalt = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr std::string_view kAuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr std::string_view kBody =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6T"
    "lzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy"
    "4a-fN";

TEST(WebPushCryptoTest, EncryptAes128gcm_ReproducesRfc8291AppendixA) {
  Result<P256Key> sender = P256Key::FromPrivate(Decoded(kAsPrivate));
  ASSERT_TRUE(sender.ok()) << sender.error().message;
  EXPECT_EQ(Base64UrlEncode(sender->public_point()), kAsPublic);

  Result<std::string> body = EncryptAes128gcm(kPlaintext, Decoded(kUaPublic), Decoded(kAuthSecret),
                                              *sender, Decoded(kSalt));
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(Base64UrlEncode(*body), kBody);
}

TEST(WebPushCryptoTest, SharedSecret_IsTheSameFromBothSides) {
  Result<P256Key> as = P256Key::FromPrivate(Decoded(kAsPrivate));
  Result<P256Key> ua = P256Key::FromPrivate(Decoded(kUaPrivate));
  ASSERT_TRUE(as.ok() && ua.ok());
  EXPECT_EQ(Base64UrlEncode(ua->public_point()), kUaPublic);
  Result<std::string> one = as->SharedSecret(*ua);
  Result<std::string> other = ua->SharedSecret(*as);
  ASSERT_TRUE(one.ok() && other.ok());
  EXPECT_EQ(one->size(), 32u);
  EXPECT_EQ(*one, *other);
}

TEST(WebPushCryptoTest, EncryptForSubscription_UsesAFreshKeyAndSaltEachTime) {
  Result<std::string> first =
      EncryptForSubscription("hi", Decoded(kUaPublic), Decoded(kAuthSecret));
  Result<std::string> second =
      EncryptForSubscription("hi", Decoded(kUaPublic), Decoded(kAuthSecret));
  ASSERT_TRUE(first.ok() && second.ok());
  // salt 16 + record size 4 + key id length 1 + key 65, then "hi", the delimiter and the tag.
  EXPECT_EQ(first->size(), 86u + 2 + 1 + 16);
  EXPECT_NE(first->substr(0, 16), second->substr(0, 16));
  EXPECT_NE(first->substr(21, 65), second->substr(21, 65));
}

TEST(WebPushCryptoTest, FromPublic_RejectsAPointOffTheCurve) {
  std::string point = Decoded(kUaPublic);
  point[40] ^= 0x01;
  Result<P256Key> key = P256Key::FromPublic(point);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(P256Key::FromPublic(point.substr(1)).ok());
}

TEST(WebPushCryptoTest, EncryptAes128gcm_RefusesAWrongSizedAuthSecretOrAPayloadTooLong) {
  Result<P256Key> sender = P256Key::Generate();
  ASSERT_TRUE(sender.ok());
  EXPECT_FALSE(EncryptAes128gcm("x", Decoded(kUaPublic), "short", *sender, Decoded(kSalt)).ok());
  EXPECT_FALSE(EncryptAes128gcm(std::string(kMaxPushPlaintext + 1, 'x'), Decoded(kUaPublic),
                                Decoded(kAuthSecret), *sender, Decoded(kSalt))
                   .ok());
}

TEST(WebPushCryptoTest, VapidJwt_IsAnEs256JwsOpenSslVerifiesWithThePublicKey) {
  Result<P256Key> key = P256Key::Generate();
  ASSERT_TRUE(key.ok());
  Result<std::string> jwt =
      VapidJwt(*key, "https://push.example.net", 1'800'000'000, "mailto:ops@example.org");
  ASSERT_TRUE(jwt.ok()) << jwt.error().message;

  size_t first = jwt->find('.');
  size_t second = jwt->find('.', first + 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_EQ(Decoded(jwt->substr(0, first)), R"({"typ":"JWT","alg":"ES256"})");
  EXPECT_EQ(
      Decoded(jwt->substr(first + 1, second - first - 1)),
      R"({"aud":"https://push.example.net","exp":1800000000,"sub":"mailto:ops@example.org"})");
  std::string signature = Decoded(jwt->substr(second + 1));
  ASSERT_EQ(signature.size(), 64u);

  // Verified by OpenSSL with a key that holds only the public point, as a push service has it.
  Result<P256Key> verifier = P256Key::FromPublic(key->public_point());
  ASSERT_TRUE(verifier.ok());
  std::string signed_part = jwt->substr(0, second);
  EXPECT_TRUE(verifier->VerifyEs256(signed_part, signature));
  std::string tampered = signature;
  tampered[10] ^= 0x40;
  EXPECT_FALSE(verifier->VerifyEs256(signed_part, tampered));
  EXPECT_FALSE(verifier->VerifyEs256(signed_part + "x", signature));

  EXPECT_EQ(VapidAuthorization(*jwt, *key),
            "vapid t=" + *jwt + ", k=" + Base64UrlEncode(key->public_point()));
}

TEST(WebPushCryptoTest, VapidJwt_RefusesAClaimThatWouldNeedEscaping) {
  Result<P256Key> key = P256Key::Generate();
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(VapidJwt(*key, "https://a\"b", 1, "mailto:x@y").ok());
}

TEST(WebPushCryptoTest, PrivateScalar_RoundTripsThroughFromPrivate) {
  Result<P256Key> key = P256Key::Generate();
  ASSERT_TRUE(key.ok());
  Result<std::string> scalar = key->PrivateScalar();
  ASSERT_TRUE(scalar.ok());
  Result<P256Key> again = P256Key::FromPrivate(*scalar);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_point(), key->public_point());
  Result<P256Key> public_only = P256Key::FromPublic(key->public_point());
  ASSERT_TRUE(public_only.ok());
  EXPECT_FALSE(public_only->PrivateScalar().ok());
}

TEST(WebPushCryptoTest, EndpointOrigin_IsSchemeHostAndPort) {
  EXPECT_EQ(*EndpointOrigin("https://push.example.net:8443/p/abc?x=1"),
            "https://push.example.net:8443");
  EXPECT_EQ(*EndpointOrigin("https://fcm.googleapis.com/fcm/send/x"), "https://fcm.googleapis.com");
  EXPECT_FALSE(EndpointOrigin("ftp://x/y").ok());
  EXPECT_FALSE(EndpointOrigin("https:///y").ok());
  EXPECT_FALSE(EndpointOrigin("https://user@host/y").ok());
}

TEST(WebPushCryptoTest, Base64Url_RoundTripsAndRejectsOtherText) {
  for (std::string bytes : {std::string(), std::string("a"), std::string("ab"), std::string("abc"),
                            std::string("\xff\xfe\x00\x01", 4)}) {
    EXPECT_EQ(Decoded(Base64UrlEncode(bytes)), bytes);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(Base64UrlDecode("a$b").ok());
  EXPECT_FALSE(Base64UrlDecode("a").ok());
}

}  // namespace
}  // namespace reciproca::push
