#include "cli/option_names.hpp"

#include <algorithm>
#include <map>

namespace xbarcut::cli {

std::string flag_for_field(const std::string& field) {
  static const std::map<std::string, std::string> named_otherwise = {
      {"base_lr", "--lr"},
      {"solver.base_lr", "--lr"},
      {"lgd.base_lr", "--lr"},
      {"finetune.base_lr", "--finetune-lr"},
      {"max_iter", "--iters"},
      {"solver.max_iter", "--iters"},
      {"lgd.max_iter", "--iters"},
      {"finetune.max_iter", "--finetune-iters"},
      {"lasso.zero_threshold", "--lasso-threshold"},
      {"lasso.adaptive", "--lasso-adaptive"},
      {"lasso.step", "--lasso-step"},
      {"lasso.lambda", "--lambda"},
      {"lasso.lambda_for", "--lambda-for"},
      {"distill.weight", "--distill"},
      {"distill.temperature", "--distill-temperature"},
  };
  if (const auto it = named_otherwise.find(field); it != named_otherwise.end()) return it->second;
  std::string last = field.substr(field.rfind('.') == std::string::npos ? 0 : field.rfind('.') + 1);
  std::replace(last.begin(), last.end(), '_', '-');
  return "--" + last;
}

std::string with_flag_names(const std::string& message) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = message.find('`', pos);
    const size_t close = open == std::string::npos ? std::string::npos : message.find('`', open + 1);
    if (close == std::string::npos) break;
    out += message.substr(pos, open - pos);
    out += flag_for_field(message.substr(open + 1, close - open - 1));
    pos = close + 1;
  }
  return out + message.substr(pos);
}

}  // namespace xbarcut::cli
