// Keyset page tokens (server/api/pagination.h): the codec refuses tampered, foreign and made-up
// tokens; CopyPage resumes after the last key whatever was inserted meanwhile.

#include "server/api/pagination.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "reciproca/v1/referral_service.pb.h"

namespace reciproca::api {
namespace {

constexpr std::string_view kQuery = "referrals:chapters/rome||||";

bool IsNotFromThisList(const Result<domain::ListKey>& r) {
  return !r.ok() && r.error().code == ErrorCode::kInvalidArgument &&
         r.error().message.rfind("page_token: not a token from this list", 0) == 0;
}

class PageTokensTest : public ::testing::Test {
 protected:
  engine::TokenMinter minter_{"secret-of-this-server"};
  PageTokens tokens_{minter_};
  const domain::ListKey key_{domain::DescendingKeyPart(42), "chapters/rome/referrals/42"};
};

TEST_F(PageTokensTest, Decode_ReturnsTheEncodedKey) {
  const std::string token = tokens_.Encode(kQuery, key_);
  auto decoded = tokens_.Decode(kQuery, token);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, key_);
  EXPECT_EQ(tokens_.Decode(kQuery, tokens_.Encode(kQuery, {})).value(), domain::ListKey{});
}

TEST_F(PageTokensTest, Encode_IsOpaqueBase64Url) {
  const std::string token = tokens_.Encode(kQuery, key_);
  EXPECT_EQ(
      std::string::npos,
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"));
  EXPECT_EQ(std::string::npos, token.find("referrals"));
}

TEST_F(PageTokensTest, Decode_RejectsEveryModifiedCharacter) {
  const std::string token = tokens_.Encode(kQuery, key_);
  for (size_t i = 0; i < token.size(); ++i) {
    std::string tampered = token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_TRUE(IsNotFromThisList(tokens_.Decode(kQuery, tampered))) << "position " << i;
  }
  EXPECT_TRUE(IsNotFromThisList(tokens_.Decode(kQuery, token.substr(0, token.size() - 1))));
  EXPECT_TRUE(IsNotFromThisList(tokens_.Decode(kQuery, token + "A")));
}

TEST_F(PageTokensTest, Decode_RejectsATokenOfAnotherQuery) {
  const std::string token = tokens_.Encode(kQuery, key_);
  EXPECT_TRUE(IsNotFromThisList(tokens_.Decode("referrals:chapters/rome|giver||||", token)));
  EXPECT_TRUE(IsNotFromThisList(tokens_.Decode("members:chapters/rome:active", token)));
}

TEST_F(PageTokensTest, Decode_RejectsATokenOfAnotherServer) {
  engine::TokenMinter other_minter("another-secret");
  PageTokens other(other_minter);
  EXPECT_TRUE(IsNotFromThisList(other.Decode(kQuery, tokens_.Encode(kQuery, key_))));
}

TEST_F(PageTokensTest, Decode_RejectsGarbage) {
  for (const std::string& garbage :
       {std::string("garbage"), std::string("p3.0badc0de"), std::string("!!!!"), std::string("A"),
        std::string(5000, 'A'), std::string("AAAA\xC3\xA9"), std::string("AQ=="),
        std::string("\0\0\0\0", 4)}) {
    EXPECT_TRUE(IsNotFromThisList(tokens_.Decode(kQuery, garbage))) << garbage;
  }
}

TEST(PageSize, DefaultsCapsAndRejectsNegative) {
  EXPECT_EQ(PageSize(0).value(), size_t{kDefaultPageSize});
  EXPECT_EQ(PageSize(7).value(), 7u);
  EXPECT_EQ(PageSize(1'000'000).value(), size_t{kMaxPageSize});
  auto negative = PageSize(-1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string::npos, negative.error().message.find("page_size"));
}

// Newest first, as referrals are listed.
v1::Referral Referral(int id) {
  v1::Referral r;
  r.set_name("chapters/rome/referrals/" + std::to_string(id));
  return r;
}

std::vector<v1::Referral> NewestFirst(std::vector<int> ids) {
  std::vector<v1::Referral> out;
  for (int id : ids) {
    out.push_back(Referral(id));
  }
  domain::SortByListKey(out, domain::ReferralListKey);
  return out;
}

struct Listed {
  std::vector<std::string> names;
  std::string next;
};

Listed Page(const PageTokens& tokens, const std::vector<v1::Referral>& items, int32_t size,
            const std::string& token) {
  v1::ListReferralsResponse response;
  auto next = CopyPage(tokens, {size, token, std::string(kQuery)}, items, domain::ReferralListKey,
                       [&response] { return response.add_referrals(); });
  EXPECT_TRUE(next.ok()) << next.error().message;
  Listed listed;
  for (const auto& r : response.referrals()) {
    listed.names.push_back(r.name());
  }
  listed.next = next.ok() ? *next : "";
  return listed;
}

TEST(CopyPage, ResumesAfterTheLastKeyWhenItemsArriveBetweenPages) {
  engine::TokenMinter minter("s");
  PageTokens tokens(minter);
  auto first = Page(tokens, NewestFirst({1, 2, 3, 4, 5, 6, 7}), 3, "");
  EXPECT_EQ(first.names,
            (std::vector<std::string>{"chapters/rome/referrals/7", "chapters/rome/referrals/6",
                                      "chapters/rome/referrals/5"}));
  ASSERT_FALSE(first.next.empty());
  // Three new referrals arrive (and 5, the cursor itself, is gone from a filtered list).
  auto second = Page(tokens, NewestFirst({1, 2, 3, 4, 6, 7, 8, 9, 10}), 3, first.next);
  EXPECT_EQ(second.names,
            (std::vector<std::string>{"chapters/rome/referrals/4", "chapters/rome/referrals/3",
                                      "chapters/rome/referrals/2"}));
  auto third = Page(tokens, NewestFirst({1, 2, 3, 4, 6, 7, 8, 9, 10, 11}), 3, second.next);
  EXPECT_EQ(third.names, (std::vector<std::string>{"chapters/rome/referrals/1"}));
  EXPECT_TRUE(third.next.empty());
}

TEST(CopyPage, NoNextTokenWhenThePageEndsTheList) {
  engine::TokenMinter minter("s");
  PageTokens tokens(minter);
  auto all = Page(tokens, NewestFirst({1, 2, 3}), 3, "");
  EXPECT_EQ(all.names.size(), 3u);
  EXPECT_TRUE(all.next.empty());
  EXPECT_TRUE(Page(tokens, {}, 0, "").names.empty());
}

TEST(ListKeys, NumbersOrderByteWiseAsNumbers) {
  const std::vector<int64_t> numbers = {INT64_MIN,         -5,       -1, 0, 1, 9, 10,
                                        1'000'000'000'000, INT64_MAX};
  for (int64_t a : numbers) {
    for (int64_t b : numbers) {
      EXPECT_EQ(a < b, domain::AscendingKeyPart(a) < domain::AscendingKeyPart(b)) << a << " " << b;
      EXPECT_EQ(a < b, domain::DescendingKeyPart(b) < domain::DescendingKeyPart(a))
          << a << " " << b;
    }
  }
}

}  // namespace
}  // namespace reciproca::api
