// Deletion after group-Lasso training: all-zero row/column groups (and, as the paper says, every zero-weighted
// connection) become fixed masks, so fine-tuning cannot grow them back.
#pragma once
#include <cstdint>

#include "methods/group_deletion/group_lasso.hpp"

namespace xbarcut::methods {

// Masks every regularised matrix: a weight is deleted when its row or column group is all zero, or, with
// `mask_zero_weights`, when it is itself zero. Existing masks of the layers are kept (a deleted weight stays
// deleted); other matrices of a masked layer get all-ones masks. Returns the number of deleted weights.
int64_t fix_deletion_masks(const GroupLasso& lasso, bool mask_zero_weights);

}  // namespace xbarcut::methods
