#include "client/cli/output.h"

#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <ctime>
#include <iostream>

#include "client/cli/args.h"

namespace reciproca::cli {
namespace {

// "ATTENDANCE_STATUS_" for the enum AttendanceStatus.
std::string EnumPrefix(const google::protobuf::EnumDescriptor* descriptor) {
  std::string prefix;
  for (char c : descriptor->name()) {
    if (std::isupper(static_cast<unsigned char>(c)) && !prefix.empty()) {
      prefix += '_';
    }
    prefix += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return prefix + "_";
}

std::string ToWord(const std::string& value_name, const std::string& prefix) {
  std::string word =
      value_name.rfind(prefix, 0) == 0 ? value_name.substr(prefix.size()) : value_name;
  for (char& c : word) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return word;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Contact(const std::string& email, const std::string& phone) {
  std::string out;
  for (const std::string* part : {&email, &phone}) {
    if (!part->empty()) {
      out += (out.empty() ? "" : ", ") + *part;
    }
  }
  return out;
}

// "Ana Rossi (chapters/demo/members/3)", or just the resource name when no display name.
std::string Person(const std::string& member, Names& names) {
  if (member.empty()) {
    return "-";
  }
  std::string display = names.DisplayName(member);
  return display == member ? member : display + " (" + member + ")";
}

}  // namespace

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = false;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return "{}";
  }
  return json;
}

void PrintJson(const google::protobuf::Message& message) { std::cout << ToJson(message) << '\n'; }

std::string JsonString(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string FormatTime(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) {
    return "-";
  }
  std::time_t seconds = static_cast<std::time_t>(time.seconds());
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string EnumWord(const google::protobuf::EnumDescriptor* descriptor, int value) {
  const google::protobuf::EnumValueDescriptor* found = descriptor->FindValueByNumber(value);
  if (found == nullptr) {
    return std::to_string(value);
  }
  return ToWord(found->name(), EnumPrefix(descriptor));
}

int ParseEnumWord(const google::protobuf::EnumDescriptor* descriptor, std::string_view word,
                  std::string_view flag) {
  const std::string prefix = EnumPrefix(descriptor);
  const std::string wanted = Lower(word);
  std::string choices;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
    if (value->number() == 0) {
      continue;
    }
    std::string choice = ToWord(value->name(), prefix);
    if (choice == wanted) {
      return value->number();
    }
    choices += (choices.empty() ? "" : "|") + choice;
  }
  throw UsageError("--" + std::string(flag) + " must be one of " + choices + ", got \"" +
                   std::string(word) + "\"");
}

std::string FormatMoney(const v1::Money& money) { return money.currency() + " " + money.amount(); }

std::string DescribeChapter(const v1::Chapter& chapter) {
  std::string out = "chapter " + chapter.name() + ": " + chapter.display_name() + "\n";
  std::string schedule;
  if (chapter.meeting_weekday() != v1::WEEKDAY_UNSPECIFIED) {
    schedule += EnumWord(chapter.meeting_weekday());
  }
  if (!chapter.meeting_time().empty()) {
    schedule += (schedule.empty() ? "" : " ") + chapter.meeting_time();
  }
  if (!chapter.time_zone().empty()) {
    schedule += (schedule.empty() ? "" : " ") + chapter.time_zone();
  }
  out += "  meets: " + (schedule.empty() ? std::string("-") : schedule) +
         "; currency: " + chapter.currency() +
         (chapter.language().empty() ? "" : "; language: " + chapter.language()) + "\n";
  out += "  active members: " + std::to_string(chapter.active_member_count()) + "; last event: #" +
         std::to_string(chapter.last_seq()) + "; created: " + FormatTime(chapter.create_time()) +
         "\n";
  if (chapter.display_amounts()) {
    out += "  room display: shows TYFCB amounts\n";
  }
  for (int i = 0; i < chapter.agenda_size(); ++i) {
    const v1::AgendaItem& item = chapter.agenda(i);
    out += (i == 0 ? "  agenda: " : "          ") + std::to_string(i + 1) + ". " + item.title();
    if (item.minutes() > 0) {
      out += ", " + std::to_string(item.minutes()) + " min";
    }
    if (item.countdown_seconds() > 0) {
      out += ", countdown " + std::to_string(item.countdown_seconds()) + " s";
    }
    out += "\n";
  }
  for (int i = 0; i < chapter.feature_rotation_size(); ++i) {
    const v1::FeaturePresenter& week = chapter.feature_rotation(i);
    out += (i == 0 ? "  feature presentations: " : "                         ") + week.date() +
           " " + week.member() + "\n";
  }
  for (int i = 0; i < chapter.expected_substitutes_size(); ++i) {
    const v1::ExpectedSubstitute& e = chapter.expected_substitutes(i);
    out += (i == 0 ? "  substitutes ahead: " : "                     ") + e.date() + " " +
           e.member() + " sends " + e.substitute_name() + "\n";
  }
  return out;
}

std::string DescribeMember(const v1::Member& member) {
  std::string out = "member " + member.name() + ": " + member.display_name() + ", " +
                    member.business() + " (" + member.category() + ")\n";
  out += "  role: " + EnumWord(member.role()) + "; state: " + EnumWord(member.state());
  std::string contact = Contact(member.email(), member.phone());
  if (!contact.empty()) {
    out += "; contact: " + contact;
  }
  out += "\n";
  return out;
}

std::string DescribeMeeting(const v1::Meeting& meeting, Names& names) {
  std::string out = "meeting " + meeting.name() + ": " + EnumWord(meeting.state()) + ", starts " +
                    FormatTime(meeting.start_time()) + "\n";
  if (meeting.has_open_time()) {
    out += "  opened: " + FormatTime(meeting.open_time());
    out += meeting.has_close_time() ? "; closed: " + FormatTime(meeting.close_time()) : "";
    out += "\n";
  }
  if (meeting.state() == v1::MEETING_STATE_CANCELLED && !meeting.cancel_reason().empty()) {
    out += "  cancelled: " + meeting.cancel_reason() + "\n";
  }
  if (meeting.has_palms_submit_time()) {
    out += "  PALMS submitted: " + FormatTime(meeting.palms_submit_time());
    out += meeting.corrections() > 0
               ? "; " + std::to_string(meeting.corrections()) + " correction" +
                     (meeting.corrections() == 1 ? "" : "s") + " since"
               : "";
    out += "\n";
  }
  for (int i = 0; i < meeting.segments_size(); ++i) {
    const v1::Segment& segment = meeting.segments(i);
    out += "  segment " + std::to_string(i + 1) + ": \"" + segment.title() + "\"";
    if (segment.countdown_seconds() > 0) {
      out += " (" + std::to_string(segment.countdown_seconds()) + " s)";
    }
    out += " at " + FormatTime(segment.start_time());
    out += i + 1 == meeting.segments_size() && meeting.state() == v1::MEETING_STATE_IN_PROGRESS
               ? " (current)\n"
               : "\n";
    if (!segment.speaker().empty()) {
      out += "    speaker: " + Person(segment.speaker(), names) + "; next: " +
             (segment.next_speaker().empty() ? std::string("nobody")
                                             : Person(segment.next_speaker(), names)) +
             "\n";
    }
  }
  for (const v1::Attendance& attendance : meeting.attendance()) {
    out += "  " + EnumWord(attendance.status()) + ": " + Person(attendance.member(), names);
    if (!attendance.substitute_name().empty()) {
      out += ", sent " + attendance.substitute_name();
    }
    out += "\n";
  }
  for (const v1::Visitor& visitor : meeting.visitors()) {
    out += "  visitor: " + visitor.display_name() + ", " + visitor.business() + " (invited by " +
           names.DisplayName(visitor.invited_by()) + ")\n";
  }
  return out;
}

std::string DescribeAttendance(const std::string& meeting, const v1::Attendance& attendance,
                               Names& names) {
  std::string out = "attendance " + meeting + ": " + Person(attendance.member(), names) + " " +
                    EnumWord(attendance.status());
  if (!attendance.substitute_name().empty()) {
    out += " (sent " + attendance.substitute_name() + ")";
  }
  return out + " at " + FormatTime(attendance.record_time()) + "\n";
}

namespace {

// "  happened T (recorded R)\n" for a record typed in after it happened (its occur_time is not
// when it was recorded); "" otherwise, and for a server that sends no occur_time.
std::string Happened(const google::protobuf::Timestamp& occur_time,
                     const google::protobuf::Timestamp& recorded) {
  const bool unset = occur_time.seconds() == 0 && occur_time.nanos() == 0;
  if (unset ||
      (occur_time.seconds() == recorded.seconds() && occur_time.nanos() == recorded.nanos())) {
    return "";
  }
  return "  happened " + FormatTime(occur_time) + " (recorded " + FormatTime(recorded) + ")\n";
}

}  // namespace

std::string DescribeVisitor(const v1::Visitor& visitor, Names& names) {
  std::string out = "visitor " + visitor.name() + ": " + visitor.display_name() + ", " +
                    visitor.business() + "\n";
  if (visitor.state() != v1::VISITOR_STATE_UNSPECIFIED) {
    out += "  state: " + EnumWord(visitor.state());
    if (!visitor.member().empty()) {
      out += ", now member " + visitor.member();
    }
    out += "\n";
  }
  out += "  invited by " + Person(visitor.invited_by(), names);
  std::string contact = Contact(visitor.email(), visitor.phone());
  if (!contact.empty()) {
    out += "; contact: " + contact;
  }
  return out + "\n" + Happened(visitor.occur_time(), visitor.register_time());
}

std::string DescribeReferral(const v1::Referral& referral, Names& names) {
  std::string out = "referral " + referral.name() + ": " + names.DisplayName(referral.giver()) +
                    " -> " + names.DisplayName(referral.receiver()) + ", temperature " +
                    std::to_string(referral.temperature()) + ", ";
  if (referral.kind() == v1::REFERRAL_KIND_OUTSIDE) {
    out += "outside (" + referral.contact_name();
    std::string contact = Contact(referral.contact_email(), referral.contact_phone());
    out += contact.empty() ? ")" : ", " + contact + ")";
  } else {
    out += EnumWord(referral.kind());
  }
  out += ", " + EnumWord(referral.status()) + "\n";
  if (!referral.note().empty()) {
    out += "  note: " + referral.note() + "\n";
  }
  if (!referral.meeting().empty()) {
    out += "  at meeting " + referral.meeting() + "\n";
  }
  out += "  given " + FormatTime(referral.create_time());
  if (referral.has_update_time()) {
    out += "; updated " + FormatTime(referral.update_time());
  }
  return out + "\n" + Happened(referral.occur_time(), referral.create_time());
}

std::string DescribeThankYou(const v1::ThankYou& thank_you, Names& names) {
  std::string out = "thank-you " + thank_you.name() + ": " +
                    names.DisplayName(thank_you.from_member()) + " thanks " +
                    names.DisplayName(thank_you.to_member()) + " for " +
                    FormatMoney(thank_you.amount()) + ", " +
                    EnumWord(thank_you.business_type() == v1::BUSINESS_TYPE_UNSPECIFIED
                                 ? v1::BUSINESS_TYPE_NEW
                                 : thank_you.business_type()) +
                    " business\n";
  if (!thank_you.referral().empty()) {
    out += "  for referral " + thank_you.referral() + "\n";
  }
  if (!thank_you.note().empty()) {
    out += "  note: " + thank_you.note() + "\n";
  }
  return out + Happened(thank_you.occur_time(), thank_you.create_time());
}

std::string DescribeOneToOne(const v1::OneToOne& one_to_one, Names& names) {
  std::string out = "one-to-one " + one_to_one.name() + ": " +
                    names.DisplayName(one_to_one.member()) + " met " +
                    names.DisplayName(one_to_one.with_member()) + " on " + one_to_one.date() + "\n";
  if (!one_to_one.note().empty()) {
    out += "  note: " + one_to_one.note() + "\n";
  }
  return out;
}

std::string DescribeEducation(const v1::Education& education, Names& names) {
  std::string out = "education " + education.name() + ": " + names.DisplayName(education.member()) +
                    ", " + std::to_string(education.credits()) + " credit" +
                    (education.credits() == 1 ? "" : "s") + "\n";
  if (!education.note().empty()) {
    out += "  note: " + education.note() + "\n";
  }
  return out + Happened(education.occur_time(), education.create_time());
}

std::string DescribeTestimonial(const v1::Testimonial& testimonial, Names& names) {
  return "testimonial " + testimonial.name() + ": " + names.DisplayName(testimonial.from_member()) +
         " for " + names.DisplayName(testimonial.for_member()) + "\n  \"" + testimonial.text() +
         "\"\n" + Happened(testimonial.occur_time(), testimonial.create_time());
}

std::string DescribePalmsSummary(const v1::PalmsSummaryImported& summary) {
  auto n = [](int32_t count) { return std::to_string(count); };
  std::string out =
      summary.member() + " " + summary.period_start() + ".." + summary.period_end() + ": P " +
      n(summary.present()) + " A " + n(summary.absent()) + " L " + n(summary.late()) + " M " +
      n(summary.medical()) + " S " + n(summary.substitute()) + ", referrals given " +
      n(summary.referrals_given_inside()) + " inside " + n(summary.referrals_given_outside()) +
      " outside, received " + n(summary.referrals_received()) + ", visitors " +
      n(summary.visitors()) + ", 1-2-1 " + n(summary.one_to_ones()) + ", CEU " + n(summary.ceu()) +
      ", testimonials " + n(summary.testimonials());
  if (summary.has_tyfcb()) {
    out += ", TYFCB " + FormatMoney(summary.tyfcb());
  }
  return out;
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (char c : text) {
    out += c == '"' ? "\"\"" : std::string(1, c);
  }
  return out + "\"";
}

void PrintRows(const std::vector<std::vector<std::string>>& table, bool csv,
               const std::function<bool(size_t)>& text) {
  if (csv) {
    for (const auto& line : table) {
      for (size_t i = 0; i < line.size(); ++i) {
        std::cout << (i == 0 ? "" : ",") << CsvField(line[i]);
      }
      std::cout << "\n";
    }
    return;
  }
  std::vector<size_t> widths(table.front().size(), 0);
  for (const auto& line : table) {
    for (size_t i = 0; i < line.size(); ++i) {
      widths[i] = std::max(widths[i], line[i].size());
    }
  }
  for (const auto& line : table) {
    std::string out;
    for (size_t i = 0; i < line.size(); ++i) {
      const std::string pad(widths[i] - line[i].size(), ' ');
      out += (i == 0 ? "" : "  ") + (text(i) ? line[i] + pad : pad + line[i]);
    }
    out.erase(out.find_last_not_of(' ') + 1);
    std::cout << out << "\n";
  }
}

}  // namespace reciproca::cli
