// Chapter snapshots (docs/storage.md, "Snapshots"): the snapshot format round-trips and refuses
// what it cannot read, and an engine restarted from snapshots plus the events after them holds
// exactly the state a full replay of the log gives, over random histories, on SQLite and on
// PostgreSQL; a snapshot it cannot read falls back to the replay.

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "server/engine/chapter_snapshot.h"
#include "unit/engine/engine_test_support.h"
#include "unit/store/store_test_support.h"

namespace reciproca::testing {
namespace {

// Everything a chapter answers: its whole state (the snapshot encoding is deterministic and
// covers every field) and the read RPCs' answers built from it.
std::string Fingerprint(const domain::Chapter& chapter) {
  std::string out = engine::EncodeChapterSnapshot(chapter);
  out += chapter.Info().SerializeAsString();
  for (const auto& member : chapter.ListMembers(/*show_left=*/true)) {
    out += member.SerializeAsString();
  }
  for (const auto& meeting : chapter.ListMeetings()) {
    out += meeting.SerializeAsString();
  }
  auto referrals = chapter.ListReferrals({});
  for (const auto& referral : referrals.value()) {
    out += referral.SerializeAsString();
  }
  out += chapter.PalmsReport(std::nullopt, std::nullopt).SerializeAsString();
  return out;
}

// The chapter as a full replay of its stored log gives it, without the engine.
domain::Chapter Replay(store::EventStore& store, const std::string& name) {
  domain::Chapter chapter;
  std::vector<store::StoredEvent> events;
  EXPECT_TRUE(store.ReadEvents(name, 0, 1 << 30, &events).ok());
  for (const auto& stored : events) {
    v1::Event event;
    EXPECT_TRUE(event.ParseFromString(stored.bytes));
    chapter.Apply(event);
  }
  return chapter;
}

TEST(ChapterSnapshotFormat, RoundTripsAndRefusesWhatItCannotRead) {
  domain::Chapter chapter;
  v1::Event created;
  created.set_seq(1);
  created.set_chapter("chapters/rome");
  created.mutable_chapter_created()->mutable_chapter()->set_name("chapters/rome");
  created.mutable_chapter_created()->mutable_chapter()->set_display_name("Rome");
  chapter.Apply(created);
  v1::Event added;
  added.set_seq(2);
  added.set_chapter("chapters/rome");
  v1::Member* member = added.mutable_member_added()->mutable_member();
  member->set_name("chapters/rome/members/2");
  member->set_category("Florist");
  member->set_state(v1::MEMBER_STATE_ACTIVE);
  chapter.Apply(added);

  const std::string bytes = engine::EncodeChapterSnapshot(chapter);
  constexpr int32_t kVersion = engine::kChapterSnapshotVersion;
  auto decoded = engine::DecodeChapterSnapshot("chapters/rome", 2, kVersion, bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(Fingerprint(chapter), Fingerprint(decoded.value()));

  EXPECT_FALSE(engine::DecodeChapterSnapshot("chapters/rome", 2, kVersion + 1, bytes).ok());
  // Version 1: records without occur_time; the log is replayed instead.
  EXPECT_FALSE(engine::DecodeChapterSnapshot("chapters/rome", 2, 1, bytes).ok());
  EXPECT_FALSE(engine::DecodeChapterSnapshot("chapters/rome", 3, kVersion, bytes).ok());  // seq
  EXPECT_FALSE(engine::DecodeChapterSnapshot("chapters/milan", 2, kVersion, bytes).ok());
  EXPECT_FALSE(
      engine::DecodeChapterSnapshot("chapters/rome", 2, kVersion, bytes.substr(0, bytes.size() - 3))
          .ok());
  EXPECT_FALSE(engine::DecodeChapterSnapshot("chapters/rome", 2, 1, bytes + "\x78\x01").ok());
  EXPECT_FALSE(engine::DecodeChapterSnapshot("chapters/rome", 2, 1, "").ok());
}

// A random history of commands on two chapters, through the real engine over a real store.
class SnapshotRestartTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr const char* kChapters[] = {"chapters/rome", "chapters/milan"};

  void SetUp() override {
    spdlog::set_level(spdlog::level::err);
    if (GetParam() == "postgresql") {
      backend_ = std::make_unique<store::PostgresBackend>();
    } else {
      backend_ = std::make_unique<store::SqliteBackend>();
    }
    auto opened = backend_->Open();
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    StopEngine();
    store_.reset();
    backend_.reset();
  }

  void StartEngine(engine::SnapshotOptions snapshots) {
    tokens_ = std::make_unique<engine::TokenRegistry>();
    hub_ = std::make_unique<stream::EventHub>();
    engine::EngineOptions options;
    options.snapshots = snapshots;
    options.limits.mutations_per_second = 0;
    engine_ = std::make_unique<engine::Engine>(*store_, clock_, *tokens_,
                                               engine::TokenMinter("test-secret"), *hub_, options);
    Status recovered = engine_->Recover();
    ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  }
  void StopEngine() {
    if (engine_) {
      engine_->Stop();
      engine_.reset();
    }
  }

  // One command's request and response, kept until the engine has stopped.
  struct Kept {
    std::unique_ptr<google::protobuf::Message> request;
    std::unique_ptr<google::protobuf::Message> response;
  };

  // Runs a mutation of `chapter` and waits. Its outcome may be a refusal (a random command
  // often breaks a rule): either way both engines see the same log. Returns the seq of its
  // first event, 0 when refused.
  template <class Request, class Decide>
  int64_t Run(const domain::Principal& principal, const std::string& chapter,
              std::unique_ptr<Request> request, Decide decide) {
    auto first_seq = std::make_shared<int64_t>(0);
    engine::Mutation mutation;
    mutation.principal = principal;
    mutation.chapter = chapter;
    mutation.method = Request::descriptor()->name();
    mutation.request_id = "r" + std::to_string(++request_ids_);
    request->set_request_id(mutation.request_id);
    mutation.request = request.get();
    auto response = std::make_unique<v1::Referral>();
    mutation.response = response.get();
    const Request* r = request.get();
    mutation.decide = [r, decide](const domain::Chapter& c, const domain::Context& x) {
      return decide(c, x, *r);
    };
    mutation.respond = [first_seq](const domain::Chapter&, const domain::Events& events,
                                   store::Commit&) {
      *first_seq = events.front().seq();
      return Status{};
    };
    kept_.push_back({std::move(request), std::move(response)});
    Answer answer;
    engine_->Mutate(std::move(mutation), [&answer](const Status& s) { answer.Give(s); });
    const Status status = answer.Wait();
    return status.ok() ? *first_seq : 0;
  }

  std::string Pick(std::mt19937& random, const std::vector<std::string>& names) {
    return names[std::uniform_int_distribution<size_t>(0, names.size() - 1)(random)];
  }

  // One random command on a random chapter.
  void RandomCommand(std::mt19937& random) {
    const size_t c = random() % 2;
    const std::string chapter = kChapters[c];
    auto& members = members_[c];
    auto& referrals = referrals_[c];
    const domain::Principal admin = AdminPrincipal();
    const int op = members.size() < 4 ? 0 : static_cast<int>(random() % 11);
    clock_.Advance(std::chrono::minutes(random() % 600));
    const auto as = [&](const std::string& member) { return MemberPrincipal(chapter, member); };
    switch (op) {
      case 0: {
        auto r = std::make_unique<v1::CreateMemberRequest>();
        r->set_parent(chapter);
        const std::string n = std::to_string(random() % 1000);
        r->mutable_member()->set_display_name("Member " + n);
        r->mutable_member()->set_business("Business " + n);
        r->mutable_member()->set_category("Trade " + std::to_string(random() % 12));
        if (random() % 4 == 0) {
          r->mutable_member()->set_role(v1::ROLE_PRESIDENT);
        }
        if (int64_t seq = Run(admin, chapter, std::move(r), [](auto& ch, auto& x, auto& q) {
              return ch.DecideCreateMember(x, q);
            })) {
          members.push_back(chapter + "/members/" + std::to_string(seq));
        }
        break;
      }
      case 1: {
        auto r = std::make_unique<v1::RemoveMemberRequest>();
        const std::string leaving = Pick(random, members);
        r->set_name(leaving);
        if (Run(admin, chapter, std::move(r),
                [](auto& ch, auto& x, auto& q) { return ch.DecideRemoveMember(x, q); })) {
          std::erase(members, leaving);  // the others act from now on
        }
        break;
      }
      case 2:
      case 3: {
        auto r = std::make_unique<v1::GiveReferralRequest>();
        r->set_parent(chapter);
        r->mutable_referral()->set_receiver(Pick(random, members));
        r->mutable_referral()->set_kind(random() % 2 ? v1::REFERRAL_KIND_INSIDE
                                                     : v1::REFERRAL_KIND_OUTSIDE);
        r->mutable_referral()->set_temperature(static_cast<int>(random() % 5) + 1);
        r->mutable_referral()->set_contact_name("Contact " + std::to_string(random() % 100));
        r->mutable_referral()->set_contact_phone("+39 06 " + std::to_string(random() % 10000000));
        if (int64_t seq =
                Run(as(Pick(random, members)), chapter, std::move(r),
                    [](auto& ch, auto& x, auto& q) { return ch.DecideGiveReferral(x, q); })) {
          referrals.push_back(chapter + "/referrals/" + std::to_string(seq));
        }
        break;
      }
      case 4: {
        if (referrals.empty()) {
          break;
        }
        auto r = std::make_unique<v1::UpdateReferralStatusRequest>();
        r->set_name(Pick(random, referrals));
        r->set_status(static_cast<v1::ReferralStatus>(random() % 4 + 2));
        r->set_on_behalf_of(Pick(random, members));
        Run(admin, chapter, std::move(r),
            [](auto& ch, auto& x, auto& q) { return ch.DecideUpdateReferralStatus(x, q); });
        break;
      }
      case 5: {
        auto r = std::make_unique<v1::RecordThankYouRequest>();
        r->set_parent(chapter);
        r->mutable_thank_you()->set_to_member(Pick(random, members));
        r->mutable_thank_you()->mutable_amount()->set_currency("EUR");
        r->mutable_thank_you()->mutable_amount()->set_amount(std::to_string(random() % 5000 + 1));
        if (!referrals.empty() && random() % 2) {
          r->mutable_thank_you()->set_referral(Pick(random, referrals));
        }
        Run(as(Pick(random, members)), chapter, std::move(r),
            [](auto& ch, auto& x, auto& q) { return ch.DecideRecordThankYou(x, q); });
        break;
      }
      case 6: {
        auto r = std::make_unique<v1::RecordOneToOneRequest>();
        r->set_parent(chapter);
        r->mutable_one_to_one()->set_with_member(Pick(random, members));
        Run(as(Pick(random, members)), chapter, std::move(r),
            [](auto& ch, auto& x, auto& q) { return ch.DecideRecordOneToOne(x, q); });
        break;
      }
      case 7: {
        auto r = std::make_unique<v1::RecordEducationRequest>();
        r->set_parent(chapter);
        r->mutable_education()->set_credits(static_cast<int>(random() % 3) + 1);
        Run(as(Pick(random, members)), chapter, std::move(r),
            [](auto& ch, auto& x, auto& q) { return ch.DecideRecordEducation(x, q); });
        break;
      }
      case 8: {
        auto r = std::make_unique<v1::RecordTestimonialRequest>();
        r->set_parent(chapter);
        r->mutable_testimonial()->set_for_member(Pick(random, members));
        r->mutable_testimonial()->set_text("Very good work, " + std::to_string(random() % 9));
        Run(as(Pick(random, members)), chapter, std::move(r),
            [](auto& ch, auto& x, auto& q) { return ch.DecideRecordTestimonial(x, q); });
        break;
      }
      case 9: {
        auto r = std::make_unique<v1::ScheduleMeetingRequest>();
        r->set_parent(chapter);
        *r->mutable_start_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
            std::chrono::duration_cast<std::chrono::seconds>(
                (clock_.Now() + std::chrono::hours(random() % 48 + 1)).time_since_epoch())
                .count());
        Run(admin, chapter, std::move(r),
            [](auto& ch, auto& x, auto& q) { return ch.DecideScheduleMeeting(x, q); });
        break;
      }
      default: {
        auto r = std::make_unique<v1::UpdateMemberRequest>();
        r->mutable_member()->set_name(Pick(random, members));
        r->mutable_member()->set_category("Trade " + std::to_string(random() % 12));
        r->mutable_update_mask()->add_paths("category");
        Run(admin, chapter, std::move(r),
            [](auto& ch, auto& x, auto& q) { return ch.DecideUpdateMember(x, q); });
        break;
      }
    }
  }

