// Keyset pagination through the real server (server/api/pagination.h): paging ListReferrals
// while another client gives referrals returns every referral that existed when paging began,
// once, in order; a tampered token is refused.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "integration/server_fixture.h"
#include "server/domain/names.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class PaginationStableTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  // Gives referrals as Ana until told to stop, counting those acknowledged.
  void StartWriter() {
    writer_ = std::thread([this] {
      auto ana = As(ana_.token);
      while (!stop_) {
        v1::Referral given;
        auto status = GiveReferral(ana, "rome", marco_.member.name(), 3, &given);
        EXPECT_TRUE(status.ok()) << status.error_message();
        if (!status.ok()) {
          return;
        }
        std::lock_guard lock(mu_);
        ++written_;
        written_changed_.notify_all();
      }
    });
  }

  void StopWriter() {
    stop_ = true;
    if (writer_.joinable()) {
      writer_.join();
    }
  }

  // Waits until the writer has had `count` more referrals acknowledged.
  bool WaitForWrites(int count) {
    std::unique_lock lock(mu_);
    const int target = written_ + count;
    return written_changed_.wait_for(lock, std::chrono::seconds(10),
                                     [&] { return written_ >= target; });
  }

  void TearDown() override {
    StopWriter();
    ServerTest::TearDown();
  }

  NewMember ana_, marco_;
  std::thread writer_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable written_changed_;
  int written_ = 0;
};

TEST_F(PaginationStableTest, ListReferrals_WhileAnotherClientWrites_SeesEachOnceInOrder) {
  std::set<std::string> at_start;
  for (int i = 0; i < 32; ++i) {
    v1::Referral given;
    ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3, &given).ok());
    at_start.insert(given.name());
  }
  StartWriter();
  auto reader = As(marco_.token);
  v1::ListReferralsRequest request;
  request.set_parent("chapters/rome");
  request.set_page_size(5);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    v1::ListReferralsResponse response;
    auto status = Invoke(reader, [&](grpc::ClientContext* c) {
      return reader.referrals().ListReferrals(c, request, &response);
    });
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_LE(response.referrals_size(), 5);
    for (const v1::Referral& r : response.referrals()) {
      seen.push_back(r.name());
    }
    request.set_page_token(response.next_page_token());
    ++pages;
    // Referrals arrive between every two pages (newest first: they land before the cursor).
    ASSERT_TRUE(WaitForWrites(2)) << "the writer stalled";
  } while (!request.page_token().empty() && pages < 100);
  StopWriter();

  ASSERT_LT(pages, 100) << "paging never ended";
  const std::set<std::string> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), seen.size()) << "a referral was returned twice";
  for (const std::string& name : at_start) {
    EXPECT_EQ(1u, distinct.count(name)) << name << " was skipped";
  }
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GT(domain::NumericId(seen[i - 1]), domain::NumericId(seen[i])) << "not newest first";
  }
}

TEST_F(PaginationStableTest, ListReferrals_RefusesAModifiedOrForeignToken) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3).ok());
  }
  v1::ListReferralsRequest request;
  request.set_parent("chapters/rome");
  request.set_page_size(1);
  v1::ListReferralsResponse first;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().referrals().ListReferrals(c, request, &first);
              }).ok());
  std::string token = first.next_page_token();
  ASSERT_FALSE(token.empty());

  auto list = [&](const v1::ListReferralsRequest& r) {
    v1::ListReferralsResponse response;
    return Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().referrals().ListReferrals(c, r, &response);
    });
  };
  v1::ListReferralsRequest tampered = request;
  std::string modified = token;
  modified[modified.size() / 2] = modified[modified.size() / 2] == 'A' ? 'B' : 'A';
  tampered.set_page_token(modified);
  auto status = list(tampered);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_EQ(0u, status.error_message().find("page_token: not a token from this list"))
      << status.error_message();

  v1::ListReferralsRequest other_filter = request;
  other_filter.set_giver(ana_.member.name());
  other_filter.set_page_token(token);
  status = list(other_filter);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("page_token"));

  v1::ListMembersRequest members;
  members.set_parent("chapters/rome");
  members.set_page_token(token);
  v1::ListMembersResponse member_page;
  status = Invoke(admin(), [&](grpc::ClientContext* c) {
    return admin().members().ListMembers(c, members, &member_page);
  });
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
}

TEST_F(PaginationStableTest, ListMembers_ATokenSurvivesARestart) {
  v1::ListMembersRequest request;
  request.set_parent("chapters/rome");
  request.set_page_size(1);
  v1::ListMembersResponse first;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().members().ListMembers(c, request, &first);
              }).ok());
  ASSERT_EQ(1, first.members_size());
  RestartServer();
  request.set_page_token(first.next_page_token());
  v1::ListMembersResponse second;
  auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
    return admin().members().ListMembers(c, request, &second);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(1, second.members_size());
  EXPECT_EQ("Ana Rossi", first.members(0).display_name());
  EXPECT_EQ("Marco Bianchi", second.members(0).display_name());
  EXPECT_TRUE(second.next_page_token().empty());
}

}  // namespace
}  // namespace reciproca::testing
