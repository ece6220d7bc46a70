// Person-facing text (validation.h: CheckText, CheckMultilineText): UTF-8, control characters,
// line breaks, blank values in any script, NFC; and that the chapter's commands use it.

#include <gtest/gtest.h>

#include <string>

#include "server/domain/chapter.h"
#include "server/domain/validation.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;

constexpr const char* kName = "member.display_name";
constexpr const char* kNote = "referral.note";

TEST(CheckText, RejectsEveryClassOfControlCharacter) {
  struct Case {
    std::string text;
    const char* code_point;
  };
  for (const Case& c : {Case{std::string("An\0a", 4), "U+0000"},
                        Case{"An\x07"
                             "a",
                             "U+0007"},
                        Case{"An\x1b[31ma", "U+001B"},
                        Case{"An\x7f"
                             "a",
                             "U+007F"},
                        Case{"An\xC2\x80"
                             "a",
                             "U+0080"},
                        Case{"An\xC2\x9B"
                             "a",
                             "U+009B"},
                        Case{"An\ta", "U+0009"}}) {
    EXPECT_TRUE(IsError(
        CheckText(kName, c.text, 1, 100), ErrorCode::kInvalidArgument,
        {"member.display_name: contains a control character (", c.code_point, "at character 3"}))
        << c.code_point;
  }
}

TEST(CheckText, RejectsAnEscapeSequenceNamingTheEscape) {
  EXPECT_TRUE(IsError(CheckText(kName, "\x1b]0;owned\x07 Ana", 1, 100), ErrorCode::kInvalidArgument,
                      {"member.display_name: contains a control character (U+001B) at character "
                       "1: only visible characters and spaces are allowed"}));
}

TEST(CheckText, RejectsALineBreakInsideOneLineText) {
  for (const char* text :
       {"Ana\nRossi", "Ana\rRossi", "Ana\xE2\x80\xA8Rossi", "Ana\vRossi", "Ana\xC2\x85Rossi"}) {
    EXPECT_TRUE(IsError(CheckText(kName, text, 1, 100), ErrorCode::kInvalidArgument,
                        {"member.display_name: contains a line break", "single line"}))
        << text;
  }
}

TEST(CheckText, TrimsSurroundingUnicodeWhiteSpaceIncludingLineBreaks) {
  auto r = CheckText(kName, "\xC2\xA0\xE3\x80\x80 Ana Rossi\n\xE2\x80\x8A", 1, 100);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "Ana Rossi");
}

TEST(CheckText, RejectsOnlyWhiteSpaceInAnyScript) {
  for (const char* blank : {"\xC2\xA0",                      // U+00A0 no-break space
                            "\xE3\x80\x80",                  // U+3000 ideographic space
                            "\xE2\x80\x80\xE2\x80\x8A",      // U+2000, U+200A
                            "\xE2\x80\xAF",                  // U+202F narrow no-break space
                            "\xE1\x9A\x80",                  // U+1680 ogham space mark
                            "\xE2\x80\x8B",                  // U+200B zero-width space
                            "\xEF\xBB\xBF \xE2\x80\x8D"}) {  // U+FEFF, U+200D
    EXPECT_TRUE(IsError(CheckText(kName, blank, 1, 100), ErrorCode::kInvalidArgument,
                        {"member.display_name: has only white space or invisible characters",
                         "1..100 visible characters are required"}))
        << blank;
  }
}

TEST(CheckText, OnlyNoBreakSpaceNamesTheCharacter) {
  EXPECT_TRUE(IsError(CheckText(kName, "\xC2\xA0\xC2\xA0", 1, 100), ErrorCode::kInvalidArgument,
                      {"(such as U+00A0)"}));
}

TEST(CheckText, AnOptionalFieldGivenOnlyBlanksIsEmpty) {
  auto r = CheckText("referral.contact_name", "\xE2\x80\x8B\xC2\xA0", 0, 100);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "");
}

TEST(CheckText, KeepsInvisibleCharactersInsideVisibleText) {
  // A zero-width joiner inside an emoji sequence, a soft hyphen inside a word.
  const std::string family = "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
  auto r = CheckText(kName, "Ana " + family + " Ros\xC2\xADsi", 1, 100);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "Ana " + family + " Ros\xC2\xADsi");
}