  void CreateChapters() {
    for (const char* name : kChapters) {
      CreateChapterCall call;
      call.request.set_chapter_id(std::string(name).substr(sizeof("chapters/") - 1));
      call.request.set_request_id(std::string("create-") + name);
      v1::Chapter* chapter = call.request.mutable_chapter();
      chapter->set_display_name("Chapter");
      chapter->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
      chapter->set_meeting_time("07:00");
      chapter->set_time_zone("Europe/Rome");
      chapter->set_currency("EUR");
      engine_->CreateChapter(AdminPrincipal(), &call.request, &call.response, call.Done());
      ASSERT_TRUE(call.Wait().ok());
    }
  }

  // Every chapter as the engine holds it, against a full replay of the stored log.
  void ExpectSameAsFullReplay(const std::string& when) {
    for (const char* name : kChapters) {
      std::string held;
      Answer answer;
      engine_->Read(
          AdminPrincipal(), name,
          [&held](const domain::Chapter& chapter) {
            held = Fingerprint(chapter);
            return Status{};
          },
          [&answer](const Status& s) { answer.Give(s); });
      ASSERT_TRUE(answer.Wait().ok());
      const domain::Chapter replayed = Replay(*store_, name);
      // A history worth comparing: most random commands are accepted.
      EXPECT_GT(replayed.last_seq(), 10) << name;
      EXPECT_EQ(Fingerprint(replayed), held) << name << " " << when;
    }
  }

