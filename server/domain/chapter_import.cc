// Importing other tools' history (docs/import.md): what a parsed file records. Parsing and
// member matching are import_csv's; the rules of what may be recorded are here.

#include <algorithm>
#include <chrono>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "plugins/texts/palms_summary.h"
#include "server/domain/chapter.h"
#include "server/domain/error_details.h"
#include "server/domain/occurred.h"
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

// A rejection as the answer carries it: the reason and parameters of its ErrorInfo and the
// message in `language`, made as every error's details are (error_details.h).
v1::ImportRejection AnswerRejection(const ImportRejection& rejection, std::string_view language) {
  const Error& error = rejection.error;
  const google::rpc::Status details =
      Localize(MakeDetails(static_cast<int32_t>(ToRpcCode(error.code)), error.message, error.reason,
                           error.params),
               language);
  v1::ImportRejection out;
  out.set_line(rejection.line);
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::LocalizedMessage localized;
    if (any.UnpackTo(&info)) {
      out.set_reason(info.reason());
      out.mutable_params()->insert(info.metadata().begin(), info.metadata().end());
    } else if (any.UnpackTo(&localized)) {
      out.set_message(localized.message());
    }
  }
  return out;
}

// A file read and decided row by row: the events it would record, each with its line.
struct ImportRead {
  int lines = 0;
  Events events;
  std::vector<int> event_lines;
  std::vector<ImportRejection> rejected;
  std::vector<std::string> unmatched;
};

Status CheckLines(int lines, const ImportLimits& limits) {
  if (lines <= limits.max_lines) {
    return {};
  }
  const std::string count = std::to_string(lines);
  const std::string max = std::to_string(limits.max_lines);
  return InvalidArgument("content: " + count + " lines, more than the " + max +
                         " one import may have; split the file")
      .Because(kImportTooManyLines, {{"lines", count}, {"max", max}});
}

// When an imported record of day `date` ("YYYY-MM-DD", checked) happened, as
// A record's day in the file as its Event.occurred_time: the day's first instant in the
// chapter's time zone, as a record dated with Occurred.date counts (occurred.h: one rule for
// both). `date` is a valid day no later than tomorrow and not before kFirstImportedDay.
google::protobuf::Timestamp ImportedOccurredTime(const Context& ctx, const Chapter& chapter,
                                                 const std::string& date) {
  return ToTimestamp(DayStart(ctx.time_zones, chapter.Info().time_zone(), *ParseDay(date)));
}

// The server's times start in 1900 (CheckTimestamp), as a dated record's (chapter_occurred.cc).
constexpr std::string_view kFirstImportedDay = "1900-01-01";

// A refusal of the occurred rules that the file can mend, with what to do (docs/import.md,
// "Visitors"): a visitor's inviter must have been a member on the day.
Error ImportRefusal(const std::string& line, Error error) {
  if (error.reason != kOccurredBeforeJoining) {
    return error;
  }
  ErrorParams params = error.params;
  params.emplace_back("line", line);
  return FailedPrecondition("line " + line + ": " + error.message +
                            "; name an inviter who was a member on that day, or count the "
                            "record in a PALMS summary of its period")
      .Because(kImportBeforeJoining, std::move(params));
}

// Records (referrals, one-to-ones, thank-yous, CEUs, visitors): each row decided as an
// organizer's typed-in record for its member by the rule of its kind (`decide`:
// DecideGiveReferral, DecideRecordOneToOne, DecideRecordThankYou, DecideRecordEducation,
// DecideImportVisitor), on the chapter as the rows before it leave it, dated its day.
template <class Request>
ImportRead DecideImportedRecords(const Chapter& chapter, const Context& ctx,
                                 RecordsParse<Request> parse, std::string_view import_name,
                                 Result<Events> (Chapter::*decide)(const Context&, const Request&)
                                     const) {
  ImportRead read{parse.lines, {}, {}, std::move(parse.rejected), std::move(parse.unmatched)};
  Chapter scratch = chapter;
  const std::string latest = UtcDate(ctx.now + std::chrono::hours(24));
  for (ImportedRecord<Request>& row : parse.rows) {
    if (row.date < kFirstImportedDay) {
      const std::string line = std::to_string(row.line);
      read.rejected.push_back(
          {row.line,
           InvalidArgument("line " + line + ": date: " + row.date + " is before 1900-01-01")
               .Because(kImportDateTooOld, {{"line", line}, {"date", row.date}})});
      continue;
    }
    if (row.date > latest) {
      const std::string line = std::to_string(row.line);
      read.rejected.push_back(
          {row.line, InvalidArgument("line " + line + ": date: " + row.date +
                                     " is in the future; import history that has happened")
                         .Because(kImportDateInFuture, {{"line", line}, {"date", row.date}})});
      continue;
    }
    if constexpr (requires { row.request.set_parent(""); }) {
      row.request.set_parent(chapter.name());  // a visitor's is its meeting (DecideImportVisitor)
    }
    auto decided = (scratch.*decide)(ctx, row.request);
    if (!decided.ok()) {
      read.rejected.push_back({row.line, ImportRefusal(std::to_string(row.line), decided.error())});
      continue;
    }
    for (v1::Event& event : *decided) {
      event.set_imported_from(std::string(import_name));
      *event.mutable_occurred_time() = ImportedOccurredTime(ctx, chapter, row.date);
      scratch.Apply(event);
      read.event_lines.push_back(row.line);
      read.events.push_back(std::move(event));
    }
  }
  return read;
}

}  // namespace

