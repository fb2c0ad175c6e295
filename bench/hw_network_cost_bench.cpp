// Times cost_network on every conv/fc matrix of ResNet-50 (~25.5 M weights, ~30 % zeros), one thread.
// The goal: all crossbar metrics of a full network in well under a second.
#include <benchmark/benchmark.h>

#include <random>

#include "hw/network_cost.hpp"

namespace {

using xbarcut::hw::WeightMatrix;

// ResNet-50 (He et al. 2016, torchvision layout: stride on the 3x3 conv) on 224x224 inputs.
// Conv layers unrolled to (C_in * k * k) x C_out; `uses` = output pixels.
std::vector<WeightMatrix> resnet50_shapes() {
  std::vector<WeightMatrix> net;
  auto add = [&net](std::string name, int64_t c_in, int64_t k, int64_t c_out, int64_t pixels) {
    net.push_back(WeightMatrix{std::move(name), c_in * k * k, c_out, {}, pixels});
  };
  add("conv1", 3, 7, 64, 112 * 112);
  const int64_t blocks[4] = {3, 4, 6, 3}, width[4] = {64, 128, 256, 512}, side[4] = {56, 28, 14, 7};
  int64_t in = 64, in_side = 56;
  for (int s = 0; s < 4; ++s) {
    const int64_t out = width[s] * 4, px = side[s] * side[s];
    for (int64_t b = 0; b < blocks[s]; ++b) {
      const std::string p = "layer" + std::to_string(s + 1) + "." + std::to_string(b) + ".";
      add(p + "conv1", b == 0 ? in : out, 1, width[s], b == 0 ? in_side * in_side : px);
      add(p + "conv2", width[s], 3, width[s], px);
      add(p + "conv3", width[s], 1, out, px);
      if (b == 0) add(p + "downsample", in, 1, out, px);
    }
    in = out;
    in_side = side[s];
  }
  add("fc", 2048, 1, 1000, 1);
  return net;
}

const std::vector<WeightMatrix>& resnet50_weights() {
  static const std::vector<WeightMatrix> net = [] {
    std::vector<WeightMatrix> out = resnet50_shapes();
    std::mt19937 gen(2024);
    std::uniform_real_distribution<float> w(-1.0f, 1.0f);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (WeightMatrix& m : out) {
      m.values.resize(static_cast<size_t>(m.rows * m.cols));
      for (float& v : m.values) v = u(gen) < 0.3f ? 0.0f : w(gen);
    }
    return out;
  }();
  return net;
}

int64_t weight_count(const std::vector<WeightMatrix>& net) {
  int64_t n = 0;
  for (const WeightMatrix& m : net) n += m.rows * m.cols;
  return n;
}

// The usual call: trained (sparse) weights against the dense original known by its shapes.
void BM_CostNetwork_ResNet50_vs_Shapes(benchmark::State& state) {
  const auto& current = resnet50_weights();
  const auto original = resnet50_shapes();
  const xbarcut::hw::HardwareOptions options;
  double nonzero = 0;
  for (auto _ : state) {
    auto cost = xbarcut::hw::cost_network(current, original, options);
    benchmark::DoNotOptimize(cost);
    nonzero = static_cast<double>(cost.total.nonzero_cells);
  }
  // A sanity check that the values were really scanned: about 0.7.
  state.counters["nonzero_frac"] = nonzero / static_cast<double>(weight_count(current));
  state.counters["weights"] = static_cast<double>(weight_count(current));
  state.counters["matrices"] = static_cast<double>(current.size());
  state.counters["weights/s"] = benchmark::Counter(static_cast<double>(weight_count(current)),
                                                   benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CostNetwork_ResNet50_vs_Shapes)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Worst case: both lists carry values, so every weight is scanned twice.
void BM_CostNetwork_ResNet50_vs_Itself(benchmark::State& state) {
  const auto& net = resnet50_weights();
  const xbarcut::hw::HardwareOptions options;
  for (auto _ : state) {
    auto cost = xbarcut::hw::cost_network(net, net, options);
    benchmark::DoNotOptimize(cost);
  }
  state.counters["weights"] = static_cast<double>(2 * weight_count(net));
}
BENCHMARK(BM_CostNetwork_ResNet50_vs_Itself)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
