// report palms: the PALMS report as an aligned table or CSV.

#include <algorithm>
#include <iostream>

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
          MoneyList(row.tyfcb_received())};
}

void PrintCsv(const v1::PalmsReport& report) {
  std::cout << "member,display_name,state,present,absent,late,medical,substitute,"
               "referrals_given,referrals_received,visitors,one_to_ones,ceus,"
               "testimonials_given,tyfcb_given,tyfcb_received\n";
  for (const v1::PalmsRow& row : report.rows()) {
    std::vector<std::string> cells = Cells(row);
    for (size_t i = 0; i < cells.size(); ++i) {
      std::cout << (i == 0 ? "" : ",") << CsvField(cells[i]);
    }
    std::cout << "\n";
  }
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
  std::vector<std::vector<std::string>> table;
  table.push_back({"ID", "NAME", "P", "A", "L", "M", "S", "REF OUT", "REF IN", "VISITORS", "1-2-1",
                   "CEU", "TESTIM.", "TYFCB OUT", "TYFCB IN"});
  for (const v1::PalmsRow& row : report.rows()) {
    std::vector<std::string> cells = Cells(row);
    std::vector<std::string> line;
    line.push_back(ShortId(cells[0]));
    line.push_back(cells[1] + (row.state() == v1::MEMBER_STATE_LEFT ? " (left)" : ""));
    line.insert(line.end(), cells.begin() + 3, cells.end());
    for (size_t i = line.size() - 2; i < line.size(); ++i) {
      if (line[i].empty()) {
        line[i] = "-";
      }
    }
    table.push_back(std::move(line));
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
      // Text columns (id, name, money) left-aligned; counts right-aligned.
      const bool text = i < 2 || i + 2 >= line.size();
      const std::string pad(widths[i] - line[i].size(), ' ');
      out += (i == 0 ? "" : "  ") + (text ? line[i] + pad : pad + line[i]);
    }
    out.erase(out.find_last_not_of(' ') + 1);
    std::cout << out << "\n";
  }
  if (report.rows().empty()) {
    std::cout << "(no members)\n";
  }
}

int PalmsReport(Context& context, const ParsedArgs& args) {
  std::optional<CivilDate> from;
  std::optional<CivilDate> to;
  if (args.Has("from")) {
    from = ParseDate(args.Get("from"), "from");
  }
  if (args.Has("to")) {
    to = ParseDate(args.Get("to"), "to");
  }
  v1::GetPalmsReportRequest request;
  request.set_chapter(context.names().DefaultChapter());
  std::string range = "from the beginning up to now";
  if (from || to) {
    v1::GetChapterRequest get;
    get.set_name(request.chapter());
    v1::Chapter chapter;
    context.Call([&](grpc::ClientContext* rpc) {
      return context.client().chapters().GetChapter(rpc, get, &chapter);
    });
    std::string time_zone = chapter.time_zone();
    if (!KnownTimeZone(time_zone)) {
      std::cerr << "warning: time zone \"" << time_zone
                << "\" is not in this machine's TZ database; using UTC\n";
      time_zone.clear();
    }
    range = (from ? args.Get("from") : std::string("the beginning")) + " .. " +
            (to ? args.Get("to") : std::string("now")) + " (" +
            (time_zone.empty() ? std::string("UTC") : time_zone) + ")";
    if (from) {
      request.mutable_start_time()->set_seconds(LocalMidnight(*from, time_zone));
    }
    if (to) {
      // --to is inclusive: the range ends at the next day's midnight.
      request.mutable_end_time()->set_seconds(LocalMidnight(NextDay(*to), time_zone));
    }
  }
  v1::PalmsReport report;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().reports().GetPalmsReport(rpc, request, &report);
  });
  if (context.json()) {
    PrintJson(report);
  } else if (args.Has("csv")) {
    PrintCsv(report);
  } else {
    PrintTable(report, range);
  }
  return 0;
}

}  // namespace

std::vector<Command> ReportCommands() {
  return {
      {"report palms",
       "--chapter C [--from 2026-11-01] [--to 2026-11-30] [--csv]",
       "per member attendance (P/A/L/M/S) and activity",
       {ChapterFlag(),
        {"from", "DATE", "first day, in the chapter's time zone (default: the beginning)"},
        {"to", "DATE", "last day, inclusive (default: now)"},
        {"csv", "", "CSV with a header row instead of a table"}},
       0,
       0,
       false,
       PalmsReport},
  };
}

}  // namespace reciproca::cli
