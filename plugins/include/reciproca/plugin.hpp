// Reciproca plugin SDK: the C++ convenience layer over the C ABI of <reciproca/plugin.h>.
//
// Write a class, export it with one macro:
//
//   class MyRule : public reciproca::sdk::Plugin {
//    public:
//     MyRule(reciproca::sdk::Host host, const reciproca::plugin::v1::PluginConfig& config);
//     void OnEvent(const reciproca::v1::Event& event) override;
//     reciproca::plugin::v1::QueryAnswer Query(const reciproca::plugin::v1::Query& q) override;
//   };
//   RECIPROCA_PLUGIN(MyRule, "my_rule", "1.0.0", RECIPROCA_CAP_SCORES)
//
// Snapshots (ABI 1.1): a class that also defines `std::string SaveState() const` and
// `void RestoreState(std::string_view)` (throwing for bytes it cannot take) gets the table's
// snapshot() and restore() entries, so a restart replays only the events after its last
// snapshot; <reciproca/snapshot.hpp> has an encoding to write them with. Without them the
// entries are NULL and a restart replays the whole log.
//
// Every exception is caught at the boundary: thrown from the constructor, create() fails with
// the message logged; thrown from OnEvent/Query/OnTick, the call returns RECIPROCA_ERROR and
// last_error() returns the message (the host then marks the plugin failed).
//
// The protobuf classes used here must be generated as LITE code (the SDK's CMake function
// reciproca_add_plugin does it): the server already registered the full descriptors of these
// files in libprotobuf's global pool, and registering them again from a plugin would abort.
#pragma once

#include <google/protobuf/arena.h>
#include <reciproca/plugin.h>

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "reciproca/plugin/v1/plugin.pb.h"
#include "reciproca/v1/events.pb.h"

namespace reciproca::sdk {

// The host as a plugin instance sees it. Cheap to copy; valid until the instance is destroyed.
class Host {
 public:
  explicit Host(const reciproca_host* host) : host_(host) {}

  // Records an output in its chapter's log (once per key; see plugin.proto). Only while
  // handling OnEvent or OnTick.
  void Emit(const reciproca::plugin::v1::Output& output) const {
    const std::string bytes = output.SerializeAsString();
    host_->emit(host_->context, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }

  void Log(int level, const std::string& message) const {
    host_->log(host_->context, level, message.c_str());
  }

 private:
  const reciproca_host* host_;
};

// The base of a plugin. Calls on one instance never overlap.
class Plugin {
 public:
  virtual ~Plugin() = default;
  // One committed event; each chapter's events in seq order from seq 1.
  virtual void OnEvent(const reciproca::v1::Event& event) = 0;
  // Answers a query; throw std::invalid_argument for a query the plugin does not understand.
  virtual reciproca::plugin::v1::QueryAnswer Query(const reciproca::plugin::v1::Query& query) = 0;
  // Periodic, with RECIPROCA_CAP_TICKS.
  virtual void OnTick(const reciproca::plugin::v1::Tick& /*tick*/) {}
};

namespace detail {

template <class P>
struct Instance {
  explicit Instance(const reciproca_host* h) : host(h) {}

