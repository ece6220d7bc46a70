// The feature-presentation rotation through the real server (issue 12 item 2): the VP plans
// who presents on which Tuesday, the room display reads it with GetChapter, a restart keeps it,
// and a refused list answers with its code, the entry's field and the reason.

#include "integration/error_reason.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class FeatureRotationTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();  // now: Tuesday 2026-12-01, 07:30 in Rome
    display_token_ = CreateChapter("rome");
    vp_ = AddMember("rome", "Vera Vice", "Accountant", v1::ROLE_VICE_PRESIDENT);
    sara_ = AddMember("rome", "Sara De Santis", "Florist");
  }

  grpc::Status SetRotation(const NewMember& as_who,
                           std::vector<std::pair<std::string, std::string>> weeks,
                           v1::Chapter* out) {
    v1::UpdateChapterRequest request;
    request.mutable_chapter()->set_name("chapters/rome");
    request.mutable_update_mask()->add_paths("feature_rotation");
    for (const auto& [date, member] : weeks) {
      v1::FeaturePresenter* week = request.mutable_chapter()->add_feature_rotation();
      week->set_date(date);
      week->set_member(member);
    }
    request.set_request_id(client::Client::NewRequestId());
    auto client = As(as_who.token);
    return Invoke(client, [&](grpc::ClientContext* c) {
      return client.chapters().UpdateChapter(c, request, out);
    });
  }

  std::vector<std::string> RotationOnTheDisplay() {
    v1::GetChapterRequest request;
    request.set_name("chapters/rome");
    v1::Chapter chapter;
    auto display = As(display_token_);
    EXPECT_TRUE(Invoke(display, [&](grpc::ClientContext* c) {
                  return display.chapters().GetChapter(c, request, &chapter);
                }).ok());
    std::vector<std::string> out;
    for (const v1::FeaturePresenter& week : chapter.feature_rotation()) {
      out.push_back(week.date() + " " + week.member());
    }
    return out;
  }

  std::string display_token_;
  NewMember vp_;
  NewMember sara_;
};

TEST_F(FeatureRotationTest, TheVpPlansTheWeeks_TheDisplayReadsThem_ARestartKeepsThem) {
  const std::string sara = sara_.member.name();
  const std::string vera = vp_.member.name();
  v1::Chapter updated;
  grpc::Status status = SetRotation(vp_, {{"2026-12-15", vera}, {"2026-12-08", sara}}, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(updated.feature_rotation_size(), 2);
  EXPECT_EQ(updated.feature_rotation(0).date(), "2026-12-08");
  const std::vector<std::string> expected{"2026-12-08 " + sara, "2026-12-15 " + vera};
  EXPECT_EQ(expected, RotationOnTheDisplay());
  RestartServer();
  EXPECT_EQ(expected, RotationOnTheDisplay());
}

TEST_F(FeatureRotationTest, RefusalsNameTheEntryAndTheReason_AndRecordNothing) {
  const std::string sara = sara_.member.name();
  v1::Chapter out;
  grpc::Status past = SetRotation(vp_, {{"2026-12-08", sara}, {"2026-11-24", sara}}, &out);
  EXPECT_EQ(past.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(past), "ROTATION_DATE_PAST");
  EXPECT_NE(past.error_message().find("chapter.feature_rotation[1].date"), std::string::npos)
      << past.error_message();
  grpc::Status twice = SetRotation(vp_, {{"2026-12-08", sara}, {"2026-12-08", sara}}, &out);
  EXPECT_EQ(twice.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(twice), "ROTATION_DATE_TAKEN");
  grpc::Status unknown = SetRotation(vp_, {{"2026-12-08", "chapters/rome/members/nobody"}}, &out);
  EXPECT_EQ(unknown.error_code(), StatusCode::NOT_FOUND);
  grpc::Status member = SetRotation(sara_, {{"2026-12-08", sara}}, &out);
  EXPECT_EQ(member.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(RotationOnTheDisplay().empty());
}

}  // namespace
}  // namespace reciproca::testing
