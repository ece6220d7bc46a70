// Tests cpp_streak without a server: a fake host records what the plugin emits, and the events
// and queries go through the plugin's C table exactly as reciprocad sends them.

#include <reciproca/plugin.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

// The plugin's entry point, defined by RECIPROCA_PLUGIN in streak.cc.
extern "C" const reciproca_plugin_v1* reciproca_plugin_entry_v1(void);

namespace {

namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

int failures = 0;

#define EXPECT_EQ(actual, expected)                                                           \
  do {                                                                                        \
    const auto& a_ = (actual);                                                                \
    const auto& e_ = (expected);                                                              \
    if (!(a_ == e_)) {                                                                        \
      std::cerr << __FILE__ << ":" << __LINE__ << ": " #actual " is " << a_ << ", not " << e_ \
                << "\n";                                                                      \
      ++failures;                                                                             \
    }                                                                                         \
  } while (0)

// What reciprocad offers a plugin: here, emit() keeps the outputs and log() prints.
struct FakeHost {
  reciproca_host host{};
  std::vector<pv1::Output> outputs;

  FakeHost() {
    host.struct_size = sizeof(reciproca_host);
    host.abi_major = RECIPROCA_PLUGIN_ABI_MAJOR;
    host.abi_minor = RECIPROCA_PLUGIN_ABI_MINOR;
    host.context = this;
    host.emit = [](void* context, const uint8_t* data, size_t size) {
      pv1::Output output;
      output.ParseFromArray(data, static_cast<int>(size));
      static_cast<FakeHost*>(context)->outputs.push_back(output);
    };
    host.log = [](void*, int level, const char* message) {
      std::cerr << "[plugin log " << level << "] " << message << "\n";
    };
  }
};

template <class Message>
std::string Bytes(const Message& message) {
  return message.SerializeAsString();
}
const uint8_t* Data(const std::string& bytes) {
  return reinterpret_cast<const uint8_t*>(bytes.data());
}

class Driver {
 public:
  explicit Driver(const std::string& config_json) : table_(reciproca_plugin_entry_v1()) {
    pv1::PluginConfig config;
    config.set_plugin_name("streak");
    config.set_json(config_json);
    const std::string bytes = Bytes(config);
    instance_ = table_->create(&host_.host, Data(bytes), bytes.size());
  }
  ~Driver() {
    if (instance_) {
      table_->destroy(instance_);
    }
  }
  bool created() const { return instance_ != nullptr; }
  FakeHost& host() { return host_; }

  // One event of chapters/rome, with the next seq.
  template <class Fill>
  void Event(Fill fill) {
    v1::Event event;
    event.set_chapter("chapters/rome");
    event.set_seq(++seq_);
    event.set_actor("admin");
    fill(event);
    const std::string bytes = Bytes(event);
    if (table_->on_event(instance_, Data(bytes), bytes.size()) != RECIPROCA_OK) {
      std::cerr << "on_event failed: " << table_->last_error(instance_) << "\n";
      ++failures;
    }
  }
  void AddMember(int id, const std::string& name) {
    Event([&](v1::Event& e) {
      auto* member = e.mutable_member_added()->mutable_member();
      member->set_name(Member(id));
      member->set_display_name(name);
    });
  }
  void Refer(int from, int to) {
    Event([&](v1::Event& e) {
      auto* referral = e.mutable_referral_given()->mutable_referral();
      referral->set_name("chapters/rome/referrals/" + std::to_string(seq_));
      referral->set_giver(Member(from));
      referral->set_receiver(Member(to));
    });
  }
  void CloseMeeting(int meeting) {
    Event([&](v1::Event& e) {
      e.mutable_meeting_closed()->set_meeting("chapters/rome/meetings/" + std::to_string(meeting));
    });
  }
  // Feeds the outputs emitted so far back as the host records them: PluginOutputRecorded.
  void RecordOutputs() {
    const auto outputs = host_.outputs;
    for (const auto& output : outputs) {
      Event([&](v1::Event& e) {
        e.set_actor("plugin:streak");
        e.mutable_plugin_output()->set_plugin("streak");
        *e.mutable_plugin_output()->mutable_output() = output;
      });
    }
  }