  Host host;
  std::unique_ptr<P> plugin;
  std::string last_error;
  // Each event is parsed on this arena, reset before the next: its strings and submessages
  // take no allocation of their own (an event fits the first block), and nothing to free one by
  // one. Only during on_event; the plugin keeps copies, never references.
  alignas(8) char first_block[4096];
  google::protobuf::Arena arena{first_block, sizeof first_block};
};

// Runs `body`, turning any exception into RECIPROCA_ERROR with its message kept.
template <class P, class Body>
reciproca_status Guard(void* instance, Body body) noexcept {
  auto* self = static_cast<Instance<P>*>(instance);
  try {
    body(*self->plugin);
    return RECIPROCA_OK;
  } catch (const std::exception& e) {
    self->last_error = e.what();
  } catch (...) {
    self->last_error = "unknown exception";
  }
  return RECIPROCA_ERROR;
}

template <class Message>
Message Parse(const uint8_t* data, size_t size) {
  Message message;
  if (!message.ParseFromArray(data, static_cast<int>(size))) {
    throw std::invalid_argument("malformed " + message.GetTypeName());
  }
  return message;
}

template <class P>
void* Create(const reciproca_host* host, const uint8_t* config, size_t size) noexcept {
  try {
    auto instance = std::make_unique<Instance<P>>(host);
    instance->plugin = std::make_unique<P>(
        instance->host, Parse<reciproca::plugin::v1::PluginConfig>(config, size));
    return instance.release();
  } catch (const std::exception& e) {
    host->log(host->context, RECIPROCA_LOG_ERROR, e.what());
  } catch (...) {
    host->log(host->context, RECIPROCA_LOG_ERROR, "unknown exception while creating the plugin");
  }
  return nullptr;
}

template <class P>
void Destroy(void* instance) noexcept {
  delete static_cast<Instance<P>*>(instance);
}

template <class P>
reciproca_status OnEvent(void* instance, const uint8_t* data, size_t size) noexcept {
  auto& arena = static_cast<Instance<P>*>(instance)->arena;
  return Guard<P>(instance, [&](P& p) {
    arena.Reset();  // the last event's
    auto* event = google::protobuf::Arena::CreateMessage<reciproca::v1::Event>(&arena);
    if (!event->ParseFromArray(data, static_cast<int>(size))) {
      throw std::invalid_argument("malformed " + event->GetTypeName());
    }
    p.OnEvent(*event);
  });
}

template <class P>
reciproca_status Query(void* instance, const uint8_t* data, size_t size, reciproca_write_fn write,
                       void* sink) noexcept {
  return Guard<P>(instance, [&](P& p) {
    const std::string answer =
        p.Query(Parse<reciproca::plugin::v1::Query>(data, size)).SerializeAsString();
    write(sink, reinterpret_cast<const uint8_t*>(answer.data()), answer.size());
  });
}

template <class P>
reciproca_status OnTick(void* instance, const uint8_t* data, size_t size) noexcept {
  return Guard<P>(instance,
                  [&](P& p) { p.OnTick(Parse<reciproca::plugin::v1::Tick>(data, size)); });
}

// Whether P defines SaveState() and RestoreState(std::string_view) (C++17: no concepts).
template <class P, class = void>
struct HasSnapshots : std::false_type {};
template <class P>
struct HasSnapshots<P, std::void_t<decltype(std::declval<const P&>().SaveState()),
                                   decltype(std::declval<P&>().RestoreState(std::string_view()))>>
    : std::true_type {};

template <class P>
reciproca_status Snapshot(void* instance, reciproca_write_fn write, void* sink) noexcept {
  return Guard<P>(instance, [&](P& p) {
    const std::string state = static_cast<const P&>(p).SaveState();
    write(sink, reinterpret_cast<const uint8_t*>(state.data()), state.size());
  });
}

template <class P>
reciproca_status Restore(void* instance, const uint8_t* data, size_t size) noexcept {
  return Guard<P>(instance, [&](P& p) {
    p.RestoreState(std::string_view(reinterpret_cast<const char*>(data), size));
  });
}

// The table's entries: NULL for a plugin without snapshots (its bodies are not instantiated).
template <class P>
constexpr decltype(reciproca_plugin_v1::snapshot) SnapshotEntry() {
  if constexpr (HasSnapshots<P>::value) {
    return &Snapshot<P>;
  } else {
    return nullptr;
  }
}
template <class P>
constexpr decltype(reciproca_plugin_v1::restore) RestoreEntry() {
  if constexpr (HasSnapshots<P>::value) {
    return &Restore<P>;
  } else {
    return nullptr;
  }
}

template <class P>
const char* LastError(void* instance) noexcept {
  return static_cast<Instance<P>*>(instance)->last_error.c_str();
}

template <class P>
const reciproca_plugin_v1* Table(const char* name, const char* version,
                                 uint64_t capabilities) noexcept {
  static const reciproca_plugin_v1 table = {
      sizeof(reciproca_plugin_v1),
      RECIPROCA_PLUGIN_ABI_MAJOR,
      RECIPROCA_PLUGIN_ABI_MINOR,
      name,
      version,
      capabilities,
      &Create<P>,
      &Destroy<P>,
      &OnEvent<P>,
      &Query<P>,
      &LastError<P>,
      &OnTick<P>,
      SnapshotEntry<P>(),
      RestoreEntry<P>(),
  };
  return &table;
}

}  // namespace detail
}  // namespace reciproca::sdk

// Exports `Class` as the library's plugin. Use once per library, at namespace scope.
#define RECIPROCA_PLUGIN(Class, name, version, capabilities)                          \
  extern "C" __attribute__((visibility("default"))) const reciproca_plugin_v1*        \
  reciproca_plugin_entry_v1(void) {                                                   \
    return ::reciproca::sdk::detail::Table<Class>((name), (version), (capabilities)); \
  }