Status Chapter::CheckImportedSummary(const Context& ctx,
                                     const v1::PalmsSummaryImported& row) const {
  const std::string line = std::to_string(row.source_line());
  const std::string at = "line " + line + ": ";
  auto member = FindMember(at + "member", row.member());
  if (!member) {
    return member.error();
  }
  if (!IsValidDate(row.period_start()) || !IsValidDate(row.period_end())) {
    return InvalidArgument(at + "period: must be two YYYY-MM-DD dates, got '" + row.period_start() +
                           "'..'" + row.period_end() + "'");
  }
  if (row.period_end() < row.period_start()) {
    return InvalidArgument(at + "period: ends " + row.period_end() + " before it starts " +
                           row.period_start())
        .Because(kImportPeriodReversed,
                 {{"line", line}, {"start", row.period_start()}, {"end", row.period_end()}});
  }
  // Every time zone's today is at most one day after UTC's.
  if (row.period_end() > UtcDate(ctx.now + std::chrono::hours(24))) {
    return InvalidArgument(at + "period: ends " + row.period_end() +
                           ", in the future; import history that has happened")
        .Because(kImportPeriodInFuture, {{"line", line}, {"end", row.period_end()}});
  }
  for (const int32_t count :
       {row.present(), row.absent(), row.late(), row.medical(), row.substitute(),
        row.referrals_given_inside(), row.referrals_given_outside(), row.referrals_received(),
        row.visitors(), row.one_to_ones(), row.ceu(), row.testimonials()}) {
    if (count < 0) {
      return InvalidArgument(at + "counts: must not be negative, got " + std::to_string(count));
    }
  }
  return {};
}

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
  Events events;
  events.reserve(rows.size());
  for (const v1::PalmsSummaryImported& row : rows) {
    if (Status s = CheckImportedSummary(ctx, row); !s) {
      return s.error();
    }
    v1::Event event = NewEvent(ctx, static_cast<int64_t>(events.size()) + 1, "");
    event.set_imported_from(std::string(import_name));
    *event.mutable_palms_summary_imported() = row;
    events.push_back(std::move(event));
  }
  return events;
}

Result<Events> Chapter::DecideImportVisitor(const Context& ctx,
                                            const v1::RegisterVisitorRequest& r) const {
  const std::string& date = r.occurred().date();
  const auto day = ParseDay(date);
  const v1::Meeting* meeting = day ? MeetingOfDay(ctx.time_zones, *day) : nullptr;
  if (meeting == nullptr) {
    return FailedPrecondition("date: " + date +
                              " is in no week of the chapter's meetings (a meeting's day and the "
                              "six after it); count earlier visitors in a PALMS summary")
        .Because(kImportNoMeeting, {{"date", date}});
  }
  v1::RegisterVisitorRequest at_meeting = r;
  at_meeting.set_meeting(meeting->name());
  return DecideRegisterVisitor(ctx, at_meeting);
}

