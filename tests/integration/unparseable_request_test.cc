// A request whose bytes do not parse as the method's request message is INVALID_ARGUMENT naming
// the message type, on every kind of method the server serves: unary mutations and reads
// (gRPC's deserialization, judged by the interceptor) and the server-streaming Subscribe (a raw
// method: its handler parses). A server-streaming method whose request parses (health Watch) and
// a bidi stream that half-closes (reflection, in errors_test.cc) are not misjudged.

#include <grpcpp/generic/generic_stub.h>

#include <future>

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

// A field 1 length-delimited claiming more bytes than follow.
const std::string kTruncated("\x0a\x7f\x01", 3);

std::string Bytes(grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (buffer.Dump(&slices).ok()) {
    for (const auto& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  return bytes;
}

class UnparseableRequestTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    stub_ = std::make_unique<grpc::GenericStub>(admin().channel());
  }

  grpc::Status Unary(const std::string& method, const std::string& bytes) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + ana_.token);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer in(&slice, 1), out;
    std::promise<grpc::Status> done;
    stub_->UnaryCall(&context, method, grpc::StubOptions(), &in, &out,
                     [&done](grpc::Status s) { done.set_value(std::move(s)); });
    return done.get_future().get();
  }

  // A server-streaming call with one request of `bytes`: its status, and its first reply (if
  // any) in `first`.
  grpc::Status ServerStream(const std::string& method, const std::string& bytes,
                            std::string* first) {
    grpc::CompletionQueue cq;
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + ana_.token);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    auto call = stub_->PrepareCall(&context, method, &cq);
    void* tag = nullptr;
    bool ok = false;
    auto step = [&](intptr_t expected) {
      EXPECT_TRUE(cq.Next(&tag, &ok));
      EXPECT_EQ(expected, reinterpret_cast<intptr_t>(tag));
      return ok;
    };
    call->StartCall(reinterpret_cast<void*>(1));
    step(1);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
    step(2);
    grpc::ByteBuffer reply;
    call->Read(&reply, reinterpret_cast<void*>(3));
    if (step(3)) {
      *first = Bytes(reply);
      context.TryCancel();  // one reply is enough
    }
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(4));
    step(4);
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    return status;
  }

  NewMember ana_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

TEST_F(UnparseableRequestTest, UnaryMutationsAndReadsAreInvalidArgumentNamingTheType) {
  for (const auto& [method, type] : std::vector<std::pair<std::string, std::string>>{
           {"/reciproca.v1.ReferralService/GiveReferral", "reciproca.v1.GiveReferralRequest"},
           {"/reciproca.v1.MemberService/ListMembers", "reciproca.v1.ListMembersRequest"},
           {"/reciproca.v1.MeetingService/CheckIn", "reciproca.v1.CheckInRequest"}}) {
    const grpc::Status status = Unary(method, kTruncated);
    EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code()) << method;
    EXPECT_EQ("the request is not a valid " + type +
                  " (protobuf binary encoding); is the client built from this server's .proto "
                  "files?",
              status.error_message());
  }
  EXPECT_EQ(2, GetChapter("chapters/rome").last_seq());  // nothing was recorded
}

TEST_F(UnparseableRequestTest, SubscribeIsInvalidArgumentNamingTheType) {
  std::string first;
  const grpc::Status status =
      ServerStream("/reciproca.v1.EventService/Subscribe", kTruncated, &first);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code()) << status.error_message();
  EXPECT_EQ(
      "the request is not a valid reciproca.v1.SubscribeRequest (protobuf binary encoding); is "
      "the client built from this server's .proto files?",
      status.error_message());
  EXPECT_TRUE(first.empty());

  // The same call with a request that parses streams the chapter's first event.
  v1::SubscribeRequest request;
  request.set_chapter("chapters/rome");
  const grpc::Status streamed =
      ServerStream("/reciproca.v1.EventService/Subscribe", request.SerializeAsString(), &first);
  EXPECT_EQ(StatusCode::CANCELLED, streamed.error_code()) << streamed.error_message();
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(first));
  EXPECT_EQ(1, event.seq());
}

TEST_F(UnparseableRequestTest, AServerStreamWhoseRequestParsesIsNotMisjudged) {
  // grpc.health.v1.Health/Watch with an empty HealthCheckRequest: SERVING is 08 01.
  std::string first;
  ServerStream("/grpc.health.v1.Health/Watch", "", &first);
  EXPECT_EQ(std::string("\x08\x01", 2), first);
}

}  // namespace
}  // namespace reciproca::testing
