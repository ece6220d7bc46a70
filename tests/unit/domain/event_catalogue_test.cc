#include "server/domain/event_catalogue.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::util::MessageDifferencer;
using testing::IsError;
using testing::kNow;

// Every field of Event's payload oneof, from the descriptor: a payload added to events.proto
// shows up here without anyone listing it.
std::vector<const FieldDescriptor*> PayloadFields() {
  const google::protobuf::OneofDescriptor* payload =
      v1::Event::descriptor()->FindOneofByName("payload");
  std::vector<const FieldDescriptor*> fields;
  for (int i = 0; i < payload->field_count(); ++i) {
    fields.push_back(payload->field(i));
  }
  return fields;
}

TEST(EventCatalogueTest, KnowsEveryPayloadOfEvent) {
  const auto fields = PayloadFields();
  ASSERT_GE(fields.size(), 18u);
  for (const FieldDescriptor* field : fields) {
    v1::Event event;
    event.GetReflection()->MutableMessage(&event, field);
    ASSERT_EQ(event.payload_case(), field->number());
    EXPECT_TRUE(TouchedBy(event).has_value())
        << "payload " << field->name() << " is not in the event catalogue (event_catalogue.cc)";
  }
}

TEST(EventCatalogueTest, AnEventWithoutPayloadIsNotCatalogued) {
  EXPECT_FALSE(TouchedBy(v1::Event()).has_value());
}

TEST(EventCatalogueTest, KindNamesAreTheProjectionsKindColumn) {
  // Stored in the resources table: renaming one changes what SQLite readers see.
  EXPECT_EQ(KindName(ResourceKind::kNone), "");
  EXPECT_EQ(KindName(ResourceKind::kChapter), "chapter");
  EXPECT_EQ(KindName(ResourceKind::kMember), "member");
  EXPECT_EQ(KindName(ResourceKind::kMeeting), "meeting");
  EXPECT_EQ(KindName(ResourceKind::kReferral), "referral");
  EXPECT_EQ(KindName(ResourceKind::kThankYou), "thank_you");
  EXPECT_EQ(KindName(ResourceKind::kOneToOne), "one_to_one");
  EXPECT_EQ(KindName(ResourceKind::kEducation), "education");
  EXPECT_EQ(KindName(ResourceKind::kTestimonial), "testimonial");
}

