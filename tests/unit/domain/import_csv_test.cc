// The CSV reader and the PALMS-summary format of ImportService (server/domain/import_csv.h):
// separators, BOM, quoting, line numbers, header aliases, name matching and every rejection.

#include "server/domain/import_csv.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace reciproca::domain {
namespace {

std::string DataFile(const std::string& name) {
  std::ifstream in(std::string(RECIPROCA_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

std::map<std::string, v1::Member, std::less<>> Roster() {
  std::map<std::string, v1::Member, std::less<>> members;
  for (auto [name, display] : {std::pair{"chapters/rome/members/1", "Nicolò Rossi"},
                               std::pair{"chapters/rome/members/2", "Maria Luisa De André"},
                               std::pair{"chapters/rome/members/3", "José Peña"},
                               std::pair{"chapters/rome/members/4", "Inés Núñez"}}) {
    members[name].set_name(name);
    members[name].set_display_name(display);
  }
  return members;
}

TEST(ReadCsv, QuotesSeparatorsBomAndLineNumbers) {
  auto r = ReadCsv(
      "\xEF\xBB\xBF"
      "a;b;c\r\n\"x;1\";\"say \"\"hi\"\"\";\"two\nlines\"\r\n\r\nz;;\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"x;1", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ((*r)[2].line, 5);  // the quoted line break and the blank line count
  EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"z", "", ""}));
  EXPECT_EQ(DetectSeparator("a,b;c,d\n"), ',');
  EXPECT_EQ(DetectSeparator("\"a,b,c\";d;e\n"), ';');
}

TEST(ReadCsv, RejectsAnOpenQuoteAndBytesThatAreNotUtf8) {
  auto open = ReadCsv("a,b\n1,2\n\"3,4\n");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().reason, kImportUnterminatedQuote);
  EXPECT_EQ(open.error().params, (ErrorParams{{"line", "3"}}));
  auto latin1 = ReadCsv("name\nNicol\xF2\n");
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.error().reason, kImportNotUtf8);
}

TEST(FoldName, IgnoresCaseAccentsAndSpaces) {
  EXPECT_EQ(FoldName("  Nicolò   ROSSI "), "nicolo rossi");
  EXPECT_EQ(FoldName("Nicolo\xCC\x80 Rossi"), "nicolo rossi");  // decomposed ò
  EXPECT_EQ(FoldHeader("Referenze_ricevute"), "referenzericevute");
  EXPECT_EQ(FoldHeader("1-to-1"), "1to1");
}

TEST(MemberMatcher, MapFirstThenDisplayNameAndAmbiguity) {
  auto roster = Roster();
  roster["chapters/rome/members/5"].set_display_name("Jose Pena");
  MemberMatcher matcher(roster, {{"Rossi N.", "chapters/rome/members/1"}});
  EXPECT_EQ(*matcher.Match("rossi n."), "chapters/rome/members/1");
  EXPECT_EQ(*matcher.Match("INES NUNEZ"), "chapters/rome/members/4");
  EXPECT_EQ(matcher.Match("José Peña").error().reason, kImportMemberAmbiguous);
  EXPECT_EQ(matcher.Match("Nobody").error().reason, kImportMemberUnmatched);
}

TEST(ParsePalmsSummary, ItalianHeadersSemicolonsBomAndItalianAmounts) {
  auto roster = Roster();
  auto p =
      ParsePalmsSummary(DataFile("palms_summary_it.csv"), MemberMatcher(roster, {}), "", "", "EUR");
  ASSERT_TRUE(p.rejected.empty()) << p.rejected[0].error.message;
  ASSERT_EQ(p.rows.size(), 2u);
  const auto& nicolo = p.rows[0];
  EXPECT_EQ(nicolo.member(), "chapters/rome/members/1");
  EXPECT_EQ(nicolo.source_line(), 2);
  EXPECT_EQ(nicolo.present(), 10);
  EXPECT_EQ(nicolo.absent(), 1);
  EXPECT_EQ(nicolo.medical(), 1);
  EXPECT_EQ(nicolo.referrals_given_inside(), 4);
  EXPECT_EQ(nicolo.referrals_given_outside(), 2);
  EXPECT_EQ(nicolo.referrals_received(), 3);
  EXPECT_EQ(nicolo.visitors(), 1);
  EXPECT_EQ(nicolo.one_to_ones(), 5);
  EXPECT_EQ(nicolo.tyfcb().amount(), "1250.50");
  EXPECT_EQ(nicolo.tyfcb().currency(), "EUR");
  EXPECT_EQ(nicolo.ceu(), 2);
  EXPECT_EQ(nicolo.testimonials(), 1);
  EXPECT_EQ(nicolo.period_start(), "2026-09-01");
  EXPECT_EQ(nicolo.period_end(), "2026-11-30");
  EXPECT_EQ(p.rows[1].member(), "chapters/rome/members/2");  // "DE ANDRÈ" matches "De André"
  EXPECT_FALSE(p.rows[1].has_tyfcb());                       // 0: no money
}

