/* The plugin of the plugin_output harness: it emits, from on_event and on_tick, whatever outputs
 * the harness hands it, and answers every query with the harness's bytes. It finds the harness
 * through two functions the harness executable exports (looked up with dlsym, so the library
 * links against nothing but libc):
 *
 *   int reciproca_fuzz_plugin_output(size_t index, const uint8_t** data, size_t* size);
 *   int reciproca_fuzz_plugin_answer(const uint8_t** data, size_t* size);
 *
 * each returning 0 when there is nothing (more). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <reciproca/plugin.h>

typedef int (*output_fn)(size_t, const uint8_t**, size_t*);
typedef int (*answer_fn)(const uint8_t**, size_t*);

typedef struct instance {
  const reciproca_host* host;
  output_fn output;
  answer_fn answer;
} instance;

static instance the_instance;

static void* create(const reciproca_host* host, const uint8_t* config, size_t size) {
  (void)config;
  (void)size;
  the_instance.host = host;
  the_instance.output = (output_fn)dlsym(RTLD_DEFAULT, "reciproca_fuzz_plugin_output");
  the_instance.answer = (answer_fn)dlsym(RTLD_DEFAULT, "reciproca_fuzz_plugin_answer");
  if (!the_instance.output || !the_instance.answer) {
    host->log(host->context, RECIPROCA_LOG_ERROR, "fuzz_plugin: not inside the fuzz harness");
    return NULL;
  }
  return &the_instance;
}

static void destroy(void* self) { (void)self; }

static reciproca_status emit_all(instance* self) {
  const uint8_t* data = NULL;
  size_t size = 0;
  for (size_t i = 0; self->output(i, &data, &size); ++i) {
    self->host->emit(self->host->context, data, size);
  }
  return RECIPROCA_OK;
}

static reciproca_status on_event(void* self, const uint8_t* event, size_t size) {
  (void)event;
  (void)size;
  return emit_all((instance*)self);
}

static reciproca_status on_tick(void* self, const uint8_t* tick, size_t size) {
  (void)tick;
  (void)size;
  return emit_all((instance*)self);
}

static reciproca_status query(void* self, const uint8_t* q, size_t size, reciproca_write_fn write,
                              void* sink) {
  const uint8_t* data = NULL;
  size_t answer_size = 0;
  (void)q;
  (void)size;
  if (!((instance*)self)->answer(&data, &answer_size)) {
    return RECIPROCA_ERROR;
  }
  write(sink, data, answer_size);
  return RECIPROCA_OK;
}

static const char* last_error(void* self) {
  (void)self;
  return "the fuzz input said so";
}

static const reciproca_plugin_v1 table = {sizeof(reciproca_plugin_v1),
                                          RECIPROCA_PLUGIN_ABI_MAJOR,
                                          RECIPROCA_PLUGIN_ABI_MINOR,
                                          "fuzz_plugin",
                                          "1.0.0",
                                          RECIPROCA_CAP_SCORES | RECIPROCA_CAP_LEADERBOARD |
                                              RECIPROCA_CAP_REMINDERS |
                                              RECIPROCA_CAP_RELATIONSHIPS | RECIPROCA_CAP_TICKS,
                                          create,
                                          destroy,
                                          on_event,
                                          query,
                                          last_error,
                                          on_tick};

__attribute__((visibility("default"))) const reciproca_plugin_v1* reciproca_plugin_entry_v1(void) {
  return &table;
}
