// The chapter's settings after creation: UpdateChapter, display_amounts and language.

#include <gtest/gtest.h>

#include "google/protobuf/util/message_differencer.h"
#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/validation.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::IsError;
using testing::kNow;

class SettingsTest : public testing::RosterChapterTest {
 protected:
  // A request naming the chapter, with `paths` as its mask.
  static v1::UpdateChapterRequest Update(std::initializer_list<const char*> paths) {
    v1::UpdateChapterRequest request;
    request.mutable_chapter()->set_name(kChapter);
    for (const char* path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return request;
  }
};

TEST(CreateChapterSettings, DisplayAmountsDefaultsToFalseAndIsKeptWhenSet) {
  v1::CreateChapterRequest request;
  request.mutable_chapter()->set_display_name("Rome");
  Context admin{Principal{Principal::Kind::kAdmin, "", ""}, testing::At(kNow), testing::Zones()};
  auto plain = Chapter::DecideCreate(admin, request, "rome", false);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_FALSE((*plain)[0].chapter_created().chapter().display_amounts());
  request.mutable_chapter()->set_display_amounts(true);
  auto shown = Chapter::DecideCreate(admin, request, "rome", false);
  ASSERT_TRUE(shown.ok()) << shown.error().message;
  Chapter chapter;
  chapter.Apply((*shown)[0]);
  EXPECT_TRUE(chapter.Info().display_amounts());
}

TEST(CreateChapterSettings, LanguageDefaultsToEnglishAndIsStoredCanonical) {
  v1::CreateChapterRequest request;
  request.mutable_chapter()->set_display_name("Roma Centro");
  Context admin{Principal{Principal::Kind::kAdmin, "", ""}, testing::At(kNow), testing::Zones()};
  auto plain = Chapter::DecideCreate(admin, request, "rome", false);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ("en", (*plain)[0].chapter_created().chapter().language());
  request.mutable_chapter()->set_language(" IT ");
  auto italian = Chapter::DecideCreate(admin, request, "rome", false);
  ASSERT_TRUE(italian.ok()) << italian.error().message;
  Chapter chapter;
  chapter.Apply((*italian)[0]);
  EXPECT_EQ("it", chapter.Info().language());
  request.mutable_chapter()->set_language("es_ES");
  EXPECT_TRUE(IsError(Chapter::DecideCreate(admin, request, "rome", false),
                      ErrorCode::kInvalidArgument,
                      {"chapter.language", "\"es_ES\"", "BCP 47", "\"pt-BR\""}));
}

TEST(CreateChapterSettings, AChapterCreatedBeforeLanguagesExisted_ReadsAsEnglish) {
  v1::Event created;
  created.set_chapter("chapters/old");
  created.set_seq(1);
  created.mutable_chapter_created()->mutable_chapter()->set_name("chapters/old");
  Chapter chapter;
  chapter.Apply(created);
  EXPECT_EQ("en", chapter.Info().language());
}

TEST_F(SettingsTest, UpdateChapter_ChangesTheLanguage) {
  v1::UpdateChapterRequest request = Update({"language"});
  request.mutable_chapter()->set_language("es-es");
  auto r = chapter_.DecideUpdateChapter(As(president_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(std::vector<std::string>{"language"},
            std::vector<std::string>(r->at(0).chapter_updated().changed_fields().begin(),
                                     r->at(0).chapter_updated().changed_fields().end()));
  ApplyAll(r);
  EXPECT_EQ("es-ES", chapter_.Info().language());
  // Another setting's update keeps the language.
  request = Update({"meeting_time"});
  request.mutable_chapter()->set_meeting_time("08:00");
  ApplyAll(chapter_.DecideUpdateChapter(Admin(), request));
  EXPECT_EQ("es-ES", chapter_.Info().language());
  request = Update({"language"});
  request.mutable_chapter()->set_language("not a language");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.language: \"not a language\" is not a well-formed BCP 47"}));
}

