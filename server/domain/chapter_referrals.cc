// Referrals (the slips), their status, and TYFCB thank-yous.

#include <string>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/money.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// Forward order of the status: closed states share the last rank and are final.
int Rank(v1::ReferralStatus s) {
  switch (s) {
    case v1::REFERRAL_STATUS_GIVEN:
      return 1;
    case v1::REFERRAL_STATUS_CONTACTED:
      return 2;
    case v1::REFERRAL_STATUS_MEETING_SET:
      return 3;
    case v1::REFERRAL_STATUS_CLOSED_WON:
    case v1::REFERRAL_STATUS_CLOSED_LOST:
    case v1::REFERRAL_STATUS_NOT_PURSUED:
      return 4;
    default:
      return 0;
  }
}

bool IsClosed(v1::ReferralStatus s) { return Rank(s) == 4; }

std::string StatusName(v1::ReferralStatus s) { return v1::ReferralStatus_Name(s); }

}  // namespace

Result<Events> Chapter::DecideGiveReferral(const Context& ctx,
                                           const v1::GiveReferralRequest& r) const {
  auto acting = ResolveActing(ctx, r.on_behalf_of(), "on_behalf_of");
  if (!acting) {
    return acting.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  const v1::Referral& in = r.referral();
  if (in.receiver().empty()) {
    return Required("referral.receiver", "the member who receives it");
  }
  if (Status s = CheckName("referral.receiver", in.receiver(), NameKind::kMember, info_.name());
      !s) {
    return s.error();
  }
  if (in.temperature() < 1 || in.temperature() > 5) {
    return InvalidArgument("referral.temperature: must be between 1 and 5, got " +
                           std::to_string(in.temperature()))
        .Because(kTemperatureOutOfRange, {{"value", std::to_string(in.temperature())}});
  }
  if (!v1::ReferralKind_IsValid(in.kind())) {
    return InvalidArgument("referral.kind: unknown kind " + std::to_string(in.kind()));
  }
  auto contact_name = CheckText("referral.contact_name", in.contact_name(), 0, 100);
  if (!contact_name) {
    return contact_name.error();
  }
  auto contact_phone = CheckOptionalPhone("referral.contact_phone", in.contact_phone());
  if (!contact_phone) {
    return contact_phone.error();
  }
  auto contact_email = CheckOptionalEmail("referral.contact_email", in.contact_email());
  if (!contact_email) {
    return contact_email.error();
  }
  v1::ReferralKind kind = in.kind();
  if (kind == v1::REFERRAL_KIND_UNSPECIFIED) {
    bool has_contact = !contact_name->empty() || !contact_phone->empty() || !contact_email->empty();
    kind = has_contact ? v1::REFERRAL_KIND_OUTSIDE : v1::REFERRAL_KIND_INSIDE;
  }
  if (kind == v1::REFERRAL_KIND_OUTSIDE) {
    if (contact_name->empty()) {
      return InvalidArgument(
                 "referral.contact_name: is required for an outside referral (1..100 characters)")
          .Because(kFieldRequired, {{"field", "referral.contact_name"}});
    }
    if (contact_phone->empty() && contact_email->empty()) {
      return InvalidArgument(
                 "referral.contact_phone: an outside referral needs a contact_phone or a "
                 "contact_email")
          .Because(kContactRequired);
    }
  }
  auto note = CheckMultilineText("referral.note", in.note(), 0, 1000);
  if (!note) {
    return note.error();
  }
  // A slip of a meeting happened at that meeting, whenever it is typed (issue 11).
  auto occurrence =
      ResolveOccurred(ctx, r.occurred(), acting->member, in.meeting(), "referral.meeting");
  if (!occurrence) {
    return occurrence.error();
  }
  auto receiver = FindMember("referral.receiver", in.receiver());
  if (!receiver) {
    return receiver.error();
  }
  if ((*receiver)->state() != v1::MEMBER_STATE_ACTIVE) {
    return FailedPrecondition("referral.receiver: " + in.receiver() + " (" +
                              (*receiver)->display_name() + ") has left the chapter")
        .Because(kMemberLeft, {{"member", (*receiver)->display_name()}});
  }
  if (in.receiver() == acting->member) {
    return InvalidArgument("referral.receiver: a member cannot refer to themself")
        .Because(kSelfReferral);
  }

  v1::Event event = NewEvent(ctx, 1, acting->on_behalf_of);
  Stamp(*occurrence, &event);
  v1::Referral* out = event.mutable_referral_given()->mutable_referral();
  out->set_name(ChildName(info_.name(), NameKind::kReferral, event.seq()));
  out->set_giver(acting->member);
  out->set_receiver(in.receiver());
  out->set_kind(kind);
  out->set_contact_name(*contact_name);
  out->set_contact_phone(*contact_phone);
  out->set_contact_email(*contact_email);
  out->set_temperature(in.temperature());
  out->set_note(*note);
  out->set_meeting(in.meeting());
  out->set_status(v1::REFERRAL_STATUS_GIVEN);
  *out->mutable_create_time() = event.time();
  *out->mutable_update_time() = event.time();
  return Events{event};
}

Result<Events> Chapter::DecideUpdateReferralStatus(const Context& ctx,
                                                   const v1::UpdateReferralStatusRequest& r) const {
  auto acting = ResolveActing(ctx, r.on_behalf_of(), "on_behalf_of");
  if (!acting) {
    return acting.error();
  }
  if (r.name().empty()) {
    return Required("name", PatternOf(NameKind::kReferral));
  }
  if (Status s = CheckName("name", r.name(), NameKind::kReferral, info_.name()); !s) {
    return s.error();
  }
  if (Rank(r.status()) == 0) {
    return InvalidArgument("status: must be a referral status other than UNSPECIFIED, got " +
                           std::to_string(r.status()));
  }
  auto referral = FindReferral("name", r.name());
  if (!referral) {
    return referral.error();
  }
  const v1::Referral& ref = **referral;
  if (ref.receiver() != acting->member) {
    return PermissionDenied("name: only the receiver " + ref.receiver() + " may move referral " +
                            ref.name() + (acting->organizer ? " (use on_behalf_of)" : ""))
        .Because(kReceiverOnly);
  }
  v1::ReferralStatus from = ref.status();
  if (IsClosed(from) || Rank(r.status()) <= Rank(from)) {
    std::string why = IsClosed(from) ? "closed states are final" : "a referral moves forward only";
    return FailedPrecondition("status: cannot move referral " + ref.name() + " from " +
                              StatusName(from) + " to " + StatusName(r.status()) + ": " + why)
        .Because(kReferralStatusMove, {{"from", StatusName(from)}, {"to", StatusName(r.status())}});
  }
  v1::Event event = NewEvent(ctx, 1, acting->on_behalf_of);
  v1::ReferralStatusChanged* changed = event.mutable_referral_status_changed();
  changed->set_referral(ref.name());
  changed->set_from_status(from);
  changed->set_to_status(r.status());
  return Events{event};
}

Result<Events> Chapter::DecideRecordThankYou(const Context& ctx,
                                             const v1::RecordThankYouRequest& r) const {
  auto acting = ResolveActing(ctx, r.on_behalf_of(), "on_behalf_of");
  if (!acting) {
    return acting.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  const v1::ThankYou& in = r.thank_you();
  if (in.to_member().empty()) {
    return Required("thank_you.to_member", "the member who referred the business");
  }
  if (Status s = CheckName("thank_you.to_member", in.to_member(), NameKind::kMember, info_.name());
      !s) {
    return s.error();
  }
  std::string currency = in.amount().currency().empty() ? info_.currency() : in.amount().currency();
  if (Status s = CheckCurrency("thank_you.amount.currency", currency); !s) {
    return s.error();
  }
  auto cents = ParseAmountCents("thank_you.amount.amount", in.amount().amount());
  if (!cents) {
    return cents.error();
  }
  v1::BusinessType business_type = in.business_type();
  if (business_type == v1::BUSINESS_TYPE_UNSPECIFIED) {
    business_type = v1::BUSINESS_TYPE_NEW;
  } else if (!v1::BusinessType_IsValid(business_type)) {
    return InvalidArgument("thank_you.business_type: unknown business type " +
                           std::to_string(business_type));
  }
  if (!in.referral().empty()) {
    if (Status s =
            CheckName("thank_you.referral", in.referral(), NameKind::kReferral, info_.name());
        !s) {
      return s.error();
    }
  }
  auto note = CheckMultilineText("thank_you.note", in.note(), 0, 1000);
  if (!note) {
    return note.error();
  }
  auto to_member = FindActiveMember("thank_you.to_member", in.to_member());
  if (!to_member) {
    return to_member.error();
  }
  if (in.to_member() == acting->member) {
    return InvalidArgument("thank_you.to_member: a member cannot thank themself")
        .Because(kThankYouSelf);
  }
  const v1::Referral* referral = nullptr;
  if (!in.referral().empty()) {
    auto found = FindReferral("thank_you.referral", in.referral());
    if (!found) {
      return found.error();
    }
    referral = *found;
    if (referral->giver() != in.to_member() || referral->receiver() != acting->member) {
      return FailedPrecondition("thank_you.referral: " + referral->name() + " was given by " +
                                referral->giver() + " to " + referral->receiver() +
                                "; a thank-you for it goes from its receiver to its giver");
    }
    if (referral->status() == v1::REFERRAL_STATUS_CLOSED_LOST ||
        referral->status() == v1::REFERRAL_STATUS_NOT_PURSUED) {
      return FailedPrecondition("thank_you.referral: " + referral->name() + " is " +
                                StatusName(referral->status()) + "; it cannot become closed won");
    }
  }
  auto occurrence = ResolveOccurred(ctx, r.occurred(), acting->member);
  if (!occurrence) {
    return occurrence.error();
  }

  v1::Event event = NewEvent(ctx, 1, acting->on_behalf_of);
  Stamp(*occurrence, &event);
  v1::ThankYou* out = event.mutable_thank_you_recorded()->mutable_thank_you();
  out->set_name(ChildName(info_.name(), NameKind::kThankYou, event.seq()));
  out->set_from_member(acting->member);
  out->set_to_member(in.to_member());
  out->mutable_amount()->set_currency(currency);
  out->mutable_amount()->set_amount(sdk::FormatCents(*cents));
  out->set_business_type(business_type);
  out->set_referral(in.referral());
  out->set_note(*note);
  *out->mutable_create_time() = event.time();
  Events events{event};
  if (referral != nullptr && referral->status() != v1::REFERRAL_STATUS_CLOSED_WON) {
    v1::Event won = NewEvent(ctx, 2, acting->on_behalf_of);
    v1::ReferralStatusChanged* changed = won.mutable_referral_status_changed();
    changed->set_referral(referral->name());
    changed->set_from_status(referral->status());
    changed->set_to_status(v1::REFERRAL_STATUS_CLOSED_WON);
    events.push_back(std::move(won));
  }
  return events;
}

}  // namespace reciproca::domain
