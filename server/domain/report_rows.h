#pragma once
// What the chapter's reports share (palms_report.cc, relationship_report.cc): the time window
// they count in, when a record counts, money totals per currency, and the order members are
// listed in.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "reciproca/v1/resources.pb.h"
#include "server/domain/validation.h"

namespace reciproca::domain {

// [start, end) in nanoseconds; unset bounds are open.
struct ReportWindow {
  std::optional<int64_t> start;
  std::optional<int64_t> end;

  bool Contains(const google::protobuf::Timestamp& t) const {
    const int64_t ns = ToNanos(t);
    return (!start || ns >= *start) && (!end || ns < *end);
  }
};

// When a record counts in every report (PALMS, the matrix, the export): its occur_time, when it
// happened (Apply sets it from the event: Event.occurred_time, else Event.time).
template <class Record>
const google::protobuf::Timestamp& CountsAt(const Record& record) {
  return record.occur_time();
}

// Exact cents per currency, written out as Money sorted by currency.
void AddMoney(const std::map<std::string, int64_t>& cents,
              google::protobuf::RepeatedPtrField<v1::Money>* out);

// Reports list active members first, then members who left; each by display name
// (case-insensitive), then by the number in their resource name. Compare two keys with <.
std::tuple<bool, std::string, int64_t, std::string> ReportOrderKey(v1::MemberState state,
                                                                   std::string_view display_name,
                                                                   std::string_view member);

}  // namespace reciproca::domain
