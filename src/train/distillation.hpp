// Knowledge distillation (Hinton, Vinyals and Dean 2015): a student trained on the labels and on a teacher's
// softened outputs. Group deletion (ours) fine-tunes the masked network against the network it started from, so
// the fine-tuning phase learns the function the deletion disturbed, not only the labels.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json.hpp>

namespace xbarcut::train {

struct DistillOptions {
  double weight = 0;         // share of the teacher term in the loss, in [0, 1]; 0 = plain cross entropy
  double temperature = 4;    // softmax temperature of both outputs in the teacher term (> 0)
};

// Throws xbarcut::Error on a weight outside [0, 1] or a temperature <= 0 (or not finite).
void validate(const DistillOptions& o);
nlohmann::json to_json(const DistillOptions& o);

// (1 - weight) * cross_entropy(student, labels) + weight * T^2 * KL(softmax(teacher / T) || softmax(student / T)),
// averaged over the batch. T^2 keeps the teacher term's gradient on the scale of the label term's (Hinton et al.).
torch::Tensor distillation_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_logits,
                                const torch::Tensor& labels, const DistillOptions& o);

}  // namespace xbarcut::train
