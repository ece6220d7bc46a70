// The JSON API: a request in protobuf's JSON mapping becomes the gRPC request of the same method,
// sent over the in-process channel with the caller's token; the answer or the status comes back
// the same way. No rule is implemented here.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/support/byte_buffer.h>

#include <nlohmann/json.hpp>

#include "server/http/internal.h"
#include "server/http/request_parsing.h"

namespace reciproca::http {
namespace {

namespace pb = google::protobuf;

constexpr std::string_view kPackage = "reciproca.v1.";

struct JsonCall {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::unique_ptr<pb::Message> response_message;
  std::function<void(const grpc::Status&, std::string, std::string)> done;
};

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

// The method named by "/reciproca.v1.ReferralService/CreateReferral", or a status saying why not.
grpc::Status FindMethod(std::string_view path, const pb::MethodDescriptor** method) {
  const auto slash = path.find('/', 1);
  if (path.size() < 2 || path[0] != '/' || slash == std::string_view::npos) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "no such API route; use POST /api/{Service}/{Method}, e.g. "
                        "/api/reciproca.v1.ChapterService/WhoAmI");
  }
  const std::string service_name(path.substr(1, slash - 1));
  const std::string method_name(path.substr(slash + 1));
  const pb::ServiceDescriptor* service =
      service_name.rfind(kPackage, 0) == 0
          ? pb::DescriptorPool::generated_pool()->FindServiceByName(service_name)
          : nullptr;
  if (service == nullptr) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no service " + service_name +
                                                         " (services are reciproca.v1.*, e.g. "
                                                         "reciproca.v1.ReferralService)");
  }
  *method = service->FindMethodByName(method_name);
  if (*method == nullptr) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "no method " + method_name + " in " + service_name);
  }
  if ((*method)->client_streaming() || (*method)->server_streaming()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        service_name + "/" + method_name +
                            " is a stream: use GET /api/events?chapter=...&after_seq=N");
  }
  return grpc::Status::OK;
}

}  // namespace

bool IsApiMethod(std::string_view method_path) {
  const pb::MethodDescriptor* method = nullptr;
  return FindMethod(method_path, &method).ok();
}

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    default:
      return 500;
  }
}

void AddSecurityHeaders(beast::http::fields& fields, bool https) {
  fields.set("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
             "connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
             "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  fields.set("X-Content-Type-Options", "nosniff");
  fields.set("X-Frame-Options", "DENY");
  fields.set("Referrer-Policy", "no-referrer");
  fields.set("Cross-Origin-Opener-Policy", "same-origin");
  fields.set("Cross-Origin-Resource-Policy", "same-origin");
  fields.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (https) {
    // 180 days; browsers ignore it for a bare IP address (docs/tls.md).
    fields.set("Strict-Transport-Security", "max-age=15552000");
  }
}

Response ErrorResponse(const grpc::Status& status, unsigned version) {
  Response res{static_cast<beast::http::status>(HttpStatusFor(status.error_code())), version};
  res.set(beast::http::field::content_type, "application/json");
  res.set(beast::http::field::cache_control, "no-store");
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    res.set(beast::http::field::www_authenticate, "Bearer realm=\"reciproca\"");
  }
  res.body() = nlohmann::json{{"code", StatusCodeName(status.error_code())},
                              {"message", status.error_message()}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

void CallJson(const std::shared_ptr<Gateway::Shared>& shared, std::string_view method_path,
              std::string_view json, std::string_view authorization,
              std::function<void(const grpc::Status&, std::string, std::string)> done) {
  const pb::MethodDescriptor* method = nullptr;
  if (auto found = FindMethod(method_path, &method); !found.ok()) {
    return done(found, "", "");
  }
  // gRPC aborts on a metadata value it cannot send: never hand it one.
  if (auto checked = CheckHeaderValue("Authorization", authorization); !checked.ok()) {
    return done(checked, "", "");
  }
  auto* factory = pb::MessageFactory::generated_factory();
  std::unique_ptr<pb::Message> request(factory->GetPrototype(method->input_type())->New());
  pb::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = false;
  const std::string_view body =
      json.find_first_not_of(" \t\r\n") == std::string_view::npos ? std::string_view("{}") : json;
  if (auto parsed = pb::util::JsonStringToMessage(pb::StringPiece(body.data(), body.size()),
                                                  request.get(), parse);
      !parsed.ok()) {
    return done(Invalid("the request body is not a valid " + method->input_type()->full_name() +
                        " in JSON: " + std::string(parsed.message())),
                "", "");
  }
  std::string bytes;
  request->SerializeToString(&bytes);

  auto call = std::make_shared<JsonCall>();
  call->done = std::move(done);
  call->response_message.reset(factory->GetPrototype(method->output_type())->New());
  grpc::Slice slice(bytes);
  call->request = grpc::ByteBuffer(&slice, 1);
  if (!authorization.empty()) {
    call->context.AddMetadata("authorization", std::string(authorization));
  }
  call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  const std::string full_path = "/" + method->service()->full_name() + "/" + method->name();
  shared->generic_stub.UnaryCall(
      &call->context, full_path, grpc::StubOptions(), &call->request, &call->response,
      [call](grpc::Status status) {
        std::string out;
        if (status.ok()) {
          std::vector<grpc::Slice> slices;
          std::string bytes_out;
          if (call->response.Dump(&slices).ok()) {
            for (const auto& s : slices) {
              bytes_out.append(reinterpret_cast<const char*>(s.begin()), s.size());
            }
          }
          pb::util::JsonPrintOptions print;
          print.always_print_primitive_fields = true;
          if (!call->response_message->ParseFromString(bytes_out) ||
              !pb::util::MessageToJsonString(*call->response_message, &out, print).ok()) {
            status = grpc::Status(grpc::StatusCode::INTERNAL, "cannot render the answer as JSON");
          }
        }
        std::string retry_after;
        if (const auto& trailers = call->context.GetServerTrailingMetadata();
            trailers.find("retry-after") != trailers.end()) {
          const auto& value = trailers.find("retry-after")->second;
          retry_after.assign(value.data(), value.size());
        }
        call->done(status, std::move(out), std::move(retry_after));
      });
}

}  // namespace reciproca::http
