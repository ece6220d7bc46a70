#include "server/api/referral_service.h"

#include "server/api/pagination.h"
#include "server/domain/need_to_know.h"

namespace reciproca::api {
grpc::ServerUnaryReactor* ReferralService::GiveReferral(grpc::CallbackServerContext* context,
                                                        const v1::GiveReferralRequest* request,
                                                        v1::Referral* response) {
  return Mutate(
      context, "GiveReferral", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideGiveReferral(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* ReferralService::UpdateReferralStatus(
    grpc::CallbackServerContext* context, const v1::UpdateReferralStatusRequest* request,
    v1::Referral* response) {
  return Mutate(
      context, "UpdateReferralStatus", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideUpdateReferralStatus(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* ReferralService::GetReferral(grpc::CallbackServerContext* context,
                                                       const v1::GetReferralRequest* request,
                                                       v1::Referral* response) {
  return Read(context, "name", request->name(),
              [request, response](const domain::Chapter& c, const domain::Principal& p) {
                Status s = Assign(response, c.GetReferral(request->name()));
                domain::Redact(domain::ViewerOf(c, p), response);
                return s;
              });
}

grpc::ServerUnaryReactor* ReferralService::ListReferrals(grpc::CallbackServerContext* context,
                                                         const v1::ListReferralsRequest* request,
                                                         v1::ListReferralsResponse* response) {
  return Read(context, "parent", request->parent(),
              [request, response, tokens = PageTokens(engine_.minter())](
                  const domain::Chapter& c, const domain::Principal& p) -> Status {
                domain::ReferralFilter filter{request->giver(), request->receiver(),
                                              request->status(), request->meeting()};
                auto referrals = c.ListReferrals(filter);
                if (!referrals.ok()) {
                  return referrals.error();
                }
                const std::string query = "referrals:" + request->parent() + "|" + filter.giver +
                                          "|" + filter.receiver + "|" +
                                          std::to_string(filter.status) + "|" + filter.meeting;
                auto next = CopyPage(tokens, {request->page_size(), request->page_token(), query},
                                     referrals.value(), domain::ReferralListKey,
                                     [response] { return response->add_referrals(); });
                if (!next.ok()) {
                  return next.error();
                }
                const domain::Viewer viewer = domain::ViewerOf(c, p);
                for (v1::Referral& item : *response->mutable_referrals()) {
                  domain::Redact(viewer, &item);
                }
                response->set_next_page_token(*next);
                return {};
              });
}

grpc::ServerUnaryReactor* ReferralService::RecordThankYou(grpc::CallbackServerContext* context,
                                                          const v1::RecordThankYouRequest* request,
                                                          v1::ThankYou* response) {
  return Mutate(
      context, "RecordThankYou", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRecordThankYou(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* ReferralService::RecordOneToOne(grpc::CallbackServerContext* context,
                                                          const v1::RecordOneToOneRequest* request,
                                                          v1::OneToOne* response) {
  return Mutate(
      context, "RecordOneToOne", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRecordOneToOne(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* ReferralService::RecordEducation(
    grpc::CallbackServerContext* context, const v1::RecordEducationRequest* request,
    v1::Education* response) {
  return Mutate(
      context, "RecordEducation", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRecordEducation(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* ReferralService::RecordTestimonial(
    grpc::CallbackServerContext* context, const v1::RecordTestimonialRequest* request,
    v1::Testimonial* response) {
  return Mutate(
      context, "RecordTestimonial", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRecordTestimonial(x, *request);
      },
      AnswerTouched(response), response);
}

}  // namespace reciproca::api
