// The xbarcut C++ API in one include: every header below is also usable on its own. docs/cpp_api.md shows a program.
#pragma once
#include <xbarcut/crossbar_aware_pruning.hpp>
#include <xbarcut/group_scissor.hpp>
#include <xbarcut/hardware.hpp>
#include <xbarcut/training.hpp>
#include <xbarcut/trannsformer.hpp>
