// The PALMS report: per member counts over [start, end).

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plugins/texts/palms_summary.h"
#include "server/domain/chapter.h"
#include "server/domain/money.h"
#include "server/domain/names.h"
#include "server/domain/report_rows.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// A row being counted, with money in exact cents per currency.
struct Tally {
  v1::PalmsRow row;
  std::map<std::string, int64_t> given_cents;
  std::map<std::string, int64_t> received_cents;
};

void CountAttendance(v1::AttendanceStatus status, v1::PalmsRow* row) {
  switch (status) {
    case v1::ATTENDANCE_STATUS_PRESENT:
      row->set_present(row->present() + 1);
      break;
    case v1::ATTENDANCE_STATUS_ABSENT:
      row->set_absent(row->absent() + 1);
      break;
    case v1::ATTENDANCE_STATUS_LATE:
      row->set_late(row->late() + 1);
      break;
    case v1::ATTENDANCE_STATUS_MEDICAL:
      row->set_medical(row->medical() + 1);
      break;
    case v1::ATTENDANCE_STATUS_SUBSTITUTE:
      row->set_substitute(row->substitute() + 1);
      break;
    default:
      break;
  }
}

// An imported summary's counts, spread over its period's meetings as the plugins spread them
// (plugins/texts/palms_summary.h, the rule's one home), in the row for the shares in `window`.
void CountImportedSummary(const v1::PalmsSummaryImported& summary, const ReportWindow& window,
                          Tally* tally) {
  constexpr int64_t kDayNanos = int64_t{86400} * 1000000000;
  constexpr int64_t kNanos = 1000000000;
  int64_t start = 0;
  int64_t last_day = 0;
  if (!plugin_texts::PeriodStart(summary, &start) ||
      !plugin_texts::ParseDay(summary.period_end(), &last_day)) {
    return;  // cannot happen for decided events: periods are checked
  }
  const bool overlaps = (!window.end || start * kNanos < *window.end) &&
                        (!window.start || last_day * kNanos + kDayNanos > *window.start);
  if (!overlaps) {
    return;
  }
  v1::PalmsRow& row = tally->row;
  row.set_imported_summaries(row.imported_summaries() + 1);
  auto in_window = [&](int64_t total) {
    int64_t sum = 0;
    for (const plugin_texts::Share& share : plugin_texts::SpreadOverMeetings(summary, total)) {
      const int64_t at = share.time * kNanos;
      if ((!window.start || at >= *window.start) && (!window.end || at < *window.end)) {
        sum += share.amount;
      }
    }
    return sum;
  };
  auto add = [&](int32_t (v1::PalmsRow::*get)() const, void (v1::PalmsRow::*set)(int32_t),
                 int64_t total) {
    (row.*set)((row.*get)() + static_cast<int32_t>(in_window(total)));
  };
  using R = v1::PalmsRow;
  add(&R::present, &R::set_present, summary.present());
  add(&R::absent, &R::set_absent, summary.absent());
  add(&R::late, &R::set_late, summary.late());
  add(&R::medical, &R::set_medical, summary.medical());
  add(&R::substitute, &R::set_substitute, summary.substitute());
  add(&R::referrals_given, &R::set_referrals_given,
      int64_t{summary.referrals_given_inside()} + summary.referrals_given_outside());
  add(&R::referrals_received, &R::set_referrals_received, summary.referrals_received());
  add(&R::visitors, &R::set_visitors, summary.visitors());
  add(&R::one_to_ones, &R::set_one_to_ones, summary.one_to_ones());
  add(&R::ceus, &R::set_ceus, summary.ceu());
  add(&R::testimonials_given, &R::set_testimonials_given, summary.testimonials());
  // Its TYFCB is what the member said (the given side), as in the traffic light.
  if (summary.has_tyfcb()) {
    if (auto cents = ParseAmountCents("tyfcb", summary.tyfcb().amount()); cents.ok()) {
      if (const int64_t counted = in_window(*cents); counted > 0) {
        tally->given_cents[summary.tyfcb().currency()] += counted;
      }
    }
  }
}

}  // namespace