TEST(ParsePalmsSummary, SpanishHeadersCommasAndQuotedNames) {
  auto roster = Roster();
  MemberMatcher matcher(roster, {{"Núñez, Inés", "chapters/rome/members/4"}});
  auto p = ParsePalmsSummary(DataFile("palms_summary_es.csv"), matcher, "", "", "EUR");
  ASSERT_TRUE(p.rejected.empty()) << p.rejected[0].error.message;
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].member(), "chapters/rome/members/3");
  EXPECT_EQ(p.rows[0].tyfcb().amount(), "800");
  EXPECT_EQ(p.rows[1].member(), "chapters/rome/members/4");
  EXPECT_EQ(p.rows[1].tyfcb().amount(), "2000.00");
  EXPECT_EQ(p.rows[1].referrals_received(), 6);
}

TEST(ParsePalmsSummary, EveryBadLineIsRejectedWithItsLineAndReason) {
  auto roster = Roster();
  auto p = ParsePalmsSummary(DataFile("palms_summary_bad.csv"), MemberMatcher(roster, {}), "", "",
                             "EUR");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].source_line(), 2);
  std::vector<std::pair<int, std::string>> got;
  for (const auto& r : p.rejected) got.emplace_back(r.line, r.error.reason);
  EXPECT_EQ(got, (std::vector<std::pair<int, std::string>>{{3, std::string(kImportNotANumber)},
                                                           {4, std::string(kImportMemberUnmatched)},
                                                           {5, std::string(kImportBadDate)},
                                                           {6, std::string(kImportPeriodReversed)},
                                                           {7, std::string(kImportNotANumber)},
                                                           {8, std::string(kImportColumnCount)}}));
  EXPECT_EQ(p.unmatched, (std::vector<std::string>{"Nobody Known"}));
  EXPECT_EQ(p.rejected[0].error.params,
            (ErrorParams{{"line", "3"}, {"column", "P"}, {"value", "ten"}}));
}

TEST(ParsePalmsSummary, TheFilesPeriodAndMissingColumns) {
  auto roster = Roster();
  MemberMatcher matcher(roster, {});
  auto given =
      ParsePalmsSummary("Member,P,A\nJosé Peña,3,1\n", matcher, "2026-10-01", "2026-10-31", "EUR");
  ASSERT_EQ(given.rows.size(), 1u);
  EXPECT_EQ(given.rows[0].period_start(), "2026-10-01");
  EXPECT_EQ(given.rows[0].present(), 3);
  auto none = ParsePalmsSummary("Member,P,A\nJosé Peña,3,1\n", matcher, "", "", "EUR");
  ASSERT_EQ(none.rejected.size(), 1u);
  EXPECT_EQ(none.rejected[0].error.reason, kImportPeriodMissing);
  auto nameless = ParsePalmsSummary("Who,P\nx,1\n", matcher, "2026-10-01", "2026-10-31", "EUR");
  ASSERT_EQ(nameless.rejected.size(), 1u);
  EXPECT_EQ(nameless.rejected[0].error.reason, kImportColumnMissing);
  EXPECT_EQ(nameless.rejected[0].line, 1);
  auto empty = ParsePalmsSummary("\xEF\xBB\xBF", matcher, "2026-10-01", "2026-10-31", "EUR");
  ASSERT_EQ(empty.rejected.size(), 1u);
  EXPECT_EQ(empty.rejected[0].error.reason, kImportEmpty);
}

