// Knowledge-distillation loss.
#include "train/distillation.hpp"

#include <cmath>

#include <fmt/core.h>

#include "common/error.hpp"

namespace xbarcut::train {

void validate(const DistillOptions& o) {
  if (!(o.weight >= 0 && o.weight <= 1))
    throw Error(fmt::format("`distill.weight` must be in [0, 1] (got {}): the share of the teacher's outputs in the loss, "
                            "e.g. 0.5; 0 turns distillation off",
                            o.weight));
  if (!(o.temperature > 0) || !std::isfinite(o.temperature))
    throw Error(fmt::format("`distill.temperature` must be > 0 (got {}), e.g. 4", o.temperature));
}

nlohmann::json to_json(const DistillOptions& o) { return {{"weight", o.weight}, {"temperature", o.temperature}}; }

torch::Tensor distillation_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_logits,
                                const torch::Tensor& labels, const DistillOptions& o) {
  namespace F = torch::nn::functional;
  auto loss = F::cross_entropy(student_logits, labels);
  if (o.weight == 0) return loss;
  const double t = o.temperature;
  const auto log_p_student = F::log_softmax(student_logits / t, F::LogSoftmaxFuncOptions(1));
  const auto log_p_teacher = F::log_softmax(teacher_logits.detach() / t, F::LogSoftmaxFuncOptions(1));
  // KL(teacher || student) per image, then the batch mean.
  const auto kl = (log_p_teacher.exp() * (log_p_teacher - log_p_student)).sum(1).mean();
  return (1 - o.weight) * loss + o.weight * t * t * kl;
}

}  // namespace xbarcut::train
