#pragma once

#include <cstdint>

namespace reciproca::bench {

// Heap allocations this process has made so far (malloc, calloc and realloc, so also every
// operator new), all threads together; -1 when not counted (a sanitizer build owns malloc).
// Linking alloc_count.cc into a benchmark replaces glibc's entry points with counting ones that
// forward to glibc's own; a thread counts into its own cache line, so counting costs a few
// nanoseconds per allocation and no contention.
int64_t Allocations();

}  // namespace reciproca::bench
