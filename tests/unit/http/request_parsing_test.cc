// What the HTTP gateway accepts from a client before anything reaches gRPC: header values,
// route labels, the event stream's query and Last-Event-ID.

#include "server/http/request_parsing.h"

#include "reciproca/v1/chapter_service.pb.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace reciproca::http {
namespace {

TEST(HeaderValues, VisibleAsciiAndSpacesPass) {
  EXPECT_TRUE(CheckHeaderValue("Authorization", "Bearer rcp_admin_0123abcdef").ok());
  EXPECT_TRUE(CheckHeaderValue("Accept-Language", "it-IT, en;q=0.8").ok());
  EXPECT_TRUE(CheckHeaderValue("X-Empty", "").ok());
  EXPECT_TRUE(IsVisibleAscii(" ~!"));
}

TEST(HeaderValues, AuthorizationOutsideVisibleAsciiIsUnauthenticatedNamingTheByte) {
  for (const std::string& bad :
       std::vector<std::string>{"Bearer \xc3\xa9", "Bearer\tabc", "Bearer abc\xc2\xa0",
                                std::string("Bearer a\0b", 10), "Bearer \x7f"}) {
    const auto status = CheckHeaderValue("authorization", bad);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << bad;
    EXPECT_NE(status.error_message().find("0x20-0x7E"), std::string::npos);
    EXPECT_NE(status.error_message().find("Bearer <token>"), std::string::npos);
  }
  const auto status = CheckHeaderValue("Authorization", "Bearer \xc3\xa9");
  EXPECT_NE(status.error_message().find("0xC3 at position 7"), std::string::npos)
      << status.error_message();
}

TEST(HeaderValues, OtherHeadersAreInvalidArgumentWithoutTheirValue) {
  const auto status = CheckHeaderValue("Accept-Language", "fr\tsecret-ish");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("Accept-Language"), std::string::npos);
  EXPECT_NE(status.error_message().find("0x09 at position 2"), std::string::npos);
  EXPECT_EQ(status.error_message().find("secret-ish"), std::string::npos);
}

TEST(Query, PercentDecoding) {
  EXPECT_EQ(PercentDecode("chapters%2Frome"), "chapters/rome");
  EXPECT_EQ(PercentDecode("a+b%20c"), "a b c");
  EXPECT_EQ(PercentDecode("%2f%2F"), "//");
  EXPECT_FALSE(PercentDecode("%"));
  EXPECT_FALSE(PercentDecode("%2"));
  EXPECT_FALSE(PercentDecode("%zz"));
  EXPECT_FALSE(PercentDecode("ab%g1"));
}

TEST(Query, ValuesByKey) {
  EXPECT_EQ(QueryValue("chapter=chapters%2Fx&after_seq=4", "after_seq"), "4");
  EXPECT_EQ(QueryValue("chapter=chapters%2Fx&after_seq=4", "chapter"), "chapters/x");
  EXPECT_EQ(QueryValue("a=1", "b"), "");
  EXPECT_EQ(QueryValue("flag&x=2", "flag"), "");
  EXPECT_EQ(QueryValue("", "a"), "");
  EXPECT_FALSE(QueryValue("a=%zz", "a"));
  // The first occurrence wins.
  EXPECT_EQ(QueryValue("a=1&a=2", "a"), "1");
}

TEST(Query, Sequences) {
  EXPECT_EQ(ParseSeq(""), 0);
  EXPECT_EQ(ParseSeq("0"), 0);
  EXPECT_EQ(ParseSeq("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"-1", "x", "1.5", " 1", "1 ", "+1", "99999999999999999999", "0x10"}) {
    EXPECT_FALSE(ParseSeq(bad)) << bad;
  }
}

TEST(EventsRequest, ChapterAndAfterSeq) {
  v1::SubscribeRequest request;
  ASSERT_TRUE(ParseEventsRequest("chapter=chapters%2Frome&after_seq=12", "", &request).ok());
  EXPECT_EQ(request.chapter(), "chapters/rome");
  EXPECT_EQ(request.after_seq(), 12);
  ASSERT_TRUE(ParseEventsRequest("chapter=chapters/rome", "", &request).ok());
  EXPECT_EQ(request.after_seq(), 0);
}

TEST(EventsRequest, LastEventIdWinsOverTheQuery) {
  v1::SubscribeRequest request;
  ASSERT_TRUE(ParseEventsRequest("chapter=chapters/rome&after_seq=3", "40", &request).ok());
  EXPECT_EQ(request.after_seq(), 40);
  const auto bad = ParseEventsRequest("chapter=chapters/rome&after_seq=3", "4x", &request);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("Last-Event-ID"), std::string::npos);
}

TEST(EventsRequest, MissingOrMalformedPartsSayWhatToSend) {
  v1::SubscribeRequest request;
  for (const char* query : {"", "after_seq=1", "chapter=", "chapter=%zz"}) {
    const auto status = ParseEventsRequest(query, "", &request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << query;
    EXPECT_NE(status.error_message().find("chapter="), std::string::npos) << query;
  }
  for (const char* query : {"chapter=chapters/a&after_seq=-1", "chapter=chapters/a&after_seq=%"}) {
    const auto status = ParseEventsRequest(query, "", &request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << query;
    EXPECT_NE(status.error_message().find("after_seq"), std::string::npos) << query;
  }
}

TEST(Routes, KnownMethodsAndFixedLabelsOnly) {
  // Routes are known from the generated descriptors; this links chapter_service.proto's in.
  ASSERT_NE(v1::WhoAmIRequest::descriptor(), nullptr);
  EXPECT_EQ(RouteOf("/api/reciproca.v1.ChapterService/WhoAmI"),
            "/api/reciproca.v1.ChapterService/WhoAmI");
  EXPECT_EQ(RouteOf("/api/events"), "/api/events");
  EXPECT_EQ(RouteOf("/healthz"), "/healthz");
  EXPECT_EQ(RouteOf("/metrics"), "/metrics");
  EXPECT_EQ(RouteOf("/app/"), "static");
  EXPECT_EQ(RouteOf("/display"), "static");
  std::set<std::string> labels;
  for (int i = 0; i < 500; ++i) {
    labels.insert(RouteOf("/api/reciproca.v1.ChapterService/Invented" + std::to_string(i)));
    labels.insert(RouteOf("/api/x" + std::to_string(i) + "/y"));
    labels.insert(RouteOf("/nowhere/" + std::to_string(i)));
  }
  EXPECT_EQ(labels, (std::set<std::string>{"/api/unknown", "other"}));
  // A stream is not a JSON route.
  EXPECT_EQ(RouteOf("/api/reciproca.v1.EventService/Subscribe"), "/api/unknown");
}

}  // namespace
}  // namespace reciproca::http
