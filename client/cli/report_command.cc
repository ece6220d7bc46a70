// report palms: the PALMS report as an aligned table or CSV.

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <optional>

#include "client/cli/commands.h"
#include "client/cli/local_time.h"
#include "client/cli/output.h"

namespace reciproca::cli {
namespace {

std::string MoneyList(const google::protobuf::RepeatedPtrField<v1::Money>& amounts) {
  std::string out;
  for (const v1::Money& money : amounts) {
    out += (out.empty() ? "" : "; ") + FormatMoney(money);
  }
  return out;
}

std::vector<std::string> Cells(const v1::PalmsRow& row) {
  return {row.member(),
          row.display_name(),
          EnumWord(row.state()),
          std::to_string(row.present()),
          std::to_string(row.absent()),
          std::to_string(row.late()),
          std::to_string(row.medical()),
          std::to_string(row.substitute()),
          std::to_string(row.referrals_given()),
          std::to_string(row.referrals_received()),
          std::to_string(row.visitors()),
          std::to_string(row.one_to_ones()),
          std::to_string(row.ceus()),
          std::to_string(row.testimonials_given()),
          MoneyList(row.tyfcb_given()),
          MoneyList(row.tyfcb_received()),
          std::to_string(row.imported_summaries())};
}

void PrintCsv(const v1::PalmsReport& report) {
  std::vector<std::vector<std::string>> table;
  table.push_back({"member", "display_name", "state", "present", "absent", "late", "medical",
                   "substitute", "referrals_given", "referrals_received", "visitors", "one_to_ones",
                   "ceus", "testimonials_given", "tyfcb_given", "tyfcb_received",
                   "imported_summaries"});
  for (const v1::PalmsRow& row : report.rows()) {
    table.push_back(Cells(row));
  }
  PrintRows(table, true, {});
}

void PrintTable(const v1::PalmsReport& report, const std::string& range) {
  std::cout << "PALMS " << report.chapter() << ", " << range << ", " << report.meetings()
            << " meeting" << (report.meetings() == 1 ? "" : "s");
  if (report.cancelled_meetings() > 0) {
    std::cout << " (+" << report.cancelled_meetings() << " cancelled)";
  }
  if (report.corrections() > 0) {
    std::cout << ", " << report.corrections() << " correction"
              << (report.corrections() == 1 ? "" : "s") << " after submission";
  }
  std::cout << "\n\n";
  // The IMPORTED column (summaries from other tools counted in the row) only when there are.
  const bool imported =
      std::any_of(report.rows().begin(), report.rows().end(),
                  [](const v1::PalmsRow& row) { return row.imported_summaries(); });
  std::vector<std::vector<std::string>> table;
  table.push_back({"ID", "NAME", "P", "A", "L", "M", "S", "REF OUT", "REF IN", "VISITORS", "1-2-1",
                   "CEU", "TESTIM.", "TYFCB OUT", "TYFCB IN"});
  if (imported) {
    table.front().push_back("IMPORTED");
  }
  for (const v1::PalmsRow& row : report.rows()) {
    std::vector<std::string> cells = Cells(row);
    std::vector<std::string> line;
    line.push_back(ShortId(cells[0]));
    line.push_back(cells[1] + (row.state() == v1::MEMBER_STATE_LEFT ? " (left)" : ""));
    line.insert(line.end(), cells.begin() + 3, cells.end() - 1);
    for (size_t i = line.size() - 2; i < line.size(); ++i) {
      if (line[i].empty()) {
        line[i] = "-";
      }
    }
    if (imported) {
      line.push_back(cells.back());
    }
    table.push_back(std::move(line));
  }
  // Text columns: id, name, money.
  const size_t money = table.front().size() - (imported ? 3 : 2);
  PrintRows(table, false, [money](size_t i) { return i < 2 || i == money || i == money + 1; });
  if (report.rows().empty()) {
    std::cout << "(no members)\n";
  }
  if (imported) {
    std::cout << "IMPORTED: summaries imported from other tools, counted in the row (spread "
                 "over their periods)\n";
  }
}

// --from/--to: days in the chapter's time zone, --to inclusive.
struct DayRange {
  std::optional<int64_t> start_seconds;
  std::optional<int64_t> end_seconds;
  // "2026-11-01 .. 2026-11-30 (Europe/Rome)".
  std::string label = "from the beginning up to now";

