// Unsigned integers stored in a file's byte order, whatever the machine's: little-endian (dataset cache, .npy
// headers, BMP, the gzip trailer) and big-endian (IDX).
#pragma once
#include <cstdint>

namespace xbarcut::data {

// The `bytes` (1 to 4) bytes at p, least significant first.
inline uint32_t little_endian(const uint8_t* p, int bytes = 4) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

inline uint32_t big_endian_u32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

}  // namespace xbarcut::data