  // Returns the status; the answer in `answer`.
  reciproca_status Scores(const std::string& window, pv1::QueryAnswer& answer) {
    pv1::Query query;
    query.set_chapter("chapters/rome");
    query.mutable_scores()->set_window(window);
    const std::string bytes = Bytes(query);
    std::string out;
    const auto status = table_->query(
        instance_, Data(bytes), bytes.size(),
        [](void* sink, const uint8_t* data, size_t size) {
          static_cast<std::string*>(sink)->assign(reinterpret_cast<const char*>(data), size);
        },
        &out);
    answer.ParseFromString(out);
    return status;
  }
  const char* last_error() { return table_->last_error(instance_); }

  static std::string Member(int id) { return "chapters/rome/members/" + std::to_string(id); }

 private:
  FakeHost host_;
  const reciproca_plugin_v1* table_;
  void* instance_ = nullptr;
  int64_t seq_ = 0;
};

void StreaksAndBands() {
  Driver plugin(R"({"green_at": 2})");
  plugin.AddMember(1, "Ana");
  plugin.AddMember(2, "Marco");
  plugin.Refer(1, 2);
  plugin.Refer(1, 2);  // Two in one meeting still count once.
  plugin.CloseMeeting(1);
  plugin.Refer(1, 2);
  plugin.Refer(2, 1);
  plugin.CloseMeeting(2);

  pv1::QueryAnswer answer;
  EXPECT_EQ(plugin.Scores("", answer), RECIPROCA_OK);
  EXPECT_EQ(answer.scores().scores_size(), 2);
  const auto& ana = answer.scores().scores(0);
  EXPECT_EQ(ana.display_name(), std::string("Ana"));
  EXPECT_EQ(ana.points(), 2);
  EXPECT_EQ(ana.band(), std::string("green"));
  const auto& marco = answer.scores().scores(1);
  EXPECT_EQ(marco.points(), 1);
  EXPECT_EQ(marco.band(), std::string("amber"));

  // Ana: grey -> amber (meeting 1) -> green (meeting 2); Marco: grey -> amber (meeting 2).
  const auto& outputs = plugin.host().outputs;
  EXPECT_EQ(outputs.size(), size_t{3});
  EXPECT_EQ(outputs[0].key(), "streak:" + Driver::Member(1) + ":chapters/rome/meetings/1");
  EXPECT_EQ(outputs[1].score_change().band(), std::string("green"));
  EXPECT_EQ(outputs[1].score_change().previous_band(), std::string("amber"));

  // What was announced comes back as events, and shows in the why.
  plugin.RecordOutputs();
  EXPECT_EQ(plugin.Scores("all", answer), RECIPROCA_OK);
  EXPECT_EQ(answer.scores().scores(0).rows_size(), 2);
  EXPECT_EQ(answer.scores().scores(0).rows(1).measured(), std::string("green"));

  // A meeting without a referral breaks the streak.
  plugin.CloseMeeting(3);
  EXPECT_EQ(plugin.Scores("", answer), RECIPROCA_OK);
  EXPECT_EQ(answer.scores().scores(0).points(), 0);
  EXPECT_EQ(answer.scores().scores(0).band(), std::string("grey"));
}

void ErrorsReachTheHost() {
  Driver plugin("{}");
  pv1::QueryAnswer answer;
  EXPECT_EQ(plugin.Scores("30d", answer), RECIPROCA_ERROR);
  EXPECT_EQ(std::string(plugin.last_error()),
            std::string("cpp_streak has one window, \"all\" (asked for \"30d\")"));

  Driver refused(R"({"green_at": 0})");
  EXPECT_EQ(refused.created(), false);
}

}  // namespace

int main() {
  StreaksAndBands();
  ErrorsReachTheHost();
  if (failures) {
    std::cerr << failures << " failure(s)\n";
    return EXIT_FAILURE;
  }
  std::cout << "streak_test: ok\n";
  return EXIT_SUCCESS;
}
