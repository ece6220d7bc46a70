#pragma once

#include "reciproca/v1/report_service.grpc.pb.h"
#include "server/api/call.h"

namespace reciproca::api {

class ReportService final : public v1::ReportService::CallbackService, private ServiceBase {
 public:
  using ServiceBase::ServiceBase;

  grpc::ServerUnaryReactor* GetPalmsReport(grpc::CallbackServerContext* context,
                                           const v1::GetPalmsReportRequest* request,
                                           v1::PalmsReport* response) override;
  grpc::ServerUnaryReactor* GetRelationshipMatrix(grpc::CallbackServerContext* context,
                                                  const v1::GetRelationshipMatrixRequest* request,
                                                  v1::RelationshipMatrix* response) override;
  grpc::ServerUnaryReactor* GetAbsenceReport(grpc::CallbackServerContext* context,
                                             const v1::GetAbsenceReportRequest* request,
                                             v1::AbsenceReport* response) override;
  grpc::ServerUnaryReactor* ExportRecords(grpc::CallbackServerContext* context,
                                          const v1::ExportRecordsRequest* request,
                                          v1::RecordsExport* response) override;

 private:
  template <typename Request, typename Response, typename Report>
  grpc::ServerUnaryReactor* ReadRange(grpc::CallbackServerContext* context, const Request* request,
                                      Response* response, Report report);
};

}  // namespace reciproca::api
