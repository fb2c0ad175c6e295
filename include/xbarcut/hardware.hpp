// The crossbar model (no LibTorch needed): tile weight matrices onto crossbars, and cost a network's crossbar
// area, routing and energy against its dense original; tables, JSON and pictures of the result.
#pragma once
#include "hw/network_cost.hpp"
#include "hw/tiling.hpp"
#include "hw/weight_matrix.hpp"
#include "report/cost_report.hpp"
#include "report/matrix_picture.hpp"