TEST(CheckText, StoresNfc) {
  // "Jose\u0301" (e + combining acute, NFD) is stored as "Jos\u00E9".
  auto r = CheckText(kName, "Jose\xCC\x81", 1, 100);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "Jos\xC3\xA9");
  // Hangul jamo compose to one syllable: U+1100 U+1161 -> U+AC00.
  r = CheckText(kName, "\xE1\x84\x80\xE1\x85\xA1", 1, 100);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "\xEA\xB0\x80");
}

TEST(CheckText, CountsTheLimitAfterNormalization) {
  // 100 NFD "é" are 200 code points as given, 100 once composed.
  std::string decomposed;
  for (int i = 0; i < 100; ++i) {
    decomposed += "e\xCC\x81";
  }
  auto r = CheckText(kName, decomposed, 1, 100);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(CodePointCount(*r), 100);
}

TEST(CheckText, RejectsInvalidUtf8NamingTheByte) {
  struct Case {
    std::string text;
    const char* where;
  };
  for (const Case& c : {Case{"Ana\xFF", "byte 0xFF at offset 3"},
                        Case{"Ana \xC3", "byte 0xC3 at offset 4"},       // truncated
                        Case{"\xC0\xAF", "byte 0xC0 at offset 0"},       // overlong "/"
                        Case{"A\xED\xA0\x80", "byte 0xED at offset 1"},  // a surrogate
                        Case{"\x80"
                             "Ana",
                             "byte 0x80 at offset 0"},                         // stray continuation
                        Case{"\xF4\x90\x80\x80", "byte 0xF4 at offset 0"}}) {  // above U+10FFFF
    EXPECT_TRUE(IsError(CheckText(kName, c.text, 1, 100), ErrorCode::kInvalidArgument,
                        {"member.display_name: is not valid UTF-8", c.where}))
        << c.where;
  }
}

TEST(CheckMultilineText, KeepsLineBreaksAndTabs) {
  auto r = CheckMultilineText(kNote, "Call after 10:\n\t- ask for Ana\r\nThanks", 0, 1000);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "Call after 10:\n\t- ask for Ana\nThanks");
}

TEST(CheckMultilineText, StillRejectsOtherControlCharacters) {
  for (const char* text : {"line\x1b[2J", "line\vline", "line\fline", "line\xC2\x85line"}) {
    EXPECT_TRUE(IsError(CheckMultilineText(kNote, text, 0, 1000), ErrorCode::kInvalidArgument,
                        {"referral.note: contains a control character",
                         "spaces, tabs and line breaks are allowed"}))
        << text;
  }
}

TEST(CheckMultilineText, RejectsOnlyBlankLinesWhenRequired) {
  EXPECT_TRUE(IsError(CheckMultilineText("testimonial.text", "\n\t\xC2\xA0\n", 1, 2000),
                      ErrorCode::kInvalidArgument, {"testimonial.text: has only white space"}));
}

TEST(CheckOptionalEmail, RejectsControlCharactersAndInvalidUtf8) {
  EXPECT_TRUE(IsError(CheckOptionalEmail("member.email", "ana\xC2\x9B@example.com"),
                      ErrorCode::kInvalidArgument, {"member.email: contains a control character"}));
  EXPECT_TRUE(IsError(CheckOptionalEmail("member.email", "ana\xFF@example.com"),
                      ErrorCode::kInvalidArgument, {"member.email: is not valid UTF-8"}));
}

TEST(Quoted, EscapesEverythingOutsidePrintableAscii) {
  EXPECT_EQ(Quoted("Europe/Rome"), "\"Europe/Rome\"");
  EXPECT_EQ(Quoted("a\x1b[0m\xFF\"b"), "\"a\\x1B[0m\\xFF\\x22b\"");
  EXPECT_EQ(Quoted(std::string(50, 'x')), "\"" + std::string(40, 'x') + "\"...");
}

