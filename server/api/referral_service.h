#pragma once

#include "reciproca/v1/referral_service.grpc.pb.h"
#include "server/api/call.h"

namespace reciproca::api {

class ReferralService final : public v1::ReferralService::CallbackService, private ServiceBase {
 public:
  using ServiceBase::ServiceBase;

  grpc::ServerUnaryReactor* GiveReferral(grpc::CallbackServerContext* context,
                                         const v1::GiveReferralRequest* request,
                                         v1::Referral* response) override;
  grpc::ServerUnaryReactor* UpdateReferralStatus(grpc::CallbackServerContext* context,
                                                 const v1::UpdateReferralStatusRequest* request,
                                                 v1::Referral* response) override;
  grpc::ServerUnaryReactor* GetReferral(grpc::CallbackServerContext* context,
                                        const v1::GetReferralRequest* request,
                                        v1::Referral* response) override;
  grpc::ServerUnaryReactor* ListReferrals(grpc::CallbackServerContext* context,
                                          const v1::ListReferralsRequest* request,
                                          v1::ListReferralsResponse* response) override;
  grpc::ServerUnaryReactor* RecordThankYou(grpc::CallbackServerContext* context,
                                           const v1::RecordThankYouRequest* request,
                                           v1::ThankYou* response) override;
  grpc::ServerUnaryReactor* RecordOneToOne(grpc::CallbackServerContext* context,
                                           const v1::RecordOneToOneRequest* request,
                                           v1::OneToOne* response) override;
  grpc::ServerUnaryReactor* RecordEducation(grpc::CallbackServerContext* context,
                                            const v1::RecordEducationRequest* request,
                                            v1::Education* response) override;
  grpc::ServerUnaryReactor* RecordTestimonial(grpc::CallbackServerContext* context,
                                              const v1::RecordTestimonialRequest* request,
                                              v1::Testimonial* response) override;
};

}  // namespace reciproca::api
