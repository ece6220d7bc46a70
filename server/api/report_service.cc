#include "server/api/report_service.h"

#include <google/protobuf/util/time_util.h>

#include "server/domain/validation.h"

namespace reciproca::api {
namespace {

// Absent: no bound.
Result<std::optional<domain::TimePoint>> ToTimePoint(std::string_view field, bool present,
                                                     const google::protobuf::Timestamp& t) {
  if (!present) {
    return std::optional<domain::TimePoint>();
  }
  auto checked = domain::CheckTimestamp(field, t);
  if (!checked.ok()) {
    return checked.error();
  }
  return std::optional<domain::TimePoint>(*checked);
}

}  // namespace

grpc::ServerUnaryReactor* ReportService::GetPalmsReport(grpc::CallbackServerContext* context,
                                                        const v1::GetPalmsReportRequest* request,
                                                        v1::PalmsReport* response) {
  const auto checked_start =
      ToTimePoint("start_time", request->has_start_time(), request->start_time());
  if (!checked_start.ok()) {
    return Reject(context, checked_start.error());
  }
  const auto checked_end = ToTimePoint("end_time", request->has_end_time(), request->end_time());
  if (!checked_end.ok()) {
    return Reject(context, checked_end.error());
  }
  const std::optional<domain::TimePoint> start = *checked_start;
  const std::optional<domain::TimePoint> end = *checked_end;
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
