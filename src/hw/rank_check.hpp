// When a low-rank factorisation W (N x M) ~= U (N x K) V^T (K x M) pays off in crossbar cells,
// and the range a rank may take. Group Scissor, section 3.1: area shrinks iff K < N*M / (N + M).
#pragma once
#include <cstdint>
#include <string>

namespace xbarcut::hw {

// K (N + M) < N M, in exact integer arithmetic.
bool low_rank_saves_area(int64_t n, int64_t m, int64_t k);

// The largest K for which the factorisation still saves area; 0 if none does.
int64_t max_area_saving_rank(int64_t n, int64_t m);

// Throws xbarcut::Error unless 1 <= k <= min(n, m); `what` names the layer in the message.
void validate_rank(int64_t n, int64_t m, int64_t k, const std::string& what = "layer");

}  // namespace xbarcut::hw
