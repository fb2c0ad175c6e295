// Keeps freed tensor memory inside the process between training steps.
#pragma once

namespace xbarcut::train {

// glibc returns large freed blocks to the kernel (mmap'd blocks, and a heap top above the trim threshold), so
// every training step faults its activation buffers in again, page by page: measured on the ConvNet, a quarter
// of the run in the kernel and 3.3x fewer images/s. Raising both thresholds keeps those pages mapped. Call once
// before training; a no-op on other C libraries and after the first call.
void keep_freed_memory_mapped();

}  // namespace xbarcut::train
