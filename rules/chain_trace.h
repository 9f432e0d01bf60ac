// Traces and descriptions of detector flows, shared by the backdoor-chain and building-block rules.
#pragma once

#include <string>
#include <vector>

#include "analysis/detector_flow.h"
#include "findings/finding.h"
#include "ir/ir.h"

namespace archscan::rules {

// input -> detector steps -> integration -> propagation note.
std::vector<TraceStep> chain_trace(const ir::Program& p, const flow::FlowResult& fr, const flow::Chain& c);
// input -> detector steps ending at `detector`.
// `on_output`: the detector reads the model's own output, not the raw input.
std::vector<TraceStep> detector_trace(const ir::Program& p, const flow::FlowResult& fr, int32_t detector,
                                      const std::vector<int32_t>& steps, bool on_output = false);
// "max_pool2d, gt, amax": the ops that made the detector.
std::string describe_detector(const ir::Program& p, const flow::FlowResult& fr, const flow::Chain& c);
std::string describe_steps(const flow::FlowResult& fr, const std::vector<int32_t>& steps);
// The qualified name of the function a flat node comes from.
std::string scope_of(const ir::Program& p, const flow::FlatNode& n);

}  // namespace archscan::rules
