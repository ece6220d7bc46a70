#pragma once

// The real engine over an InMemoryEventStore, a ManualClock and a hub of its own, with the
// commands the tests use built as the api layer builds them (decide, respond, tokens).
//
// Calls are asynchronous: Start* returns a Call the engine answers on its own threads; Wait()
// waits for the answer, bounded by kAnswerTimeout, so that a lost answer fails the test instead
// of hanging it. Calls are kept alive by the fixture until the engine has stopped.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "server/domain/principal.h"
#include "server/engine/clock.h"
#include "server/engine/engine.h"
#include "server/engine/tokens.h"
#include "server/stream/event_feed.h"
#include "unit/engine/in_memory_event_store.h"

namespace reciproca::testing {

constexpr std::chrono::seconds kAnswerTimeout{5};

// One caller's answer, given once from any thread.
class Answer {
 public:
  void Give(const Status& status) {
    std::lock_guard lock(mu_);
    EXPECT_FALSE(status_.has_value()) << "answered twice";
    status_ = status;
    given_.notify_all();
  }
  bool given() const {
    std::lock_guard lock(mu_);
    return status_.has_value();
  }
  // The answer; an INTERNAL "no answer" error (and a test failure) after `timeout`.
  Status Wait(std::chrono::milliseconds timeout = kAnswerTimeout) const {
    std::unique_lock lock(mu_);
    if (!given_.wait_for(lock, timeout, [this] { return status_.has_value(); })) {
      ADD_FAILURE() << "no answer within " << timeout.count() << " ms";
      return Internal("no answer");
    }
    return *status_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable given_;
  std::optional<Status> status_;
};

// A request, the response the engine fills in, and the answer.
template <class Request, class Response>
struct Call {
  Request request;
  Response response;
  std::shared_ptr<Answer> answer = std::make_shared<Answer>();

