#pragma once

#include "reciproca/v1/meeting_service.grpc.pb.h"
#include "server/api/call.h"

namespace reciproca::api {

class MeetingService final : public v1::MeetingService::CallbackService, private ServiceBase {
 public:
  using ServiceBase::ServiceBase;

  grpc::ServerUnaryReactor* ScheduleMeeting(grpc::CallbackServerContext* context,
                                            const v1::ScheduleMeetingRequest* request,
                                            v1::Meeting* response) override;
  grpc::ServerUnaryReactor* GetMeeting(grpc::CallbackServerContext* context,
                                       const v1::GetMeetingRequest* request,
                                       v1::Meeting* response) override;
  grpc::ServerUnaryReactor* ListMeetings(grpc::CallbackServerContext* context,
                                         const v1::ListMeetingsRequest* request,
                                         v1::ListMeetingsResponse* response) override;
  grpc::ServerUnaryReactor* OpenMeeting(grpc::CallbackServerContext* context,
                                        const v1::OpenMeetingRequest* request,
                                        v1::Meeting* response) override;
  grpc::ServerUnaryReactor* StartSegment(grpc::CallbackServerContext* context,
                                         const v1::StartSegmentRequest* request,
                                         v1::Meeting* response) override;
  grpc::ServerUnaryReactor* CheckIn(grpc::CallbackServerContext* context,
                                    const v1::CheckInRequest* request,
                                    v1::Attendance* response) override;
  grpc::ServerUnaryReactor* RecordAttendance(grpc::CallbackServerContext* context,
                                             const v1::RecordAttendanceRequest* request,
                                             v1::Attendance* response) override;
  grpc::ServerUnaryReactor* RegisterVisitor(grpc::CallbackServerContext* context,
                                            const v1::RegisterVisitorRequest* request,
                                            v1::Visitor* response) override;
  grpc::ServerUnaryReactor* RegisterSubstitute(grpc::CallbackServerContext* context,
                                               const v1::RegisterSubstituteRequest* request,
                                               v1::Chapter* response) override;
  grpc::ServerUnaryReactor* InviteVisitor(grpc::CallbackServerContext* context,
                                          const v1::InviteVisitorRequest* request,
                                          v1::Visitor* response) override;
  grpc::ServerUnaryReactor* ListVisitors(grpc::CallbackServerContext* context,
                                         const v1::ListVisitorsRequest* request,
                                         v1::ListVisitorsResponse* response) override;
  grpc::ServerUnaryReactor* MoveVisitor(grpc::CallbackServerContext* context,
                                        const v1::MoveVisitorRequest* request,
                                        v1::Visitor* response) override;
  grpc::ServerUnaryReactor* CancelMeeting(grpc::CallbackServerContext* context,
                                          const v1::CancelMeetingRequest* request,
                                          v1::Meeting* response) override;
  grpc::ServerUnaryReactor* SubmitPalms(grpc::CallbackServerContext* context,
                                        const v1::SubmitPalmsRequest* request,
                                        v1::Meeting* response) override;
  grpc::ServerUnaryReactor* CloseMeeting(grpc::CallbackServerContext* context,
                                         const v1::CloseMeetingRequest* request,
                                         v1::Meeting* response) override;
};

}  // namespace reciproca::api
