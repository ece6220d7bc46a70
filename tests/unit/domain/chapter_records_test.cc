#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;
using testing::kNow;

class RecordsTest : public testing::RosterChapterTest {
 protected:
  v1::RecordOneToOneRequest OneToOne(const std::string& with, const std::string& date = "") {
    v1::RecordOneToOneRequest request;
    request.mutable_one_to_one()->set_with_member(with);
    request.mutable_one_to_one()->set_date(date);
    return request;
  }
  v1::RecordEducationRequest Education(int credits) {
    v1::RecordEducationRequest request;
    request.mutable_education()->set_credits(credits);
    return request;
  }
  v1::RecordTestimonialRequest Testimonial(const std::string& for_member, const std::string& text) {
    v1::RecordTestimonialRequest request;
    request.mutable_testimonial()->set_for_member(for_member);
    request.mutable_testimonial()->set_text(text);
    return request;
  }
};

TEST_F(RecordsTest, RecordOneToOne_DefaultsDateToTodayUtc) {
  auto r = chapter_.DecideRecordOneToOne(As(ana_), OneToOne(bruno_));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::OneToOne& o = (*r)[0].one_to_one_recorded().one_to_one();
  EXPECT_EQ(o.name(), "chapters/rome/one-to-ones/" + std::to_string((*r)[0].seq()));
  EXPECT_EQ(o.member(), ana_);
  EXPECT_EQ(o.with_member(), bruno_);
  EXPECT_EQ(o.date(), "2023-11-14");
  EXPECT_EQ(o.create_time().seconds(), kNow);
  ApplyAll(r);
  EXPECT_TRUE(chapter_.GetOneToOne(o.name()).ok());
}

TEST_F(RecordsTest, RecordOneToOne_KeepsGivenDate) {
  auto r = chapter_.DecideRecordOneToOne(As(ana_), OneToOne(bruno_, "2024-02-29"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].one_to_one_recorded().one_to_one().date(), "2024-02-29");
}

TEST_F(RecordsTest, RecordOneToOne_RejectsInvalidDate) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "14/11/2023", "yesterday"}) {
    EXPECT_TRUE(IsError(chapter_.DecideRecordOneToOne(As(ana_), OneToOne(bruno_, bad)),
                        ErrorCode::kInvalidArgument, {"one_to_one.date"}))
        << bad;
  }
}

TEST_F(RecordsTest, RecordOneToOne_RejectsOneself) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordOneToOne(As(ana_), OneToOne(ana_)),
                      ErrorCode::kInvalidArgument, {"one_to_one.with_member"}));
}

TEST_F(RecordsTest, RecordOneToOne_RejectsMissingUnknownAndLeftMember) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordOneToOne(As(ana_), OneToOne("")),
                      ErrorCode::kInvalidArgument, {"one_to_one.with_member"}));
  EXPECT_TRUE(IsError(chapter_.DecideRecordOneToOne(As(ana_), OneToOne("chapters/rome/members/99")),
                      ErrorCode::kNotFound, {"one_to_one.with_member"}));
  RemoveMember(carla_);
  EXPECT_TRUE(IsError(chapter_.DecideRecordOneToOne(As(ana_), OneToOne(carla_)),
                      ErrorCode::kFailedPrecondition, {"one_to_one.with_member"}));
}

TEST_F(RecordsTest, RecordOneToOne_RejectsTooLongNote) {
  auto request = OneToOne(bruno_);
  request.mutable_one_to_one()->set_note(std::string(1001, 'n'));
  EXPECT_TRUE(IsError(chapter_.DecideRecordOneToOne(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"one_to_one.note"}));
}

TEST_F(RecordsTest, RecordEducation_RecordsCredits) {
  auto r = chapter_.DecideRecordEducation(As(ana_), Education(2));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::Education& e = (*r)[0].education_recorded().education();
  EXPECT_EQ(e.name(), "chapters/rome/education/" + std::to_string((*r)[0].seq()));
  EXPECT_EQ(e.member(), ana_);
  EXPECT_EQ(e.credits(), 2);
  ApplyAll(r);
  EXPECT_TRUE(chapter_.GetEducation(e.name()).ok());
}

TEST_F(RecordsTest, RecordEducation_RejectsCreditsOutOfRange) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordEducation(As(ana_), Education(0)),
                      ErrorCode::kInvalidArgument, {"education.credits", "got 0"}));
  EXPECT_TRUE(IsError(chapter_.DecideRecordEducation(As(ana_), Education(101)),
                      ErrorCode::kInvalidArgument, {"education.credits", "got 101"}));
  EXPECT_TRUE(chapter_.DecideRecordEducation(As(ana_), Education(100)).ok());
}

TEST_F(RecordsTest, RecordEducation_RejectsTooLongNote) {
  auto request = Education(1);
  request.mutable_education()->set_note(std::string(1001, 'n'));
  EXPECT_TRUE(IsError(chapter_.DecideRecordEducation(As(ana_), request),
                      ErrorCode::kInvalidArgument, {"education.note"}));
}

TEST_F(RecordsTest, RecordEducation_OrganizerOnBehalfOf) {
  auto request = Education(1);
  request.set_on_behalf_of(ana_);
  auto r = chapter_.DecideRecordEducation(As(president_), request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].education_recorded().education().member(), ana_);
  EXPECT_EQ((*r)[0].on_behalf_of(), ana_);
}

TEST_F(RecordsTest, RecordTestimonial_RecordsTrimmedText) {
  auto r = chapter_.DecideRecordTestimonial(As(ana_), Testimonial(bruno_, "  Fixed it fast.  "));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::Testimonial& t = (*r)[0].testimonial_recorded().testimonial();
  EXPECT_EQ(t.name(), "chapters/rome/testimonials/" + std::to_string((*r)[0].seq()));
  EXPECT_EQ(t.from_member(), ana_);
  EXPECT_EQ(t.for_member(), bruno_);
  EXPECT_EQ(t.text(), "Fixed it fast.");
  ApplyAll(r);
  EXPECT_TRUE(chapter_.GetTestimonial(t.name()).ok());
}

TEST_F(RecordsTest, RecordTestimonial_RejectsEmptyOrTooLongText) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordTestimonial(As(ana_), Testimonial(bruno_, " ")),
                      ErrorCode::kInvalidArgument, {"testimonial.text"}));
  EXPECT_TRUE(IsError(
      chapter_.DecideRecordTestimonial(As(ana_), Testimonial(bruno_, std::string(2001, 't'))),
      ErrorCode::kInvalidArgument, {"testimonial.text"}));
}

TEST_F(RecordsTest, RecordTestimonial_RejectsOneselfAndLeftMember) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordTestimonial(As(ana_), Testimonial(ana_, "Me!")),
                      ErrorCode::kInvalidArgument, {"testimonial.for_member"}));
  RemoveMember(carla_);
  EXPECT_TRUE(IsError(chapter_.DecideRecordTestimonial(As(ana_), Testimonial(carla_, "Great")),
                      ErrorCode::kFailedPrecondition, {"testimonial.for_member"}));
  EXPECT_TRUE(IsError(chapter_.DecideRecordTestimonial(As(ana_), Testimonial("carla", "Great")),
                      ErrorCode::kInvalidArgument, {"testimonial.for_member"}));
}

}  // namespace
}  // namespace reciproca::domain
