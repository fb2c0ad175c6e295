// Checks of the numbers users type, attached to the flags that take them. Without them CLI11 reads `--iters 0` as
// "not given" (a full default schedule), `--epochs nan` as a number, and a 20-digit count as INT64_MAX.
#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>

namespace xbarcut::cli {

// Far beyond any schedule, and small enough that iterations x batch cannot overflow.
constexpr int64_t kMaxIterations = 1'000'000'000;

// An integer in [lo, hi].
CLI::Validator integer_in(int64_t lo, int64_t hi);
// A finite number above zero (epochs).
CLI::Validator positive_finite();
// A thread count: 1 to four times the machine's hardware threads.
CLI::Validator thread_count();
// A path that is not empty (--out).
CLI::Validator non_empty_path();

}  // namespace xbarcut::cli
