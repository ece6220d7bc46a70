#include "alloc_count.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RECIPROCA_COUNT_ALLOCATIONS 0
#else
#define RECIPROCA_COUNT_ALLOCATIONS 1
#endif

#if RECIPROCA_COUNT_ALLOCATIONS

// glibc's own allocator, under the names it exports for exactly this use.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* ptr, std::size_t size);
void __libc_free(void* ptr);
}

namespace {

constexpr int kSlots = 64;

struct alignas(64) Slot {
  std::atomic<int64_t> count{0};
};

// Constant-initialized (no allocation, no constructor run), so safe before main and in any
// thread: a thread's first allocation picks its slot.
Slot g_slots[kSlots];
std::atomic<int> g_next_slot{0};
thread_local int t_slot = -1;

inline void Count() {
  if (t_slot < 0) {
    t_slot = g_next_slot.fetch_add(1, std::memory_order_relaxed) % kSlots;
  }
  g_slots[t_slot].count.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

extern "C" {

void* malloc(std::size_t size) noexcept {
  Count();
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  Count();
  return __libc_calloc(count, size);
}

void* realloc(void* ptr, std::size_t size) noexcept {
  Count();
  return __libc_realloc(ptr, size);
}

void free(void* ptr) noexcept { __libc_free(ptr); }

}  // extern "C"

namespace reciproca::bench {

int64_t Allocations() {
  int64_t total = 0;
  for (const Slot& slot : g_slots) {
    total += slot.count.load(std::memory_order_relaxed);
  }
  return total;
}

}  // namespace reciproca::bench

#else

namespace reciproca::bench {

int64_t Allocations() { return -1; }

}  // namespace reciproca::bench

#endif
