// Times TraNNsformer's size-constrained spectral clustering of one 1200 x 1200 layer (the hidden layer
// of the MNIST MLP 784-1200-1200-10) at X = 64, one thread, for several densities of the pruned mask.
// The goal: a small share of one training epoch (about a minute on this machine).
#include <benchmark/benchmark.h>

#include <random>

#include "hw/bipartite_clustering.hpp"

namespace {

using namespace xbarcut::hw;

// Random synapses at `density`, plus 20 dense 60 x 60 blocks (density 0.6) of the kind the loop grows.
ConnectivityMask layer_mask(double density, bool planted) {
  const int64_t n = 1200;
  ConnectivityMask m(n, n);
  std::mt19937 gen(1);
  std::uniform_real_distribution<double> u(0, 1);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) m.set(i, j, u(gen) < density);
  if (planted)
    for (int64_t b = 0; b < 20; ++b)
      for (int64_t i = 0; i < 60; ++i)
        for (int64_t j = 0; j < 60; ++j)
          if (u(gen) < 0.6) m.set(b * 60 + i, ((b * 7) % 20) * 60 + j, true);
  return m;
}

void BM_ClusterLayer(benchmark::State& state) {
  const double density = static_cast<double>(state.range(0)) / 100.0;
  const bool planted = state.range(1) != 0;
  const ConnectivityMask m = layer_mask(density, planted);
  ClusteringOptions o;
  o.crossbar = 64;
  o.quality = 0.3;
  size_t clusters = 0;
  for (auto _ : state) {
    const auto found = size_constrained_clusters(m, o);
    clusters = found.size();
    benchmark::DoNotOptimize(found.data());
  }
  state.counters["clusters"] = static_cast<double>(clusters);
  state.counters["synapses"] = static_cast<double>(m.count());
}

// density in percent, planted blocks or not
BENCHMARK(BM_ClusterLayer)->Args({2, 1})->Args({5, 0})->Args({10, 0})->Args({30, 0})->Args({70, 0})
    ->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