  std::unique_ptr<store::StoreBackend> backend_;
  std::unique_ptr<store::EventStore> store_;
  engine::ManualClock clock_{kStart};
  std::unique_ptr<engine::TokenRegistry> tokens_;
  std::unique_ptr<stream::EventHub> hub_;
  std::deque<Kept> kept_;  // before engine_: outlives it
  std::unique_ptr<engine::Engine> engine_;
  int request_ids_ = 0;
  std::vector<std::string> members_[2];
  std::vector<std::string> referrals_[2];
};

INSTANTIATE_TEST_SUITE_P(Stores, SnapshotRestartTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST_P(SnapshotRestartTest, RestartFromSnapshotsEqualsAFullReplay_RandomHistories) {
  const unsigned seed = std::random_device()();
  std::mt19937 random(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  engine::SnapshotOptions snapshots;
  snapshots.every = std::chrono::seconds(0);
  // Snapshots at random seqs: every few events, and sometimes at the stop as well.
  snapshots.every_events = static_cast<int64_t>(random() % 12) + 2;
  snapshots.at_stop = random() % 2 == 0;
  ASSERT_NO_FATAL_FAILURE(StartEngine(snapshots));
  ASSERT_NO_FATAL_FAILURE(CreateChapters());
  for (int round = 0; round < 3; ++round) {
    const int commands = static_cast<int>(random() % 40) + 40;
    for (int i = 0; i < commands; ++i) {
      RandomCommand(random);
    }
    StopEngine();
    int from_snapshots = 0;
    for (const char* name : kChapters) {
      auto snapshot = store_->LoadSnapshot(name);
      ASSERT_TRUE(snapshot.ok());
      from_snapshots += snapshot->has_value() ? 1 : 0;
    }
    EXPECT_GT(from_snapshots, 0) << "no chapter had a snapshot: nothing was tested";
    snapshots.every_events = static_cast<int64_t>(random() % 12) + 2;
    ASSERT_NO_FATAL_FAILURE(StartEngine(snapshots));
    ExpectSameAsFullReplay("after restart " + std::to_string(round));
  }
}

TEST_P(SnapshotRestartTest, AnUnreadableSnapshotFallsBackToTheFullReplay) {
  engine::SnapshotOptions none;
  none.every_events = 0;
  none.every = std::chrono::seconds(0);
  none.at_stop = false;
  ASSERT_NO_FATAL_FAILURE(StartEngine(none));
  ASSERT_NO_FATAL_FAILURE(CreateChapters());
  std::mt19937 random(7);
  for (int i = 0; i < 30; ++i) {
    RandomCommand(random);
  }
  StopEngine();
  std::vector<store::StoredEvent> rome;
  ASSERT_TRUE(store_->ReadEvents(kChapters[0], 0, 1000, &rome).ok());
  std::vector<store::StoredEvent> milan;
  ASSERT_TRUE(store_->ReadEvents(kChapters[1], 0, 1000, &milan).ok());
  // A format from a future server, and bytes that are not a snapshot.
  ASSERT_TRUE(store_->PutSnapshot({kChapters[0], rome.back().seq, 99, "from the future"}).ok());
  ASSERT_TRUE(store_
                  ->PutSnapshot({kChapters[1], milan.back().seq, engine::kChapterSnapshotVersion,
                                 std::string("\x0a\xff\xff\x01", 4)})
                  .ok());
  ASSERT_NO_FATAL_FAILURE(StartEngine(none));
  ExpectSameAsFullReplay("after unreadable snapshots");
  // And it goes on deciding from the right state.
  for (int i = 0; i < 10; ++i) {
    RandomCommand(random);
  }
  ExpectSameAsFullReplay("after more commands");
}

}  // namespace
}  // namespace reciproca::testing