v1::PalmsReport Chapter::PalmsReport(std::optional<TimePoint> start,
                                     std::optional<TimePoint> end) const {
  v1::PalmsReport report;
  report.set_chapter(info_.name());
  ReportWindow window;
  if (start) {
    *report.mutable_start_time() = ToTimestamp(*start);
    window.start = ToNanos(*start);
  }
  if (end) {
    *report.mutable_end_time() = ToTimestamp(*end);
    window.end = ToNanos(*end);
  }

  std::map<std::string, Tally, std::less<>> tallies;
  for (const auto& [name, member] : members_) {
    Tally& tally = tallies[name];
    tally.row.set_member(name);
    tally.row.set_display_name(member.display_name());
    tally.row.set_state(member.state());
  }
  auto row = [&](std::string_view member) -> Tally* {
    auto it = tallies.find(member);
    return it == tallies.end() ? nullptr : &it->second;
  };

  int32_t meetings = 0;
  int32_t cancelled = 0;
  int32_t corrections = 0;
  for (const auto& [name, meeting] : meetings_) {
    if (window.Contains(meeting.start_time()) && meeting.state() == v1::MEETING_STATE_CANCELLED) {
      ++cancelled;  // a holiday: nobody absent, no meeting to count
    } else if (window.Contains(meeting.start_time())) {
      ++meetings;
      corrections += meeting.corrections();
      for (const v1::Attendance& attendance : meeting.attendance()) {
        if (Tally* t = row(attendance.member())) {
          CountAttendance(attendance.status(), &t->row);
        }
      }
    }
    // Visitors count when they came (registered, or the occurred time typed in later), whatever
    // the meeting's date.
    for (const v1::Visitor& visitor : meeting.visitors()) {
      if (!window.Contains(CountsAt(visitor))) {
        continue;
      }
      if (Tally* t = row(visitor.invited_by())) {
        t->row.set_visitors(t->row.visitors() + 1);
      }
    }
  }
  report.set_meetings(meetings);
  report.set_cancelled_meetings(cancelled);
  report.set_corrections(corrections);

  for (const auto& [name, referral] : referrals_) {
    if (!window.Contains(CountsAt(referral))) {
      continue;
    }
    if (Tally* t = row(referral.giver())) {
      t->row.set_referrals_given(t->row.referrals_given() + 1);
    }
    if (Tally* t = row(referral.receiver())) {
      t->row.set_referrals_received(t->row.referrals_received() + 1);
    }
  }
  for (const auto& [name, one_to_one] : one_to_ones_) {
    if (!window.Contains(CountsAt(one_to_one))) {
      continue;
    }
    for (const std::string& member : {one_to_one.member(), one_to_one.with_member()}) {
      if (Tally* t = row(member)) {
        t->row.set_one_to_ones(t->row.one_to_ones() + 1);
      }
    }
  }
  for (const auto& [name, education] : education_) {
    if (window.Contains(CountsAt(education))) {
      if (Tally* t = row(education.member())) {
        t->row.set_ceus(t->row.ceus() + education.credits());
      }
    }
  }
  for (const auto& [name, testimonial] : testimonials_) {
    if (window.Contains(CountsAt(testimonial))) {
      if (Tally* t = row(testimonial.from_member())) {
        t->row.set_testimonials_given(t->row.testimonials_given() + 1);
      }
    }
  }
  for (const auto& [name, thank_you] : thank_yous_) {
    if (!window.Contains(CountsAt(thank_you))) {
      continue;
    }
    auto cents = ParseAmountCents("amount", thank_you.amount().amount());
    if (!cents) {
      continue;  // cannot happen for decided events: amounts are normalized
    }
    if (Tally* t = row(thank_you.from_member())) {
      t->given_cents[thank_you.amount().currency()] += *cents;
    }
    if (Tally* t = row(thank_you.to_member())) {
      t->received_cents[thank_you.amount().currency()] += *cents;
    }
  }

  for (const v1::PalmsSummaryImported& summary : palms_summaries_) {
    if (Tally* t = row(summary.member())) {
      CountImportedSummary(summary, window, t);
    }
  }

  std::vector<Tally*> ordered;
  ordered.reserve(tallies.size());
  for (auto& [name, tally] : tallies) {
    ordered.push_back(&tally);
  }
  std::sort(ordered.begin(), ordered.end(), [](const Tally* a, const Tally* b) {
    return ReportOrderKey(a->row.state(), a->row.display_name(), a->row.member()) <
           ReportOrderKey(b->row.state(), b->row.display_name(), b->row.member());
  });
  for (Tally* tally : ordered) {
    AddMoney(tally->given_cents, tally->row.mutable_tyfcb_given());
    AddMoney(tally->received_cents, tally->row.mutable_tyfcb_received());
    *report.add_rows() = std::move(tally->row);
  }
  return report;
}

}  // namespace reciproca::domain
