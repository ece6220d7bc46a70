#include "server/domain/need_to_know.h"

#include <algorithm>

namespace reciproca::domain {

Viewer ViewerOf(const Chapter& chapter, const Principal& principal) {
  Viewer viewer;
  viewer.kind = principal.kind;
  viewer.member = principal.member;
  viewer.organizer =
      principal.kind == Principal::Kind::kMember && chapter.IsOrganizer(principal.member);
  return viewer;
}

View ViewFor(const Viewer& viewer, std::span<const std::string> parties) {
  switch (viewer.kind) {
    case Principal::Kind::kAdmin:
      return View::kFull;
    case Principal::Kind::kDisplay:
      return View::kDisplay;
    case Principal::Kind::kMember:
      break;
  }
  if (viewer.organizer ||
      std::find(parties.begin(), parties.end(), viewer.member) != parties.end()) {
    return View::kFull;
  }
  return View::kOthers;
}

void Redact(View view, v1::Referral* referral) {
  if (view == View::kFull) {
    return;
  }
  referral->clear_contact_name();
  referral->clear_contact_phone();
  referral->clear_contact_email();
  referral->clear_note();
}

void Redact(View view, v1::Member* member) {
  if (view != View::kDisplay) {
    return;
  }
  member->clear_email();
  member->clear_phone();
}

void Redact(View view, v1::Visitor* visitor) {
  if (view == View::kFull) {
    return;
  }
  visitor->clear_email();
  visitor->clear_phone();
  for (v1::VisitorStep& step : *visitor->mutable_history()) {
    step.clear_note();  // the visitor host's notes about a person
  }
}

void Redact(View view, v1::Event* event) {
  switch (event->payload_case()) {
    case v1::Event::kReferralGiven:
      return Redact(view, event->mutable_referral_given()->mutable_referral());
    case v1::Event::kVisitorRegistered:
      return Redact(view, event->mutable_visitor_registered()->mutable_visitor());
    case v1::Event::kVisitorInvited:
      return Redact(view, event->mutable_visitor_invited()->mutable_visitor());
    case v1::Event::kVisitorStateChanged:
      return Redact(view, event->mutable_visitor_state_changed()->mutable_visitor());
    case v1::Event::kMemberAdded:
      return Redact(view, event->mutable_member_added()->mutable_member());
    case v1::Event::kMemberUpdated:
      return Redact(view, event->mutable_member_updated()->mutable_member());
    default:
      return;  // no personal data (HasPersonalData says the same)
  }
}

void Redact(const Viewer& viewer, v1::Referral* referral) {
  const std::string parties[] = {referral->giver(), referral->receiver()};
  Redact(ViewFor(viewer, parties), referral);
}

void Redact(const Viewer& viewer, v1::Member* member) { Redact(ViewFor(viewer, {}), member); }

void Redact(const Viewer& viewer, v1::Visitor* visitor) {
  const std::string parties[] = {visitor->invited_by()};
  Redact(ViewFor(viewer, parties), visitor);
}

void Redact(const Viewer& viewer, v1::Meeting* meeting) {
  for (v1::Visitor& visitor : *meeting->mutable_visitors()) {
    Redact(viewer, &visitor);
  }
}

void Redact(const Viewer& viewer, v1::Event* event) {
  Redact(ViewFor(viewer, PartiesOf(*event)), event);
}

std::vector<std::string> PartiesOf(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kReferralGiven:
      return {event.referral_given().referral().giver(),
              event.referral_given().referral().receiver()};
    case v1::Event::kVisitorRegistered:
      return {event.visitor_registered().visitor().invited_by()};
    case v1::Event::kVisitorInvited:
      return {event.visitor_invited().visitor().invited_by()};
    case v1::Event::kVisitorStateChanged:
      return {event.visitor_state_changed().visitor().invited_by()};
    default:
      return {};
  }
}

bool HasPersonalData(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kReferralGiven:
    case v1::Event::kVisitorRegistered:
    case v1::Event::kVisitorInvited:
    case v1::Event::kVisitorStateChanged:
    case v1::Event::kMemberAdded:
    case v1::Event::kMemberUpdated:
      return true;
    default:
      return false;
  }
}

std::optional<RoleChange> RoleSetBy(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kMemberAdded: {
      const v1::Member& m = event.member_added().member();
      return RoleChange{m.name(), IsLeadershipRole(m.role())};
    }
    case v1::Event::kMemberUpdated: {
      const v1::Member& m = event.member_updated().member();
      return RoleChange{m.name(),
                        m.state() == v1::MEMBER_STATE_ACTIVE && IsLeadershipRole(m.role())};
    }
    case v1::Event::kMemberLeft:
      return RoleChange{event.member_left().member(), false};
    default:
      return std::nullopt;
  }
}

}  // namespace reciproca::domain