  template <typename Request>
  void SetOn(Request* request) const {
    if (start_seconds) {
      request->mutable_start_time()->set_seconds(*start_seconds);
    }
    if (end_seconds) {
      request->mutable_end_time()->set_seconds(*end_seconds);
    }
  }
};

DayRange ResolveRange(Context& context, const ParsedArgs& args, const std::string& chapter) {
  DayRange range;
  std::optional<CivilDate> from;
  std::optional<CivilDate> to;
  if (args.Has("from")) {
    from = ParseDate(args.Get("from"), "from");
  }
  if (args.Has("to")) {
    to = ParseDate(args.Get("to"), "to");
  }
  if (!from && !to) {
    return range;
  }
  const std::string time_zone = context.ChapterTimeZone(chapter, "--from and --to");
  if (from) {
    range.start_seconds = LocalMidnight(*from, time_zone);
  }
  if (to) {
    // --to is inclusive: the range ends at the next day's midnight.
    range.end_seconds = LocalMidnight(NextDay(*to), time_zone);
  }
  range.label = (from ? args.Get("from") : std::string("the beginning")) + " .. " +
                (to ? args.Get("to") : std::string("now")) + " (" +
                (time_zone.empty() ? std::string("UTC") : time_zone) + ")";
  return range;
}

int PalmsReport(Context& context, const ParsedArgs& args) {
  v1::GetPalmsReportRequest request;
  request.set_chapter(context.names().DefaultChapter());
  const DayRange range = ResolveRange(context, args, request.chapter());
  range.SetOn(&request);
  v1::PalmsReport report;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().reports().GetPalmsReport(rpc, request, &report);
  });
  if (context.json()) {
    PrintJson(report);
  } else if (args.Has("csv")) {
    PrintCsv(report);
  } else {
    PrintTable(report, range.label);
  }
  return 0;
}

// The matrix's cells by (giver, receiver).
using CellMap = std::map<std::pair<std::string, std::string>, const v1::RelationshipCell*>;

std::string GridValue(const v1::RelationshipCell* cell, const std::string& measure) {
  if (cell == nullptr) {
    return "0";
  }
  if (measure == "tyfcb") {
    return cell->tyfcb().empty() ? "0" : MoneyList(cell->tyfcb());
  }
  return std::to_string(measure == "one-to-ones" ? cell->one_to_ones() : cell->referrals());
}

int RelationshipMatrix(Context& context, const ParsedArgs& args) {
  const std::string measure = args.Has("grid") ? args.Get("grid") : "";
  if (!measure.empty() && measure != "referrals" && measure != "tyfcb" &&
      measure != "one-to-ones") {
    throw UsageError("--grid: must be referrals, tyfcb or one-to-ones, got \"" + measure + "\"");
  }
  v1::GetRelationshipMatrixRequest request;
  request.set_chapter(context.names().DefaultChapter());
  const DayRange range = ResolveRange(context, args, request.chapter());
  range.SetOn(&request);
  v1::RelationshipMatrix matrix;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().reports().GetRelationshipMatrix(rpc, request, &matrix);
  });
  if (context.json()) {
    PrintJson(matrix);
    return 0;
  }
  std::map<std::string, std::string> names;
  for (const v1::MatrixMember& member : matrix.members()) {
    names[member.member()] = member.display_name();
  }
  CellMap cells;
  for (const v1::RelationshipCell& cell : matrix.cells()) {
    cells[{cell.giver(), cell.receiver()}] = &cell;
  }
  std::vector<std::vector<std::string>> table;
  if (!measure.empty()) {
    // A giver x receiver grid of one measure: what a spreadsheet draws as a heat map.
    table.push_back({"giver \\ receiver"});
    for (const v1::MatrixMember& receiver : matrix.members()) {
      table.front().push_back(receiver.display_name());
    }
    for (const v1::MatrixMember& giver : matrix.members()) {
      std::vector<std::string> line{giver.display_name()};
      for (const v1::MatrixMember& receiver : matrix.members()) {
        auto it = cells.find({giver.member(), receiver.member()});
        line.push_back(giver.member() == receiver.member()
                           ? ""
                           : GridValue(it == cells.end() ? nullptr : it->second, measure));
      }
      table.push_back(std::move(line));
    }
    PrintRows(table, args.Has("csv"), [](size_t i) { return i == 0; });
    return 0;
  }
  const bool csv = args.Has("csv");
  table.push_back(
      csv ? std::vector<std::string>{"giver", "giver_name", "receiver", "receiver_name",
                                     "referrals", "referrals_back", "tyfcb", "one_to_ones"}
          : std::vector<std::string>{"GIVER", "RECEIVER", "REFERRALS", "BACK", "TYFCB", "1-2-1"});
  for (const v1::RelationshipCell& cell : matrix.cells()) {
    auto back = cells.find({cell.receiver(), cell.giver()});
    const std::string referrals_back =
        std::to_string(back == cells.end() ? 0 : back->second->referrals());
    const std::string tyfcb = MoneyList(cell.tyfcb());
    if (csv) {
      table.push_back({cell.giver(), names[cell.giver()], cell.receiver(), names[cell.receiver()],
                       std::to_string(cell.referrals()), referrals_back, tyfcb,
                       std::to_string(cell.one_to_ones())});
    } else {
      table.push_back({names[cell.giver()], names[cell.receiver()],
                       std::to_string(cell.referrals()), referrals_back,
                       tyfcb.empty() ? "-" : tyfcb, std::to_string(cell.one_to_ones())});
    }
  }
  if (!csv) {
    std::cout << "Who gave to whom, " << matrix.chapter() << ", " << range.label
              << " (BACK: referrals the receiver gave the giver)\n\n";
  }
  PrintRows(table, csv, [csv](size_t i) { return csv || i < 2 || i == 4; });
  if (!csv && matrix.cells().empty()) {
    std::cout << "(nothing in this range)\n";
  }
  return 0;
}