TEST(CheckOptionalTimeZone, RejectsA256ByteZonePreciselyWithoutEchoingIt) {
  const std::string zone = "Europe/" + std::string(256, 'R');
  auto r = CheckOptionalTimeZone("chapter.time_zone", zone, testing::Zones());
  EXPECT_TRUE(
      IsError(r, ErrorCode::kInvalidArgument,
              {"chapter.time_zone: must be at most 64 characters, got 263", "\"Europe/Rome\""}));
  EXPECT_EQ(std::string::npos, r.error().message.find("RRRR"));
}

TEST(CheckOptionalTimeZone, AcceptsEmptyAndKnownZonesRejectsUnknownAndMalformed) {
  auto empty = CheckOptionalTimeZone("chapter.time_zone", "  ", testing::Zones());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
  auto rome = CheckOptionalTimeZone("chapter.time_zone", " Europe/Rome ", testing::Zones());
  ASSERT_TRUE(rome.ok());
  EXPECT_EQ(*rome, "Europe/Rome");
  EXPECT_TRUE(IsError(CheckOptionalTimeZone("chapter.time_zone", "Europe/\x1b", testing::Zones()),
                      ErrorCode::kInvalidArgument,
                      {"chapter.time_zone: \"Europe/\\x1B\" is not an IANA time zone name"}));
}

// Every command that takes person-facing text goes through these checks.
class TextCommandsTest : public testing::RosterChapterTest {};

TEST_F(TextCommandsTest, CreateMember_RejectsAnEscapeInTheNameAndStoresNfc) {
  v1::CreateMemberRequest request;
  request.set_parent(kChapter);
  request.mutable_member()->set_display_name("Ana\x1b[8m");
  request.mutable_member()->set_business("Rossi Srl");
  request.mutable_member()->set_category("Notary");
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"member.display_name: contains a control character (U+001B)"}));

  request.mutable_member()->set_display_name("Rene\xCC\x81");
  request.mutable_member()->set_business("\xC2\xA0");
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"member.business: has only white space"}));

  request.mutable_member()->set_business("Rene\xCC\x81 Srl");
  auto r = chapter_.DecideCreateMember(Admin(), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].member_added().member().display_name(), "Ren\xC3\xA9");
  EXPECT_EQ((*r)[0].member_added().member().business(), "Ren\xC3\xA9 Srl");
}

TEST_F(TextCommandsTest, GiveReferral_KeepsNewlinesInTheNoteButNotInTheContactName) {
  v1::GiveReferralRequest request;
  request.set_parent(kChapter);
  request.mutable_referral()->set_receiver(bruno_);
  request.mutable_referral()->set_temperature(3);
  request.mutable_referral()->set_contact_name("Marco\nBianchi");
  request.mutable_referral()->set_contact_phone("+39 06 1234567");
  request.mutable_referral()->set_note("Needs a quote\nby Friday");
  EXPECT_TRUE(IsError(chapter_.DecideGiveReferral(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"referral.contact_name: contains a line break (U+000A)"}));

  request.mutable_referral()->set_contact_name("Marco Bianchi");
  auto r = chapter_.DecideGiveReferral(As(ana_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].referral_given().referral().note(), "Needs a quote\nby Friday");
}

TEST_F(TextCommandsTest, RecordTestimonial_RejectsInvalidUtf8) {
  v1::RecordTestimonialRequest request;
  request.set_parent(kChapter);
  request.mutable_testimonial()->set_for_member(bruno_);
  request.mutable_testimonial()->set_text("Great work\xC3");
  EXPECT_TRUE(IsError(chapter_.DecideRecordTestimonial(As(ana_), request),
                      ErrorCode::kInvalidArgument, {"testimonial.text: is not valid UTF-8"}));
}

TEST_F(TextCommandsTest, UpdateChapter_RejectsAnOverlongTimeZonePrecisely) {
  v1::UpdateChapterRequest request;
  request.mutable_chapter()->set_name(kChapter);
  request.mutable_chapter()->set_time_zone(std::string(300, 'A'));
  request.mutable_update_mask()->add_paths("time_zone");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.time_zone: must be at most 64 characters, got 300"}));
}

}  // namespace
}  // namespace reciproca::domain
