// What members record about their own practice: one-to-ones, education credits, testimonials.

#include <string>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/names.h"
#include "server/domain/occurred.h"
#include "server/domain/validation.h"

namespace reciproca::domain {

Result<Events> Chapter::DecideRecordOneToOne(const Context& ctx,
                                             const v1::RecordOneToOneRequest& r) const {
  auto acting = ResolveActing(ctx, r.on_behalf_of(), "on_behalf_of");
  if (!acting) {
    return acting.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  const v1::OneToOne& in = r.one_to_one();
  if (in.with_member().empty()) {
    return Required("one_to_one.with_member", "the other member");
  }
  if (Status s =
          CheckName("one_to_one.with_member", in.with_member(), NameKind::kMember, info_.name());
      !s) {
    return s.error();
  }
  std::string date(Trim(in.date()));
  if (!date.empty()) {
    if (auto day = CheckDay("one_to_one.date", date); !day) {
      return day.error();
    }
  }
  auto note = CheckMultilineText("one_to_one.note", in.note(), 0, 1000);
  if (!note) {
    return note.error();
  }
  auto with = FindActiveMember("one_to_one.with_member", in.with_member());
  if (!with) {
    return with.error();
  }
  if (in.with_member() == acting->member) {
    return InvalidArgument("one_to_one.with_member: a member cannot meet themself");
  }
  auto occurrence = ResolveOccurred(ctx, r.occurred(), acting->member);
  if (!occurrence) {
    return occurrence.error();
  }
  if (occurrence->time) {
    // Dated: the day they met is the day it happened, in the chapter's time zone.
    const std::string day = UtcDate(ChapterDay(ctx.time_zones, *occurrence->time));
    if (!date.empty() && date != day) {
      return InvalidArgument("one_to_one.date: " + date + " is not " + day +
                             ", the day of occurred; give one of them, or the same day")
          .Because(kOccurredOtherDate);
    }
    date = day;
  } else if (date.empty()) {
    date = UtcDate(ctx.now);
  }
  v1::Event event = NewEvent(ctx, 1, acting->on_behalf_of);
  Stamp(*occurrence, &event);
  v1::OneToOne* out = event.mutable_one_to_one_recorded()->mutable_one_to_one();
  out->set_name(ChildName(info_.name(), NameKind::kOneToOne, event.seq()));
  out->set_member(acting->member);
  out->set_with_member(in.with_member());
  out->set_date(date);
  out->set_note(*note);
  *out->mutable_create_time() = event.time();
  return Events{event};
}

Result<Events> Chapter::DecideRecordEducation(const Context& ctx,
                                              const v1::RecordEducationRequest& r) const {
  auto acting = ResolveActing(ctx, r.on_behalf_of(), "on_behalf_of");
  if (!acting) {
    return acting.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  const v1::Education& in = r.education();
  if (in.credits() < 1 || in.credits() > 100) {
    return NotBetween("education.credits", 1, 100, in.credits());
  }
  auto note = CheckMultilineText("education.note", in.note(), 0, 1000);
  if (!note) {
    return note.error();
  }
  auto occurrence = ResolveOccurred(ctx, r.occurred(), acting->member);
  if (!occurrence) {
    return occurrence.error();
  }
  v1::Event event = NewEvent(ctx, 1, acting->on_behalf_of);
  Stamp(*occurrence, &event);
  v1::Education* out = event.mutable_education_recorded()->mutable_education();
  out->set_name(ChildName(info_.name(), NameKind::kEducation, event.seq()));
  out->set_member(acting->member);
  out->set_credits(in.credits());
  out->set_note(*note);
  *out->mutable_create_time() = event.time();
  return Events{event};
}

Result<Events> Chapter::DecideRecordTestimonial(const Context& ctx,
                                                const v1::RecordTestimonialRequest& r) const {
  auto acting = ResolveActing(ctx, r.on_behalf_of(), "on_behalf_of");
  if (!acting) {
    return acting.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  const v1::Testimonial& in = r.testimonial();
  if (in.for_member().empty()) {
    return Required("testimonial.for_member", "the member vouched for");
  }
  if (Status s =
          CheckName("testimonial.for_member", in.for_member(), NameKind::kMember, info_.name());
      !s) {
    return s.error();
  }
  auto text = CheckMultilineText("testimonial.text", in.text(), 1, 2000);
  if (!text) {
    return text.error();
  }
  auto for_member = FindActiveMember("testimonial.for_member", in.for_member());
  if (!for_member) {
    return for_member.error();
  }
  if (in.for_member() == acting->member) {
    return InvalidArgument("testimonial.for_member: a member cannot vouch for themself");
  }
  auto occurrence = ResolveOccurred(ctx, r.occurred(), acting->member);
  if (!occurrence) {
    return occurrence.error();
  }
  v1::Event event = NewEvent(ctx, 1, acting->on_behalf_of);
  Stamp(*occurrence, &event);
  v1::Testimonial* out = event.mutable_testimonial_recorded()->mutable_testimonial();
  out->set_name(ChildName(info_.name(), NameKind::kTestimonial, event.seq()));
  out->set_from_member(acting->member);
  out->set_for_member(in.for_member());
  out->set_text(*text);
  *out->mutable_create_time() = event.time();
  return Events{event};
}

}  // namespace reciproca::domain
