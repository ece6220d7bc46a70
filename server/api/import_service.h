#pragma once

#include "reciproca/v1/import_service.grpc.pb.h"
#include "server/api/call.h"

namespace reciproca::api {

// Thin: names the import by the SHA-256 of its kind and bytes, then lets the chapter decide
// (domain::Chapter::DecideImportFile): a dry run on the chapter's strand as a read, a real run
// through the commit path (one append, idempotent under request_id and under the import name).
class ImportService final : public v1::ImportService::CallbackService, private ServiceBase {
 public:
  using ServiceBase::ServiceBase;

  grpc::ServerUnaryReactor* ImportFile(grpc::CallbackServerContext* context,
                                       const v1::ImportFileRequest* request,
                                       v1::ImportFileResponse* response) override;
};

}  // namespace reciproca::api
