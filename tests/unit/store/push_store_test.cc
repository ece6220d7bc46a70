// The PushStore contract (server/store/push_store.h) against SQLite and PostgreSQL alike: the
// subscriptions and the member's choices, the cursor that moves once, the queue's lease, and an
// endpoint's removal taking its messages with it.

#include "server/store/push_store.h"

#include <gtest/gtest.h>

#include "server/store/postgres_push_store.h"
#include "server/store/sqlite_push_store.h"
#include "store_test_support.h"

namespace reciproca::store {
namespace {

class PushStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      auto backend = std::make_unique<PostgresBackend>();
      uri_ = backend->uri();
      backend_ = std::move(backend);
    } else {
      auto backend = std::make_unique<SqliteBackend>();
      path_ = backend->db_path();
      backend_ = std::move(backend);
    }
    // The event store migrates the schema the push store uses.
    Result<std::unique_ptr<EventStore>> events = backend_->Open();
    ASSERT_TRUE(events.ok()) << events.error().message;
    events_ = std::move(events).value();
    if (GetParam() == "postgresql") {
      auto opened = PostgresPushStore::Open(uri_);
      ASSERT_TRUE(opened.ok()) << opened.error().message;
      push_ = std::move(opened).value();
    } else {
      auto opened = SqlitePushStore::Open(path_);
      ASSERT_TRUE(opened.ok()) << opened.error().message;
      push_ = std::move(opened).value();
    }
  }

  static PushSubscription Subscription(const std::string& member, const std::string& endpoint,
                                       int64_t kinds) {
    return {"chapters/c", member, endpoint, "p256dh-" + endpoint, "auth-" + endpoint, kinds, 1};
  }

  static PushMessage Message(const std::string& member, const std::string& endpoint,
                             const std::string& tag, int64_t due) {
    PushMessage m;
    m.member = member;
    m.endpoint = endpoint;
    m.kind = "referral";
    m.tag = tag;
    m.payload = R"({"title":"t"})";
    m.ttl_seconds = 60;
    m.urgency = "high";
    m.due_micros = due;
    return m;
  }

  std::unique_ptr<StoreBackend> backend_;
  std::string uri_;
  std::string path_;
  std::unique_ptr<EventStore> events_;
  std::unique_ptr<PushStore> push_;
};

