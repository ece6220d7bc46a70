#include "server/domain/list_order.h"

#include <cstdio>

#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

std::string Hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

// Flipping the sign bit maps int64 order onto unsigned order; fixed-width hex keeps it byte-wise.
std::string AscendingKeyPart(int64_t n) {
  return Hex16(static_cast<uint64_t>(n) ^ (uint64_t{1} << 63));
}

std::string DescendingKeyPart(int64_t n) {
  return Hex16(~(static_cast<uint64_t>(n) ^ (uint64_t{1} << 63)));
}

ListKey MemberListKey(const v1::Member& member) {
  return {AsciiLower(member.display_name()), AscendingKeyPart(NumericId(member.name())),
          member.name()};
}

ListKey MeetingListKey(const v1::Meeting& meeting) {
  return {DescendingKeyPart(ToNanos(meeting.start_time())),
          DescendingKeyPart(NumericId(meeting.name())), meeting.name()};
}

ListKey ReferralListKey(const v1::Referral& referral) {
  return {DescendingKeyPart(NumericId(referral.name())), referral.name()};
}

ListKey VisitorListKey(const v1::Visitor& visitor) {
  return {DescendingKeyPart(NumericId(visitor.name())), visitor.name()};
}

ListKey ChapterListKey(int64_t position, const v1::Chapter& chapter) {
  return {AscendingKeyPart(position), chapter.name()};
}

}  // namespace reciproca::domain
