// Importing other tools' history (docs/import.md): what a parsed file records. Parsing and
// member matching are import_csv's; the rules of what may be recorded are here.

#include <chrono>
#include <string>

#include "server/domain/chapter.h"
#include "server/domain/validation.h"

namespace reciproca::domain {

namespace {

bool IsImportId(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (const char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<Events> Chapter::DecideImportPalmsSummaries(
    const Context& ctx, std::string_view import_name,
    const std::vector<v1::PalmsSummaryImported>& rows) const {
  if (Status s = CheckOrganizer(ctx.principal, "import history"); !s) {
    return s.error();
  }
  const std::string prefix = info_.name() + "/imports/";
  if (import_name.substr(0, prefix.size()) != prefix ||
      !IsImportId(import_name.substr(prefix.size()))) {
    return InvalidArgument("import: must be " + prefix +
                           "{id} (lower-case letters, digits, '-'), got " +
                           std::string(import_name));
  }
  // Every time zone's today is at most one day after UTC's.
  const std::string latest = UtcDate(ctx.now + std::chrono::hours(24));
  Events events;
  events.reserve(rows.size());
  for (const v1::PalmsSummaryImported& row : rows) {
    const std::string at = "line " + std::to_string(row.source_line()) + ": ";
    auto member = FindMember(at + "member", row.member());
    if (!member) {
      return member.error();
    }
    if (!IsValidDate(row.period_start()) || !IsValidDate(row.period_end())) {
      return InvalidArgument(at + "period: must be two YYYY-MM-DD dates, got '" +
                             row.period_start() + "'..'" + row.period_end() + "'");
    }
    if (row.period_end() < row.period_start()) {
      return InvalidArgument(at + "period: ends " + row.period_end() + " before it starts " +
                             row.period_start());
    }
    if (row.period_end() > latest) {
      return InvalidArgument(at + "period: ends " + row.period_end() +
                             ", in the future; import history that has happened");
    }
    for (const int32_t count :
         {row.present(), row.absent(), row.late(), row.medical(), row.substitute(),
          row.referrals_given_inside(), row.referrals_given_outside(), row.referrals_received(),
          row.visitors(), row.one_to_ones(), row.ceu(), row.testimonials()}) {
      if (count < 0) {
        return InvalidArgument(at + "counts: must not be negative, got " + std::to_string(count));
      }
    }
    v1::Event event = NewEvent(ctx, static_cast<int64_t>(events.size()) + 1, "");
    event.set_imported_from(std::string(import_name));
    *event.mutable_palms_summary_imported() = row;
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace reciproca::domain
