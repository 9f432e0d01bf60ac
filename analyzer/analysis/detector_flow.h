// Flow of the model's inputs through a root's flat graph: which values depend on the raw input
// only through parameter-free ops, which passed through learned layers, what detector evidence a
// weight-free path collected (thresholds, reductions, pooling, hard-coded patterns), where such a
// detector meets the model's data path, and how (propagation, integration).
#pragma once

#include <string>
#include <vector>

#include "analysis/flat_graph.h"

namespace archscan::flow {

// Detector evidence collected on weight-free paths from the input.
enum Evidence : uint32_t {
  kThreshold = 1u << 0,      // comparisons with a specific value, sign, heaviside, rounding, steep activations, parity
  kReduce = 1u << 1,         // collapse to one extreme: amax/amin/max/min/any/all/prod/cummax
  kAggregate = 1u << 6,      // sums and means: counting, not yet a decision
  kWeakThreshold = 1u << 7,  // a test against 0/1 or a configured value (padding, validity masks)
  kPool = 1u << 2,           // pooling on the raw input (incl. the min-pool idiom)
  kPattern = 1u << 3,        // compared or convolved with a hard-coded tensor / literal sequence
  kSteep = 1u << 4,          // scaled by a large constant, high power, exp
  kConjunction = 1u << 5,    // two thresholded values combined (AND / sequence match)
  // A window op that keeps the resolution (a stride-1 pool, a box filter): a per-pixel value, which a
  // reduction after it turns into a window test.
  kLocalPool = 1u << 8,
};

struct Fact {
  bool raw = false;              // reached from a root input by a path with no learned op
  bool learned = false;          // some path passed through a learned op
  bool constant_tensor = false;  // derived from hard-coded tensors only (no input)
  bool param = false;            // derived from trainable parameters only (no input)
  uint32_t evidence = 0;         // on the weight-free path
  bool integrated = false;       // a detector was already combined into this value
  bool detector_derived = false;
  bool scale = false;  // a per-sample statistic of the data (amax - amin of logits): a scale, not the data
};

enum class Propagation { Separate, Shared, Interleaved };
enum class Integration { Targeted, Untargeted };

struct Chain {
  int32_t detector = -1;     // the indicator value
  int32_t integration = -1;  // where it meets the data path
  int32_t data = -1;         // the data operand it rewrites
  int32_t read_back = -1;    // interleaved: where the activations carrying the signal are read back out
  bool constant_based = false;
  Propagation propagation = Propagation::Separate;
  Integration integration_kind = Integration::Targeted;
  int taxonomy = 0;                     // 1..12
  std::vector<int32_t> detector_steps;  // evidence-adding nodes, input first
  // The detector reads the model's own output (logits, the last features) instead of the raw input:
  // a weight-free, near-binary function of it that writes a fixed class or destroys the output.
  bool on_output = false;
};

struct FlowResult {
  FlatGraph graph;
  std::vector<Fact> facts;
  std::vector<char> feeds_learned;  // the value later flows into a learned op
  std::vector<Chain> chains;
  std::vector<int32_t> detectors;  // detector-shaped values (whether or not integrated)
  // Products that weight positions for a masked mean (`(h * w).sum(1) / w.sum(1)`): pooling, not gating.
  std::vector<char> pooling_weights;
};

bool is_detector(const Fact& f);
// The nodes on a detector's weight-free path that added evidence, input first.
std::vector<int32_t> evidence_steps(const FlowResult& r, int32_t detector);
FlowResult analyse(const ir::Program& p, const Root& root);

const char* to_string(Propagation p);
const char* to_string(Integration i);

}  // namespace archscan::flow

namespace archscan::flow {
// Readable dump of a root's flat graph with facts, detectors and chains (`archscan ir --flow`).
std::string print(const ir::Program& p, const FlowResult& r);
}  // namespace archscan::flow
