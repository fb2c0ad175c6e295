// Group deletion masks.
#include "methods/group_deletion/deletion_masks.hpp"

#include <map>

namespace xbarcut::methods {

int64_t fix_deletion_masks(const GroupLasso& lasso, bool mask_zero_weights) {
  // Per layer, one mask per weight tensor in crossbar layout; start from the masks the layer already has.
  std::map<std::string, std::vector<torch::Tensor>> masks;
  std::map<std::string, nn::WeightLayer> layers;
  int64_t deleted = 0;
  for (const auto& t : lasso.targets()) {
    const auto& name = t.layer->spec().name;
    if (!masks.count(name)) {
      layers.emplace(name, t.layer);
      auto& list = masks[name];
      const auto mats = t.layer->matrices();
      const auto old = t.layer->weight_masks();
      for (size_t i = 0; i < mats.size(); ++i)
        list.push_back(old.size() == mats.size() ? old[i].reshape({old[i].size(0), -1}).t().contiguous()
                                                 : torch::ones_like(mats[i]));
    }
    const auto m = t.matrix();
    auto keep = t.groups.live_mask(m);
    if (mask_zero_weights) keep.mul_(m.ne(0).to(torch::kFloat32));
    auto& mask = masks[name][t.index];
    mask.mul_(keep);
    deleted += mask.numel() - mask.sum().item<int64_t>();
  }
  for (auto& [name, list] : masks) layers.at(name)->set_matrix_masks(list);
  return deleted;
}

}  // namespace xbarcut::methods
