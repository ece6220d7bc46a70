#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::At;
using testing::IsError;
using testing::kNow;

Context AdminAt(int64_t seconds) {
  return {Principal{Principal::Kind::kAdmin, "", ""}, At(seconds), testing::Zones()};
}

v1::CreateChapterRequest ValidRequest() {
  v1::CreateChapterRequest request;
  request.mutable_chapter()->set_display_name("  Rome Centro Breakfast ");
  request.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
  request.mutable_chapter()->set_meeting_time("07:00");
  request.mutable_chapter()->set_time_zone("Europe/Rome");
  return request;
}

TEST(CreateChapter, EmitsChapterCreatedWithSeqOneAndDefaults) {
  auto r = Chapter::DecideCreate(AdminAt(kNow), ValidRequest(), "rome", false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const v1::Event& e = (*r)[0];
  EXPECT_EQ(e.seq(), 1);
  EXPECT_EQ(e.chapter(), "chapters/rome");
  EXPECT_EQ(e.actor(), "admin");
  EXPECT_EQ(e.time().seconds(), kNow);
  const v1::Chapter& c = e.chapter_created().chapter();
  EXPECT_EQ(c.name(), "chapters/rome");
  EXPECT_EQ(c.display_name(), "Rome Centro Breakfast");
  EXPECT_EQ(c.currency(), "EUR");
  EXPECT_EQ(c.meeting_time(), "07:00");
  EXPECT_EQ(c.create_time().seconds(), kNow);
}

TEST(CreateChapter, ApplyBuildsInfo) {
  Chapter chapter;
  auto r = Chapter::DecideCreate(AdminAt(kNow), ValidRequest(), "rome", false);
  ASSERT_TRUE(r.ok());
  chapter.Apply((*r)[0]);
  EXPECT_EQ(chapter.name(), "chapters/rome");
  EXPECT_EQ(chapter.last_seq(), 1);
  v1::Chapter info = chapter.Info();
  EXPECT_EQ(info.last_seq(), 1);
  EXPECT_EQ(info.active_member_count(), 0);
  EXPECT_EQ(info.time_zone(), "Europe/Rome");
}

TEST(CreateChapter, AllowsUnspecifiedScheduleFields) {
  v1::CreateChapterRequest request;
  request.mutable_chapter()->set_display_name("Milan");
  EXPECT_TRUE(Chapter::DecideCreate(AdminAt(kNow), request, "milan", false).ok());
}

TEST(CreateChapter, RejectsNonAdmin) {
  Context member{Principal{Principal::Kind::kMember, "chapters/rome", "chapters/rome/members/2"},
                 At(kNow), testing::Zones()};
  EXPECT_TRUE(IsError(Chapter::DecideCreate(member, ValidRequest(), "rome", false),
                      ErrorCode::kPermissionDenied));
}

TEST(CreateChapter, NonAdminIsDeniedBeforeAnythingElse) {
  Context member{Principal{Principal::Kind::kMember, "chapters/rome", "chapters/rome/members/2"},
                 At(kNow), testing::Zones()};
  EXPECT_TRUE(IsError(Chapter::DecideCreate(member, ValidRequest(), "Not An Id", true),
                      ErrorCode::kPermissionDenied, {"only the server admin creates chapters"}));
}

TEST(CreateChapter, RejectsAChapterIdOfAnotherSyntaxNamingIt) {
  for (const char* bad : {"", "ro", "1rome", "-rome", "Rome", "rome_centro", "rome/x", "rome "}) {
    EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), ValidRequest(), bad, false),
                        ErrorCode::kInvalidArgument,
                        {"chapter_id: 3..40 of lower-case letters, digits and '-', starting with "
                         "a letter; got \"" +
                         std::string(bad) + "\""}))
        << bad;
  }
}

TEST(CreateChapter, RejectsATakenIdAsAlreadyExists) {
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), ValidRequest(), "rome", true),
                      ErrorCode::kAlreadyExists, {"chapter_id: chapters/rome already exists"}));
}

TEST(CreateChapter, RejectsATimeZoneTheDatabaseDoesNotKnow) {
  auto request = ValidRequest();
  request.mutable_chapter()->set_time_zone("Europe/Atlantis");
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument,
                      {"chapter.time_zone: unknown time zone \"Europe/Atlantis\"", "IANA"}));
  // Syntax first: a malformed zone is never looked up.
  request.mutable_chapter()->set_time_zone("not a zone");
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument, {"is not an IANA time zone name"}));
}

TEST(CreateChapter, RejectsBlankOrTooLongDisplayName) {
  auto request = ValidRequest();
  request.mutable_chapter()->set_display_name("   ");
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument, {"chapter.display_name"}));
  request.mutable_chapter()->set_display_name(std::string(101, 'x'));
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument, {"chapter.display_name"}));
}

TEST(CreateChapter, RejectsBadMeetingTime) {
  auto request = ValidRequest();
  request.mutable_chapter()->set_meeting_time("24:00");
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument, {"chapter.meeting_time"}));
}

TEST(CreateChapter, RejectsBadTimeZoneSyntax) {
  auto request = ValidRequest();
  request.mutable_chapter()->set_time_zone("Europe Rome");
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument, {"chapter.time_zone"}));
}

TEST(CreateChapter, RejectsUnknownWeekday) {
  auto request = ValidRequest();
  request.mutable_chapter()->set_meeting_weekday(static_cast<v1::Weekday>(9));
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument, {"chapter.meeting_weekday"}));
}

TEST(CreateChapter, RejectsLowerCaseCurrencySuggestingUpperCase) {
  auto request = ValidRequest();
  request.mutable_chapter()->set_currency("eur");
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument, {"chapter.currency", "\"EUR\""}));
}

TEST(CreateChapter, RejectsUnknownCurrency) {
  auto request = ValidRequest();
  request.mutable_chapter()->set_currency("XYZ");
  EXPECT_TRUE(IsError(Chapter::DecideCreate(AdminAt(kNow), request, "rome", false),
                      ErrorCode::kInvalidArgument, {"chapter.currency"}));
}

TEST(CreateChapter, AcceptsOtherIsoCurrency) {
  auto request = ValidRequest();
  request.mutable_chapter()->set_currency("GBP");
  auto r = Chapter::DecideCreate(AdminAt(kNow), request, "london", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].chapter_created().chapter().currency(), "GBP");
}

}  // namespace
}  // namespace reciproca::domain
