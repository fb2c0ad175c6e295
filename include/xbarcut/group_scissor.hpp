// Group Scissor (Wang et al., DAC 2017): rank clipping (methods::run_rank_clipping), direct low-rank approximation
// (methods::run_low_rank_approximation), group connection deletion (methods::run_group_deletion, and into an output
// folder or as a lambda sweep), and the whole pipeline from a TOML experiment (methods::run_scissor_pipeline).
#pragma once
#include "methods/group_deletion/group_deletion.hpp"
#include "methods/group_deletion/lambda_sweep.hpp"
#include "methods/group_scissor/pipeline_config.hpp"
#include "methods/group_scissor/scissor_pipeline.hpp"
#include "methods/rank_clipping/rank_report.hpp"
#include "methods/rank_clipping/run_low_rank_approximation.hpp"
#include "methods/rank_clipping/run_rank_clipping.hpp"
