#include "server/api/referral_service.h"

#include "server/api/pagination.h"

namespace reciproca::api {
namespace {

// The answer of a Record* call: the resource carried by its first event.
template <class T, class Pick>
auto FirstEventResource(T* response, Pick pick) {
  return [response, pick](const domain::Chapter&, const domain::Events& events, store::Commit&) {
    *response = pick(events.front());
    return Status{};
  };
}

}  // namespace

grpc::ServerUnaryReactor* ReferralService::GiveReferral(grpc::CallbackServerContext* context,
                                                        const v1::GiveReferralRequest* request,
                                                        v1::Referral* response) {
  return Mutate(
      context, "GiveReferral", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideGiveReferral(x, *request);
      },
      FirstEventResource(response,
                         [](const v1::Event& e) { return e.referral_given().referral(); }),
      response);
}

grpc::ServerUnaryReactor* ReferralService::UpdateReferralStatus(
    grpc::CallbackServerContext* context, const v1::UpdateReferralStatusRequest* request,
    v1::Referral* response) {
  return Mutate(
      context, "UpdateReferralStatus", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideUpdateReferralStatus(x, *request);
      },
      [request, response](const domain::Chapter& c, const domain::Events&, store::Commit&) {
        return Assign(response, c.GetReferral(request->name()));
      },
      response);
}

grpc::ServerUnaryReactor* ReferralService::GetReferral(grpc::CallbackServerContext* context,
                                                       const v1::GetReferralRequest* request,
                                                       v1::Referral* response) {
  return Read(context, "name", request->name(),
              [request, response](const domain::Chapter& c, const domain::Principal&) {
                return Assign(response, c.GetReferral(request->name()));
              });
}

grpc::ServerUnaryReactor* ReferralService::ListReferrals(grpc::CallbackServerContext* context,
                                                         const v1::ListReferralsRequest* request,
                                                         v1::ListReferralsResponse* response) {
  return Read(
      context, "parent", request->parent(),
      [request, response](const domain::Chapter& c, const domain::Principal&) -> Status {
        domain::ReferralFilter filter{request->giver(), request->receiver(), request->status(),
                                      request->meeting()};
        auto referrals = c.ListReferrals(filter);
        if (!referrals.ok()) {
          return referrals.error();
        }
        const std::string query = "referrals:" + request->parent() + "|" + filter.giver + "|" +
                                  filter.receiver + "|" + std::to_string(filter.status) + "|" +
                                  filter.meeting;
        auto page = Paginate(request->page_size(), request->page_token(), referrals->size(), query);
        if (!page.ok()) {
          return page.error();
        }
        CopyPage(page.value(), referrals.value(), [response] { return response->add_referrals(); });
        response->set_next_page_token(page->next_page_token);
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
      FirstEventResource(response,
                         [](const v1::Event& e) { return e.thank_you_recorded().thank_you(); }),
      response);
}

grpc::ServerUnaryReactor* ReferralService::RecordOneToOne(grpc::CallbackServerContext* context,
                                                          const v1::RecordOneToOneRequest* request,
                                                          v1::OneToOne* response) {
  return Mutate(
      context, "RecordOneToOne", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRecordOneToOne(x, *request);
      },
      FirstEventResource(response,
                         [](const v1::Event& e) { return e.one_to_one_recorded().one_to_one(); }),
      response);
}

grpc::ServerUnaryReactor* ReferralService::RecordEducation(
    grpc::CallbackServerContext* context, const v1::RecordEducationRequest* request,
    v1::Education* response) {
  return Mutate(
      context, "RecordEducation", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRecordEducation(x, *request);
      },
      FirstEventResource(response,
                         [](const v1::Event& e) { return e.education_recorded().education(); }),
      response);
}

grpc::ServerUnaryReactor* ReferralService::RecordTestimonial(
    grpc::CallbackServerContext* context, const v1::RecordTestimonialRequest* request,
    v1::Testimonial* response) {
  return Mutate(
      context, "RecordTestimonial", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRecordTestimonial(x, *request);
      },
      FirstEventResource(response,
                         [](const v1::Event& e) { return e.testimonial_recorded().testimonial(); }),
      response);
}

}  // namespace reciproca::api
