#include "server/api/report_service.h"

#include <google/protobuf/util/time_util.h>

namespace reciproca::api {
namespace {

std::optional<domain::TimePoint> ToTimePoint(bool present, const google::protobuf::Timestamp& t) {
  if (!present) {
    return std::nullopt;
  }
  return domain::TimePoint(std::chrono::duration_cast<domain::TimePoint::duration>(
      std::chrono::seconds(t.seconds()) + std::chrono::nanoseconds(t.nanos())));
}

}  // namespace

grpc::ServerUnaryReactor* ReportService::GetPalmsReport(grpc::CallbackServerContext* context,
                                                        const v1::GetPalmsReportRequest* request,
                                                        v1::PalmsReport* response) {
  const auto start = ToTimePoint(request->has_start_time(), request->start_time());
  const auto end = ToTimePoint(request->has_end_time(), request->end_time());
  if (start && end && *end <= *start) {
    return Reject(context, InvalidArgument("end_time: must be after start_time"));
  }
  return Read(context, "chapter", request->chapter(),
              [request, response, start, end](const domain::Chapter& c, const domain::Principal&) {
                if (request->chapter() != c.name()) {
                  return Status(InvalidArgument("chapter: expected chapters/{chapter}, got \"" +
                                                request->chapter() + "\""));
                }
                *response = c.PalmsReport(start, end);
                return Status{};
              });
}

}  // namespace reciproca::api