class CatalogueChapterTest : public testing::RosterChapterTest {
 protected:
  // One decision for every payload of Event, applied in order (ChapterCreated and MemberAdded
  // came with the roster).
  void DecideEveryPayload() {
    v1::UpdateChapterRequest chapter;
    chapter.mutable_chapter()->set_name(kChapter);
    chapter.mutable_chapter()->set_display_name("Rome Centro Lunch");
    chapter.mutable_update_mask()->add_paths("display_name");
    ApplyAll(chapter_.DecideUpdateChapter(Admin(), chapter));

    v1::RotateDisplayTokenRequest rotate;
    rotate.set_name(kChapter);
    ApplyAll(chapter_.DecideRotateDisplayToken(Admin(), rotate));

    v1::UpdateMemberRequest member;
    member.mutable_member()->set_name(ana_);
    member.mutable_member()->set_business("Rossi & Figli");
    member.mutable_update_mask()->add_paths("business");
    ApplyAll(chapter_.DecideUpdateMember(Admin(), member));

    meeting_ = ScheduleMeeting(kNow + 600);
    OpenMeeting(meeting_);
    v1::StartSegmentRequest segment;
    segment.set_name(meeting_);
    segment.set_title("Open networking");
    segment.set_countdown_seconds(60);
    ApplyAll(chapter_.DecideStartSegment(Admin(), segment));
    check_in_ = CheckIn(ana_);
    v1::InviteVisitorRequest invite;
    invite.set_meeting(meeting_);
    invite.mutable_visitor()->set_display_name("Gianni Ospite");
    invite.mutable_visitor()->set_business("Guest Srl");
    ApplyAll(chapter_.DecideInviteVisitor(As(ana_), invite));
    v1::RegisterVisitorRequest visitor;
    visitor.set_meeting(meeting_);
    visitor.mutable_visitor()->set_display_name("Gianni Ospite");
    visitor.mutable_visitor()->set_business("Guest Srl");
    visitor.mutable_visitor()->set_invited_by(ana_);
    Events came = ApplyAll(chapter_.DecideRegisterVisitor(Admin(), visitor));
    v1::MoveVisitorRequest move;
    move.set_name(came.empty() ? "" : came[0].visitor_registered().visitor().name());
    move.set_state(v1::VISITOR_STATE_FOLLOWED_UP);
    ApplyAll(chapter_.DecideMoveVisitor(Admin(), move));

    referral_ = GiveReferral(ana_, bruno_);
    SetReferralStatus(bruno_, referral_, v1::REFERRAL_STATUS_CONTACTED);
    v1::RecordThankYouRequest thank_you;
    thank_you.mutable_thank_you()->set_to_member(ana_);
    thank_you.mutable_thank_you()->set_referral(referral_);
    thank_you.mutable_thank_you()->mutable_amount()->set_amount("120");
    ApplyAll(chapter_.DecideRecordThankYou(As(bruno_), thank_you));
    v1::RecordOneToOneRequest one_to_one;
    one_to_one.mutable_one_to_one()->set_with_member(bruno_);
    ApplyAll(chapter_.DecideRecordOneToOne(As(ana_), one_to_one));
    v1::RecordEducationRequest education;
    education.mutable_education()->set_credits(1);
    ApplyAll(chapter_.DecideRecordEducation(As(ana_), education));
    v1::RecordTestimonialRequest testimonial;
    testimonial.mutable_testimonial()->set_for_member(bruno_);
    testimonial.mutable_testimonial()->set_text("Fixed our boiler on a Sunday.");
    ApplyAll(chapter_.DecideRecordTestimonial(As(ana_), testimonial));

    plugin::v1::Output output;
    output.set_chapter(kChapter);
    output.set_key("reminder:1");
    output.mutable_reminder()->set_member(ana_);
    output.mutable_reminder()->set_text("Thank Bruno for the referral");
    ApplyAll(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", output));

    v1::EnablePluginRequest enable;
    enable.set_name("reciprocity");
    enable.set_chapter(kChapter);
    ApplyAll(chapter_.DecideEnablePlugin(Admin(), enable, {"relationships"}));
    v1::DisablePluginRequest disable;
    disable.set_name("reciprocity");
    disable.set_chapter(kChapter);
    ApplyAll(chapter_.DecideDisablePlugin(Admin(), disable));

    v1::RegisterSubstituteRequest substitute;
    substitute.set_date("2023-11-28");  // two weeks after kNow
    substitute.set_substitute_name("Paola Neri");
    ApplyAll(chapter_.DecideRegisterSubstitute(As(bruno_), substitute));

    CloseMeeting(meeting_);
    v1::SubmitPalmsRequest submit;
    submit.set_name(meeting_);
    ApplyAll(chapter_.DecideSubmitPalms(Admin(), submit));
    v1::CancelMeetingRequest cancel;
    cancel.set_name(ScheduleMeeting(kNow + 7 * 86400));
    ApplyAll(chapter_.DecideCancelMeeting(Admin(), cancel));
    v1::PalmsSummaryImported summary;
    summary.set_member(ana_);
    summary.set_period_start("2023-09-01");
    summary.set_period_end("2023-10-31");
    summary.set_present(8);
    summary.set_source_line(2);
    ApplyAll(chapter_.DecideImportPalmsSummaries(Admin(), std::string(kChapter) + "/imports/abc",
                                                 {summary}));
    RemoveMember(carla_);
  }

  Events CheckIn(const std::string& member) {
    v1::CheckInRequest request;
    request.set_meeting(meeting_);
    return ApplyAll(chapter_.DecideCheckIn(As(member), request));
  }

  std::string meeting_;
  std::string referral_;
  Events check_in_;
};

// Every payload a decision produces names, through the catalogue, a resource the chapter holds
// after applying it; the log covers every payload, so a new one fails here until it is decided
// above and catalogued.
TEST_F(CatalogueChapterTest, EveryDecidedPayloadTouchesAResourceTheChapterHolds) {
  DecideEveryPayload();
  std::set<int> decided;
  for (const v1::Event& event : log_) {
    decided.insert(event.payload_case());
    std::optional<Touch> touch = TouchedBy(event);
    ASSERT_TRUE(touch.has_value()) << event.DebugString();
    if (touch->kind == ResourceKind::kNone) {
      EXPECT_TRUE(event.has_plugin_output()) << event.DebugString();
      continue;
    }
    auto resource = ReadResource(chapter_, touch->kind, touch->name);
    ASSERT_TRUE(resource.ok()) << resource.error().message;
    const google::protobuf::Message& message = **resource;
    const FieldDescriptor* name = message.GetDescriptor()->FindFieldByName("name");
    ASSERT_NE(name, nullptr) << message.GetDescriptor()->full_name();
    EXPECT_EQ(message.GetReflection()->GetString(message, name), touch->name);
  }
  for (const FieldDescriptor* field : PayloadFields()) {
    EXPECT_TRUE(decided.count(field->number()))
        << "no decision in DecideEveryPayload produces " << field->name();
  }
}

TEST_F(CatalogueChapterTest, TouchNamesTheResourceAndTheRecordAdded) {
  meeting_ = ScheduleMeeting(kNow + 600);
  OpenMeeting(meeting_);
  Events events = CheckIn(ana_);
  std::optional<Touch> touch = TouchedBy(events[0]);
  ASSERT_TRUE(touch.has_value());
  EXPECT_EQ(touch->kind, ResourceKind::kMeeting);
  EXPECT_EQ(touch->name, meeting_);
  ASSERT_NE(touch->record, nullptr);
  EXPECT_EQ(touch->record, &events[0].attendance_recorded().attendance());

  std::string referral = GiveReferral(ana_, bruno_);
  touch = TouchedBy(log_.back());
  ASSERT_TRUE(touch.has_value());
  EXPECT_EQ(touch->kind, ResourceKind::kReferral);
  EXPECT_EQ(touch->name, referral);
  EXPECT_EQ(touch->record, nullptr);
}

TEST_F(CatalogueChapterTest, ReadResourceReadsTheChapterAndRejectsWhatItDoesNotHold) {
  auto chapter = ReadResource(chapter_, ResourceKind::kChapter, kChapter);
  ASSERT_TRUE(chapter.ok()) << chapter.error().message;
  EXPECT_TRUE(MessageDifferencer::Equals(**chapter, chapter_.Info()));
  EXPECT_TRUE(IsError(ReadResource(chapter_, ResourceKind::kChapter, "chapters/milan"),
                      ErrorCode::kNotFound, {"chapters/milan"}));
  EXPECT_TRUE(IsError(ReadResource(chapter_, ResourceKind::kReferral, "chapters/rome/referrals/99"),
                      ErrorCode::kNotFound, {"chapters/rome/referrals/99"}));
  EXPECT_TRUE(IsError(ReadResource(chapter_, ResourceKind::kNone, ""), ErrorCode::kInternal));
}

TEST_F(CatalogueChapterTest, AnswerOfIsTheRecordAddedOrTheResourceAsItIsNow) {
  meeting_ = ScheduleMeeting(kNow + 600);
  OpenMeeting(meeting_);
  Events events = CheckIn(ana_);

  v1::Attendance attendance;
  ASSERT_TRUE(AnswerOf(chapter_, events, &attendance).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(attendance, events[0].attendance_recorded().attendance()));
  v1::Meeting meeting;
  ASSERT_TRUE(AnswerOf(chapter_, events, &meeting).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(meeting, *chapter_.GetMeeting(meeting_)));
  EXPECT_EQ(meeting.attendance_size(), 1);

  // A ThankYou that wins its referral decides two events; the answer is the first one's.
  std::string referral = GiveReferral(ana_, bruno_);
  v1::RecordThankYouRequest request;
  request.mutable_thank_you()->set_to_member(ana_);
  request.mutable_thank_you()->set_referral(referral);
  request.mutable_thank_you()->mutable_amount()->set_amount("50");
  Events thanked = ApplyAll(chapter_.DecideRecordThankYou(As(bruno_), request));
  ASSERT_EQ(thanked.size(), 2u);
  v1::ThankYou thank_you;
  ASSERT_TRUE(AnswerOf(chapter_, thanked, &thank_you).ok());
  EXPECT_EQ(thank_you.name(), thanked[0].thank_you_recorded().thank_you().name());
}

TEST_F(CatalogueChapterTest, AnswerOfRejectsTheWrongTypeAndEventsWithoutResource) {
  std::string referral = GiveReferral(ana_, bruno_);
  Events given = {log_.back()};
  v1::Member member;
  EXPECT_TRUE(IsError(AnswerOf(chapter_, given, &member), ErrorCode::kInternal,
                      {"referral_given", "reciproca.v1.Referral", "reciproca.v1.Member"}));
  EXPECT_TRUE(IsError(AnswerOf(chapter_, Events{}, &member), ErrorCode::kInternal));
  v1::Event plugin_output;
  plugin_output.mutable_plugin_output()->set_plugin("reciprocity");
  EXPECT_TRUE(IsError(AnswerOf(chapter_, Events{plugin_output}, &member), ErrorCode::kInternal,
                      {"plugin_output"}));
}

}  // namespace
}  // namespace reciproca::domain
