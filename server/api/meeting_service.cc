#include "server/api/meeting_service.h"

#include "server/api/pagination.h"
#include "server/domain/event_catalogue.h"
#include "server/domain/list_order.h"
#include "server/domain/need_to_know.h"

namespace reciproca::api {
grpc::ServerUnaryReactor* MeetingService::ScheduleMeeting(grpc::CallbackServerContext* context,
                                                          const v1::ScheduleMeetingRequest* request,
                                                          v1::Meeting* response) {
  return Mutate(
      context, "ScheduleMeeting", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideScheduleMeeting(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::GetMeeting(grpc::CallbackServerContext* context,
                                                     const v1::GetMeetingRequest* request,
                                                     v1::Meeting* response) {
  return Read(context, "name", request->name(),
              [request, response](const domain::Chapter& c, const domain::Principal& p) {
                Status s = Assign(response, c.GetMeeting(request->name()));
                domain::Redact(domain::ViewerOf(c, p), response);
                return s;
              });
}

grpc::ServerUnaryReactor* MeetingService::ListMeetings(grpc::CallbackServerContext* context,
                                                       const v1::ListMeetingsRequest* request,
                                                       v1::ListMeetingsResponse* response) {
  return Read(context, "parent", request->parent(),
              [request, response, tokens = PageTokens(engine_.minter())](
                  const domain::Chapter& c, const domain::Principal& p) -> Status {
                auto next = CopyPage(
                    tokens,
                    {request->page_size(), request->page_token(), "meetings:" + request->parent()},
                    c.ListMeetings(), domain::MeetingListKey,
                    [response] { return response->add_meetings(); });
                if (!next.ok()) {
                  return next.error();
                }
                const domain::Viewer viewer = domain::ViewerOf(c, p);
                for (v1::Meeting& item : *response->mutable_meetings()) {
                  domain::Redact(viewer, &item);
                }
                response->set_next_page_token(*next);
                return {};
              });
}

grpc::ServerUnaryReactor* MeetingService::OpenMeeting(grpc::CallbackServerContext* context,
                                                      const v1::OpenMeetingRequest* request,
                                                      v1::Meeting* response) {
  return Mutate(
      context, "OpenMeeting", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideOpenMeeting(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::StartSegment(grpc::CallbackServerContext* context,
                                                       const v1::StartSegmentRequest* request,
                                                       v1::Meeting* response) {
  return Mutate(
      context, "StartSegment", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideStartSegment(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::CheckIn(grpc::CallbackServerContext* context,
                                                  const v1::CheckInRequest* request,
                                                  v1::Attendance* response) {
  return Mutate(
      context, "CheckIn", *request, request->request_id(), "meeting", request->meeting(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideCheckIn(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::RecordAttendance(
    grpc::CallbackServerContext* context, const v1::RecordAttendanceRequest* request,
    v1::Attendance* response) {
  return Mutate(
      context, "RecordAttendance", *request, request->request_id(), "meeting", request->meeting(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRecordAttendance(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::RegisterVisitor(grpc::CallbackServerContext* context,
                                                          const v1::RegisterVisitorRequest* request,
                                                          v1::Visitor* response) {
  return Mutate(
      context, "RegisterVisitor", *request, request->request_id(), "meeting", request->meeting(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRegisterVisitor(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::InviteVisitor(grpc::CallbackServerContext* context,
                                                        const v1::InviteVisitorRequest* request,
                                                        v1::Visitor* response) {
  return Mutate(
      context, "InviteVisitor", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideInviteVisitor(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::ListVisitors(grpc::CallbackServerContext* context,
                                                       const v1::ListVisitorsRequest* request,
                                                       v1::ListVisitorsResponse* response) {
  return Read(context, "parent", request->parent(),
              [request, response, tokens = PageTokens(engine_.minter())](
                  const domain::Chapter& c, const domain::Principal& p) -> Status {
                auto visitors = c.ListVisitors({request->state(), request->invited_by()});
                if (!visitors.ok()) {
                  return visitors.error();
                }
                auto next =
                    CopyPage(tokens,
                             {request->page_size(), request->page_token(),
                              "visitors:" + request->parent() + ":" +
                                  std::to_string(request->state()) + ":" + request->invited_by()},
                             *visitors, domain::VisitorListKey,
                             [response] { return response->add_visitors(); });
                if (!next.ok()) {
                  return next.error();
                }
                const domain::Viewer viewer = domain::ViewerOf(c, p);
                for (v1::Visitor& item : *response->mutable_visitors()) {
                  domain::Redact(viewer, &item);
                }
                response->set_next_page_token(*next);
                return {};
              });
}

grpc::ServerUnaryReactor* MeetingService::MoveVisitor(grpc::CallbackServerContext* context,
                                                      const v1::MoveVisitorRequest* request,
                                                      v1::Visitor* response) {
  const engine::TokenMinter& minter = engine_.minter();
  return Mutate(
      context, "MoveVisitor", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideMoveVisitor(x, *request);
      },
      [response, &minter](const domain::Chapter& c, const domain::Events& events,
                          store::Commit& commit) {
        // JOINED adds a member, who signs in as one added by CreateMember does.
        for (const v1::Event& event : events) {
          if (event.has_member_added()) {
            const std::string& member = event.member_added().member().name();
            commit.new_tokens.push_back(
                engine::TokenRegistry::MemberRecord(minter.ForMember(member), c.name(), member));
          }
        }
        return domain::AnswerOf(c, events, response);
      },
      response);
}

grpc::ServerUnaryReactor* MeetingService::CloseMeeting(grpc::CallbackServerContext* context,
                                                       const v1::CloseMeetingRequest* request,
                                                       v1::Meeting* response) {
  return Mutate(
      context, "CloseMeeting", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideCloseMeeting(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::RegisterSubstitute(
    grpc::CallbackServerContext* context, const v1::RegisterSubstituteRequest* request,
    v1::Chapter* response) {
  return Mutate(
      context, "RegisterSubstitute", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRegisterSubstitute(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::CancelMeeting(grpc::CallbackServerContext* context,
                                                        const v1::CancelMeetingRequest* request,
                                                        v1::Meeting* response) {
  return Mutate(
      context, "CancelMeeting", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideCancelMeeting(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MeetingService::SubmitPalms(grpc::CallbackServerContext* context,
                                                      const v1::SubmitPalmsRequest* request,
                                                      v1::Meeting* response) {
  return Mutate(
      context, "SubmitPalms", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideSubmitPalms(x, *request);
      },
      AnswerTouched(response), response);
}

}  // namespace reciproca::api
