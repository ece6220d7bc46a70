#include "server/api/import_service.h"

#include <memory>

#include "server/api/status.h"

namespace reciproca::api {
namespace {

// "chapters/{c}/imports/{sha256 hex}": the same file of the same kind is the same import, so
// importing it again records nothing (docs/import.md, "Importing a file").
std::string ImportName(const std::string& chapter, const v1::ImportFileRequest& request) {
  return chapter + "/imports/" +
         engine::Sha256Hex(v1::ImportKind_Name(request.kind()) + "\n" + request.content());
}

}  // namespace

grpc::ServerUnaryReactor* ImportService::ImportFile(grpc::CallbackServerContext* context,
                                                    const v1::ImportFileRequest* request,
                                                    v1::ImportFileResponse* response) {
  // Read and Mutate authenticate the caller before they check the parent: a malformed parent
  // is their answer, after UNAUTHENTICATED.
  const auto chapter = ChapterOf("parent", request->parent());
  const std::string import_name = chapter.ok() ? ImportName(*chapter, *request) : "";
  const std::string accept_language = MetadataValue(context->client_metadata(), "accept-language");
  const domain::ImportLimits limits = engine_.limits().import;
  if (request->dry_run()) {
    return Read(context, "parent", request->parent(),
                [this, request, response, import_name, accept_language, limits](
                    const domain::Chapter& c, const domain::Principal& p) -> Status {
                  const domain::Context x{p, engine_.clock().Now(), engine_.time_zones()};
                  auto decided =
                      c.DecideImportFile(x, *request, import_name, accept_language, limits);
                  if (!decided.ok()) {
                    return decided.error();
                  }
                  *response = std::move(decided->answer);
                  return {};
                });
  }
  // The answer decided on the strand, given to the response once the events are applied.
  auto answer = std::make_shared<v1::ImportFileResponse>();
  return Mutate(
      context, "ImportFile", *request, request->request_id(), "parent", request->parent(),
      [request, import_name, accept_language, limits, answer](
          const domain::Chapter& c, const domain::Context& x) -> Result<domain::Events> {
        auto decided = c.DecideImportFile(x, *request, import_name, accept_language, limits);
        if (!decided.ok()) {
          return decided.error();
        }
        *answer = std::move(decided->answer);
        return std::move(decided->events);
      },
      [response, answer](const domain::Chapter&, const domain::Events&, store::Commit&) {
        *response = *answer;
        return Status();
      },
      response);
}

}  // namespace reciproca::api
