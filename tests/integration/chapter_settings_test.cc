// UpdateChapter, Chapter.display_amounts and Chapter.language through the real server: who may, the
// field mask, validation, idempotency, the ChapterUpdated event and replay after a restart.

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class ChapterSettingsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    CreateChapter("milan");
    president_ = AddMember("rome", "Paola Presidente", "Lawyer", v1::ROLE_PRESIDENT);
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    milan_president_ = AddMember("milan", "Mila Verdi", "Lawyer", v1::ROLE_PRESIDENT);
  }

  static v1::UpdateChapterRequest Request(std::initializer_list<const char*> paths,
                                          std::string request_id = client::Client::NewRequestId()) {
    v1::UpdateChapterRequest request;
    request.mutable_chapter()->set_name("chapters/rome");
    for (const char* path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    request.set_request_id(std::move(request_id));
    return request;
  }

  grpc::Status Update(const client::Client& as, const v1::UpdateChapterRequest& request,
                      v1::Chapter* out = nullptr) {
    v1::Chapter chapter;
    auto status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.chapters().UpdateChapter(c, request, &chapter);
    });
    if (out != nullptr) {
      *out = chapter;
    }
    return status;
  }

  NewMember president_, ana_, milan_president_;
};

TEST_F(ChapterSettingsTest, CreateChapter_KeepsDisplayAmounts) {
  v1::CreateChapterRequest request;
  request.set_chapter_id("turin");
  request.mutable_chapter()->set_display_name("Turin");
  request.mutable_chapter()->set_display_amounts(true);
  request.set_request_id("create-turin");
  v1::CreateChapterResponse response;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().chapters().CreateChapter(c, request, &response);
              }).ok());
  EXPECT_TRUE(response.chapter().display_amounts());
  EXPECT_TRUE(GetChapter("chapters/turin").display_amounts());
  EXPECT_FALSE(GetChapter("chapters/rome").display_amounts());
}

TEST_F(ChapterSettingsTest, OrganizerUpdatesMaskedFieldsOnly) {
  v1::UpdateChapterRequest request = Request({"display_amounts", "meeting_time"});
  request.mutable_chapter()->set_display_amounts(true);
  request.mutable_chapter()->set_meeting_time("08:15");
  request.mutable_chapter()->set_display_name("ignored: not in the mask");
  v1::Chapter updated;
  auto status = Update(As(president_.token), request, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(updated.display_amounts());
  EXPECT_EQ("08:15", updated.meeting_time());
  EXPECT_EQ("Chapter rome", updated.display_name());
  EXPECT_EQ(2, updated.active_member_count());

  v1::Chapter read = GetChapter("chapters/rome");
  EXPECT_EQ(updated.SerializeAsString(), read.SerializeAsString());
  // ListChapters sees the new settings too.
  v1::ListChaptersResponse list;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().chapters().ListChapters(c, v1::ListChaptersRequest(), &list);
              }).ok());
  ASSERT_GE(list.chapters_size(), 1);
  EXPECT_TRUE(list.chapters(0).display_amounts());

  auto events = ReadEvents(admin(), "chapters/rome", read.last_seq() - 1, 1);
  ASSERT_EQ(1u, events.size());
  ASSERT_TRUE(events[0].has_chapter_updated());
  EXPECT_EQ(president_.member.name(), events[0].actor());
  ASSERT_EQ(2, events[0].chapter_updated().changed_fields_size());
  EXPECT_EQ("display_amounts", events[0].chapter_updated().changed_fields(0));
  EXPECT_EQ("meeting_time", events[0].chapter_updated().changed_fields(1));
}

TEST_F(ChapterSettingsTest, AdminMayUpdateAndItSurvivesARestart) {
  v1::UpdateChapterRequest request = Request({"display_name", "time_zone", "meeting_weekday"});
  request.mutable_chapter()->set_display_name("Rome Lunch");
  request.mutable_chapter()->set_time_zone("Europe/London");
  request.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_FRIDAY);
  ASSERT_TRUE(Update(admin(), request).ok());
  RestartServer();
  v1::Chapter chapter = GetChapter("chapters/rome");
  EXPECT_EQ("Rome Lunch", chapter.display_name());
  EXPECT_EQ("Europe/London", chapter.time_zone());
  EXPECT_EQ(v1::WEEKDAY_FRIDAY, chapter.meeting_weekday());
}