TEST_F(SettingsTest, UpdateChapter_SetsTheAgenda_InOrder_TitlesTrimmed_AndClearsIt) {
  v1::UpdateChapterRequest request = Update({"agenda"});
  auto add = [&](const std::string& title, int minutes, int countdown) {
    v1::AgendaItem* item = request.mutable_chapter()->add_agenda();
    item->set_title(title);
    item->set_minutes(minutes);
    item->set_countdown_seconds(countdown);
  };
  add(" Networking libero ", 15, 0);
  add("Presentazioni da 60 secondi", 30, 60);
  add("Presentazione principale", 10, 600);
  auto r = chapter_.DecideUpdateChapter(As(president_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(std::vector<std::string>{"agenda"},
            std::vector<std::string>(r->at(0).chapter_updated().changed_fields().begin(),
                                     r->at(0).chapter_updated().changed_fields().end()));
  ApplyAll(r);
  ASSERT_EQ(chapter_.Info().agenda_size(), 3);
  EXPECT_EQ(chapter_.Info().agenda(0).title(), "Networking libero");
  EXPECT_EQ(chapter_.Info().agenda(1).countdown_seconds(), 60);
  EXPECT_EQ(chapter_.Info().agenda(2).minutes(), 10);
  // The same agenda again changes nothing; another setting's update keeps it.
  auto same = chapter_.DecideUpdateChapter(Admin(), request);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->at(0).chapter_updated().changed_fields_size(), 0);
  v1::UpdateChapterRequest time = Update({"meeting_time"});
  time.mutable_chapter()->set_meeting_time("08:00");
  ApplyAll(chapter_.DecideUpdateChapter(Admin(), time));
  EXPECT_EQ(chapter_.Info().agenda_size(), 3);
  // An empty agenda in the mask clears it.
  ApplyAll(chapter_.DecideUpdateChapter(Admin(), Update({"agenda"})));
  EXPECT_EQ(chapter_.Info().agenda_size(), 0);
}

TEST_F(SettingsTest, UpdateChapter_RefusesABadAgenda_NamingTheItem) {
  auto with = [&](const std::string& title, int minutes, int countdown) {
    v1::UpdateChapterRequest request = Update({"agenda"});
    request.mutable_chapter()->add_agenda()->set_title("Benvenuto");
    v1::AgendaItem* item = request.mutable_chapter()->add_agenda();
    item->set_title(title);
    item->set_minutes(minutes);
    item->set_countdown_seconds(countdown);
    return chapter_.DecideUpdateChapter(Admin(), request);
  };
  EXPECT_TRUE(IsError(with("  ", 5, 0), ErrorCode::kInvalidArgument, {"chapter.agenda[1].title"}));
  EXPECT_TRUE(IsError(with(std::string(61, 'x'), 5, 0), ErrorCode::kInvalidArgument,
                      {"chapter.agenda[1].title"}));
  EXPECT_TRUE(IsError(with("Giro", 241, 0), ErrorCode::kInvalidArgument,
                      {"chapter.agenda[1].minutes", "240", "241"}));
  EXPECT_TRUE(IsError(with("Giro", 5, -1), ErrorCode::kInvalidArgument,
                      {"chapter.agenda[1].countdown_seconds", "3600"}));
  v1::UpdateChapterRequest many = Update({"agenda"});
  for (int i = 0; i < 41; ++i) {
    many.mutable_chapter()->add_agenda()->set_title("Segment " + std::to_string(i));
  }
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), many), ErrorCode::kInvalidArgument,
                      {"chapter.agenda", "40", "41"}));
  EXPECT_EQ(chapter_.Info().agenda_size(), 0) << "nothing recorded";
  // Members may not change it.
  v1::UpdateChapterRequest request = Update({"agenda"});
  request.mutable_chapter()->add_agenda()->set_title("Benvenuto");
  EXPECT_TRUE(
      IsError(chapter_.DecideUpdateChapter(As(ana_), request), ErrorCode::kPermissionDenied, {}));
}

// Now is Tuesday 2023-11-14, 23:13 in Rome (the chapter's zone; 22:13 UTC).
v1::UpdateChapterRequest RotationUpdate(
    std::initializer_list<std::pair<const char*, std::string>> weeks) {
  v1::UpdateChapterRequest request;
  request.mutable_chapter()->set_name("chapters/rome");
  request.mutable_update_mask()->add_paths("feature_rotation");
  for (const auto& [date, member] : weeks) {
    v1::FeaturePresenter* entry = request.mutable_chapter()->add_feature_rotation();
    entry->set_date(date);
    entry->set_member(member);
  }
  return request;
}

