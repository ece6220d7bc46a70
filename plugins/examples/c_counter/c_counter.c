/*
 * c_counter: a Reciproca plugin in plain C99, with no protobuf library at all.
 *
 * It counts each chapter's events per payload kind and answers any query with
 *
 *   QueryAnswer{scores: {window: "all", scores: [{member: "(chapter)", display_name: "events",
 *                                                 points: N, rows: [{name: KIND, points: n}]}]}}
 *
 * To stay free of dependencies it reads and writes the protobuf wire format by hand, and only
 * what it needs: the top-level fields of reciproca.v1.Event (the field numbers come from
 * share/reciproca/proto/reciproca/v1/events.proto), the chapter of a Query, the plugin_name of
 * a PluginConfig. This is the minimal way, to show that nothing but bytes crosses the ABI. A real
 * plugin that needs the contents of events should use a protobuf library: in C++, the SDK's
 * <reciproca/plugin.hpp> and lite classes; in C, e.g. protobuf-c or nanopb, generated from the
 * installed protos.
 */
#include <reciproca/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The wire format, the little we need (https://protobuf.dev/programming-guides/encoding) */

enum { WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LEN = 2, WIRE_FIXED32 = 5 };

typedef struct reader {
  const uint8_t* at;
  const uint8_t* end;
} reader;

typedef struct field {
  uint32_t number;
  int wire_type;
  uint64_t varint;     /* WIRE_VARINT */
  const uint8_t* data; /* WIRE_LEN: borrowed from the input */
  size_t size;
} field;

static int read_varint(reader* r, uint64_t* value) {
  int shift;
  *value = 0;
  for (shift = 0; shift < 64 && r->at < r->end; shift += 7) {
    const uint8_t byte = *r->at++;
    *value |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      return 1;
    }
  }
  return 0;
}

