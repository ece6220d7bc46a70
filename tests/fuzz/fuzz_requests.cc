// Every unary request message of the API through the real server: a whole reciprocad in this
// process (fuzz_server.h), called over loopback gRPC exactly as a client does. Input: one byte
// picks the method (every unary method of the reciproca.v1 services, in descriptor order), one
// byte the caller (admin, organizer, member, room display, a made-up token, no token), and the
// rest is sent as the serialized request (a mutated protobuf: the seeds are real requests, see
// corpus/README.md).
//
// Asserted besides "no crash, no UB, no leak": the server answers within the deadline; never
// INTERNAL, UNKNOWN, DATA_LOSS or UNIMPLEMENTED (every method here is implemented: a request
// that does not parse is INVALID_ARGUMENT naming the message type); every refusal has a message;
// an OK answer parses as the method's response type.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_server.h"

namespace {

namespace pb = google::protobuf;
using reciproca::fuzz::Require;

const std::vector<const pb::MethodDescriptor*>& UnaryMethods() {
  static const auto* methods = [] {
    auto* all = new std::vector<const pb::MethodDescriptor*>;
    for (const char* service :
         {"ChapterService", "MemberService", "MeetingService", "ReferralService", "EventService",
          "ReportService", "PluginService", "InsightService"}) {
      const auto* descriptor = pb::DescriptorPool::generated_pool()->FindServiceByName(
          std::string("reciproca.v1.") + service);
      Require(descriptor != nullptr, std::string("no service reciproca.v1.") + service);
      for (int i = 0; i < descriptor->method_count(); ++i) {
        const auto* method = descriptor->method(i);
        if (!method->client_streaming() && !method->server_streaming()) {
          all->push_back(method);
        }
      }
    }
    return all;
  }();
  return *methods;
}

bool Allowed(grpc::StatusCode code) {
  return code != grpc::StatusCode::INTERNAL && code != grpc::StatusCode::UNKNOWN &&
         code != grpc::StatusCode::DATA_LOSS && code != grpc::StatusCode::UNIMPLEMENTED &&
         code != grpc::StatusCode::DEADLINE_EXCEEDED;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& world = reciproca::fuzz::StartWorld();
  static grpc::GenericStub stub(world.channel);
  static pb::DynamicMessageFactory factory;
  if (size < 2) {
    return 0;
  }
  const auto& methods = UnaryMethods();
  const pb::MethodDescriptor* method = methods[data[0] % methods.size()];
  const std::string& token = world.TokenFor(data[1]);
  const std::string path = "/" + method->service()->full_name() + "/" + method->name();

  grpc::Slice slice(data + 2, size - 2);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  reciproca::fuzz::Authorize(&context, token);
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, path, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();

  const std::string what = path + " answered " + std::to_string(status.error_code()) + " \"" +
                           status.error_message() + "\"";
  Require(Allowed(status.error_code()), what);
  if (status.ok()) {
    std::vector<grpc::Slice> slices;
    Require(response.Dump(&slices).ok(), what + ": an unreadable response");
    std::string bytes;
    for (const auto& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    std::unique_ptr<pb::Message> parsed(factory.GetPrototype(method->output_type())->New());
    Require(parsed->ParseFromString(bytes), what + ": a response that does not parse");
  } else {
    Require(!status.error_message().empty(), what + ": a refusal without a message");
  }
  return 0;
}