std::vector<std::string> RotationEntries(const v1::Chapter& chapter) {
  std::vector<std::string> out;
  for (const v1::FeaturePresenter& entry : chapter.feature_rotation()) {
    out.push_back(entry.date() + " " + entry.member());
  }
  return out;
}

bool RefusedFor(const Result<Events>& r, std::string_view reason) {
  return !r.ok() && r.error().reason == reason;
}

TEST_F(SettingsTest, UpdateChapter_SetsTheFeatureRotation_InDateOrder_FromTodayInTheChaptersZone) {
  // Today in Rome counts (it is already 2023-11-14 there); the list comes back sorted.
  auto r = chapter_.DecideUpdateChapter(
      As(president_),
      RotationUpdate({{"2023-11-28", ana_}, {" 2023-11-14 ", president_}, {"2023-11-21", ana_}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(std::vector<std::string>{"feature_rotation"},
            std::vector<std::string>(r->at(0).chapter_updated().changed_fields().begin(),
                                     r->at(0).chapter_updated().changed_fields().end()));
  ApplyAll(r);
  EXPECT_EQ((std::vector<std::string>{"2023-11-14 " + president_, "2023-11-21 " + ana_,
                                      "2023-11-28 " + ana_}),
            RotationEntries(chapter_.Info()));
  // The same list again changes nothing; another setting's update keeps it.
  auto same = chapter_.DecideUpdateChapter(
      Admin(),
      RotationUpdate({{"2023-11-21", ana_}, {"2023-11-28", ana_}, {"2023-11-14", president_}}));
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(same->at(0).chapter_updated().changed_fields_size(), 0);
  v1::UpdateChapterRequest time = Update({"meeting_time"});
  time.mutable_chapter()->set_meeting_time("08:00");
  ApplyAll(chapter_.DecideUpdateChapter(Admin(), time));
  EXPECT_EQ(chapter_.Info().feature_rotation_size(), 3);
  // An empty list in the mask clears it.
  ApplyAll(chapter_.DecideUpdateChapter(Admin(), RotationUpdate({})));
  EXPECT_EQ(chapter_.Info().feature_rotation_size(), 0);
}

TEST_F(SettingsTest, UpdateChapter_KeepsRotationEntriesAlreadySet_OncePastOrTheirMemberLeft) {
  ApplyAll(chapter_.DecideUpdateChapter(
      Admin(), RotationUpdate({{"2023-11-15", ana_}, {"2023-11-22", bruno_}})));
  RemoveMember(bruno_);
  now_ += std::chrono::days(2);  // 2023-11-16: the 15th has passed, Bruno has left
  auto r = chapter_.DecideUpdateChapter(
      Admin(),
      RotationUpdate({{"2023-11-15", ana_}, {"2023-11-22", bruno_}, {"2023-11-29", carla_}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ApplyAll(r);
  EXPECT_EQ(chapter_.Info().feature_rotation_size(), 3);
  // But a changed entry is checked again: the 15th for someone else, or Bruno on a new date.
  EXPECT_TRUE(
      RefusedFor(chapter_.DecideUpdateChapter(Admin(), RotationUpdate({{"2023-11-15", carla_}})),
                 kRotationDatePast));
  auto left = chapter_.DecideUpdateChapter(Admin(), RotationUpdate({{"2023-12-06", bruno_}}));
  EXPECT_TRUE(IsError(left, ErrorCode::kFailedPrecondition,
                      {"chapter.feature_rotation[0].member", "Bruno Bianchi"}));
  EXPECT_TRUE(RefusedFor(left, kMemberLeft));
}

TEST_F(SettingsTest, UpdateChapter_RefusesABadFeatureRotation_NamingTheEntry) {
  auto second = [&](const std::string& date, const std::string& member) {
    v1::UpdateChapterRequest request = RotationUpdate({{"2023-11-21", ana_}});
    v1::FeaturePresenter* entry = request.mutable_chapter()->add_feature_rotation();
    entry->set_date(date);
    entry->set_member(member);
    return chapter_.DecideUpdateChapter(Admin(), request);
  };
  auto past = second("2023-11-13", bruno_);
  EXPECT_TRUE(
      IsError(past, ErrorCode::kInvalidArgument,
              {"chapter.feature_rotation[1].date", "2023-11-13", "2023-11-14 in Europe/Rome"}));
  EXPECT_TRUE(RefusedFor(past, kRotationDatePast));
  EXPECT_EQ(past.error().params, (ErrorParams{{"day", "2023-11-13"}}));
  auto twice = second("2023-11-21", bruno_);
  EXPECT_TRUE(IsError(twice, ErrorCode::kInvalidArgument,
                      {"chapter.feature_rotation[1].date", "chapter.feature_rotation[0]"}));
  EXPECT_TRUE(RefusedFor(twice, kRotationDateTaken));
  EXPECT_TRUE(RefusedFor(second("2023-11-31", bruno_), kDateInvalid));
  EXPECT_TRUE(IsError(second("21/11/2023", bruno_), ErrorCode::kInvalidArgument,
                      {"chapter.feature_rotation[1].date", "\"21/11/2023\""}));
  // 53 weeks ahead is the last day accepted.
  EXPECT_TRUE(second("2024-11-19", bruno_).ok());
  EXPECT_TRUE(RefusedFor(second("2024-11-20", bruno_), kRotationDateTooFar));
  EXPECT_TRUE(IsError(second("2023-11-28", ""), ErrorCode::kInvalidArgument,
                      {"chapter.feature_rotation[1].member"}));
  EXPECT_TRUE(IsError(second("2023-11-28", std::string("chapters/rome") + "/members/nobody"),
                      ErrorCode::kNotFound, {"chapter.feature_rotation[1].member"}));
  EXPECT_TRUE(IsError(second("2023-11-28", "chapters/milan/members/x"), ErrorCode::kInvalidArgument,
                      {"chapter.feature_rotation[1].member"}));
  v1::UpdateChapterRequest many = RotationUpdate({});
  for (int i = 0; i < 61; ++i) {
    v1::FeaturePresenter* entry = many.mutable_chapter()->add_feature_rotation();
    entry->set_date(
        UtcDate(std::chrono::sys_days{std::chrono::year{2023} / 11 / 15} + std::chrono::days(i)));
    entry->set_member(ana_);
  }
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), many), ErrorCode::kInvalidArgument,
                      {"chapter.feature_rotation", "60", "61"}));
  EXPECT_EQ(chapter_.Info().feature_rotation_size(), 0) << "nothing recorded";
  // Members may not set it.
  EXPECT_TRUE(
      IsError(chapter_.DecideUpdateChapter(As(ana_), RotationUpdate({{"2023-11-21", ana_}})),
              ErrorCode::kPermissionDenied, {}));
}

TEST_F(SettingsTest, UpdateChapter_ChangesOnlyTheMaskedFields) {
  v1::UpdateChapterRequest request = Update({"display_amounts", "display_name"});
  request.mutable_chapter()->set_display_amounts(true);
  request.mutable_chapter()->set_display_name("  Rome Centro Lunch ");
  request.mutable_chapter()->set_meeting_time("12:30");  // not in the mask: ignored
  auto r = chapter_.DecideUpdateChapter(As(president_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::Event& e = (*r)[0];
  EXPECT_EQ(e.actor(), president_);
  EXPECT_EQ(e.chapter_updated().chapter().display_name(), "Rome Centro Lunch");
  EXPECT_EQ(std::vector<std::string>(e.chapter_updated().changed_fields().begin(),
                                     e.chapter_updated().changed_fields().end()),
            (std::vector<std::string>{"display_name", "display_amounts"}));
  ApplyAll(r);
  v1::Chapter info = chapter_.Info();
  EXPECT_TRUE(info.display_amounts());
  EXPECT_EQ(info.display_name(), "Rome Centro Lunch");
  EXPECT_EQ(info.meeting_time(), "07:00");
  EXPECT_EQ(info.time_zone(), "Europe/Rome");
  EXPECT_EQ(info.currency(), "EUR");
  EXPECT_EQ(info.name(), kChapter);
  EXPECT_EQ(info.active_member_count(), 4);
  EXPECT_EQ(info.last_seq(), e.seq());
}

TEST_F(SettingsTest, UpdateChapter_ChangesTheSchedule) {
  v1::UpdateChapterRequest request = Update({"meeting_weekday", "meeting_time", "time_zone"});
  request.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_THURSDAY);
  request.mutable_chapter()->set_meeting_time("18:30");
  request.mutable_chapter()->set_time_zone("Europe/London");
  ApplyAll(chapter_.DecideUpdateChapter(Admin(), request));
  v1::Chapter info = chapter_.Info();
  EXPECT_EQ(info.meeting_weekday(), v1::WEEKDAY_THURSDAY);
  EXPECT_EQ(info.meeting_time(), "18:30");
  EXPECT_EQ(info.time_zone(), "Europe/London");
}

TEST_F(SettingsTest, UpdateChapter_WithoutChangeRecordsNoChangedFields) {
  v1::UpdateChapterRequest request = Update({"display_amounts"});
  auto r = chapter_.DecideUpdateChapter(Admin(), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].chapter_updated().changed_fields_size(), 0);
}

TEST_F(SettingsTest, UpdateChapter_RequiresAMaskOfKnownPaths) {
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), Update({})),
                      ErrorCode::kInvalidArgument, {"update_mask", "required", "display_amounts"}));
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), Update({"display_name", "currency"})),
                      ErrorCode::kInvalidArgument, {"update_mask", "\"currency\"", "known"}));
}

