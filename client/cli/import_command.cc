// import: another tool's CSV export into the chapter (ImportService.ImportFile; docs/import.md).

#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <utility>

#include "client/cli/commands.h"
#include "client/cli/local_time.h"
#include "client/cli/output.h"

namespace reciproca::cli {
namespace {

// --kind's words, as the usage line lists them.
constexpr std::pair<std::string_view, v1::ImportKind> kKinds[] = {
    {"palms-summary", v1::IMPORT_KIND_PALMS_SUMMARY},
    {"referrals", v1::IMPORT_KIND_REFERRALS},
    {"one-to-ones", v1::IMPORT_KIND_ONE_TO_ONES},
    {"thank-yous", v1::IMPORT_KIND_THANK_YOUS},
    {"ceus", v1::IMPORT_KIND_CEUS},
    {"visitors", v1::IMPORT_KIND_VISITORS},
};
constexpr std::string_view kKindWords =
    "palms-summary|referrals|one-to-ones|thank-yous|ceus|visitors";

std::string ReadWholeFile(const std::string& path, std::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError(std::string(flag) + ": cannot read " + path);
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    s = s.substr(1, s.size() - 2);
  }
  return std::string(s);
}

// --member-map FILE: one "their name,member" a line (the member's id or resource name; the
// last ',' or ';' separates them); blank lines and lines starting with '#' are skipped.
void ReadMemberMap(Context& context, const std::string& path, v1::ImportFileRequest* request) {
  std::istringstream lines(ReadWholeFile(path, "--member-map"));
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '#') {
      continue;
    }
    const size_t split = line.find_last_of(",;");
    const std::string theirs = split == std::string::npos ? "" : Trim(line.substr(0, split));
    const std::string ours = split == std::string::npos ? "" : Trim(line.substr(split + 1));
    if (theirs.empty() || ours.empty()) {
      throw UsageError("--member-map: " + path + " line " + std::to_string(number) +
                       ": expected \"their name,member\", got \"" + trimmed + "\"");
    }
    (*request->mutable_member_map())[theirs] = context.names().Member(ours);
  }
}

// `time_zone`: the chapter's, in which a record's day is shown (its occurred time is that day's
// midnight there).
void PrintAnswer(const v1::ImportFileResponse& answer, const std::string& time_zone) {
  const int rows = answer.events_size();
  std::cout << "import " << answer.import() << ": " << answer.lines() << " line"
            << (answer.lines() == 1 ? "" : "s") << ", " << rows << " row" << (rows == 1 ? "" : "s")
            << " accepted, " << answer.rejected_size() << " rejected\n";
  const char* verb = answer.recorded() ? "recorded" : "would record";
  for (int i = 0; i < rows; ++i) {
    const v1::Event& event = answer.events(i);
    auto day = [&] {
      return FormatLocal(event.occurred_time().seconds(), time_zone).substr(0, 10);
    };
    std::cout << "  line " << (i < answer.source_lines_size() ? answer.source_lines(i) : 0) << ": "
              << verb << " ";
    if (event.has_palms_summary_imported()) {
      std::cout << DescribePalmsSummary(event.palms_summary_imported());
    } else if (event.has_referral_given()) {
      const v1::Referral& referral = event.referral_given().referral();
      std::cout << "referral " << referral.giver() << " -> " << referral.receiver() << ", "
                << EnumWord(referral.kind()) << ", temperature " << referral.temperature()
                << ", given " << day();
    } else if (event.has_one_to_one_recorded()) {
      const v1::OneToOne& one_to_one = event.one_to_one_recorded().one_to_one();
      std::cout << "one-to-one " << one_to_one.member() << " with " << one_to_one.with_member()
                << " on " << one_to_one.date();
    } else if (event.has_thank_you_recorded()) {
      const v1::ThankYou& thank_you = event.thank_you_recorded().thank_you();
      std::cout << "thank-you " << thank_you.from_member() << " -> " << thank_you.to_member()
                << ", " << thank_you.amount().currency() << " " << thank_you.amount().amount()
                << ", " << EnumWord(thank_you.business_type()) << ", on " << day();
    } else if (event.has_education_recorded()) {
      const v1::Education& education = event.education_recorded().education();
      std::cout << "CEU " << education.member() << ", " << education.credits() << " credit"
                << (education.credits() == 1 ? "" : "s") << ", on " << day();
    } else if (event.has_visitor_registered()) {
      const v1::Visitor& visitor = event.visitor_registered().visitor();
      std::cout << "visitor \"" << visitor.display_name() << "\" (" << visitor.business()
                << ") invited by " << visitor.invited_by() << ", at "
                << event.visitor_registered().meeting() << ", on " << day();
    }
    std::cout << "\n";
  }
  for (const v1::ImportRejection& rejection : answer.rejected()) {
    std::cout << "  line " << rejection.line() << ": rejected " << rejection.reason() << ": "
              << rejection.message() << "\n";
  }
  if (answer.unmatched_names_size() > 0) {
    std::string names;
    for (const std::string& name : answer.unmatched_names()) {
      names += (names.empty() ? "" : ", ") + ("\"" + name + "\"");
    }
    std::cout << "unmatched names (add the members, or map them with --member-map): " << names
              << "\n";
  }
  if (answer.already_imported()) {
    std::cout << "already imported: this file was recorded before; nothing recorded again\n";
  } else if (answer.dry_run()) {
    std::cout << "dry run: nothing recorded\n";
  } else if (answer.rejected_size() > 0) {
    std::cout << "nothing recorded: a file is recorded whole or not at all; fix the rejected "
                 "lines and import it again\n";
  } else if (answer.recorded()) {
    std::cout << "recorded " << rows << " row" << (rows == 1 ? "" : "s") << "\n";
  } else {
    std::cout << "nothing to record\n";
  }
}