int AbsenceReport(Context& context, const ParsedArgs& args) {
  v1::GetAbsenceReportRequest request;
  request.set_chapter(context.names().DefaultChapter());
  if (args.Has("as-of")) {
    const CivilDate day = ParseDate(args.Get("as-of"), "as-of");
    // --as-of is inclusive: the window ends at the next day's midnight.
    request.mutable_as_of()->set_seconds(
        LocalMidnight(NextDay(day), context.ChapterTimeZone(request.chapter(), "--as-of")));
  }
  v1::AbsenceReport report;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().reports().GetAbsenceReport(rpc, request, &report);
  });
  if (context.json()) {
    PrintJson(report);
    return 0;
  }
  const bool csv = args.Has("csv");
  std::vector<std::vector<std::string>> table;
  table.push_back(csv ? std::vector<std::string>{"member", "display_name", "meetings", "absences",
                                                 "alert", "absence_times"}
                      : std::vector<std::string>{"ID", "NAME", "MEETINGS", "ABSENT", "ALERT"});
  for (const v1::AbsenceRow& row : report.rows()) {
    const std::string alert = row.alert() ? (csv ? "true" : "ALERT") : (csv ? "false" : "");
    if (csv) {
      std::string times;
      for (const auto& time : row.absence_times()) {
        times += (times.empty() ? "" : "; ") + FormatTime(time);
      }
      table.push_back({row.member(), row.display_name(), std::to_string(row.meetings()),
                       std::to_string(row.absences()), alert, times});
    } else {
      table.push_back({ShortId(row.member()), row.display_name(), std::to_string(row.meetings()),
                       std::to_string(row.absences()), alert});
    }
  }
  if (!csv) {
    std::cout << "Absences, " << report.chapter() << ", " << FormatTime(report.start_time())
              << " .. " << FormatTime(report.end_time()) << " (alert at " << report.alert_at()
              << ")\n\n";
  }
  PrintRows(table, csv, [csv](size_t i) { return csv || i < 2 || i == 4; });
  return 0;
}

// report records: one kind of the export as a table with a header row (CSV with --csv); "time"
// is when the record happened (occur_time), by which the export is ordered; "imported_from" the
// import a record came from (empty when it was recorded here).
const std::vector<std::string> kRecordKinds = {"referrals", "thank-yous",   "one-to-ones",
                                               "ceus",      "testimonials", "visitors"};