/* The next field of the message: 1, 0 at the end, -1 when the bytes are malformed. */
static int next_field(reader* r, field* f) {
  uint64_t key;
  if (r->at == r->end) {
    return 0;
  }
  if (!read_varint(r, &key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff) {
    return -1;
  }
  f->number = (uint32_t)(key >> 3);
  f->wire_type = (int)(key & 7);
  switch (f->wire_type) {
    case WIRE_VARINT:
      return read_varint(r, &f->varint) ? 1 : -1;
    case WIRE_FIXED64:
    case WIRE_FIXED32: {
      const size_t size = f->wire_type == WIRE_FIXED64 ? 8 : 4;
      if ((size_t)(r->end - r->at) < size) {
        return -1;
      }
      r->at += size; /* skipped: nothing we read is fixed-width */
      return 1;
    }
    case WIRE_LEN: {
      uint64_t size;
      if (!read_varint(r, &size) || size > (uint64_t)(r->end - r->at)) {
        return -1;
      }
      f->data = r->at;
      f->size = (size_t)size;
      r->at += size;
      return 1;
    }
    default: /* groups (3, 4) do not exist in proto3 */
      return -1;
  }
}

/* A growing output buffer; `failed` once an allocation failed. */
typedef struct buffer {
  uint8_t* data;
  size_t size;
  size_t capacity;
  int failed;
} buffer;

static void put(buffer* b, const void* data, size_t size) {
  if (b->failed) {
    return;
  }
  if (b->size + size > b->capacity) {
    size_t capacity = b->capacity ? b->capacity * 2 : 64;
    uint8_t* grown;
    while (capacity < b->size + size) {
      capacity *= 2;
    }
    grown = (uint8_t*)realloc(b->data, capacity);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->data = grown;
    b->capacity = capacity;
  }
  if (size) {
    memcpy(b->data + b->size, data, size);
  }
  b->size += size;
}

static void put_varint(buffer* b, uint64_t value) {
  uint8_t bytes[10];
  size_t n = 0;
  do {
    bytes[n] = (uint8_t)(value & 0x7f);
    value >>= 7;
    if (value) {
      bytes[n] |= 0x80;
    }
    ++n;
  } while (value);
  put(b, bytes, n);
}

static void put_int_field(buffer* b, uint32_t number, int64_t value) {
  put_varint(b, ((uint64_t)number << 3) | WIRE_VARINT);
  put_varint(b, (uint64_t)value); /* int32/int64: negative values take 10 bytes */
}

/* A string, bytes or embedded message field. */
static void put_len_field(buffer* b, uint32_t number, const void* data, size_t size) {
  put_varint(b, ((uint64_t)number << 3) | WIRE_LEN);
  put_varint(b, size);
  put(b, data, size);
}

static void put_string_field(buffer* b, uint32_t number, const char* text) {
  put_len_field(b, number, text, strlen(text));
}

/* ---- The plugin ---- */

/* reciproca.v1.Event: `string chapter = 1;` and the payload oneof, fields 10..59. */
#define EVENT_CHAPTER 1
#define FIRST_KIND 10
#define LAST_KIND 59
#define KINDS (LAST_KIND - FIRST_KIND + 1)

/* The payload kinds of events.proto, by field number; a newer server may send others. */
static const struct {
  uint32_t number;
  const char* name;
} kinds[] = {
    {10, "chapter_created"},      {11, "member_added"},        {12, "member_updated"},
    {13, "member_left"},          {20, "meeting_scheduled"},   {21, "meeting_opened"},
    {22, "segment_started"},      {23, "attendance_recorded"}, {24, "visitor_registered"},
    {25, "meeting_closed"},       {30, "referral_given"},      {31, "referral_status_changed"},
    {32, "thank_you_recorded"},   {33, "one_to_one_recorded"}, {34, "education_recorded"},
    {35, "testimonial_recorded"}, {40, "plugin_output"},
};

static const char* kind_name(uint32_t number) {
  size_t i;
  for (i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) {
    if (kinds[i].number == number) {
      return kinds[i].name;
    }
  }
  return NULL;
}

typedef struct chapter_counts {
  struct chapter_counts* next;
  char* name; /* "chapters/{chapter}", owned */
  int64_t total;
  int64_t per_kind[KINDS];
} chapter_counts;

typedef struct counter {
  const reciproca_host* host; /* valid until destroy() */
  chapter_counts* chapters;
  char last_error[256]; /* what last_error() returns: ours, valid until the next call */
} counter;

static void log_line(const counter* self, int level, const char* message) {
  self->host->log(self->host->context, level, message);
}

static reciproca_status fail(counter* self, const char* why) {
  snprintf(self->last_error, sizeof self->last_error, "%s", why);
  return RECIPROCA_ERROR;
}

/* The counts of a chapter, made on first sight; NULL when out of memory. */
static chapter_counts* find_chapter(counter* self, const uint8_t* name, size_t size, int create) {
  chapter_counts* c;
  for (c = self->chapters; c; c = c->next) {
    if (strlen(c->name) == size && memcmp(c->name, name, size) == 0) {
      return c;
    }
  }
  if (!create || !(c = (chapter_counts*)calloc(1, sizeof *c)) ||
      !(c->name = (char*)malloc(size + 1))) {
    free(c);
    return NULL;
  }
  memcpy(c->name, name, size);
  c->name[size] = '\0';
  c->next = self->chapters;
  self->chapters = c;
  return c;
}

static void* create(const reciproca_host* host, const uint8_t* config, size_t config_size) {
  /* PluginConfig: `string plugin_name = 1; string json = 2;` (this plugin has no settings). */
  reader r = {config, config + config_size};
  field f;
  int more;
  char line[200];
  const char* name = "c_counter";
  int name_size = (int)strlen(name);
  counter* self;
  while ((more = next_field(&r, &f)) == 1) {
    if (f.number == 1 && f.wire_type == WIRE_LEN) {
      name = (const char*)f.data;
      name_size = (int)f.size;
    }
  }
  if (more < 0) {
    /* create() has no last_error to fill: it logs the reason and returns NULL. */
    host->log(host->context, RECIPROCA_LOG_ERROR, "c_counter: malformed PluginConfig");
    return NULL;
  }
  self = (counter*)calloc(1, sizeof *self);
  if (!self) {
    host->log(host->context, RECIPROCA_LOG_ERROR, "c_counter: out of memory");
    return NULL;
  }
  self->host = host;
  snprintf(line, sizeof line, "c_counter loaded as %.*s", name_size, name);
  log_line(self, RECIPROCA_LOG_INFO, line);
  return self;
}

static void destroy(void* instance) {
  counter* self = (counter*)instance;
  while (self->chapters) {
    chapter_counts* next = self->chapters->next;
    free(self->chapters->name);
    free(self->chapters);
    self->chapters = next;
  }
  free(self);
}

static reciproca_status on_event(void* instance, const uint8_t* event, size_t size) {
  counter* self = (counter*)instance;
  reader r = {event, event + size};
  field f;
  int more;
  const uint8_t* chapter = NULL;
  size_t chapter_size = 0;
  uint32_t kind = 0;
  chapter_counts* counts;
  while ((more = next_field(&r, &f)) == 1) {
    if (f.number == EVENT_CHAPTER && f.wire_type == WIRE_LEN) {
      chapter = f.data;
      chapter_size = f.size;
    } else if (f.number >= FIRST_KIND && f.number <= LAST_KIND) {
      kind = f.number;
    }
  }
  if (more < 0 || !chapter) {
    /* The host marks the plugin FAILED with this message; a reload starts it afresh. */
    return fail(self, "malformed reciproca.v1.Event (or one without a chapter)");
  }
  counts = find_chapter(self, chapter, chapter_size, 1);
  if (!counts) {
    return fail(self, "out of memory");
  }
  ++counts->total;
  if (kind) {
    ++counts->per_kind[kind - FIRST_KIND];
  }
  return RECIPROCA_OK;
}

static int32_t clamp(int64_t n) { return n > INT32_MAX ? INT32_MAX : (int32_t)n; }

static reciproca_status query(void* instance, const uint8_t* query_bytes, size_t size,
                              reciproca_write_fn write, void* sink) {
  counter* self = (counter*)instance;
  reader r = {query_bytes, query_bytes + size};
  field f;
  int more;
  const uint8_t* chapter = (const uint8_t*)"";
  size_t chapter_size = 0;
  const chapter_counts* counts;
  buffer score = {0}, scores = {0}, answer = {0};
  uint32_t number;
  reciproca_status status = RECIPROCA_OK;

  /* Query: `string chapter = 1;`; whatever kind of query it is, the answer is the same. */
  while ((more = next_field(&r, &f)) == 1) {
    if (f.number == 1 && f.wire_type == WIRE_LEN) {
      chapter = f.data;
      chapter_size = f.size;
    }
  }
  if (more < 0) {
    return fail(self, "malformed reciproca.plugin.v1.Query");
  }
  counts = find_chapter(self, chapter, chapter_size, 0);

  /* MemberScore: member = 1, display_name = 2, points = 3, rows = 6 (ScoreRow: name = 1,
   * points = 3). Fields equal to their default (0, "") are left out, as protobuf does. */
  put_string_field(&score, 1, "(chapter)");
  put_string_field(&score, 2, "events");
  if (counts && counts->total) {
    put_int_field(&score, 3, clamp(counts->total));
  }
  for (number = FIRST_KIND; counts && number <= LAST_KIND; ++number) {
    const int64_t n = counts->per_kind[number - FIRST_KIND];
    char unknown[32];
    const char* name = kind_name(number);
    buffer row = {0};
    if (!n) {
      continue;
    }
    if (!name) {
      snprintf(unknown, sizeof unknown, "payload field %u", (unsigned)number);
      name = unknown;
    }
    put_string_field(&row, 1, name);
    put_int_field(&row, 3, clamp(n));
    put_len_field(&score, 6, row.data, row.size);
    score.failed |= row.failed;
    free(row.data);
  }
  /* Scores: window = 1, scores = 2. QueryAnswer: scores = 10. */
  put_string_field(&scores, 1, "all");
  put_len_field(&scores, 2, score.data, score.size);
  put_len_field(&answer, 10, scores.data, scores.size);

  if (score.failed || scores.failed || answer.failed) {
    status = fail(self, "out of memory");
  } else {
    write(sink, answer.data, answer.size); /* the host copies the bytes */
  }
  free(score.data);
  free(scores.data);
  free(answer.data);
  return status;
}

static const char* last_error(void* instance) { return ((counter*)instance)->last_error; }

/* ---- Snapshots (ABI 1.1): the counts as bytes, so a restart replays only what follows ----
 *
 * The encoding is this plugin's own, with its version first: varint 1, the number of chapters,
 * then per chapter its name (varint length, bytes), its total and its KINDS counts (varints).
 * A later version that changes it bumps the number; restore() refuses one it does not know, and
 * the host then replays the whole log into a fresh instance. */
#define STATE_VERSION 1

static reciproca_status snapshot(void* instance, reciproca_write_fn write, void* sink) {
  counter* self = (counter*)instance;
  buffer state = {0};
  const chapter_counts* c;
  size_t chapters = 0;
  int kind;
  for (c = self->chapters; c; c = c->next) {
    ++chapters;
  }
  put_varint(&state, STATE_VERSION);
  put_varint(&state, chapters);
  for (c = self->chapters; c; c = c->next) {
    put_varint(&state, strlen(c->name));
    put(&state, c->name, strlen(c->name));
    put_varint(&state, (uint64_t)c->total);
    for (kind = 0; kind < KINDS; ++kind) {
      put_varint(&state, (uint64_t)c->per_kind[kind]);
    }
  }
  if (state.failed) {
    free(state.data);
    return fail(self, "out of memory");
  }
  write(sink, state.data, state.size);
  free(state.data);
  return RECIPROCA_OK;
}

static reciproca_status restore(void* instance, const uint8_t* bytes, size_t size) {
  counter* self = (counter*)instance;
  reader r = {bytes, bytes + size};
  uint64_t version, chapters, name_size, n;
  chapter_counts* c;
  int kind;
  if (!read_varint(&r, &version) || version != STATE_VERSION) {
    return fail(self, "snapshot: not a c_counter state of version 1");
  }
  if (!read_varint(&r, &chapters)) {
    return fail(self, "snapshot: damaged");
  }
  for (; chapters > 0; --chapters) {
    if (!read_varint(&r, &name_size) || name_size > (uint64_t)(r.end - r.at)) {
      return fail(self, "snapshot: damaged");
    }
    c = find_chapter(self, r.at, (size_t)name_size, 1);
    if (!c) {
      return fail(self, "out of memory");
    }
    r.at += name_size;
    if (!read_varint(&r, &n)) {
      return fail(self, "snapshot: damaged");
    }
    c->total = (int64_t)n;
    for (kind = 0; kind < KINDS; ++kind) {
      if (!read_varint(&r, &n)) {
        return fail(self, "snapshot: damaged");
      }
      c->per_kind[kind] = (int64_t)n;
    }
  }
  return r.at == r.end ? RECIPROCA_OK : fail(self, "snapshot: damaged (bytes left over)");
}

/* The table. struct_size tells the host which entries this build has: entries added by a later
 * ABI minor are past it, and the host does not read them. on_tick (optional) is NULL: this
 * plugin does not ask for ticks (no RECIPROCA_CAP_TICKS). snapshot and restore (ABI 1.1) are
 * set: the host may restart it from its last snapshot instead of from seq 1. */
static const reciproca_plugin_v1 table = {
    sizeof(reciproca_plugin_v1),
    RECIPROCA_PLUGIN_ABI_MAJOR,
    RECIPROCA_PLUGIN_ABI_MINOR,
    "c_counter",
    "1.0.0",
    RECIPROCA_CAP_SCORES,
    create,
    destroy,
    on_event,
    query,
    last_error,
    NULL, /* on_tick */
    snapshot,
    restore,
};

__attribute__((visibility("default"))) const reciproca_plugin_v1* reciproca_plugin_entry_v1(void) {
  return &table;
}