TEST_F(ChapterSettingsTest, RetryWithTheSameRequestIdRecordsOnce) {
  v1::UpdateChapterRequest request = Request({"display_amounts"}, "show-amounts");
  request.mutable_chapter()->set_display_amounts(true);
  v1::Chapter first, second;
  ASSERT_TRUE(Update(As(president_.token), request, &first).ok());
  ASSERT_TRUE(Update(As(president_.token), request, &second).ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(first.last_seq(), GetChapter("chapters/rome").last_seq());

  request.mutable_chapter()->set_display_amounts(false);
  auto status = Update(As(president_.token), request);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("request_id"));
}

TEST_F(ChapterSettingsTest, OnlyOrganizersOfTheChapterAndTheAdmin) {
  v1::UpdateChapterRequest request = Request({"display_amounts"});
  request.mutable_chapter()->set_display_amounts(true);
  auto status = Update(As(ana_.token), request);
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("only organizers may update"))
      << status.error_message();
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            Update(As(milan_president_.token), request).error_code());
  EXPECT_EQ(StatusCode::UNAUTHENTICATED, Update(As(""), request).error_code());
  EXPECT_FALSE(GetChapter("chapters/rome").display_amounts());
}

TEST_F(ChapterSettingsTest, Language_DefaultsToEnglish_IsSetByOrganizers_AndSurvivesARestart) {
  EXPECT_EQ("en", GetChapter("chapters/rome").language());
  v1::UpdateChapterRequest request = Request({"language"});
  request.mutable_chapter()->set_language("it");
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            Update(As(ana_.token), request).error_code());  // an ordinary member may not
  v1::Chapter updated;
  ASSERT_TRUE(Update(As(president_.token), request, &updated).ok());
  EXPECT_EQ("it", updated.language());

  request = Request({"language"});
  request.mutable_chapter()->set_language("it_IT");
  grpc::Status status = Update(As(president_.token), request);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_EQ(
      "chapter.language: \"it_IT\" is not a well-formed BCP 47 language tag; use a BCP 47 "
      "language tag such as \"it\", \"es\" or \"pt-BR\"",
      status.error_message());

  RestartServer();
  EXPECT_EQ("it", GetChapter("chapters/rome").language());
  EXPECT_EQ("en", GetChapter("chapters/milan").language());
}

TEST_F(ChapterSettingsTest, MaskAndValuesAreChecked) {
  auto status = Update(admin(), Request({}));
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("update_mask: is required"));

  status = Update(admin(), Request({"display_amounts", "currency"}));
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("unknown path \"currency\""))
      << status.error_message();

  v1::UpdateChapterRequest request = Request({"meeting_time"});
  request.mutable_chapter()->set_meeting_time("7am");
  status = Update(admin(), request);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("chapter.meeting_time"));

  request = Request({"time_zone"});
  request.mutable_chapter()->set_time_zone("Europe/Atlantis");
  status = Update(admin(), request);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("unknown time zone \"Europe/Atlantis\""))
      << status.error_message();

  request = Request({"display_name"});
  request.mutable_chapter()->set_name("chapters/nowhere");
  request.mutable_chapter()->set_display_name("Nowhere");
  EXPECT_EQ(StatusCode::NOT_FOUND, Update(admin(), request).error_code());

  request.mutable_chapter()->set_name("");
  status = Update(admin(), request);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("chapter.name"));
  EXPECT_EQ("Chapter rome", GetChapter("chapters/rome").display_name());
}

TEST_F(ChapterSettingsTest, UnknownTimeZoneIsReportedOnlyToThoseAllowedToUpdate) {
  v1::UpdateChapterRequest request = Request({"time_zone"});
  request.mutable_chapter()->set_time_zone("Europe/Atlantis");
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, Update(As(ana_.token), request).error_code());
}

}  // namespace
}  // namespace reciproca::testing