TEST(ParseReferrals, EnglishHeadersCommasQuotedNotesAndDefaults) {
  auto p = ParseReferrals(DataFile("referrals_en.csv"), MemberMatcher(Roster(), {}));
  ASSERT_TRUE(p.rejected.empty()) << p.rejected[0].error.message;
  EXPECT_EQ(p.lines, 2);
  ASSERT_EQ(p.rows.size(), 2u);
  const ImportedReferral& first = p.rows[0];
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.date, "2026-11-03");
  EXPECT_EQ(first.request.on_behalf_of(), "chapters/rome/members/1");
  EXPECT_EQ(first.request.referral().receiver(), "chapters/rome/members/2");
  EXPECT_EQ(first.request.referral().kind(), v1::REFERRAL_KIND_OUTSIDE);
  EXPECT_EQ(first.request.referral().temperature(), 4);
  EXPECT_EQ(first.request.referral().contact_name(), "Roberto Gallo");
  EXPECT_EQ(first.request.referral().contact_phone(), "+39 333 5550123");
  EXPECT_EQ(first.request.referral().note(), "selling his flat, in Trastevere");
  EXPECT_EQ(p.rows[1].request.referral().kind(), v1::REFERRAL_KIND_INSIDE);
  EXPECT_EQ(p.rows[1].request.referral().temperature(), 3);  // no temperature: 3
}

TEST(ParseReferrals, ItalianHeadersAndEveryBadLine) {
  auto p = ParseReferrals(DataFile("referrals_it.csv"), MemberMatcher(Roster(), {}));
  EXPECT_EQ(p.lines, 6);
  // Line 3 (a self-referral) is the chapter's to refuse, not the reader's.
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].date, "2026-11-03");
  EXPECT_EQ(p.rows[1].line, 3);
  std::vector<std::pair<int, std::string>> got;
  for (const auto& r : p.rejected) got.emplace_back(r.line, r.error.reason);
  EXPECT_EQ(got, (std::vector<std::pair<int, std::string>>{{4, std::string(kImportMemberUnmatched)},
                                                           {5, std::string(kImportBadValue)},
                                                           {6, std::string(kImportBadDate)},
                                                           {7, std::string(kImportNotANumber)}}));
  EXPECT_EQ(p.unmatched, (std::vector<std::string>{"Nessuno Noto"}));
  auto headless =
      ParseReferrals("Date,From\n2026-11-03,Nicolò Rossi\n", MemberMatcher(Roster(), {}));
  ASSERT_EQ(headless.rejected.size(), 1u);
  EXPECT_EQ(headless.rejected[0].error.reason, kImportColumnMissing);
  EXPECT_EQ(headless.rejected[0].error.params, (ErrorParams{{"column", "receiver"}}));
}

TEST(ParseOneToOnes, SpanishHeadersSemicolonsAndTheDateOnTheOneToOne) {
  auto p = ParseOneToOnes(DataFile("one_to_ones_es.csv"), MemberMatcher(Roster(), {}));
  ASSERT_TRUE(p.rejected.empty()) << p.rejected[0].error.message;
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].date, "2026-11-05");
  EXPECT_EQ(p.rows[0].request.on_behalf_of(), "chapters/rome/members/1");
  EXPECT_EQ(p.rows[0].request.one_to_one().with_member(), "chapters/rome/members/2");
  EXPECT_EQ(p.rows[0].request.one_to_one().date(), "2026-11-05");
  EXPECT_EQ(p.rows[0].request.one_to_one().note(), "café; en la oficina");
  EXPECT_EQ(p.rows[1].request.on_behalf_of(), "chapters/rome/members/2");
  auto without_with =
      ParseOneToOnes("Fecha,Miembro\n05/11/2026,Nicolò Rossi\n", MemberMatcher(Roster(), {}));
  ASSERT_EQ(without_with.rejected.size(), 1u);
  EXPECT_EQ(without_with.rejected[0].error.params, (ErrorParams{{"column", "with"}}));
}

// The reasons of a parse's rejected lines, with their lines.
template <class Parse>
std::vector<std::pair<int, std::string>> Rejections(const Parse& p) {
  std::vector<std::pair<int, std::string>> got;
  for (const auto& r : p.rejected) got.emplace_back(r.line, r.error.reason);
  return got;
}

