/*
 * Reciproca plugin ABI, version 1.1 — a pure C header (C99).
 *
 * A plugin is a shared library that exports one symbol:
 *
 *     const reciproca_plugin_v1* reciproca_plugin_entry_v1(void);
 *
 * It returns a table of function pointers that lives as long as the library (a static object).
 * Everything that crosses the boundary is either a plain C scalar, a NUL-terminated UTF-8 string,
 * or a byte buffer holding a serialized protobuf message of proto/reciproca/plugin/v1/plugin.proto
 * (or a reciproca.v1.Event). No C++ type, no protobuf type, no allocator crosses it, so a plugin
 * may be built with another compiler, another protobuf version, or in another language.
 *
 * Ownership, in one rule: inputs are borrowed for the duration of the call; outputs are handed to
 * a host callback, which copies them before it returns. Nobody frees what the other allocated.
 *
 * Threads: the host never calls one plugin instance from two threads at once (calls are
 * serialized), but successive calls may come from different threads.
 *
 * Versioning: the host accepts a table whose abi_major equals RECIPROCA_PLUGIN_ABI_MAJOR and whose
 * abi_minor is at most the host's RECIPROCA_PLUGIN_ABI_MINOR. Fields are only ever added at the
 * end of the table (a new minor); the host reads an optional field only when the table's
 * struct_size covers it, so a plugin built against an older minor keeps working.
 */
#ifndef RECIPROCA_PLUGIN_H_
#define RECIPROCA_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RECIPROCA_PLUGIN_ABI_MAJOR 1
#define RECIPROCA_PLUGIN_ABI_MINOR 1

/* The name of the one exported symbol. */
#define RECIPROCA_PLUGIN_ENTRY_SYMBOL "reciproca_plugin_entry_v1"

/* Result of a plugin call. On RECIPROCA_ERROR the host reads last_error(). From on_event or
 * on_tick, it marks the plugin failed: it receives nothing more until it is reloaded. From
 * query, the message goes back to the caller (INVALID_ARGUMENT) and the plugin carries on. */
typedef enum reciproca_status { RECIPROCA_OK = 0, RECIPROCA_ERROR = 1 } reciproca_status;

/* What a plugin does, as bits of reciproca_plugin_v1.capabilities. The host routes queries by
 * them: a Query of kind "scores" goes to plugins with RECIPROCA_CAP_SCORES, and so on. */
#define RECIPROCA_CAP_SCORES ((uint64_t)1 << 0)
#define RECIPROCA_CAP_LEADERBOARD ((uint64_t)1 << 1)
#define RECIPROCA_CAP_REMINDERS ((uint64_t)1 << 2)
#define RECIPROCA_CAP_RELATIONSHIPS ((uint64_t)1 << 3)
/* The plugin wants on_tick calls. */
#define RECIPROCA_CAP_TICKS ((uint64_t)1 << 4)
/* The plugin needs the contact details of outside referrals (contact name, phone, e-mail) and
 * referral notes. Without it the host delivers events with them cleared. Shown to whoever
 * enables the plugin in a chapter. */
#define RECIPROCA_CAP_CONTACTS ((uint64_t)1 << 5)

/* Log levels for reciproca_host.log. */
#define RECIPROCA_LOG_DEBUG 0
#define RECIPROCA_LOG_INFO 1
#define RECIPROCA_LOG_WARN 2
#define RECIPROCA_LOG_ERROR 3

/* A sink for bytes: the host's copy-out callback. `data` is borrowed: the callee copies `size`
 * bytes before it returns. */
typedef void (*reciproca_write_fn)(void* sink, const uint8_t* data, size_t size);

/* What the host offers a plugin instance. Passed to create(); valid until destroy() returns. */
typedef struct reciproca_host {
  /* sizeof(reciproca_host) as the host was built; fields past it are absent. */
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  /* Opaque; pass it back as the first argument of the callbacks below. */
  void* context;
  /* Records an Output (serialized reciproca.plugin.v1.Output). Only valid during on_event and
   * on_tick, on the calling thread. The host copies the bytes before returning. */
  void (*emit)(void* context, const uint8_t* output, size_t size);
  /* Writes a line to the server's log. `message` is borrowed, NUL-terminated UTF-8. Any
   * thread, any time between create() and destroy(). */
  void (*log)(void* context, int level, const char* message);
} reciproca_host;

