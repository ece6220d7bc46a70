// Revoking a token ends what it still has open: removing a member ends their gRPC Subscribe and
// their HTTP event stream (/api/events, a Subscribe client inside the server) within a second,
// with UNAUTHENTICATED and a message, while everyone else's streams keep flowing.

#include <chrono>

#include "integration/http_client.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

class RevocationTest : public ServerTest {
 protected:
  void SetUp() override {
    http_.listen = "127.0.0.1:0";
    ServerTest::SetUp();
    display_token_ = CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  std::string display_token_;
  NewMember ana_, marco_;
};

TEST_F(RevocationTest, RemovingAMemberEndsTheirStreamWithinASecondAndOnlyTheirs) {
  auto marco = As(marco_.token);
  auto marco_context = marco.NewContext(/*streaming=*/true);
  marco_context->set_deadline(Clock::now() + std::chrono::seconds(20));
  v1::SubscribeRequest request;
  request.set_chapter("chapters/rome");
  auto marco_stream = marco.events().Subscribe(marco_context.get(), request);

  auto display = As(display_token_);
  auto display_context = display.NewContext(/*streaming=*/true);
  display_context->set_deadline(Clock::now() + std::chrono::seconds(20));
  auto display_stream = display.events().Subscribe(display_context.get(), request);

  // Both are live: they read the log so far (chapter created, two members joined).
  v1::Event event;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(marco_stream->Read(&event));
    ASSERT_TRUE(display_stream->Read(&event));
  }

  RemoveMember(marco_.member.name());
  const auto removed_at = steady_clock::now();
  // Marco's stream may deliver the removal event itself, then it ends.
  while (marco_stream->Read(&event)) {
  }
  const auto ended_after = steady_clock::now() - removed_at;
  grpc::Status status = marco_stream->Finish();
  EXPECT_EQ(StatusCode::UNAUTHENTICATED, status.error_code());
  EXPECT_EQ("your membership of the chapter ended; your access token is revoked",
            status.error_message());
  EXPECT_LT(ended_after, milliseconds(1000));

  // The display's stream is untouched: it sees the removal and what comes next.
  ASSERT_TRUE(display_stream->Read(&event));
  EXPECT_TRUE(event.has_member_left()) << event.DebugString();
  const NewMember luca = AddMember("rome", "Luca Verdi", "Baker");
  ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", luca.member.name(), 4).ok());
  ASSERT_TRUE(display_stream->Read(&event));
  EXPECT_TRUE(event.has_member_added()) << event.DebugString();
  ASSERT_TRUE(display_stream->Read(&event));
  EXPECT_TRUE(event.has_referral_given()) << event.DebugString();
  display_context->TryCancel();
  display_stream->Finish();

  // A new stream on the revoked token is refused at once.
  auto again_context = marco.NewContext(/*streaming=*/true);
  auto again = marco.events().Subscribe(again_context.get(), request);
  EXPECT_FALSE(again->Read(&event));
  EXPECT_EQ(StatusCode::UNAUTHENTICATED, again->Finish().error_code());
}

TEST_F(RevocationTest, RemovingAMemberEndsTheirHttpEventStream) {
  SseReader marco(server_->http_port(), "/api/events?chapter=chapters/rome&after_seq=0",
                  marco_.token);
  SseReader display(server_->http_port(), "/api/events?chapter=chapters/rome&after_seq=0",
                    display_token_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(marco.NextEvent());
    ASSERT_TRUE(display.NextEvent());
  }
  RemoveMember(marco_.member.name());
  const auto removed_at = steady_clock::now();
  std::optional<SseFrame> frame;
  do {
    frame = marco.NextEvent(milliseconds(2000));
  } while (frame && frame->event == "event");
  ASSERT_TRUE(frame) << "the stream ended without saying why";
  EXPECT_LT(steady_clock::now() - removed_at, milliseconds(1000));
  EXPECT_EQ("error", frame->event);
  EXPECT_NE(frame->data.find("\"UNAUTHENTICATED\""), std::string::npos) << frame->data;
  EXPECT_NE(frame->data.find("your membership of the chapter ended"), std::string::npos)
      << frame->data;
  EXPECT_FALSE(marco.Next(milliseconds(500)));  // and the connection is closed

  auto removal = display.NextEvent();
  ASSERT_TRUE(removal);
  EXPECT_NE(removal->data.find("memberLeft"), std::string::npos) << removal->data;
}

}  // namespace
}  // namespace reciproca::testing