int Import(Context& context, const ParsedArgs& args) {
  const std::string kind = args.GetOr("kind", "palms-summary");
  v1::ImportFileRequest request;
  for (const auto& [word, value] : kKinds) {
    if (kind == word) {
      request.set_kind(value);
    }
  }
  if (request.kind() == v1::IMPORT_KIND_UNSPECIFIED) {
    throw UsageError("--kind: must be " + std::string(kKindWords) + ", got \"" + kind + "\"");
  }
  request.set_content(ReadWholeFile(args.Positional(0), "FILE"));
  request.set_period_start(args.Get("from"));
  request.set_period_end(args.Get("to"));
  request.set_dry_run(args.Has("dry-run"));
  if (args.Has("member-map")) {
    ReadMemberMap(context, args.Get("member-map"), &request);
  }
  request.set_parent(context.names().DefaultChapter());
  if (!request.dry_run()) {
    request.set_request_id(context.RequestId());
  }
  v1::ImportFileResponse answer;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().imports().ImportFile(rpc, request, &answer);
  });
  if (context.json()) {
    PrintJson(answer);
  } else {
    PrintAnswer(answer, context.ChapterTimeZone(request.parent(), "the records' days"));
  }
  // Rejected lines in a real run: the server recorded nothing (exit code 3, as a refusal).
  return !answer.dry_run() && answer.rejected_size() > 0 ? 3 : 0;
}

}  // namespace

std::vector<Command> ImportCommands() {
  return {
      {"import",
       "--chapter C FILE.csv [--kind " + std::string(kKindWords) +
           "] [--member-map FILE] [--from D --to D] [--dry-run]",
       "another tool's CSV export: every row or none, once per file (organizers)",
       {ChapterFlag(),
        {"kind", "KIND",
         "what the file holds: palms-summary (the default), referrals, one-to-ones, thank-yous, "
         "ceus or visitors"},
        {"member-map", "FILE", "\"their name,member\" lines, tried before the members' names"},
        {"from", "DATE", "the first day of a PALMS file without period columns"},
        {"to", "DATE", "the file's last day, inclusive"},
        {"dry-run", "", "print what would be recorded and every rejected line; record nothing"}},
       1,
       1,
       true,
       Import},
  };
}

}  // namespace reciproca::cli
