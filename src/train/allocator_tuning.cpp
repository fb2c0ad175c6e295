#include "train/allocator_tuning.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace xbarcut::train {

void keep_freed_memory_mapped() {
#if defined(__GLIBC__)
  static const bool done = [] {
    constexpr int kOneGiB = 1 << 30;
    // Setting either threshold by hand also turns off glibc's dynamic adjustment of the other, so set both.
    mallopt(M_MMAP_THRESHOLD, kOneGiB);
    mallopt(M_TRIM_THRESHOLD, kOneGiB);
    return true;
  }();
  (void)done;
#endif
}

}  // namespace xbarcut::train