TEST_F(SettingsTest, UpdateChapter_ChecksValuesAsCreateDoes) {
  v1::UpdateChapterRequest request = Update({"display_name"});
  request.mutable_chapter()->set_display_name("  ");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.display_name"}));
  request = Update({"meeting_time"});
  request.mutable_chapter()->set_meeting_time("25:00");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.meeting_time", "25:00"}));
  request = Update({"time_zone"});
  request.mutable_chapter()->set_time_zone("not a zone");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.time_zone"}));
  request = Update({"meeting_weekday"});
  request.mutable_chapter()->set_meeting_weekday(static_cast<v1::Weekday>(99));
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.meeting_weekday", "99"}));
}

TEST_F(SettingsTest, UpdateChapter_RejectsAnUnknownTimeZoneOnlyAfterThePermissionCheck) {
  v1::UpdateChapterRequest request = Update({"time_zone"});
  request.mutable_chapter()->set_time_zone(" Europe/Atlantis ");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.time_zone: unknown time zone \"Europe/Atlantis\""}));
  EXPECT_TRUE(
      IsError(chapter_.DecideUpdateChapter(Display(), request), ErrorCode::kPermissionDenied));
  request.mutable_chapter()->set_time_zone("America/New_York");
  EXPECT_TRUE(chapter_.DecideUpdateChapter(Admin(), request).ok());
}

