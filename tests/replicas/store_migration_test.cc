// reciproca-admin migrate: a data directory's SQLite store copied into PostgreSQL, then served
// from there with the same events, tokens and first answers.

#include <cstdlib>

#include "integration/server_fixture.h"
#include "support/postgres_cluster.h"

namespace reciproca::testing {
namespace {

class StoreMigrationTest : public ServerTest {
 protected:
  // Runs reciproca-admin with `args`; its exit status.
  int Admin(const std::string& args) {
    const std::string command = std::string(RECIPROCA_ADMIN_PATH) + " " + args + " 2>&1";
    return std::system(command.c_str());
  }
};

TEST_F(StoreMigrationTest, Migrate_CopiesEverythingAndTheServerGoesOnFromPostgres) {
  std::string why;
  PostgresCluster* cluster = PostgresCluster::Shared(&why);
  ASSERT_NE(nullptr, cluster) << why;
  const std::string uri = cluster->CreateDatabase(&why);
  ASSERT_FALSE(uri.empty()) << why;

  // History on SQLite: two chapters, members, referrals, a member who left.
  CreateChapter("rome");
  CreateChapter("oslo");
  NewMember ana = AddMember("rome", "Ana Rossi", "Florist");
  NewMember marco = AddMember("rome", "Marco Bianchi", "Plumber");
  NewMember leaving = AddMember("rome", "Leo Neri", "Baker");
  AddMember("oslo", "Ola Nordmann", "Carpenter");
  v1::Referral first;
  ASSERT_TRUE(GiveReferral(As(ana.token), "rome", marco.member.name(), 4, &first, "ref-1").ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(GiveReferral(As(marco.token), "rome", ana.member.name(), 2).ok());
  }
  RemoveMember(leaving.member.name());
  std::map<std::string, std::vector<std::string>> before;
  for (const std::string chapter : {"chapters/rome", "chapters/oslo"}) {
    for (const auto& e : ReadEvents(admin(), chapter, 0, GetChapter(chapter).last_seq())) {
      before[chapter].push_back(e.SerializeAsString());
    }
  }
  StopServer();

  ASSERT_EQ(0, Admin("migrate --from " + dir_.path().string() + " --to " + uri));
  // Into a database that is no longer empty: refused, nothing changes.
  EXPECT_NE(0, Admin("migrate --from " + dir_.path().string() + " --to " + uri));
  EXPECT_NE(0, Admin("migrate --from /nonexistent --to " + uri));

  store_ = uri;
  StartServer();
  for (const auto& [chapter, events] : before) {
    std::vector<std::string> after;
    for (const auto& e : ReadEvents(admin(), chapter, 0, events.size())) {
      after.push_back(e.SerializeAsString());
    }
    EXPECT_EQ(events, after) << chapter;
  }
  // Tokens handed out before still work, and the one revoked stays revoked.
  v1::WhoAmIResponse who;
  EXPECT_TRUE(Invoke(As(ana.token), [&](grpc::ClientContext* c) {
                return As(ana.token).chapters().WhoAmI(c, {}, &who);
              }).ok());
  EXPECT_EQ(grpc::StatusCode::UNAUTHENTICATED,
            Invoke(As(leaving.token), [&](grpc::ClientContext* c) {
              return As(leaving.token).chapters().WhoAmI(c, {}, &who);
            }).error_code());
  // A retry of a request answered before migrating gets the first answer.
  v1::Referral retried;
  ASSERT_TRUE(GiveReferral(As(ana.token), "rome", marco.member.name(), 4, &retried, "ref-1").ok());
  EXPECT_EQ(first.SerializeAsString(), retried.SerializeAsString());
  // And the log goes on from where it was.
  ASSERT_TRUE(GiveReferral(As(ana.token), "rome", marco.member.name(), 5).ok());
  EXPECT_EQ(static_cast<int64_t>(before["chapters/rome"].size()) + 1,
            GetChapter("chapters/rome").last_seq());
}

}  // namespace
}  // namespace reciproca::testing