INSTANTIATE_TEST_SUITE_P(Stores, PushStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST_P(PushStoreTest, PutSubscription_SetsTheMembersChoicesOnAllTheirPhones) {
  ASSERT_TRUE(push_->PutSubscription(Subscription("m/1", "https://a/1", 6), 5).ok());
  ASSERT_TRUE(push_->PutSubscription(Subscription("m/1", "https://a/2", 2), 5).ok());
  ASSERT_TRUE(push_->PutSubscription(Subscription("m/2", "https://a/3", 8), 5).ok());
  std::vector<PushSubscription> mine;
  ASSERT_TRUE(push_->ListSubscriptions("chapters/c", "m/1", &mine).ok());
  ASSERT_EQ(2u, mine.size());
  EXPECT_EQ(2, mine[0].kinds);
  EXPECT_EQ(2, mine[1].kinds);
  EXPECT_EQ("auth-https://a/1", mine[0].auth);
  std::vector<PushSubscription> all;
  ASSERT_TRUE(push_->ListSubscriptions("chapters/c", "", &all).ok());
  EXPECT_EQ(3u, all.size());
  // The first subscription started the chapter's cursor at its last seq then.
  EXPECT_EQ(5, *push_->Cursor("chapters/c"));
  // Someone else's endpoint is not theirs to remove.
  ASSERT_TRUE(push_->DeleteSubscription("m/2", "https://a/1").ok());
  ASSERT_TRUE(push_->ListSubscriptions("chapters/c", "m/1", &mine).ok());
  EXPECT_EQ(2u, mine.size());
}

TEST_P(PushStoreTest, Enqueue_MovesTheCursorOnceAndQueuesWithIt) {
  EXPECT_EQ(-1, *push_->Cursor("chapters/c"));
  ASSERT_TRUE(*push_->Enqueue({"chapters/c", -1, 3, {}, {}}));
  // A second server that read the cursor as it was: nothing written.
  EXPECT_FALSE(*push_->Enqueue({"chapters/c", -1, 4, {}, {}}));
  ASSERT_TRUE(push_->PutSubscription(Subscription("m/1", "https://a/1", 2), 0).ok());
  EXPECT_EQ(3, *push_->Cursor("chapters/c"));  // kept: the cursor was there first
  PushBatch batch{"chapters/c", 3, 7, {Message("m/1", "https://a/1", "", 100)}, {}};
  ASSERT_TRUE(*push_->Enqueue(batch));
  EXPECT_FALSE(*push_->Enqueue(batch));
  EXPECT_EQ(7, *push_->Cursor("chapters/c"));
  std::vector<PushMessage> due;
  ASSERT_TRUE(push_->ClaimDue(100, 200, 10, &due).ok());
  ASSERT_EQ(1u, due.size());  // once, not twice
  EXPECT_EQ("p256dh-https://a/1", due[0].p256dh);
  EXPECT_EQ("high", due[0].urgency);
}

TEST_P(PushStoreTest, ClaimDue_LeasesSoAnotherClaimSeesNothingUntilPostponedOrExpired) {
  ASSERT_TRUE(push_->PutSubscription(Subscription("m/1", "https://a/1", 2), 0).ok());
  ASSERT_TRUE(*push_->Enqueue(
      {"chapters/c",
       0,
       2,
       {Message("m/1", "https://a/1", "", 100), Message("m/1", "https://a/1", "", 500)},
       {}}));
  std::vector<PushMessage> due;
  ASSERT_TRUE(push_->ClaimDue(100, 1000, 10, &due).ok());
  ASSERT_EQ(1u, due.size());  // the second is not due yet
  std::vector<PushMessage> again;
  ASSERT_TRUE(push_->ClaimDue(200, 1000, 10, &again).ok());
  EXPECT_TRUE(again.empty());  // leased
  ASSERT_TRUE(push_->Postpone(due[0].id, 300, 1).ok());
  ASSERT_TRUE(push_->ClaimDue(300, 1000, 10, &again).ok());
  ASSERT_EQ(1u, again.size());
  EXPECT_EQ(1, again[0].attempts);
  ASSERT_TRUE(push_->Forget(again[0].id).ok());
  ASSERT_TRUE(push_->ClaimDue(2000, 3000, 10, &again).ok());
  ASSERT_EQ(1u, again.size());  // the later one, now due
  EXPECT_EQ(500, again[0].due_micros);
}

TEST_P(PushStoreTest, DropEndpointAndCancelledTags_TakeTheirQueuedMessages) {
  ASSERT_TRUE(push_->PutSubscription(Subscription("m/1", "https://a/1", 2), 0).ok());
  ASSERT_TRUE(push_->PutSubscription(Subscription("m/2", "https://a/2", 2), 0).ok());
  ASSERT_TRUE(*push_->Enqueue(
      {"chapters/c",
       0,
       1,
       {Message("m/1", "https://a/1", "meeting:x", 0), Message("m/2", "https://a/2", "", 0),
        Message("m/2", "https://a/2", "meeting:x", 0)},
       {}}));
  ASSERT_TRUE(*push_->Enqueue({"chapters/c", 1, 2, {}, {"meeting:x"}}));
  ASSERT_TRUE(push_->DropEndpoint("https://a/1").ok());
  std::vector<PushMessage> due;
  ASSERT_TRUE(push_->ClaimDue(10, 20, 10, &due).ok());
  ASSERT_EQ(1u, due.size());
  EXPECT_EQ("https://a/2", due[0].endpoint);
  EXPECT_EQ("", due[0].tag);
  std::vector<PushSubscription> left;
  ASSERT_TRUE(push_->ListSubscriptions("chapters/c", "", &left).ok());
  ASSERT_EQ(1u, left.size());
  EXPECT_EQ("m/2", left[0].member);
}

}  // namespace
}  // namespace reciproca::store