TEST_F(SettingsTest, UpdateChapter_NamesThisChapter) {
  v1::UpdateChapterRequest request = Update({"display_amounts"});
  request.mutable_chapter()->set_name("");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.name", "required"}));
  request.mutable_chapter()->set_name("chapters/rome/members/3");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Admin(), request), ErrorCode::kInvalidArgument,
                      {"chapter.name", "chapters/rome/members/3"}));
}

TEST_F(SettingsTest, UpdateChapter_IsForOrganizersAndTheAdmin) {
  v1::UpdateChapterRequest request = Update({"display_amounts"});
  request.mutable_chapter()->set_display_amounts(true);
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(As(ana_), request), ErrorCode::kPermissionDenied,
                      {"only organizers may update the chapter"}));
  EXPECT_TRUE(IsError(chapter_.DecideUpdateChapter(Display(), request),
                      ErrorCode::kPermissionDenied, {"read-only"}));
  EXPECT_TRUE(chapter_.DecideUpdateChapter(As(president_), request).ok());
  EXPECT_TRUE(chapter_.DecideUpdateChapter(Admin(), request).ok());
}

TEST_F(SettingsTest, Replay_RebuildsTheUpdatedSettings) {
  v1::UpdateChapterRequest request = Update({"display_amounts", "meeting_time"});
  request.mutable_chapter()->set_display_amounts(true);
  request.mutable_chapter()->set_meeting_time("08:15");
  ApplyAll(chapter_.DecideUpdateChapter(Admin(), request));
  Chapter replayed;
  for (const v1::Event& event : log_) {
    replayed.Apply(event);
  }
  EXPECT_TRUE(MessageDifferencer::Equals(replayed.Info(), chapter_.Info()));
  EXPECT_TRUE(replayed.Info().display_amounts());
  EXPECT_EQ(replayed.Info().meeting_time(), "08:15");
}

}  // namespace
}  // namespace reciproca::domain