Result<ImportDecision> Chapter::DecideImportFile(const Context& ctx, const v1::ImportFileRequest& r,
                                                 std::string_view import_name,
                                                 std::string_view accept_language,
                                                 const ImportLimits& limits) const {
  if (Status s = CheckOrganizer(ctx.principal, "import history"); !s) {
    return s.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  if (r.kind() == v1::IMPORT_KIND_UNSPECIFIED || !v1::ImportKind_IsValid(r.kind())) {
    return Required("kind",
                    "the kind of the file: IMPORT_KIND_PALMS_SUMMARY, IMPORT_KIND_REFERRALS, "
                    "IMPORT_KIND_ONE_TO_ONES, IMPORT_KIND_THANK_YOUS, IMPORT_KIND_CEUS or "
                    "IMPORT_KIND_VISITORS");
  }
  if (r.content().size() > limits.max_bytes) {
    const std::string bytes = std::to_string(r.content().size());
    const std::string max = std::to_string(limits.max_bytes);
    return InvalidArgument("content: " + bytes + " bytes, more than the " + max +
                           " one import may have; split the file")
        .Because(kImportTooLarge, {{"bytes", bytes}, {"max", max}});
  }
  for (const auto& [field, date] :
       {std::pair{"period_start", &r.period_start()}, std::pair{"period_end", &r.period_end()}}) {
    if (!date->empty() && !IsValidDate(*date)) {
      return InvalidArgument(std::string(field) + ": must be a YYYY-MM-DD date, got \"" + *date +
                             "\"")
          .Because(kImportBadDate, {{"column", field}, {"value", *date}});
    }
  }
  const std::map<std::string, std::string> member_map(r.member_map().begin(), r.member_map().end());
  const MemberMatcher matcher(members_, member_map);
  ImportRead read;
  // A records kind: its rows, at most the server's lines, decided by the kind's rule.
  auto records = [&](auto parse, auto decide) -> Status {
    if (Status s = CheckLines(parse.lines, limits); !s) {
      return s;
    }
    read = DecideImportedRecords(*this, ctx, std::move(parse), import_name, decide);
    return {};
  };
  Status decided;
  if (r.kind() == v1::IMPORT_KIND_REFERRALS) {
    decided = records(ParseReferrals(r.content(), matcher), &Chapter::DecideGiveReferral);
  } else if (r.kind() == v1::IMPORT_KIND_ONE_TO_ONES) {
    decided = records(ParseOneToOnes(r.content(), matcher), &Chapter::DecideRecordOneToOne);
  } else if (r.kind() == v1::IMPORT_KIND_THANK_YOUS) {
    decided = records(ParseThankYous(r.content(), matcher, info_.name(), info_.currency()),
                      &Chapter::DecideRecordThankYou);
  } else if (r.kind() == v1::IMPORT_KIND_CEUS) {
    decided = records(ParseCeus(r.content(), matcher), &Chapter::DecideRecordEducation);
  } else if (r.kind() == v1::IMPORT_KIND_VISITORS) {
    decided = records(ParseVisitors(r.content(), matcher), &Chapter::DecideImportVisitor);
  } else {
    PalmsSummaryParse parse =
        ParsePalmsSummary(r.content(), matcher, r.period_start(), r.period_end(), info_.currency());
    if (Status s = CheckLines(parse.lines, limits); !s) {
      return s.error();
    }
    read.lines = parse.lines;
    read.rejected = std::move(parse.rejected);
    read.unmatched = std::move(parse.unmatched);
    // A row the chapter would refuse is a rejected line like one the reader refuses.
    std::vector<v1::PalmsSummaryImported> rows;
    for (v1::PalmsSummaryImported& row : parse.rows) {
      if (Status s = CheckImportedSummary(ctx, row); !s) {
        read.rejected.push_back({row.source_line(), s.error()});
      } else {
        read.event_lines.push_back(row.source_line());
        rows.push_back(std::move(row));
      }
    }
    auto events = DecideImportPalmsSummaries(ctx, import_name, rows);
    if (!events.ok()) {
      return events.error();
    }
    read.events = std::move(events).value();
  }
  if (!decided) {
    return decided.error();
  }
  std::stable_sort(
      read.rejected.begin(), read.rejected.end(),
      [](const ImportRejection& a, const ImportRejection& b) { return a.line < b.line; });

  ImportDecision decision;
  v1::ImportFileResponse& answer = decision.answer;
  answer.set_import(std::string(import_name));
  answer.set_already_imported(HasImport(import_name));
  answer.set_dry_run(r.dry_run());
  answer.set_lines(read.lines);
  const std::string language = MessageLanguage(accept_language, info_.language());
  for (const ImportRejection& rejection : read.rejected) {
    *answer.add_rejected() = AnswerRejection(rejection, language);
  }
  for (std::string& name : read.unmatched) {
    answer.add_unmatched_names(std::move(name));
  }
  for (const v1::Event& event : read.events) {
    *answer.add_events() = event;
  }
  for (const int line : read.event_lines) {
    answer.add_source_lines(line);
  }
  answer.set_recorded(!r.dry_run() && !answer.already_imported() && read.rejected.empty() &&
                      !read.events.empty());
  if (answer.recorded()) {
    decision.events = std::move(read.events);
  }
  return decision;
}

}  // namespace reciproca::domain
