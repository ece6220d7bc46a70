// The leadership team's reports beside PALMS: who gave to whom (the referral and one-to-one
// matrix), the absence alert, and the export of every record of a range.

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/message_catalogs.h"
#include "server/domain/money.h"
#include "server/domain/names.h"
#include "server/domain/report_rows.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

ReportWindow WindowOf(std::optional<TimePoint> start, std::optional<TimePoint> end) {
  ReportWindow window;
  if (start) {
    window.start = ToNanos(*start);
  }
  if (end) {
    window.end = ToNanos(*end);
  }
  return window;
}

// A pair being counted, with TYFCB in exact cents per currency.
struct PairTally {
  int32_t referrals = 0;
  int32_t one_to_ones = 0;
  std::map<std::string, int64_t> tyfcb_cents;
};

bool Held(const v1::Meeting& meeting) {
  return meeting.state() == v1::MEETING_STATE_OPEN ||
         meeting.state() == v1::MEETING_STATE_IN_PROGRESS ||
         meeting.state() == v1::MEETING_STATE_CLOSED;
}

// The records of `from` in `window` by when they count, oldest first (then by name), into `out`.
template <typename Record>
void Collect(const std::map<std::string, Record, std::less<>>& from, const ReportWindow& window,
             google::protobuf::RepeatedPtrField<Record>* out) {
  std::vector<const Record*> chosen;
  for (const auto& [name, record] : from) {
    if (window.Contains(CountsAt(record))) {
      chosen.push_back(&record);
    }
  }
  std::sort(chosen.begin(), chosen.end(), [&](const Record* a, const Record* b) {
    const int64_t ta = ToNanos(CountsAt(*a));
    const int64_t tb = ToNanos(CountsAt(*b));
    return ta != tb ? ta < tb : NumericId(a->name()) < NumericId(b->name());
  });
  for (const Record* record : chosen) {
    *out->Add() = *record;
  }
}

}  // namespace

Result<v1::RelationshipMatrix> Chapter::RelationshipMatrix(const Principal& principal,
                                                           std::optional<TimePoint> start,
                                                           std::optional<TimePoint> end) const {
  if (Status s = CheckOrganizer(principal, "see the relationship matrix"); !s) {
    return s.error();
  }
  const ReportWindow window = WindowOf(start, end);
  std::map<std::pair<std::string, std::string>, PairTally> pairs;
  auto known = [&](const std::string& member) { return members_.contains(member); };
  for (const auto& [name, referral] : referrals_) {
    if (window.Contains(CountsAt(referral)) && known(referral.giver()) &&
        known(referral.receiver())) {
      ++pairs[{referral.giver(), referral.receiver()}].referrals;
    }
  }
  for (const auto& [name, thank_you] : thank_yous_) {
    auto cents = ParseAmountCents("amount", thank_you.amount().amount());
    if (!cents || !window.Contains(CountsAt(thank_you)) || !known(thank_you.to_member()) ||
        !known(thank_you.from_member())) {
      continue;  // amounts of decided events are normalized: !cents cannot happen
    }
    // from_member thanks to_member for business to_member generated: the giver is to_member.
    pairs[{thank_you.to_member(), thank_you.from_member()}]
        .tyfcb_cents[thank_you.amount().currency()] += *cents;
  }
  for (const auto& [name, one_to_one] : one_to_ones_) {
    if (window.Contains(CountsAt(one_to_one)) && known(one_to_one.member()) &&
        known(one_to_one.with_member()) && one_to_one.member() != one_to_one.with_member()) {
      ++pairs[{one_to_one.member(), one_to_one.with_member()}].one_to_ones;
      ++pairs[{one_to_one.with_member(), one_to_one.member()}].one_to_ones;
    }
  }

  v1::RelationshipMatrix matrix;
  matrix.set_chapter(info_.name());
  if (start) {
    *matrix.mutable_start_time() = ToTimestamp(*start);
  }
  if (end) {
    *matrix.mutable_end_time() = ToTimestamp(*end);
  }
  std::set<std::string, std::less<>> named;
  for (const auto& [pair, tally] : pairs) {
    named.insert(pair.first);
    named.insert(pair.second);
  }
  std::vector<const v1::Member*> members;
  for (const auto& [name, member] : members_) {
    if (member.state() == v1::MEMBER_STATE_ACTIVE || named.contains(name)) {
      members.push_back(&member);
    }
  }
  auto key = [](const v1::Member* m) {
    return ReportOrderKey(m->state(), m->display_name(), m->name());
  };
  std::sort(members.begin(), members.end(),
            [&](const v1::Member* a, const v1::Member* b) { return key(a) < key(b); });
  std::map<std::string, size_t, std::less<>> position;
  for (const v1::Member* member : members) {
    position[member->name()] = position.size();
    v1::MatrixMember* out = matrix.add_members();
    out->set_member(member->name());
    out->set_display_name(member->display_name());
    out->set_state(member->state());
  }
  std::vector<std::pair<std::pair<size_t, size_t>, const decltype(pairs)::value_type*>> ordered;
  for (const auto& entry : pairs) {
    ordered.push_back({{position[entry.first.first], position[entry.first.second]}, &entry});
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [at, entry] : ordered) {
    v1::RelationshipCell* cell = matrix.add_cells();
    cell->set_giver(entry->first.first);
    cell->set_receiver(entry->first.second);
    cell->set_referrals(entry->second.referrals);
    cell->set_one_to_ones(entry->second.one_to_ones);
    AddMoney(entry->second.tyfcb_cents, cell->mutable_tyfcb());
  }
  return matrix;
}