  engine::Done Done() {
    return [answer = answer](const Status& status) { answer->Give(status); };
  }
  Status Wait() const { return answer->Wait(); }
};

using CreateChapterCall = Call<v1::CreateChapterRequest, v1::CreateChapterResponse>;
using CreateMemberCall = Call<v1::CreateMemberRequest, v1::CreateMemberResponse>;
using RemoveMemberCall = Call<v1::RemoveMemberRequest, v1::Member>;
using GiveReferralCall = Call<v1::GiveReferralRequest, v1::Referral>;

inline domain::Principal AdminPrincipal() {
  return domain::Principal{domain::Principal::Kind::kAdmin, "", ""};
}
inline domain::Principal MemberPrincipal(const std::string& chapter, const std::string& member) {
  return domain::Principal{domain::Principal::Kind::kMember, chapter, member};
}

// 2023-11-14T22:13:20Z.
inline const std::chrono::system_clock::time_point kStart{std::chrono::seconds(1'700'000'000)};

class EngineTest : public ::testing::Test {
 protected:
  static constexpr const char* kChapter = "chapters/rome";

  EngineTest() {
    spdlog::set_level(spdlog::level::warn);  // quiet, as reciprocad is by default
    StartEngine();
    Status recovered = engine_->Recover();
    EXPECT_TRUE(recovered.ok()) << recovered.error().message;
  }
  ~EngineTest() override { StopEngine(); }

  // A fresh engine (and token registry and hub) over the same store, recovered from it.
  void RestartEngine() {
    StopEngine();
    StartEngine();
    Status recovered = engine_->Recover();
    ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  }

  void StopEngine() {
    if (engine_) {
      engine_->Stop();
      engine_.reset();
    }
  }

  // --- Commands, started.

  std::shared_ptr<CreateChapterCall> StartCreateChapter(const std::string& id,
                                                        const std::string& request_id) {
    auto call = Keep(std::make_shared<CreateChapterCall>());
    call->request.set_chapter_id(id);
    call->request.set_request_id(request_id);
    v1::Chapter* chapter = call->request.mutable_chapter();
    chapter->set_display_name("Rome Centro Breakfast");
    chapter->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
    chapter->set_meeting_time("07:00");
    chapter->set_time_zone("Europe/Rome");
    engine_->CreateChapter(AdminPrincipal(), &call->request, &call->response, call->Done());
    return call;
  }

  // As the api layer's CreateMember: the member's token is minted and stored with the commit,
  // and kept out of the stored response.
  engine::Mutation CreateMemberMutation(CreateMemberCall& call, const std::string& display_name,
                                        const std::string& request_id) {
    call.request.set_parent(kChapter);
    call.request.set_request_id(request_id);
    v1::Member* member = call.request.mutable_member();
    member->set_display_name(display_name);
    member->set_business(display_name + " Ltd");
    member->set_category(display_name + " trade");
    engine::Mutation mutation = Mutation(AdminPrincipal(), "CreateMember", call, request_id);
    const v1::CreateMemberRequest* request = &call.request;
    v1::CreateMemberResponse* response = &call.response;
    const engine::TokenMinter* minter = &engine_->minter();
    mutation.decide = [request](const domain::Chapter& c, const domain::Context& x) {
      return c.DecideCreateMember(x, *request);
    };
    mutation.respond = [response, minter](const domain::Chapter& c, const domain::Events& events,
                                          store::Commit& commit) -> Status {
      auto member = c.GetMember(events.front().member_added().member().name());
      if (!member.ok()) {
        return member.error();
      }
      *response->mutable_member() = *member;
      response->set_access_token(minter->ForMember(member->name()));
      commit.new_tokens.push_back(
          engine::TokenRegistry::MemberRecord(response->access_token(), c.name(), member->name()));
      return {};
    };
    mutation.redact = [](google::protobuf::Message* m) {
      static_cast<v1::CreateMemberResponse*>(m)->clear_access_token();
    };
    mutation.rehydrate = [minter](google::protobuf::Message* m) {
      auto* r = static_cast<v1::CreateMemberResponse*>(m);
      r->set_access_token(minter->ForMember(r->member().name()));
    };
    return mutation;
  }

  std::shared_ptr<CreateMemberCall> StartCreateMember(const std::string& display_name,
                                                      const std::string& request_id) {
    auto call = Keep(std::make_shared<CreateMemberCall>());
    engine_->Mutate(CreateMemberMutation(*call, display_name, request_id), call->Done());
    return call;
  }

  std::shared_ptr<RemoveMemberCall> StartRemoveMember(const std::string& member,
                                                      const std::string& request_id) {
    auto call = Keep(std::make_shared<RemoveMemberCall>());
    call->request.set_name(member);
    call->request.set_request_id(request_id);
    engine::Mutation mutation = Mutation(AdminPrincipal(), "RemoveMember", *call, request_id);
    const v1::RemoveMemberRequest* request = &call->request;
    v1::Member* response = &call->response;
    mutation.decide = [request](const domain::Chapter& c, const domain::Context& x) {
      return c.DecideRemoveMember(x, *request);
    };
    mutation.respond = [request, response](const domain::Chapter& c, const domain::Events&,
                                           store::Commit& commit) -> Status {
      commit.revoke_member_tokens.push_back(request->name());
      auto member = c.GetMember(request->name());
      if (!member.ok()) {
        return member.error();
      }
      *response = *member;
      return {};
    };
    engine_->Mutate(std::move(mutation), call->Done());
    return call;
  }

  engine::Mutation GiveReferralMutation(GiveReferralCall& call, const std::string& giver,
                                        const std::string& receiver, const std::string& request_id,
                                        int temperature = 3) {
    call.request.set_parent(kChapter);
    call.request.set_request_id(request_id);
    call.request.mutable_referral()->set_receiver(receiver);
    call.request.mutable_referral()->set_temperature(temperature);
    engine::Mutation mutation =
        Mutation(MemberPrincipal(kChapter, giver), "GiveReferral", call, request_id);
    const v1::GiveReferralRequest* request = &call.request;
    v1::Referral* response = &call.response;
    mutation.decide = [request](const domain::Chapter& c, const domain::Context& x) {
      return c.DecideGiveReferral(x, *request);
    };
    mutation.respond = [response](const domain::Chapter& c, const domain::Events& events,
                                  store::Commit&) -> Status {
      auto referral = c.GetReferral(events.front().referral_given().referral().name());
      if (!referral.ok()) {
        return referral.error();
      }
      *response = *referral;
      return {};
    };
    return mutation;
  }

  std::shared_ptr<GiveReferralCall> StartGiveReferral(const std::string& giver,
                                                      const std::string& receiver,
                                                      const std::string& request_id,
                                                      int temperature = 3) {
    auto call = Keep(std::make_shared<GiveReferralCall>());
    engine_->Mutate(GiveReferralMutation(*call, giver, receiver, request_id, temperature),
                    call->Done());
    return call;
  }

  // --- Commands, answered. Each fails the test unless it succeeds.

  // Returns once the chapter also takes commands (see WaitUntilListed).
  v1::CreateChapterResponse CreateChapter(const std::string& id = "rome") {
    auto call = StartCreateChapter(id, "create-" + id);
    Status status = call->Wait();
    EXPECT_TRUE(status.ok()) << status.error().message;
    EXPECT_TRUE(WaitUntilListed("chapters/" + id));
    return call->response;
  }

  // The engine answers a chapter's creation once it is durable, and makes the chapter visible
  // to commands right after handing it to the committer, on another thread: the answer may come
  // first (see CreateChapter_IsVisibleWhenItsCreationIsAnswered). False after kAnswerTimeout.
  bool WaitUntilListed(const std::string& chapter) {
    const auto deadline = std::chrono::steady_clock::now() + kAnswerTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const v1::Chapter& listed : engine_->ListChapters(AdminPrincipal())) {
        if (listed.name() == chapter) {
          return true;
        }
      }
      std::this_thread::yield();
    }
    return false;
  }

  v1::CreateMemberResponse CreateMember(const std::string& display_name) {
    auto call = StartCreateMember(display_name, "member-" + display_name);
    Status status = call->Wait();
    EXPECT_TRUE(status.ok()) << status.error().message;
    return call->response;
  }

  v1::Referral GiveReferral(const std::string& giver, const std::string& receiver,
                            const std::string& request_id) {
    auto call = StartGiveReferral(giver, receiver, request_id);
    Status status = call->Wait();
    EXPECT_TRUE(status.ok()) << status.error().message;
    return call->response;
  }

  // Runs `read` on the chapter's strand, behind every command started before it, and waits.
  Status Read(const std::string& chapter, std::function<Status(const domain::Chapter&)> read) {
    auto answer = std::make_shared<Answer>();
    engine_->Read(AdminPrincipal(), chapter, std::move(read),
                  [answer](const Status& status) { answer->Give(status); });
    return answer->Wait();
  }
  // Returns once every command started on the chapter so far has been decided and handed to
  // the committer (they are ahead of this read on the chapter's strand).
  void DrainStrand(const std::string& chapter = kChapter) {
    Status status = Read(chapter, [](const domain::Chapter&) { return Status{}; });
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  // A chapter with two members, Ana and Bruno.
  void CreateRomeWithTwoMembers() {
    CreateChapter();
    ana_ = CreateMember("Ana").member().name();
    bruno_ = CreateMember("Bruno").member().name();
  }

  InMemoryEventStore store_;
  engine::ManualClock clock_{kStart};
  std::unique_ptr<engine::TokenRegistry> tokens_;
  std::unique_ptr<stream::EventHub> hub_;
  // Declared before engine_: destroyed after it, so no answer outlives its call.
  std::vector<std::shared_ptr<void>> calls_;
  std::unique_ptr<engine::Engine> engine_;
  std::string ana_;
  std::string bruno_;

 private:
  void StartEngine() {
    tokens_ = std::make_unique<engine::TokenRegistry>();
    hub_ = std::make_unique<stream::EventHub>();
    engine_ = std::make_unique<engine::Engine>(store_, clock_, *tokens_,
                                               engine::TokenMinter("test-secret"), *hub_);
  }

  template <class C>
  std::shared_ptr<C> Keep(std::shared_ptr<C> call) {
    calls_.push_back(call);
    return call;
  }

  template <class C>
  static engine::Mutation Mutation(const domain::Principal& principal, const std::string& method,
                                   C& call, const std::string& request_id) {
    engine::Mutation mutation;
    mutation.principal = principal;
    mutation.chapter = kChapter;
    mutation.method = method;
    mutation.request = &call.request;
    mutation.request_id = request_id;
    mutation.response = &call.response;
    return mutation;
  }
};

}  // namespace reciproca::testing
