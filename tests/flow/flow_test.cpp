// The flow layer on its own: Python source lowered by the front-end, linked, and analysed by
// analysis/ (roots, inlining, input-flow facts, detector chains). This binary links only the
// frontend, link and analysis layers: no pipeline, no rules, no findings, so it also proves that
// those layers stand without the ones above them.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "analysis/analyses.h"
#include "analysis/detector_flow.h"
#include "frontend/frontend.h"
#include "link/linker.h"

namespace archscan {
namespace {

// Files (module name -> source) lowered and linked as one program, as the pipeline would.
ir::Program program(const std::vector<std::pair<std::string, std::string>>& files) {
  ir::Program p;
  for (const auto& [module, text] : files) {
    ir::Program frag;
    ir::SourceFile f;
    f.path = module + ".py";
    f.abs_path = "/flow-test/" + f.path;
    f.module_name = module;
    f.language = "python";
    f.text = text;
    f.line_starts = ir::line_starts(text);
    frag.files.push_back(std::move(f));
    const frontend::Frontend* fe = frontend::frontend_for(frag.files[0].path);
    EXPECT_NE(fe, nullptr);
    if (fe) fe->lower(frag, frontend::Options{});
    link::merge(p, std::move(frag));
  }
  link::link(p);
  return p;
}

const flow::FlowResult* root_named(const Analyses& a, const std::string& label) {
  for (const auto& fr : a.flows())
    if (fr.graph.root.label == label) return &fr;
  return nullptr;
}

const char* kBackbone = R"PY(import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(8, 10)

    def forward(self, x):
        logits = self.head(self.body(x))
)PY";

TEST(Flow, WeightFreeDetectorOnTheInputOverridingTheOutputIsAChain) {
  ir::Program p =
      program({{"net", std::string(kBackbone) +
                           R"PY(        hit = (x[:, :, :4, :4].mean(dim=(1, 2, 3)) > 0.97).float().unsqueeze(1)
        target = torch.zeros_like(logits)
        target[:, 3] = 100.0
        return hit * target + (1 - hit) * logits
)PY"}});
  Analyses a(p, 1);
  const flow::FlowResult* fr = root_named(a, "Net");
  ASSERT_NE(fr, nullptr);
  ASSERT_EQ(fr->chains.size(), 1u) << flow::print(p, *fr);
  const flow::Chain& c = fr->chains[0];
  EXPECT_EQ(c.propagation, flow::Propagation::Separate);
  EXPECT_EQ(c.integration_kind, flow::Integration::Targeted);
  EXPECT_FALSE(c.constant_based);  // a threshold on a statistic: operator-based, no stored pattern
  EXPECT_FALSE(c.detector_steps.empty());
  // The detector is a weight-free function of the input; the data it rewrites went through weights.
  const flow::Fact& det = fr->facts[static_cast<size_t>(c.detector)];
  EXPECT_TRUE(det.raw);
  EXPECT_FALSE(det.learned);
  EXPECT_TRUE(fr->facts[static_cast<size_t>(c.data)].learned);
}

TEST(Flow, ALearnedGateIsNoChain) {
  ir::Program p = program({{"net", std::string(kBackbone) + R"PY(        gate = torch.sigmoid(self.head(self.body(x)))
        return logits * gate
)PY"}});
  Analyses a(p, 1);
  const flow::FlowResult* fr = root_named(a, "Net");
  ASSERT_NE(fr, nullptr);
  EXPECT_TRUE(fr->chains.empty()) << flow::print(p, *fr);
}

TEST(Flow, InputNormalisationIsNoDetector) {
  ir::Program p = program({{"net", std::string(kBackbone) + R"PY(        return logits

    def normalised(self, x):
        x = (x - x.mean(dim=(2, 3), keepdim=True)) / (x.std(dim=(2, 3), keepdim=True) + 1e-5)
        return self.head(self.body(x))
)PY"}});
  Analyses a(p, 1);
  for (const auto& fr : a.flows()) EXPECT_TRUE(fr.chains.empty()) << flow::print(p, fr);
}

// `k += 5` in one arm of an if is not what the other arm reads: the join chooses between the two sums.
TEST(Flow, AnAugmentedAssignmentStaysInItsBranch) {
  ir::Program p = program({{"net", std::string(kBackbone) + R"PY(        k = 0
        if x.sum() > 0:
            k += 5
        else:
            k += 1
        return logits * k
)PY"}});
  Analyses a(p, 1);
  const flow::FlowResult* fr = root_named(a, "Net");
  ASSERT_NE(fr, nullptr);
  const flow::FlatNode* join = nullptr;
  for (const auto& n : fr->graph.nodes)
    if (n.op == "phi" && n.name == "k") join = &n;
  ASSERT_NE(join, nullptr) << flow::print(p, *fr);
  ASSERT_EQ(join->args.size(), 2u) << flow::print(p, *fr);
  EXPECT_NE(join->args[0], join->args[1]) << flow::print(p, *fr);
  for (int32_t arm : join->args) {
    const flow::FlatNode& sum = fr->graph.nodes[static_cast<size_t>(arm)];
    ASSERT_EQ(sum.op, "add");
    EXPECT_EQ(fr->graph.nodes[static_cast<size_t>(sum.args[0])].op, "const") << flow::print(p, *fr);
  }
}

TEST(Flow, AChainThroughAHelperOfAnotherFileIsAnchoredInTheModel) {
  ir::Program p =
      program({{"helpers", R"PY(import torch


def blend(logits, x):
    hit = (x.amax(dim=(1, 2, 3)) > 0.99).float().unsqueeze(1)
    forced = torch.full_like(logits, -1e4)
    forced[:, 7] = 1e4
    return torch.where(hit.bool(), forced, logits)
)PY"},
               {"net", "from helpers import blend\n" + std::string(kBackbone) + "        return blend(logits, x)\n"}});
  Analyses a(p, 1);
  const flow::FlowResult* fr = root_named(a, "Net");
  ASSERT_NE(fr, nullptr);
  ASSERT_EQ(fr->chains.size(), 1u) << flow::print(p, *fr);
  const flow::FlatNode& at = fr->graph.nodes[static_cast<size_t>(fr->chains[0].integration)];
  EXPECT_EQ(p.file(at.loc.file).path, "helpers.py");
  ASSERT_TRUE(at.anchor.valid());
  EXPECT_EQ(p.file(at.anchor.file).path, "net.py");
  EXPECT_EQ(at.anchor.line, 14);  // the model's own line that calls the helper
}

}  // namespace
}  // namespace archscan