Result<v1::AbsenceReport> Chapter::AbsenceReport(const Principal& principal,
                                                 TimePoint as_of) const {
  if (Status s = CheckOrganizer(principal, "see the absence report"); !s) {
    return s.error();
  }
  return Absences(as_of);
}

std::vector<plugin::v1::Reminder> Chapter::AbsenceReminders(std::string_view member,
                                                            TimePoint now) const {
  // Who follows attendance up: the vice-presidents, else the presidents.
  std::vector<const v1::Member*> recipients;
  for (const v1::Role role : {v1::ROLE_VICE_PRESIDENT, v1::ROLE_PRESIDENT}) {
    for (const auto& [name, m] : members_) {
      if (m.state() == v1::MEMBER_STATE_ACTIVE && m.role() == role) {
        recipients.push_back(&m);
      }
    }
    if (!recipients.empty()) {
      break;
    }
  }
  std::erase_if(recipients,
                [&](const v1::Member* m) { return !member.empty() && m->name() != member; });
  std::vector<plugin::v1::Reminder> reminders;
  if (recipients.empty()) {
    return reminders;
  }
  const v1::AbsenceReport report = Absences(now);
  const MessageCatalogs& catalogs = MessageCatalogs::Get();
  std::string language = catalogs.Negotiate(info_.language());
  if (language.empty()) {
    language = "en";
  }
  for (const v1::AbsenceRow& row : report.rows()) {
    if (!row.alert()) {
      continue;
    }
    // Sorted by name, as every reminder's parameters (plugin.proto's TextParam).
    const std::map<std::string, std::string> params = {
        {"absences", std::to_string(row.absences())},
        {"alert_at", std::to_string(report.alert_at())},
        {"meetings", std::to_string(row.meetings())},
        {"member", row.display_name()},
        {"weeks", std::to_string(kAbsenceWeeks)}};
    for (const v1::Member* recipient : recipients) {
      plugin::v1::Reminder& r = reminders.emplace_back();
      // New when the count grows: each further absence is reminded once more.
      r.set_id("absence_alert:" + row.member() + ":" + std::to_string(row.absences()));
      r.set_member(recipient->name());
      r.set_kind("absence_alert");
      r.set_text(catalogs.Format(language, kReminderAbsenceAlert, params,
                                 row.display_name() + ": " + std::to_string(row.absences()) +
                                     " absences in " + std::to_string(kAbsenceWeeks) + " weeks"));
      r.add_about(row.member());
      *r.mutable_create_time() = row.absence_times(row.absence_times_size() - 1);
      for (const auto& [name, value] : params) {
        plugin::v1::TextParam* param = r.add_params();
        param->set_name(name);
        param->set_value(value);
      }
    }
  }
  return reminders;
}