/* The plugin's table. Returned by reciproca_plugin_entry_v1(); static, never freed. */
typedef struct reciproca_plugin_v1 {
  /* sizeof(reciproca_plugin_v1) as the plugin was built. Must come first. */
  uint32_t struct_size;
  /* RECIPROCA_PLUGIN_ABI_MAJOR and _MINOR as the plugin was built. */
  uint16_t abi_major;
  uint16_t abi_minor;
  /* Static NUL-terminated strings: a short name ("traffic_light") and a version ("1.2.0"). */
  const char* name;
  const char* version;
  /* RECIPROCA_CAP_* bits. */
  uint64_t capabilities;

  /* Makes an instance. `config` is a serialized reciproca.plugin.v1.PluginConfig (borrowed).
   * Returns NULL on failure, after writing a reason through host->log. `host` stays valid until
   * destroy(). */
  void* (*create)(const reciproca_host* host, const uint8_t* config, size_t config_size);

  /* Frees an instance. Called once, last. */
  void (*destroy)(void* instance);

  /* One committed event: a serialized reciproca.v1.Event (borrowed). Each chapter's events come
   * in seq order, without gaps, starting at seq 1. The plugin may call host->emit. */
  reciproca_status (*on_event)(void* instance, const uint8_t* event, size_t size);

  /* Answers a serialized reciproca.plugin.v1.Query (borrowed) by writing one serialized
   * reciproca.plugin.v1.QueryAnswer through `write(sink, ...)`, exactly once on success. */
  reciproca_status (*query)(void* instance, const uint8_t* query, size_t size,
                            reciproca_write_fn write, void* sink);

  /* The reason of the last RECIPROCA_ERROR of this instance: NUL-terminated UTF-8 owned by the
   * plugin, valid until the next call on the instance. Never NULL. */
  const char* (*last_error)(void* instance);

  /* --- ABI 1.0 optional entries: read only when struct_size covers them; may be NULL. --- */

  /* A clock tick: a serialized reciproca.plugin.v1.Tick (borrowed). Called periodically for
   * plugins with RECIPROCA_CAP_TICKS. The plugin may call host->emit. */
  reciproca_status (*on_tick)(void* instance, const uint8_t* tick, size_t size);

  /* --- ABI 1.1 optional entries: snapshots. The host uses them only when both are set (and
   * struct_size covers them); without them a restarted plugin is replayed its chapters' logs
   * from seq 1, as with ABI 1.0. --- */

  /* Writes the instance's whole state, as bytes in an encoding of the plugin's own (with a
   * version of its own in it), through `write(sink, ...)` exactly once on success. Called
   * between two calls, never during one: the state then covers every event delivered so far.
   * The host keeps the bytes with the seq each chapter had reached, and may hand them to a
   * later instance's restore(). */
  reciproca_status (*snapshot)(void* instance, reciproca_write_fn write, void* sink);

  /* Gives a freshly created instance (right after create(), before any other call) the bytes of
   * an earlier snapshot() of this plugin, made with the same name, version and config. The
   * instance then receives each chapter's events from the seq after the snapshot's. Return
   * RECIPROCA_ERROR (with last_error()) for bytes it cannot take (an encoding it does not know,
   * or damaged): the host then destroys the instance, creates a new one and replays it the
   * whole log, so a refusal costs time, never the plugin. */
  reciproca_status (*restore)(void* instance, const uint8_t* state, size_t size);
} reciproca_plugin_v1;

/* The entry point every plugin exports (with default visibility), and its type for dlsym. */
const reciproca_plugin_v1* reciproca_plugin_entry_v1(void);
typedef const reciproca_plugin_v1* (*reciproca_plugin_entry_v1_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* RECIPROCA_PLUGIN_H_ */
