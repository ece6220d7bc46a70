#pragma once

// Output: protobuf JSON (--json) or a few readable lines per resource. Every human description
// starts with the resource's full name so it can be pasted into the next command.

#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "client/cli/names.h"
#include "reciproca/v1/events.pb.h"
#include "reciproca/v1/resources.pb.h"

namespace reciproca::cli {

// One line of protobuf JSON (proto field names, default values left out).
std::string ToJson(const google::protobuf::Message& message);
// Prints ToJson(message) and a newline on stdout.
void PrintJson(const google::protobuf::Message& message);
// `text` as a JSON string literal, quotes included (for the few outputs that are not a message).
std::string JsonString(std::string_view text);

// A field of a CSV line: quoted (with "" for ") when it holds a comma, a quote or a new line.
std::string CsvField(const std::string& text);
// A table (a header row first) as CSV, or aligned: text columns (those `text` says)
// left-aligned, counts right-aligned.
void PrintRows(const std::vector<std::vector<std::string>>& table, bool csv,
               const std::function<bool(size_t)>& text);

// "2026-11-24T07:03:11Z"; "-" when unset.
std::string FormatTime(const google::protobuf::Timestamp& time);

// The command-line word for an enum value: "vice-president" for ROLE_VICE_PRESIDENT.
std::string EnumWord(const google::protobuf::EnumDescriptor* descriptor, int value);
template <typename E>
std::string EnumWord(E value) {
  return EnumWord(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

// The enum value named by `word` ("vice-president", case-insensitive); UsageError naming
// --`flag` and the choices otherwise. UNSPECIFIED is never a choice.
int ParseEnumWord(const google::protobuf::EnumDescriptor* descriptor, std::string_view word,
                  std::string_view flag);
template <typename E>
E ParseEnumWord(std::string_view word, std::string_view flag) {
  return static_cast<E>(ParseEnumWord(google::protobuf::GetEnumDescriptor<E>(), word, flag));
}

// "EUR 1250.00".
std::string FormatMoney(const v1::Money& money);

// Human descriptions, each a few lines ending in a newline. `names` turns member resource
// names into display names (best effort).
std::string DescribeChapter(const v1::Chapter& chapter);
std::string DescribeMember(const v1::Member& member);
std::string DescribeMeeting(const v1::Meeting& meeting, Names& names);
std::string DescribeAttendance(const std::string& meeting, const v1::Attendance& attendance,
                               Names& names);
std::string DescribeVisitor(const v1::Visitor& visitor, Names& names);
std::string DescribeReferral(const v1::Referral& referral, Names& names);
std::string DescribeThankYou(const v1::ThankYou& thank_you, Names& names);
std::string DescribeOneToOne(const v1::OneToOne& one_to_one, Names& names);
std::string DescribeEducation(const v1::Education& education, Names& names);
std::string DescribeTestimonial(const v1::Testimonial& testimonial, Names& names);
// One line, without a newline: "chapters/x/members/3 2026-06-01..2026-11-23: P 23 A 1 L 0 M 0
// S 0, referrals given 18 inside 4 outside, received 5, visitors 3, 1-2-1 10, CEU 2,
// testimonials 1, TYFCB EUR 3000.00".
std::string DescribePalmsSummary(const v1::PalmsSummaryImported& summary);

}  // namespace reciproca::cli