std::vector<std::vector<std::string>> RecordRows(const v1::RecordsExport& records,
                                                 const std::string& kind, Names& names) {
  std::vector<std::vector<std::string>> table;
  auto who = [&](const std::string& member) { return names.DisplayName(member); };
  if (kind == "referrals") {
    table.push_back({"referral", "time", "giver", "giver_name", "receiver", "receiver_name", "kind",
                     "temperature", "status", "meeting", "contact_name", "contact_phone",
                     "contact_email", "note", "imported_from"});
    for (const v1::Referral& r : records.referrals()) {
      table.push_back({r.name(), FormatTime(r.occur_time()), r.giver(), who(r.giver()),
                       r.receiver(), who(r.receiver()), EnumWord(r.kind()),
                       std::to_string(r.temperature()), EnumWord(r.status()), r.meeting(),
                       r.contact_name(), r.contact_phone(), r.contact_email(), r.note(),
                       r.imported_from()});
    }
  } else if (kind == "thank-yous") {
    table.push_back({"thank_you", "time", "from_member", "from_name", "to_member", "to_name",
                     "amount", "referral", "note", "imported_from"});
    for (const v1::ThankYou& t : records.thank_yous()) {
      table.push_back({t.name(), FormatTime(t.occur_time()), t.from_member(), who(t.from_member()),
                       t.to_member(), who(t.to_member()), FormatMoney(t.amount()), t.referral(),
                       t.note(), t.imported_from()});
    }
  } else if (kind == "one-to-ones") {
    table.push_back({"one_to_one", "time", "member", "member_name", "with_member", "with_name",
                     "date", "note", "imported_from"});
    for (const v1::OneToOne& o : records.one_to_ones()) {
      table.push_back({o.name(), FormatTime(o.occur_time()), o.member(), who(o.member()),
                       o.with_member(), who(o.with_member()), o.date(), o.note(),
                       o.imported_from()});
    }
  } else if (kind == "ceus") {
    table.push_back(
        {"education", "time", "member", "member_name", "credits", "note", "imported_from"});
    for (const v1::Education& e : records.education()) {
      table.push_back({e.name(), FormatTime(e.occur_time()), e.member(), who(e.member()),
                       std::to_string(e.credits()), e.note(), e.imported_from()});
    }
  } else if (kind == "testimonials") {
    table.push_back({"testimonial", "time", "from_member", "from_name", "for_member", "for_name",
                     "text", "imported_from"});
    for (const v1::Testimonial& t : records.testimonials()) {
      table.push_back({t.name(), FormatTime(t.occur_time()), t.from_member(), who(t.from_member()),
                       t.for_member(), who(t.for_member()), t.text(), t.imported_from()});
    }
  } else {
    table.push_back({"visitor", "time", "display_name", "business", "invited_by", "invited_by_name",
                     "email", "phone", "imported_from"});
    for (const v1::Visitor& v : records.visitors()) {
      table.push_back({v.name(), FormatTime(v.occur_time()), v.display_name(), v.business(),
                       v.invited_by(), who(v.invited_by()), v.email(), v.phone(),
                       v.imported_from()});
    }
  }
  return table;
}

int RecordsReport(Context& context, const ParsedArgs& args) {
  const std::string kind = args.Get("kind");
  if (std::find(kRecordKinds.begin(), kRecordKinds.end(), kind) == kRecordKinds.end()) {
    std::string choices;
    for (const std::string& k : kRecordKinds) {
      choices += (choices.empty() ? "" : ", ") + k;
    }
    throw UsageError("--kind: must be one of " + choices + ", got \"" + kind + "\"");
  }
  v1::ExportRecordsRequest request;
  request.set_chapter(context.names().DefaultChapter());
  ResolveRange(context, args, request.chapter()).SetOn(&request);
  v1::RecordsExport records;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().reports().ExportRecords(rpc, request, &records);
  });
  if (context.json()) {
    PrintJson(records);
    return 0;
  }
  const std::vector<std::vector<std::string>> table = RecordRows(records, kind, context.names());
  PrintRows(table, args.Has("csv"), [](size_t) { return true; });
  if (!args.Has("csv") && table.size() == 1) {
    std::cout << "(nothing in this range)\n";
  }
  return 0;
}

}  // namespace

std::vector<Command> ReportCommands() {
  const FlagSpec from{"from", "DATE",
                      "first day, in the chapter's time zone (default: the beginning)"};
  const FlagSpec to{"to", "DATE", "last day, inclusive (default: now)"};
  const FlagSpec csv{"csv", "", "CSV with a header row instead of a table"};
  return {
      {"report palms",
       "--chapter C [--from 2026-11-01] [--to 2026-11-30] [--csv]",
       "per member attendance (P/A/L/M/S) and activity",
       {ChapterFlag(), from, to, csv},
       0,
       0,
       false,
       PalmsReport},
      {"report matrix",
       "--chapter C [--from D] [--to D] [--grid referrals|tyfcb|one-to-ones] [--csv]",
       "who gave to whom: referrals, TYFCB and one-to-ones per pair (organizers)",
       {ChapterFlag(),
        from,
        to,
        {"grid", "MEASURE", "a giver x receiver grid of referrals, tyfcb or one-to-ones"},
        csv},
       0,
       0,
       false,
       RelationshipMatrix},
      {"report absences",
       "--chapter C [--as-of 2026-11-30] [--csv]",
       "absences in the 26 weeks up to a day, with the three-absence alert (organizers)",
       {ChapterFlag(), {"as-of", "DATE", "last day counted, inclusive (default: now)"}, csv},
       0,
       0,
       false,
       AbsenceReport},
      {"report records",
       "--chapter C --kind referrals|thank-yous|one-to-ones|ceus|testimonials|visitors "
       "[--from D] [--to D] [--csv]",
       "every record of one kind in a range, with its contact data (organizers)",
       {ChapterFlag(),
        {"kind", "KIND", "referrals, thank-yous, one-to-ones, ceus, testimonials or visitors",
         true},
        from,
        to,
        csv},
       0,
       0,
       false,
       RecordsReport},
  };
}

}  // namespace reciproca::cli
