// Subscribe: replay, then live; resume from the last seq with no gap and no duplicate; seq stays
// contiguous under concurrent writers; a stalled subscriber slows nobody.

#include <atomic>
#include <thread>

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class StreamTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  static void ExpectContiguous(const std::vector<v1::Event>& events, int64_t first) {
    for (size_t i = 0; i < events.size(); ++i) {
      ASSERT_EQ(first + static_cast<int64_t>(i), events[i].seq()) << "at index " << i;
      EXPECT_EQ("chapters/rome", events[i].chapter());
      EXPECT_TRUE(events[i].has_time());
      EXPECT_FALSE(events[i].actor().empty());
    }
  }

  NewMember ana_, marco_;
};

TEST_F(StreamTest, ReplaysThenGoesLiveThenResumesWithoutGapOrDuplicate) {
  // seq 1 chapter, 2 and 3 members.
  auto context = As(ana_.token).NewContext(true);
  v1::SubscribeRequest request;
  request.set_chapter("chapters/rome");
  auto reader = As(ana_.token).events().Subscribe(context.get(), request);
  std::vector<v1::Event> seen;
  v1::Event event;
  for (int i = 0; i < 3 && reader->Read(&event); ++i) {
    seen.push_back(event);
  }
  ASSERT_EQ(3u, seen.size());
  EXPECT_TRUE(seen[0].has_chapter_created());

  // Live: a referral given now arrives on the open stream.
  v1::Referral referral;
  ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 4, &referral).ok());
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(4, event.seq());
  ASSERT_TRUE(event.has_referral_given());
  EXPECT_EQ(referral.name(), event.referral_given().referral().name());
  EXPECT_EQ(ana_.member.name(), event.actor());
  seen.push_back(event);

  // Disconnect; more happens meanwhile; resume from the last seq seen.
  context->TryCancel();
  reader->Finish();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(GiveReferral(As(marco_.token), "rome", ana_.member.name(), 2).ok());
  }
  auto resumed = ReadEvents(As(ana_.token), "chapters/rome", seen.back().seq(), 5);
  ASSERT_EQ(5u, resumed.size());
  ExpectContiguous(resumed, 5);
}

TEST_F(StreamTest, AfterSeqBeyondTheLastEventIsOutOfRange) {
  auto context = admin().NewContext(true);
  v1::SubscribeRequest request;
  request.set_chapter("chapters/rome");
  request.set_after_seq(99);
  auto reader = admin().events().Subscribe(context.get(), request);
  v1::Event event;
  EXPECT_FALSE(reader->Read(&event));
  auto status = reader->Finish();
  EXPECT_EQ(StatusCode::OUT_OF_RANGE, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("after_seq"));
}

TEST_F(StreamTest, NegativeAfterSeqAndUnknownChapterAreRejected) {
  for (auto [chapter, after, code] :
       {std::tuple{"chapters/rome", int64_t{-1}, StatusCode::INVALID_ARGUMENT},
        std::tuple{"chapters/nowhere", int64_t{0}, StatusCode::NOT_FOUND},
        std::tuple{"rome", int64_t{0}, StatusCode::INVALID_ARGUMENT}}) {
    auto context = admin().NewContext(true);
    v1::SubscribeRequest request;
    request.set_chapter(chapter);
    request.set_after_seq(after);
    auto reader = admin().events().Subscribe(context.get(), request);
    v1::Event event;
    EXPECT_FALSE(reader->Read(&event));
    EXPECT_EQ(code, reader->Finish().error_code()) << chapter;
  }
}

TEST_F(StreamTest, ConcurrentWritersKeepSeqContiguous) {
  constexpr int kWriters = 4;
  constexpr int kEach = 50;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const auto& from = w % 2 ? ana_ : marco_;
      const auto& to = w % 2 ? marco_ : ana_;
      for (int i = 0; i < kEach; ++i) {
        if (!GiveReferral(As(from.token), "rome", to.member.name(), 1 + i % 5).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : writers) {
    t.join();
  }
  EXPECT_EQ(0, failures.load());
  auto events = ReadEvents(admin(), "chapters/rome", 0, 3 + kWriters * kEach);
  ASSERT_EQ(size_t{3 + kWriters * kEach}, events.size());
  ExpectContiguous(events, 1);
}

TEST_F(StreamTest, StalledSubscriberDoesNotSlowOthers) {
  // A subscriber that never reads: its stream is open, gRPC's flow control fills up.
  auto stalled_context = admin().NewContext(true);
  v1::SubscribeRequest request;
  request.set_chapter("chapters/rome");
  auto stalled = admin().events().Subscribe(stalled_context.get(), request);

  constexpr int kReferrals = 300;
  std::thread writer([&] {
    for (int i = 0; i < kReferrals; ++i) {
      // ~2 KB notes so the stalled stream's window fills quickly.
      v1::GiveReferralRequest r;
      r.set_parent("chapters/rome");
      r.mutable_referral()->set_receiver(marco_.member.name());
      r.mutable_referral()->set_temperature(3);
      r.mutable_referral()->set_note(std::string(900, 'x'));
      r.set_request_id(client::Client::NewRequestId());
      v1::Referral out;
      auto as = As(ana_.token);
      auto context = as.NewContext();
      ASSERT_TRUE(as.referrals().GiveReferral(context.get(), r, &out).ok());
    }
  });
  // A live subscriber receives everything while the other one is stuck.
  auto events =
      ReadEvents(As(marco_.token), "chapters/rome", 0, 3 + kReferrals, std::chrono::seconds(30));
  writer.join();
  ASSERT_EQ(size_t{3 + kReferrals}, events.size());
  ExpectContiguous(events, 1);
  stalled_context->TryCancel();
  stalled->Finish();
}

class SmallRingStreamTest : public StreamTest {
 protected:
  void SetUp() override {
    feed_ring_capacity_ = 8;
    StreamTest::SetUp();
  }
};

TEST_F(SmallRingStreamTest, ReplayReadsOlderEventsFromTheStore) {
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 1 + i % 5).ok());
  }
  auto events = ReadEvents(admin(), "chapters/rome", 0, 603);
  ASSERT_EQ(603u, events.size());
  ExpectContiguous(events, 1);
  auto tail = ReadEvents(admin(), "chapters/rome", 590, 13);
  ASSERT_EQ(13u, tail.size());
  ExpectContiguous(tail, 591);
}

TEST_F(StreamTest, ReplayAfterRestartComesFromTheStore) {
  ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 4).ok());
  RestartServer();
  auto events = ReadEvents(As(marco_.token), "chapters/rome", 0, 4);
  ASSERT_EQ(4u, events.size());
  ExpectContiguous(events, 1);
  EXPECT_TRUE(events[3].has_referral_given());
}

}  // namespace
}  // namespace reciproca::testing