TEST(ParseImportAmount, BothConventionsAndWhatIsNotAnAmount) {
  EXPECT_EQ(ParseImportAmount("1.234,56"), "1234.56");  // Italian, Spanish
  EXPECT_EQ(ParseImportAmount("1,234.56"), "1234.56");  // English
  EXPECT_EQ(ParseImportAmount("1.250"), "1250");        // three digits: thousands
  EXPECT_EQ(ParseImportAmount("1,250"), "1250");
  EXPECT_EQ(ParseImportAmount("1250,5"), "1250.5");
  EXPECT_EQ(ParseImportAmount("800 €"), "800");
  EXPECT_EQ(ParseImportAmount("$ 1,000,000.00"), "1000000.00");
  EXPECT_EQ(ParseImportAmount("tanti"), std::nullopt);
  EXPECT_EQ(ParseImportAmount("-100"), std::nullopt);
  EXPECT_EQ(ParseImportAmount(""), std::nullopt);
}

TEST(ParseThankYous, ItalianHeadersItalianAmountsAndEveryBadLine) {
  auto p = ParseThankYous(DataFile("thank_yous_it.csv"), MemberMatcher(Roster(), {}),
                          "chapters/rome", "EUR");
  EXPECT_EQ(p.lines, 8);
  // Lines 4 (a self thank-you) and 9 (zero) are the chapter's to refuse, not the reader's.
  ASSERT_EQ(p.rows.size(), 4u);
  const auto& first = p.rows[0];
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.date, "2026-11-03");
  EXPECT_EQ(first.request.on_behalf_of(), "chapters/rome/members/2");
  EXPECT_EQ(first.request.thank_you().to_member(), "chapters/rome/members/1");
  EXPECT_EQ(first.request.thank_you().amount().amount(), "1234.56");
  EXPECT_EQ(first.request.thank_you().amount().currency(), "EUR");
  EXPECT_EQ(first.request.thank_you().business_type(), v1::BUSINESS_TYPE_NEW);
  EXPECT_EQ(first.request.thank_you().note(), "bagno rifatto; cliente contento");
  EXPECT_EQ(p.rows[1].request.thank_you().amount().amount(), "800");
  EXPECT_EQ(p.rows[1].request.thank_you().business_type(), v1::BUSINESS_TYPE_REPEAT);
  EXPECT_EQ(p.rows[2].line, 4);
  EXPECT_EQ(p.rows[2].request.thank_you().business_type(), v1::BUSINESS_TYPE_UNSPECIFIED);
  EXPECT_EQ(Rejections(p),
            (std::vector<std::pair<int, std::string>>{{5, std::string(kImportMemberUnmatched)},
                                                      {6, std::string(kImportNotANumber)},
                                                      {7, std::string(kImportBadValue)},
                                                      {8, std::string(kImportBadDate)}}));
  EXPECT_EQ(p.unmatched, (std::vector<std::string>{"Nessuno Noto"}));
}

TEST(ParseThankYous, EnglishHeadersEnglishAmountsReferralsAndTheAmountRequired) {
  auto p = ParseThankYous(
      "Date,Giver,Receiver,Amount,Business type,Referral\n"
      "2026-11-03,José Peña,Inés Núñez,\"1,234.56\",repeat,7\n"
      "2026-11-04,José Peña,Inés Núñez,50,new,chapters/rome/referrals/8\n"
      "2026-11-05,José Peña,Inés Núñez,50,,referral seven\n",
      MemberMatcher(Roster(), {}), "chapters/rome", "USD");
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0].request.thank_you().amount().amount(), "1234.56");
  EXPECT_EQ(p.rows[0].request.thank_you().amount().currency(), "USD");
  EXPECT_EQ(p.rows[0].request.thank_you().referral(), "chapters/rome/referrals/7");
  EXPECT_EQ(p.rows[1].request.thank_you().referral(), "chapters/rome/referrals/8");
  // Not a referral's name: the chapter refuses it (thank_you.referral), as typed in.
  EXPECT_EQ(p.rows[2].request.thank_you().referral(), "referral seven");
  auto no_amount = ParseThankYous("Fecha,De,Para\n05/11/2026,José Peña,Inés Núñez\n",
                                  MemberMatcher(Roster(), {}), "chapters/rome", "EUR");
  ASSERT_EQ(no_amount.rejected.size(), 1u);
  EXPECT_EQ(no_amount.rejected[0].error.reason, kImportColumnMissing);
  EXPECT_EQ(no_amount.rejected[0].error.params, (ErrorParams{{"column", "amount"}}));
}