v1::AbsenceReport Chapter::Absences(TimePoint as_of) const {
  const TimePoint start = as_of - std::chrono::weeks(kAbsenceWeeks);
  const ReportWindow window = WindowOf(start, as_of);
  v1::AbsenceReport report;
  report.set_chapter(info_.name());
  *report.mutable_start_time() = ToTimestamp(start);
  *report.mutable_end_time() = ToTimestamp(as_of);
  report.set_alert_at(kAbsenceAlertAt);

  std::map<std::string, v1::AbsenceRow, std::less<>> rows;
  for (const auto& [name, member] : members_) {
    if (member.state() == v1::MEMBER_STATE_ACTIVE) {
      v1::AbsenceRow& row = rows[name];
      row.set_member(name);
      row.set_display_name(member.display_name());
    }
  }
  std::vector<const v1::Meeting*> held;
  for (const auto& [name, meeting] : meetings_) {
    // A meeting counts from when it opened (check-in may open before its start).
    if (Held(meeting) && window.Contains(meeting.open_time())) {
      held.push_back(&meeting);
    }
  }
  std::sort(held.begin(), held.end(), [](const v1::Meeting* a, const v1::Meeting* b) {
    return ToNanos(a->open_time()) < ToNanos(b->open_time());
  });
  for (const v1::Meeting* meeting : held) {
    for (auto& [name, row] : rows) {
      const v1::Member& member = members_.at(name);
      if (ToNanos(member.join_time()) <= ToNanos(meeting->open_time())) {
        row.set_meetings(row.meetings() + 1);
      }
    }
    for (const v1::Attendance& attendance : meeting->attendance()) {
      auto row = rows.find(attendance.member());
      if (row != rows.end() && attendance.status() == v1::ATTENDANCE_STATUS_ABSENT) {
        row->second.set_absences(row->second.absences() + 1);
        *row->second.add_absence_times() = meeting->start_time();
      }
    }
  }
  std::vector<v1::AbsenceRow*> ordered;
  for (auto& [name, row] : rows) {
    row.set_alert(row.absences() >= kAbsenceAlertAt);
    ordered.push_back(&row);
  }
  std::sort(ordered.begin(), ordered.end(), [](const v1::AbsenceRow* a, const v1::AbsenceRow* b) {
    if (a->absences() != b->absences()) {
      return a->absences() > b->absences();
    }
    return ReportOrderKey(v1::MEMBER_STATE_ACTIVE, a->display_name(), a->member()) <
           ReportOrderKey(v1::MEMBER_STATE_ACTIVE, b->display_name(), b->member());
  });
  for (v1::AbsenceRow* row : ordered) {
    *report.add_rows() = std::move(*row);
  }
  return report;
}

Result<v1::RecordsExport> Chapter::ExportRecords(const Principal& principal,
                                                 std::optional<TimePoint> start,
                                                 std::optional<TimePoint> end) const {
  if (Status s = CheckOrganizer(principal, "export the chapter's records"); !s) {
    return s.error();
  }
  const ReportWindow window = WindowOf(start, end);
  v1::RecordsExport out;
  out.set_chapter(info_.name());
  if (start) {
    *out.mutable_start_time() = ToTimestamp(*start);
  }
  if (end) {
    *out.mutable_end_time() = ToTimestamp(*end);
  }
  Collect(referrals_, window, out.mutable_referrals());
  Collect(thank_yous_, window, out.mutable_thank_yous());
  Collect(one_to_ones_, window, out.mutable_one_to_ones());
  Collect(education_, window, out.mutable_education());
  Collect(testimonials_, window, out.mutable_testimonials());
  // Visitors live in their meetings; they count when they came, as in PALMS.
  std::map<std::string, v1::Visitor, std::less<>> visitors;
  for (const auto& [name, meeting] : meetings_) {
    for (const v1::Visitor& visitor : meeting.visitors()) {
      visitors[visitor.name()] = visitor;
    }
  }
  Collect(visitors, window, out.mutable_visitors());
  const int count = out.referrals_size() + out.thank_yous_size() + out.one_to_ones_size() +
                    out.education_size() + out.testimonials_size() + out.visitors_size();
  if (count > kMaxExportRecords) {
    return InvalidArgument("the range holds " + std::to_string(count) + " records, more than the " +
                           std::to_string(kMaxExportRecords) +
                           " one export carries: choose fewer days")
        .Because(kExportTooLarge,
                 {{"count", std::to_string(count)}, {"max", std::to_string(kMaxExportRecords)}});
  }
  return out;
}

}  // namespace reciproca::domain
