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

struct Range {
  std::optional<domain::TimePoint> start;
  std::optional<domain::TimePoint> end;
};

Result<Range> CheckRange(bool has_start, const google::protobuf::Timestamp& start_time,
                         bool has_end, const google::protobuf::Timestamp& end_time) {
  const auto start = ToTimePoint("start_time", has_start, start_time);
  if (!start.ok()) {
    return start.error();
  }
  const auto end = ToTimePoint("end_time", has_end, end_time);
  if (!end.ok()) {
    return end.error();
  }
  if (*start && *end && **end <= **start) {
    return InvalidArgument("end_time: must be after start_time");
  }
  return Range{*start, *end};
}

Status CheckChapterName(const std::string& requested, const domain::Chapter& c) {
  if (requested != c.name()) {
    return Status(
        InvalidArgument("chapter: expected chapters/{chapter}, got \"" + requested + "\""));
  }
  return {};
}

}  // namespace

// The reports over [start_time, end_time): the range checked, then `report` on the chapter's
// strand (chapter name checked) with the caller's principal.
template <typename Request, typename Response, typename Report>
grpc::ServerUnaryReactor* ReportService::ReadRange(grpc::CallbackServerContext* context,
                                                   const Request* request, Response* response,
                                                   Report report) {
  const auto range = CheckRange(request->has_start_time(), request->start_time(),
                                request->has_end_time(), request->end_time());
  if (!range.ok()) {
    return Reject(context, range.error());
  }
  return Read(context, "chapter", request->chapter(),
              [request, response, report, range = *range](const domain::Chapter& c,
                                                          const domain::Principal& principal) {
                if (Status s = CheckChapterName(request->chapter(), c); !s) {
                  return s;
                }
                return Assign(response, report(c, principal, range.start, range.end));
              });
}

grpc::ServerUnaryReactor* ReportService::GetPalmsReport(grpc::CallbackServerContext* context,
                                                        const v1::GetPalmsReportRequest* request,
                                                        v1::PalmsReport* response) {
  return ReadRange(context, request, response,
                   [](const domain::Chapter& c, const domain::Principal&, auto start, auto end) {
                     return Result<v1::PalmsReport>(c.PalmsReport(start, end));
                   });
}

grpc::ServerUnaryReactor* ReportService::GetRelationshipMatrix(
    grpc::CallbackServerContext* context, const v1::GetRelationshipMatrixRequest* request,
    v1::RelationshipMatrix* response) {
  return ReadRange(context, request, response,
                   [](const domain::Chapter& c, const domain::Principal& p, auto start, auto end) {
                     return c.RelationshipMatrix(p, start, end);
                   });
}

grpc::ServerUnaryReactor* ReportService::GetAbsenceReport(
    grpc::CallbackServerContext* context, const v1::GetAbsenceReportRequest* request,
    v1::AbsenceReport* response) {
  const auto as_of = ToTimePoint("as_of", request->has_as_of(), request->as_of());
  if (!as_of.ok()) {
    return Reject(context, as_of.error());
  }
  const domain::TimePoint at = as_of->value_or(engine_.clock().Now());
  return Read(
      context, "chapter", request->chapter(),
      [request, response, at](const domain::Chapter& c, const domain::Principal& principal) {
        if (Status s = CheckChapterName(request->chapter(), c); !s) {
          return s;
        }
        return Assign(response, c.AbsenceReport(principal, at));
      });
}

grpc::ServerUnaryReactor* ReportService::ExportRecords(grpc::CallbackServerContext* context,
                                                       const v1::ExportRecordsRequest* request,
                                                       v1::RecordsExport* response) {
  return ReadRange(context, request, response,
                   [](const domain::Chapter& c, const domain::Principal& p, auto start, auto end) {
                     return c.ExportRecords(p, start, end);
                   });
}

}  // namespace reciproca::api
