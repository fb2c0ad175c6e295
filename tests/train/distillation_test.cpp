// The distillation loss: plain cross entropy at weight 0, no teacher term when the student already matches the
// teacher, a gradient that pulls the student's outputs toward the teacher's, and one-line errors on bad options.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "common/error.hpp"
#include "train/distillation.hpp"

using namespace xbarcut;

namespace {

struct Batch {
  torch::Tensor student, teacher, labels;
};

Batch batch() {
  auto gen = at::detail::createCPUGenerator(11);
  return {torch::randn({8, 5}, gen), torch::randn({8, 5}, gen) * 3, torch::randint(5, {8}, gen, torch::kInt64)};
}

}  // namespace

TEST(Distillation, WeightZeroIsCrossEntropy) {
  const auto b = batch();
  const auto ce = torch::nn::functional::cross_entropy(b.student, b.labels).item<double>();
  EXPECT_DOUBLE_EQ(train::distillation_loss(b.student, b.teacher, b.labels, {0.0, 4.0}).item<double>(), ce);
}

TEST(Distillation, TeacherTermVanishesWhenTheStudentMatches) {
  const auto b = batch();
  const auto ce = torch::nn::functional::cross_entropy(b.teacher, b.labels).item<double>();
  EXPECT_NEAR(train::distillation_loss(b.teacher, b.teacher, b.labels, {0.7, 3.0}).item<double>(), 0.3 * ce, 1e-6);
  // A different student pays for the mismatch: KL >= 0, > 0 here.
  EXPECT_GT(train::distillation_loss(b.student, b.teacher, b.labels, {1.0, 3.0}).item<double>(), 1e-3);
}

TEST(Distillation, GradientPullsTheStudentTowardTheTeacher) {
  const auto b = batch();
  const double t = 2.0;
  auto student = b.student.clone().requires_grad_(true);
  train::distillation_loss(student, b.teacher, b.labels, {1.0, t}).backward();
  // d/dz of T^2 KL(softmax(t/T) || softmax(z/T)), batch mean: T (softmax(z/T) - softmax(t/T)) / batch.
  const auto expected =
      t * (torch::softmax(b.student / t, 1) - torch::softmax(b.teacher / t, 1)) / b.student.size(0);
  EXPECT_TRUE(torch::allclose(student.grad(), expected, 1e-5, 1e-6));
  // Gradient descent on it moves the student's softened outputs closer to the teacher's.
  auto stepped = (b.student - 5.0 * student.grad()).detach();
  auto gap = [&](const torch::Tensor& z) {
    return (torch::softmax(z / t, 1) - torch::softmax(b.teacher / t, 1)).abs().sum().item<double>();
  };
  EXPECT_LT(gap(stepped), gap(b.student));
  EXPECT_FALSE(b.teacher.requires_grad());
}

TEST(Distillation, BadOptionsAreRejected) {
  EXPECT_NO_THROW(train::validate(train::DistillOptions{0.5, 4.0}));
  EXPECT_NO_THROW(train::validate(train::DistillOptions{1.0, 0.5}));
  EXPECT_THROW(train::validate(train::DistillOptions{-0.1, 4.0}), Error);
  EXPECT_THROW(train::validate(train::DistillOptions{1.5, 4.0}), Error);
  EXPECT_THROW(train::validate(train::DistillOptions{0.5, 0.0}), Error);
  EXPECT_THROW(train::validate(train::DistillOptions{std::nan(""), 4.0}), Error);
  EXPECT_THROW(train::validate(train::DistillOptions{0.5, std::numeric_limits<double>::infinity()}), Error);
}