TEST(ParseCeus, SpanishHeadersWholeCreditsAndEveryBadLine) {
  auto p = ParseCeus(DataFile("ceus_es.csv"), MemberMatcher(Roster(), {}));
  EXPECT_EQ(p.lines, 6);
  // Line 7 (0 credits) is the chapter's to refuse (1 to 100).
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0].date, "2026-11-05");
  EXPECT_EQ(p.rows[0].request.on_behalf_of(), "chapters/rome/members/1");
  EXPECT_EQ(p.rows[0].request.education().credits(), 2);
  EXPECT_EQ(p.rows[0].request.education().note(), "Curso de ventas; nivel 1");
  EXPECT_EQ(p.rows[1].request.on_behalf_of(), "chapters/rome/members/2");
  EXPECT_EQ(p.rows[2].line, 7);
  EXPECT_EQ(p.rows[2].request.education().credits(), 0);
  EXPECT_EQ(Rejections(p),
            (std::vector<std::pair<int, std::string>>{{4, std::string(kImportNotANumber)},
                                                      {5, std::string(kImportMemberUnmatched)},
                                                      {6, std::string(kImportBadDate)}}));
  auto italian = ParseCeus("Data;Socio;Ore;Corso\n01/10/2026;José Peña;3;Public speaking\n",
                           MemberMatcher(Roster(), {}));
  ASSERT_EQ(italian.rows.size(), 1u);
  EXPECT_EQ(italian.rows[0].request.education().credits(), 3);
  EXPECT_EQ(italian.rows[0].request.education().note(), "Public speaking");
  auto empty =
      ParseCeus("Date,Member,Credits\n2026-10-01,José Peña,\n", MemberMatcher(Roster(), {}));
  EXPECT_EQ(Rejections(empty),
            (std::vector<std::pair<int, std::string>>{{2, std::string(kImportNotANumber)}}));
}

TEST(ParseVisitors, EnglishHeadersContactsAndEveryBadLine) {
  auto p = ParseVisitors(DataFile("visitors_en.csv"), MemberMatcher(Roster(), {}));
  EXPECT_EQ(p.lines, 7);
  // Lines 4 (no meeting that week) and 7 (the e-mail) are the chapter's to refuse.
  ASSERT_EQ(p.rows.size(), 4u);
  const auto& first = p.rows[0];
  EXPECT_EQ(first.date, "2026-12-08");
  EXPECT_EQ(first.request.occurred().date(), "2026-12-08");
  EXPECT_TRUE(first.request.meeting().empty());  // the chapter's to find
  EXPECT_EQ(first.request.visitor().display_name(), "Giulia Conti");
  EXPECT_EQ(first.request.visitor().business(), "Conti Architetti");
  EXPECT_EQ(first.request.visitor().invited_by(), "chapters/rome/members/1");
  EXPECT_EQ(first.request.visitor().phone(), "+39 333 1234567");
  EXPECT_EQ(first.request.visitor().email(), "giulia@conti.example");
  EXPECT_EQ(p.rows[1].request.visitor().display_name(), "Ferri, Marco");
  EXPECT_EQ(p.rows[1].request.visitor().invited_by(), "chapters/rome/members/2");
  EXPECT_EQ(Rejections(p),
            (std::vector<std::pair<int, std::string>>{{5, std::string(kImportMemberUnmatched)},
                                                      {6, std::string(kImportBadDate)},
                                                      {8, std::string(kImportColumnCount)}}));
  auto italian = ParseVisitors(
      "Data;Ospite;Azienda;Invitato da;Telefono\n01/10/2026;Anna Blu;Blu Forno;Inés Núñez;\n",
      MemberMatcher(Roster(), {}));
  ASSERT_EQ(italian.rows.size(), 1u);
  EXPECT_EQ(italian.rows[0].request.visitor().invited_by(), "chapters/rome/members/4");
  EXPECT_EQ(italian.rows[0].request.visitor().business(), "Blu Forno");
  auto spanish = ParseVisitors("Fecha,Visitante,Empresa\n01/10/2026,Anna Blu,Blu Horno\n",
                               MemberMatcher(Roster(), {}));
  ASSERT_EQ(spanish.rejected.size(), 1u);
  EXPECT_EQ(spanish.rejected[0].error.params, (ErrorParams{{"column", "invited by"}}));
}

}  // namespace
}  // namespace reciproca::domain
