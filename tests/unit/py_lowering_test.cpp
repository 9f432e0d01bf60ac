// Lowering of the Python front-end (tree-sitter -> model IR), construct by construct, on small
// snippets run through the real pipeline (front-end + merge + linker), as issue 2 lists them.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "ir/ops.h"
#include "unit_util.h"

namespace archscan::unit {
namespace {

using ir::AttrKind;

// ---------------------------------------------------------------------------------------------
// Modules: nn.Module detection

TEST(PyModules, DetectsNnModuleSpelledEveryWay) {
  auto l = lower(R"PY(
import torch
import torch.nn as nn
from torch import nn as tnn
from torch.nn import Module

class A(nn.Module):
    pass

class B(torch.nn.Module):
    pass

class C(Module):
    pass

class D(tnn.Module):
    pass

class NotAModel:
    def __init__(self):
        self.x = 1
)PY");
  for (const char* name : {"m.A", "m.B", "m.C", "m.D"}) {
    const ir::Module* m = l.mod(name);
    ASSERT_NE(m, nullptr) << name << "\n" << l.dump();
    EXPECT_TRUE(m->is_nn_module) << name;
    ASSERT_EQ(m->bases.size(), 1u);
    EXPECT_EQ(m->bases[0], "torch.nn.Module") << name;
  }
  ASSERT_NE(l.mod("m.NotAModel"), nullptr);
  EXPECT_FALSE(l.mod("m.NotAModel")->is_nn_module);
}

TEST(PyModules, DetectsNnModuleThroughClassesOfTheTree) {
  auto l = lower(R"PY(
import torch.nn as nn

class Leaf(Mid):          # bases defined later in the file still resolve
    pass

class Mid(Base):
    pass

class Base(nn.Module):
    pass

class Plain:
    pass

class AlsoPlain(Plain):
    pass

class Mixed(Plain, Mid):
    pass
)PY");
  for (const char* name : {"m.Base", "m.Mid", "m.Leaf", "m.Mixed"}) {
    ASSERT_NE(l.mod(name), nullptr) << name;
    EXPECT_TRUE(l.mod(name)->is_nn_module) << name;
  }
  EXPECT_FALSE(l.mod("m.Plain")->is_nn_module);
  EXPECT_FALSE(l.mod("m.AlsoPlain")->is_nn_module);
  const ir::Module* leaf = l.mod("m.Leaf");
  ASSERT_EQ(leaf->base_modules.size(), 1u);
  EXPECT_EQ(l.p().mod(leaf->base_modules[0]).qualname, "m.Mid");
  EXPECT_EQ(l.mod("m.Mixed")->base_modules.size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Attributes that __init__ puts on self

struct LayerCase {
  const char* cls;
  bool learned;
  const char* op;  // what calling it computes
};

TEST(PyAttrs, LearnedAndParameterFreeLayersFromTheTorchNnTable) {
  const LayerCase cases[] = {
      {"Conv1d", true, "conv1d"},
      {"Conv2d", true, "conv2d"},
      {"Conv3d", true, "conv3d"},
      {"ConvTranspose2d", true, "conv_transpose2d"},
      {"Linear", true, "linear"},
      {"Bilinear", true, "bilinear"},
      {"Embedding", true, "embedding"},
      {"LSTM", true, "lstm"},
      {"GRU", true, "gru"},
      {"MultiheadAttention", true, "multi_head_attention"},
      {"PReLU", true, "prelu"},
      {"BatchNorm2d", true, "batch_norm"},
      {"LayerNorm", true, "layer_norm"},
      {"GroupNorm", true, "group_norm"},
      {"ReLU", false, "relu"},
      {"GELU", false, "gelu"},
      {"Sigmoid", false, "sigmoid"},
      {"Tanh", false, "tanh"},
      {"Softmax", false, "softmax"},
      {"MaxPool2d", false, "max_pool2d"},
      {"AvgPool2d", false, "avg_pool2d"},
      {"AdaptiveAvgPool2d", false, "adaptive_avg_pool2d"},
      {"Dropout", false, "dropout"},
      {"Flatten", false, "flatten"},
      {"Identity", false, "identity"},
      {"Upsample", false, "interpolate"},
  };
  std::string src =
      "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n"
      "        super().__init__()\n";
  for (const auto& c : cases) src += std::string("        self.l_") + c.cls + " = nn." + c.cls + "(4)\n";
  src += "\n    def forward(self, x):\n";
  for (const auto& c : cases) src += std::string("        x = self.l_") + c.cls + "(x)\n";
  src += "        return x\n";
  auto l = lower(src);
  const ir::Module* m = l.mod("m.Net");
  ASSERT_NE(m, nullptr) << l.dump();
  const ir::Function* fwd = l.fn("m.Net.forward");
  ASSERT_NE(fwd, nullptr);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.cls);
    const ir::Attr* a = m->attr(std::string("l_") + c.cls);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->kind, AttrKind::Layer);
    EXPECT_EQ(a->type, c.cls);
    EXPECT_EQ(a->learned, c.learned);
    EXPECT_TRUE(a->loc.valid());
    // The call of the attribute in forward is the layer's op; learned (non-norm) layers are flagged.
    const ir::Node* call = first(*fwd, c.op, std::string("l_") + c.cls);
    ASSERT_NE(call, nullptr) << ir::print(l.p(), *fwd);
    const ir::LayerInfo* li = ir::torch_layer(c.cls);
    ASSERT_NE(li, nullptr);
    EXPECT_EQ(call->has(ir::kLearned), li->learned && !li->normalisation);
    EXPECT_EQ(kwarg(*call, "self"), ir::kNoNode) << "a layer call keeps no receiver";
  }
  // Every layer construction in __init__ is a `layer` node named by its class.
  const ir::Function* init = l.fn("m.Net.__init__");
  ASSERT_NE(init, nullptr);
  EXPECT_EQ(nodes(*init, "layer").size(), std::size(cases));
}

TEST(PyAttrs, ParametersBuffersAndPlainTensors) {
  auto l = lower(R"PY(
import torch
import torch.nn as nn
from torch.nn.parameter import Parameter

class Net(nn.Module):
    def __init__(self, n=8):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n, n))
        self.b = Parameter(torch.zeros(n))
        self.frozen = nn.Parameter(torch.ones(n), requires_grad=False)
        self.register_buffer("mean", torch.zeros(3))
        self.register_buffer("table", torch.tensor([1.0, 2.0]), persistent=False)
        self.register_parameter("gain", nn.Parameter(torch.ones(1)))
        self.z = torch.zeros(3, 3)
        self.o = torch.ones(2) * 0.5
        self.t = torch.tensor([[1, 0], [0, 1]])
        self.f = torch.full((3, 3), 255.0)
        self.e = torch.eye(4).view(1, 1, 4, 4)
        self.scale = 2 ** 20
        self.name = "net"
)PY");
  const ir::Module* m = l.mod("m.Net");
  ASSERT_NE(m, nullptr);
  auto kind = [&](const char* n) {
    const ir::Attr* a = m->attr(n);
    return a ? a->kind : AttrKind::Other;
  };
  EXPECT_EQ(kind("w"), AttrKind::Parameter) << l.dump();
  EXPECT_TRUE(m->attr("w")->learned);
  EXPECT_EQ(kind("b"), AttrKind::Parameter);
  EXPECT_EQ(kind("frozen"), AttrKind::Parameter);
  EXPECT_FALSE(m->attr("frozen")->learned) << "requires_grad=False: not trained";
  EXPECT_EQ(kind("mean"), AttrKind::Buffer);
  EXPECT_EQ(kind("table"), AttrKind::Buffer);
  EXPECT_EQ(kind("gain"), AttrKind::Parameter);
  EXPECT_TRUE(m->attr("gain")->learned);
  const std::pair<const char*, const char*> plain[] = {
      {"z", "zeros"}, {"o", "ones"}, {"t", "tensor"}, {"f", "full"}, {"e", "eye"}};
  for (auto [name, factory] : plain) {
    SCOPED_TRACE(name);
    ASSERT_EQ(kind(name), AttrKind::PlainTensor);
    EXPECT_EQ(m->attr(name)->type, factory);
    EXPECT_FALSE(m->attr(name)->learned);
  }
  ASSERT_EQ(kind("scale"), AttrKind::Constant);
  EXPECT_EQ(*m->attr("scale")->num, 1048576.0);
  EXPECT_EQ(kind("name"), AttrKind::Constant);
  // The ops exist in __init__ with self as their first operand.
  const ir::Function* init = l.fn("m.Net.__init__");
  const ir::Node* rb = first(*init, "register_buffer");
  ASSERT_NE(rb, nullptr) << ir::print(l.p(), *init);
  ASSERT_EQ(rb->args.size(), 3u);
  EXPECT_EQ(arg(*init, *rb, 0).op, "param");
  EXPECT_EQ(arg(*init, *rb, 1).name, "mean");
  EXPECT_EQ(first(*init, "module_call"), nullptr) << "self.register_buffer is not a submodule call";
}

TEST(PyAttrs, ContainersWithTheirChildren) {
  auto l = lower(R"PY(
import torch.nn as nn

class Net(nn.Module):
    def __init__(self, depth=3):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.MaxPool2d(2))
        self.blocks = nn.ModuleList([nn.Linear(8, 8) for _ in range(depth)])
        self.heads = nn.ModuleDict({"cls": nn.Linear(8, 10), "act": nn.Sigmoid()})
        self.acts = nn.ModuleList([nn.ReLU(), nn.Tanh()])
        layers = []
        for i in range(depth):
            layers.append(nn.Conv2d(8, 8, 3))
            layers.append(nn.BatchNorm2d(8))
        layers += [nn.ReLU()]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        x = self.body(x)
        return self.heads["cls"](x)
)PY");
  const ir::Module* m = l.mod("m.Net");
  ASSERT_NE(m, nullptr);
  const ir::Attr* stem = m->attr("stem");
  ASSERT_NE(stem, nullptr);
  EXPECT_EQ(stem->kind, AttrKind::Container);
  EXPECT_EQ(stem->type, "Sequential");
  EXPECT_TRUE(stem->learned);
  ASSERT_EQ(stem->children.size(), 3u) << l.dump();
  EXPECT_EQ(stem->children[0].name, "0");
  EXPECT_EQ(stem->children[0].type, "Conv2d");
  EXPECT_EQ(stem->children[1].type, "ReLU");
  EXPECT_EQ(stem->children[2].type, "MaxPool2d");

  const ir::Attr* blocks = m->attr("blocks");
  ASSERT_NE(blocks, nullptr);
  EXPECT_EQ(blocks->type, "ModuleList");
  ASSERT_EQ(blocks->children.size(), 1u) << "a comprehension: one representative child";
  EXPECT_EQ(blocks->children[0].name, "*");
  EXPECT_EQ(blocks->children[0].type, "Linear");
  EXPECT_TRUE(blocks->learned);

  const ir::Attr* heads = m->attr("heads");
  ASSERT_NE(heads, nullptr);
  EXPECT_EQ(heads->type, "ModuleDict");
  ASSERT_NE(child(*heads, "cls"), nullptr);
  EXPECT_EQ(child(*heads, "cls")->type, "Linear");
  ASSERT_NE(child(*heads, "act"), nullptr);
  EXPECT_EQ(child(*heads, "act")->type, "Sigmoid");

  const ir::Attr* acts = m->attr("acts");
  ASSERT_NE(acts, nullptr);
  EXPECT_FALSE(acts->learned) << "ReLU and Tanh have no parameters";

  // nn.Sequential(*layers) where layers is built by appends and +=.
  const ir::Attr* body = m->attr("body");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->kind, AttrKind::Container);
  std::multiset<std::string> types;
  for (const auto& c : body->children) types.insert(c.type);
  EXPECT_EQ(types.count("Conv2d"), 1u) << l.dump();
  EXPECT_EQ(types.count("BatchNorm2d"), 1u);
  EXPECT_EQ(types.count("ReLU"), 1u);
  EXPECT_TRUE(body->learned);

  // Calls of containers are flagged learned when they hold parameters.
  const ir::Function* fwd = l.fn("m.Net.forward");
  const ir::Node* body_call = first(*fwd, "module_call", "body");
  ASSERT_NE(body_call, nullptr) << ir::print(l.p(), *fwd);
  EXPECT_TRUE(body_call->has(ir::kLearned));
}

TEST(PyAttrs, UserSubmodulesAndFactories) {
  auto l = lower(R"PY(
import torch.nn as nn

def conv3x3(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1)

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = conv3x3(c, c)

    def forward(self, x):
        return self.conv(x)

class Gate(nn.Module):
    def forward(self, x):
        return x.sigmoid()

class Net(nn.Module):
    def __init__(self, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        self.block = Block(8)
        self.gate = Gate()
        self.bn = norm_layer(8)
        self.conv = conv3x3(3, 8)

    def forward(self, x):
        return self.gate(self.block(self.bn(self.conv(x))))
)PY");
  const ir::Module* net = l.mod("m.Net");
  ASSERT_NE(net, nullptr);
  const ir::Attr* block = net->attr("block");
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->kind, AttrKind::Submodule);
  EXPECT_EQ(block->type, "Block");
  ASSERT_GE(block->module_class, 0);
  EXPECT_EQ(l.p().mod(block->module_class).qualname, "m.Block");
  EXPECT_TRUE(block->learned) << "Block owns a Conv2d";
  const ir::Attr* gate = net->attr("gate");
  ASSERT_NE(gate, nullptr);
  EXPECT_EQ(gate->kind, AttrKind::Submodule);
  EXPECT_FALSE(gate->learned) << "Gate owns no parameters";
  // A builder function's result is what it returns.
  ASSERT_NE(net->attr("conv"), nullptr);
  EXPECT_EQ(net->attr("conv")->kind, AttrKind::Layer);
  EXPECT_EQ(net->attr("conv")->type, "Conv2d");
  // norm_layer(8) with norm_layer defaulting to nn.BatchNorm2d.
  ASSERT_NE(net->attr("bn"), nullptr);
  EXPECT_EQ(net->attr("bn")->kind, AttrKind::Layer) << l.dump();
  EXPECT_EQ(net->attr("bn")->type, "BatchNorm2d");

  const ir::Function* fwd = l.fn("m.Net.forward");
  ASSERT_NE(fwd, nullptr);
  const ir::Node* conv = first(*fwd, "conv2d", "conv");
  ASSERT_NE(conv, nullptr) << ir::print(l.p(), *fwd);
  EXPECT_TRUE(conv->has(ir::kLearned));
  EXPECT_NE(first(*fwd, "batch_norm", "bn"), nullptr);
  const ir::Node* blk = first(*fwd, "module_call", "block");
  ASSERT_NE(blk, nullptr);
  ASSERT_GE(blk->target_module, 0);
  EXPECT_EQ(l.p().mod(blk->target_module).qualname, "m.Block");
  EXPECT_TRUE(blk->has(ir::kLearned));
  const ir::Node* g = first(*fwd, "module_call", "gate");
  ASSERT_NE(g, nullptr);
  EXPECT_FALSE(g->has(ir::kLearned));
}

TEST(PyAttrs, InPlaceEditsOfTensorsAndLayerWeights) {
  auto l = lower(R"PY(
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.zeros(1, 1, 3, 3)
        for i in range(3):
            for j in range(3):
                self.w[:, :, i, j] = 255
        self.w *= 255
        self.k = torch.ones(4)
        self.k.mul_(254 / 255)
        nn.init.constant_(self.k, 0.5)
        self.conv = nn.Conv2d(1, 1, 3)
        with torch.no_grad():
            self.conv.weight[0, 0] = 1.0
            self.conv.weight.data.fill_(0.0)
        self.untouched = torch.zeros(2)

    def forward(self, x):
        return nn.functional.conv2d(x, self.w)
)PY");
  const ir::Module* m = l.mod("m.Net");
  ASSERT_NE(m, nullptr);
  auto edit_lines = [&](const char* name) {
    std::vector<int> v;
    if (const ir::Attr* a = m->attr(name))
      for (const auto& e : a->edits) v.push_back(e.line);
    return v;
  };
  EXPECT_EQ(edit_lines("w"), (std::vector<int>{11, 12})) << l.dump();
  EXPECT_EQ(edit_lines("k"), (std::vector<int>{14, 15}));
  EXPECT_EQ(edit_lines("conv"), (std::vector<int>{18, 19})) << "edits of a layer's weight are edits of the layer";
  EXPECT_TRUE(edit_lines("untouched").empty());
  EXPECT_EQ(m->attr("w")->kind, AttrKind::PlainTensor);

  const ir::Function* init = l.fn("m.Net.__init__");
  // self.w[:, :, i, j] = 255: a setitem whose index is the tuple (slice, slice, i, j).
  const ir::Node* si = first(*init, "setitem");
  ASSERT_NE(si, nullptr);
  EXPECT_TRUE(si->has(ir::kInPlace));
  ASSERT_EQ(si->args.size(), 3u);
  EXPECT_EQ(arg(*init, *si, 0).op, "attr");
  EXPECT_EQ(arg(*init, *si, 0).name, "w");
  const ir::Node& idx = arg(*init, *si, 1);
  ASSERT_EQ(idx.op, "tuple");
  ASSERT_EQ(idx.args.size(), 4u);
  EXPECT_EQ(init->node(idx.args[0]).op, "slice");
  EXPECT_EQ(init->node(idx.args[2]).op, "iter_item");
  EXPECT_EQ(arg(*init, *si, 2).num, 255.0);
  EXPECT_EQ(si->scope_depth, 2) << "inside two for loops";
  // self.conv.weight.data.fill_(0.0) is a tensor op on the attribute, not a call of the conv layer.
  const ir::Node* fill = first(*init, "fill");
  ASSERT_NE(fill, nullptr) << ir::print(l.p(), *init);
  EXPECT_TRUE(fill->has(ir::kInPlace));
  EXPECT_EQ(first(*init, "conv2d"), nullptr);
  EXPECT_EQ(first(*init, "module_call"), nullptr);
}

TEST(PyAttrs, TensorMethodsOnAttributesAreNotSubmoduleCalls) {
  auto l = lower(R"PY(
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3)
        self.register_buffer("mask", torch.ones(3))

    def forward(self, x):
        m = self.mask.view(1, 3, 1, 1)
        s = self.conv.weight.sum()
        return self.conv(x) * m + s
)PY");
  const ir::Function* fwd = l.fn("m.Net.forward");
  ASSERT_NE(fwd, nullptr);
  const ir::Node* view = first(*fwd, "view");
  ASSERT_NE(view, nullptr) << ir::print(l.p(), *fwd);
  EXPECT_EQ(arg(*fwd, *view, 0).op, "attr");
  EXPECT_EQ(arg(*fwd, *view, 0).name, "mask");
  ASSERT_EQ(view->args.size(), 5u);
  const ir::Node* sum = first(*fwd, "sum");
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(arg(*fwd, *sum, 0).name, "weight");
  EXPECT_EQ(nodes(*fwd, "conv2d").size(), 1u) << "only self.conv(x) applies the layer";
  EXPECT_EQ(first(*fwd, "module_call"), nullptr);
}

// ---------------------------------------------------------------------------------------------
// Functions: op normalisation, operators, subscripts, constants

TEST(PyOps, OneOpNameForEverySpelling) {
  auto l = lower(R"PY(
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.functional import relu as R

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.act = nn.ReLU()
        self.sig = torch.nn.Sigmoid()

    def forward(self, x):
        e1 = torch.exp(x)
        e2 = x.exp()
        e3 = torch.Tensor.exp(x)
        r1 = F.relu(x)
        r2 = torch.relu(x)
        r3 = self.act(x)
        r4 = x.relu()
        r5 = R(x)
        r6 = torch.nn.functional.relu(x)
        s1 = self.sig(x)
        s2 = torch.sigmoid(x)
        s3 = x.sigmoid()
        a1 = torch.absolute(x)
        a2 = x.abs()
        c1 = torch.gt(x, 0)
        c2 = torch.greater(x, 0)
        x.relu_()
        y = F.relu(x, inplace=True)
        return e1, e2, e3, r1, r2, r3, r4, r5, r6, s1, s2, s3, a1, a2, c1, c2, y
)PY");
  const ir::Function* fwd = l.fn("m.Net.forward");
  ASSERT_NE(fwd, nullptr);
  std::string dump = ir::print(l.p(), *fwd);
  EXPECT_EQ(nodes(*fwd, "exp").size(), 3u) << dump;
  EXPECT_EQ(nodes(*fwd, "relu").size(), 8u) << dump;  // six spellings + relu_ + relu(inplace=True)
  EXPECT_EQ(nodes(*fwd, "sigmoid").size(), 3u) << dump;
  EXPECT_EQ(nodes(*fwd, "abs").size(), 2u) << dump;
  EXPECT_EQ(nodes(*fwd, "gt").size(), 2u) << dump;
  // Every exp reads x (the parameter), whatever the spelling; no value is folded from a parameter.
  for (const ir::Node* e : nodes(*fwd, "exp")) {
    ASSERT_EQ(e->args.size(), 1u);
    EXPECT_EQ(arg(*fwd, *e, 0).op, "param");
    EXPECT_FALSE(e->num.has_value()) << "exp(x) of a parameter is not a constant";
  }
  // x.relu_() is in-place and defines the new version of x.
  const ir::Node* inplace = nullptr;
  for (const ir::Node* r : nodes(*fwd, "relu"))
    if (r->name == "relu_") inplace = r;
  ASSERT_NE(inplace, nullptr);
  EXPECT_TRUE(inplace->has(ir::kInPlace));
  const ir::Node* last_relu = nodes(*fwd, "relu").back();  // F.relu(x, inplace=True) reads the new x
  EXPECT_EQ(last_relu->args.at(0), inplace->id);
  EXPECT_NE(kwarg(*last_relu, "inplace"), ir::kNoNode);
}

TEST(PyOps, ArithmeticComparisonAndBooleanOperators) {
  auto l = lower(R"PY(
def f(a, b):
    r = [a + b, a - b, a * b, a / b, a // b, a % b, a ** b, a @ b, -a, +a, ~a, a & b, a | b, a ^ b,
         a << b, a >> b]
    c = [a == b, a != b, a < b, a <= b, a > b, a >= b, a is b, a is not b, a in b, a not in b,
         not a, a and b, a or b]
    d = 0 < a < 10
    return r, c, d
)PY");
  const ir::Function* f = l.fn("m.f");
  ASSERT_NE(f, nullptr);
  std::string dump = ir::print(l.p(), *f);
  for (const char* op : {"add", "sub",    "mul",         "div",         "floordiv",   "remainder",   "pow",    "matmul",
                         "neg", "pos",    "logical_not", "logical_and", "logical_or", "logical_xor", "lshift", "rshift",
                         "eq",  "ne",     "lt",          "le",          "gt",         "ge",          "is",     "is_not",
                         "in",  "not_in", "not",         "and",         "or"})
    EXPECT_NE(first(*f, op), nullptr) << op << "\n" << dump;
  // 0 < a < 10 -> and(lt(0, a), lt(a, 10))
  const ir::Node& d = f->node(returned(*f).args.at(2));
  ASSERT_EQ(d.op, "and") << dump;
  EXPECT_EQ(f->node(d.args[0]).op, "lt");
  EXPECT_EQ(f->node(d.args[1]).op, "lt");
  // No operator on parameters is folded to a constant.
  for (const auto& n : f->nodes) {
    if (n.op != "const" && n.op != "param") {
      EXPECT_FALSE(n.num.has_value()) << n.op << "\n" << dump;
    }
  }
}

TEST(PyOps, ConstantsAreFolded) {
  auto l = lower(R"PY(
def f(x):
    a = 2 ** 20
    b = 254 / 255
    c = -1e4
    d = 0x10 + 0b11 + 0o7 + 1_000
    e = (3 - 1) * 4 // 3
    g = 1 << 8
    h = True
    s = "trigger"
    n = None
    return x * a + b + c + d + e + g + h
)PY");
  const ir::Function* f = l.fn("m.f");
  ASSERT_NE(f, nullptr);
  std::string dump = ir::print(l.p(), *f);
  auto value_of = [&](const char* op, int line) -> std::optional<double> {
    for (const auto& n : f->nodes)
      if (n.op == op && n.loc.line == line) return n.num;
    return std::nullopt;
  };
  EXPECT_EQ(value_of("pow", 3), 1048576.0) << dump;
  ASSERT_TRUE(value_of("div", 4).has_value());
  EXPECT_DOUBLE_EQ(*value_of("div", 4), 254.0 / 255.0);
  EXPECT_EQ(value_of("neg", 5), -10000.0);
  EXPECT_EQ(value_of("floordiv", 7), 2.0);
  EXPECT_EQ(value_of("lshift", 8), 256.0);
  double d = 0;
  for (const auto& n : f->nodes)
    if (n.op == "add" && n.loc.line == 6 && n.num) d = std::max(d, *n.num);
  EXPECT_EQ(d, 16 + 3 + 7 + 1000.0) << dump;
  const ir::Node* s = nullptr;
  for (const auto& n : f->nodes)
    if (n.op == "const" && n.name == "trigger") s = &n;
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(has_kwarg(*s, "string")) << "marked as a string literal";
  EXPECT_FALSE(s->num.has_value());
  const ir::Node* t = nullptr;
  for (const auto& n : f->nodes)
    if (n.op == "const" && n.name == "True") t = &n;
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->num, 1.0);
  // The folded value is kept on the node of the whole expression, the operands stay visible.
  const ir::Node* pw = first(*f, "pow");
  ASSERT_EQ(pw->args.size(), 2u);
  EXPECT_EQ(arg(*f, *pw, 0).num, 2.0);
  EXPECT_EQ(arg(*f, *pw, 1).num, 20.0);
}

TEST(PyOps, SubscriptReadsAndWrites) {
  auto l = lower(R"PY(
def f(x, i):
    a = x[0]
    b = x[:, 1:3, ::2]
    c = x[..., i]
    y = x.clone()
    y[0] = 1
    y[:, i] += 2
    return a, b, c, y
)PY");
  const ir::Function* f = l.fn("m.f");
  ASSERT_NE(f, nullptr);
  std::string dump = ir::print(l.p(), *f);
  auto gets = nodes(*f, "getitem");
  ASSERT_GE(gets.size(), 3u) << dump;
  EXPECT_EQ(arg(*f, *gets[0], 0).name, "x");
  EXPECT_EQ(arg(*f, *gets[0], 1).num, 0.0);
  const ir::Node& idx = arg(*f, *gets[1], 1);
  ASSERT_EQ(idx.op, "tuple") << dump;
  ASSERT_EQ(idx.args.size(), 3u);
  const ir::Node& sl = f->node(idx.args[1]);
  ASSERT_EQ(sl.op, "slice");
  ASSERT_EQ(sl.args.size(), 2u);
  EXPECT_EQ(f->node(sl.args[0]).num, 1.0);
  EXPECT_EQ(f->node(sl.args[1]).num, 3.0);
  EXPECT_EQ(f->node(arg(*f, *gets[2], 1).args[0]).name, "...");
  // y[0] = 1 defines a new version of y; the return reads the last version.
  auto sets = nodes(*f, "setitem");
  ASSERT_EQ(sets.size(), 2u) << dump;
  EXPECT_TRUE(sets[0]->has(ir::kInPlace));
  EXPECT_EQ(arg(*f, *sets[0], 0).op, "clone");
  EXPECT_EQ(sets[1]->args[0], sets[0]->id) << "y[:, i] += 2 edits the version written by y[0] = 1";
  const ir::Node& ret = returned(*f);
  ASSERT_EQ(ret.op, "tuple");
  EXPECT_EQ(ret.args[3], sets[1]->id);
}

// ---------------------------------------------------------------------------------------------
// Control flow: phi and branch nodes

TEST(PyControlFlow, IfElifElseMergeWithPhis) {
  auto l = lower(R"PY(
def f(x, t):
    if x.mean() > t:
        y = x * 2
    elif t < 0:
        y = -x
    else:
        y = x
    return y
)PY");
  const ir::Function* f = l.fn("m.f");
  ASSERT_NE(f, nullptr);
  std::string dump = ir::print(l.p(), *f);
  auto branches = nodes(*f, "branch");
  ASSERT_EQ(branches.size(), 2u) << dump;
  EXPECT_EQ(branches[0]->name, "if");
  EXPECT_EQ(arg(*f, *branches[0], 0).op, "gt");
  const ir::Node& y = returned(*f);
  ASSERT_EQ(y.op, "phi") << dump;
  EXPECT_EQ(y.name, "y");
  EXPECT_EQ(kwarg(y, "cond"), branches[0]->id);
  // The three versions reach the join.
  std::set<std::string> ops;
  std::vector<ir::NodeId> work{y.id};
  while (!work.empty()) {
    const ir::Node& n = f->node(work.back());
    work.pop_back();
    if (n.op == "phi")
      work.insert(work.end(), n.args.begin(), n.args.end());
    else
      ops.insert(n.op);
  }
  EXPECT_EQ(ops, (std::set<std::string>{"mul", "neg", "param"})) << dump;
  EXPECT_EQ(first(*f, "mul")->scope_depth, 1);
}

TEST(PyControlFlow, LoopsCarryValuesThroughPhis) {
  auto l = lower(R"PY(
def f(x):
    i = 0
    acc = x
    while i < 10:
        acc = acc + 1
        i += 1
    for k in range(3):
        acc = acc * k
    return acc
)PY");
  const ir::Function* f = l.fn("m.f");
  ASSERT_NE(f, nullptr);
  std::string dump = ir::print(l.p(), *f);
  const ir::Node* wb = first(*f, "branch", "while");
  ASSERT_NE(wb, nullptr) << dump;
  // The while condition compares the loop-carried i (a phi of 0 and i + 1), not the constant 0.
  const ir::Node& cond = arg(*f, *wb, 0);
  ASSERT_EQ(cond.op, "lt") << dump;
  EXPECT_FALSE(cond.num.has_value()) << "i < 10 is not constant inside the loop";
  const ir::Node& i = arg(*f, cond, 0);
  ASSERT_EQ(i.op, "phi") << dump;
  EXPECT_EQ(i.name, "i");
  ASSERT_EQ(i.args.size(), 2u);
  EXPECT_EQ(f->node(i.args[0]).num, 0.0);
  EXPECT_EQ(f->node(i.args[1]).op, "add");
  EXPECT_TRUE(f->node(i.args[1]).has(ir::kInPlace));
  EXPECT_EQ(kwarg(i, "cond"), wb->id);
  // for: branch on the iterable, the target is an iter_item, acc's phi merges both loops.
  const ir::Node* fb = first(*f, "branch", "for");
  ASSERT_NE(fb, nullptr);
  EXPECT_EQ(arg(*f, *fb, 0).op, "call");
  EXPECT_EQ(arg(*f, *fb, 0).name, "range");
  ASSERT_NE(first(*f, "iter_item"), nullptr);
  const ir::Node& acc = returned(*f);
  ASSERT_EQ(acc.op, "phi") << dump;
  EXPECT_EQ(acc.name, "acc");
  EXPECT_EQ(kwarg(acc, "cond"), fb->id);
  EXPECT_EQ(f->node(acc.args[0]).op, "phi") << "the value after the while loop";
  EXPECT_EQ(f->node(acc.args[1]).op, "mul");
}

TEST(PyControlFlow, TryWithAndComprehensions) {
  auto l = lower(R"PY(
import torch

def f(x):
    try:
        r = x / x.sum()
    except ZeroDivisionError as e:
        r = x
    finally:
        x = x + 0
    with torch.no_grad():
        y = r * 2
    q = [v * 3 for v in y if v > 0]
    return r, y, q
)PY");
  const ir::Function* f = l.fn("m.f");
  ASSERT_NE(f, nullptr);
  std::string dump = ir::print(l.p(), *f);
  const ir::Node& ret = returned(*f);
  ASSERT_EQ(ret.op, "tuple");
  const ir::Node& r = f->node(ret.args[0]);
  ASSERT_EQ(r.op, "phi") << "r is the body's or the handler's version\n" << dump;
  std::set<std::string> ops;
  for (ir::NodeId a : r.args) ops.insert(f->node(a).op);
  EXPECT_EQ(ops, (std::set<std::string>{"div", "param"}));
  EXPECT_EQ(f->node(ret.args[1]).op, "mul");
  EXPECT_EQ(arg(*f, f->node(ret.args[1]), 0).id, r.id);
  const ir::Node& q = f->node(ret.args[2]);
  ASSERT_EQ(q.op, "comprehension");
  EXPECT_EQ(f->node(q.args[0]).op, "mul");
  EXPECT_NE(first(*f, "no_grad"), nullptr);
}

// ---------------------------------------------------------------------------------------------
// Names

TEST(PyNames, AliasesThroughAssignment) {
  auto l = lower(R"PY(
import torch
import torch.nn.functional as F

def f(x):
    y = x
    z = y
    act = F.relu
    t = torch
    a, b = z, x
    c = d = a
    return act(c), t.exp(b)
)PY");
  const ir::Function* f = l.fn("m.f");
  ASSERT_NE(f, nullptr);
  std::string dump = ir::print(l.p(), *f);
  const ir::Node& ret = returned(*f);
  ASSERT_EQ(ret.op, "tuple") << dump;
  // act = F.relu; act(c): the alias names the function torch.nn.functional.relu, so the call is
  // the op relu.
  const ir::Node& r = f->node(ret.args[0]);
  ASSERT_EQ(r.op, "relu") << dump;
  EXPECT_EQ(r.name, "torch.nn.functional.relu");
  // c = d = a, and `a, b = z, x` binds a to z itself (z = y = x): the parameter, no tuple lookup.
  const ir::Node& c = arg(*f, r, 0);
  ASSERT_EQ(c.op, "param") << dump;
  EXPECT_EQ(c.name, "x");
  // t = torch; t.exp(b): the op exp, of b = x.
  const ir::Node& e = f->node(ret.args[1]);
  EXPECT_EQ(e.op, "exp") << dump;
  EXPECT_EQ(arg(*f, e, 0).op, "param");
}

TEST(PyNames, UnpackingAValueOrASpreadReadsItsElements) {
  auto l = lower(R"PY(
def f(pair, x):
    a, b = pair
    c, *rest = x, x, x
    return a, c
)PY");
  const ir::Function* f = l.fn("m.f");
  ASSERT_NE(f, nullptr);
  std::string dump = ir::print(l.p(), *f);
  const ir::Node& ret = returned(*f);
  ASSERT_EQ(ret.op, "tuple") << dump;
  // Unpacking a value that is no literal tuple: its element 0.
  const ir::Node& a = f->node(ret.args[0]);
  ASSERT_EQ(a.op, "getitem") << dump;
  EXPECT_EQ(arg(*f, a, 1).num, 0.0);
  // A starred target: positions are not one to one, so elements are read by index.
  EXPECT_EQ(f->node(ret.args[1]).op, "getitem") << dump;
}

TEST(PyNames, LookAlikeIdentifiersStayDistinct) {
  // "х" below is CYRILLIC SMALL LETTER HA (U+0445); "x" is Latin.
  auto l = lower(
      "import torch.nn as nn\n"
      "class M(nn.Module):\n"
      "    def forward(self, x):\n"
      "        \xd1\x85 = x * 0\n"
      "        y = x + 1\n"
      "        return \xd1\x85 + y\n");
  const ir::Function* fwd = l.fn("m.M.forward");
  ASSERT_NE(fwd, nullptr);
  std::string dump = ir::print(l.p(), *fwd);
  const ir::Node& ret = returned(*fwd);
  ASSERT_EQ(ret.op, "add") << dump;
  EXPECT_EQ(arg(*fwd, ret, 0).op, "mul") << "the Cyrillic name is the product, not the parameter x";
  EXPECT_EQ(arg(*fwd, ret, 1).op, "add");
  EXPECT_EQ(arg(*fwd, arg(*fwd, ret, 1), 0).op, "param");
  const ir::SourceFile* file = l.file("m.py");
  ASSERT_NE(file, nullptr);
  std::set<std::string> ids;
  for (const auto& [name, loc] : file->identifiers) {
    ids.insert(name);
    EXPECT_TRUE(loc.valid()) << name;
  }
  EXPECT_TRUE(ids.count("x"));
  EXPECT_TRUE(ids.count("\xd1\x85")) << "the Cyrillic identifier is recorded exactly as written";
  for (const auto& [name, loc] : file->identifiers)
    if (name == "\xd1\x85") {
      EXPECT_EQ(loc.line, 4);
      EXPECT_EQ(loc.col, 9);
    }
}

TEST(PyNames, NestedFunctionsLambdasAndFactories) {
  auto l = lower(R"PY(
import torch
import torch.nn as nn

def make_gate(scale):
    def gate(x):
        return torch.sigmoid(x) * scale
    return gate

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.post = lambda t: t.clamp(0, 1)

    def forward(self, x):
        g = make_gate(2.0)
        h = lambda v: v.exp()
        y = self.fc(x)
        return g(y) + h(y) + self.post(y)
)PY");
  const ir::Function* gate = l.fn("m.make_gate.<locals>.gate");
  ASSERT_NE(gate, nullptr) << l.dump();
  EXPECT_EQ(l.p().fn(gate->parent).qualname, "m.make_gate");
  const ir::Node* free = first(*gate, "free", "scale");
  ASSERT_NE(free, nullptr) << "a closure read of the enclosing function's parameter";
  const ir::Function* fwd = l.fn("m.Net.forward");
  ASSERT_NE(fwd, nullptr);
  std::string dump = ir::print(l.p(), *fwd);
  const ir::Node* factory_call = first(*fwd, "call", "m.make_gate");
  ASSERT_NE(factory_call, nullptr) << dump;
  ASSERT_GE(factory_call->target_function, 0);
  EXPECT_EQ(l.p().fn(factory_call->target_function).qualname, "m.make_gate");
  // g(y) calls the closure the factory returns; h(y) the lambda.
  std::vector<std::string> targets;
  for (const ir::Node* cv : nodes(*fwd, "call_value"))
    targets.push_back(cv->target_function >= 0 ? l.p().fn(cv->target_function).qualname : "?");
  ASSERT_EQ(targets.size(), 2u) << dump;
  EXPECT_EQ(targets[0], "m.make_gate.<locals>.gate") << dump;
  EXPECT_EQ(targets[1], "m.Net.forward.<lambda>");
  const ir::Function* lam = l.fn("m.Net.forward.<lambda>");
  ASSERT_NE(lam, nullptr);
  ASSERT_EQ(lam->params, std::vector<std::string>{"v"});
  EXPECT_EQ(returned(*lam).op, "exp");
  EXPECT_FALSE(returned(*lam).num.has_value());
  // A lambda stored on self in __init__.
  const ir::Attr* post = l.mod("m.Net")->attr("post");
  ASSERT_NE(post, nullptr);
  ASSERT_GE(post->function, 0);
  EXPECT_EQ(l.p().fn(post->function).qualname, "m.Net.__init__.<lambda>");
}

TEST(PyNames, MethodsDecoratorsAndSelfCalls) {
  auto l = lower(R"PY(
import torch
import torch.nn as nn

class Net(nn.Module):
    @staticmethod
    def helper(x):
        return x * 2

    def _branch(self, x):
        return x.tanh()

    @torch.no_grad()
    def forward(self, x):
        return self._branch(self.helper(x))
)PY");
  const ir::Module* m = l.mod("m.Net");
  ASSERT_NE(m, nullptr);
  EXPECT_GE(m->method("helper"), 0);
  EXPECT_GE(m->method("_branch"), 0);
  const ir::Function* fwd = l.fn("m.Net.forward");
  ASSERT_NE(fwd, nullptr);
  EXPECT_EQ(fwd->decorators, std::vector<std::string>{"torch.no_grad()"});  // "()": a decorator factory
  EXPECT_EQ(fwd->owner_module, m->id);
  const ir::Node* c = first(*fwd, "call", "self._branch");
  ASSERT_NE(c, nullptr) << ir::print(l.p(), *fwd);
  EXPECT_EQ(c->target_function, m->method("_branch"));
  const ir::Node* h = first(*fwd, "call", "self.helper");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->target_function, m->method("helper"));
}

// ---------------------------------------------------------------------------------------------
// Partial parses

TEST(PyPartial, SyntaxErrorKeepsWhatParsed) {
  auto l = lower(R"PY(
import torch

def before(x):
    return torch.exp(x)

def broken(x):
    return x +

def after(y):
    return y.sigmoid()
)PY");
  const ir::SourceFile* f = l.file("m.py");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->status, ir::FileStatus::Partial);
  EXPECT_NE(f->message.find("syntax error at 8:"), std::string::npos) << f->message;
  EXPECT_EQ(f->message.find('\n'), std::string::npos) << "one line";
  const ir::Function* before = l.fn("m.before");
  ASSERT_NE(before, nullptr) << l.dump();
  EXPECT_EQ(returned(*before).op, "exp");
  const ir::Function* after = l.fn("m.after");
  ASSERT_NE(after, nullptr) << l.dump();
  EXPECT_EQ(returned(*after).op, "sigmoid");
}

TEST(PyPartial, UnclosedClassStillYieldsItsModule) {
  auto l = lower(R"PY(
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(x)
)PY");
  const ir::SourceFile* f = l.file("m.py");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->status, ir::FileStatus::Partial);
  EXPECT_FALSE(f->message.empty());
  EXPECT_NE(f->message.find("syntax error at 7:"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("line 7 skipped"), std::string::npos) << f->message;
  const ir::Module* m = l.mod("m.Net");
  ASSERT_NE(m, nullptr) << l.dump();
  EXPECT_TRUE(m->is_nn_module);
  // The unclosed bracket does not swallow the rest of the class.
  ASSERT_NE(m->attr("fc"), nullptr) << l.dump();
  EXPECT_EQ(m->attr("fc")->type, "Linear");
  const ir::Function* fwd = l.fn("m.Net.forward");
  ASSERT_NE(fwd, nullptr) << l.dump();
  EXPECT_NE(first(*fwd, "linear", "fc"), nullptr) << ir::print(l.p(), *fwd);
  // The source text itself is kept as written (snippets, suppressions).
  EXPECT_NE(f->text.find("nn.Conv2d(3, 8, 3\n"), std::string::npos);
}

TEST(PyPartial, UnclosedStringAndTorchGrammarGap) {
  auto l = lower(R"PY(
import torch

def f(x):
    s = """never closed
    return x

def g(endpoint):
    host, *rest = endpoint, *[]
    return torch.exp(host)
)PY");
  const ir::SourceFile* f = l.file("m.py");
  EXPECT_EQ(f->status, ir::FileStatus::Partial);
  const ir::Function* g = l.fn("m.g");
  ASSERT_NE(g, nullptr) << l.dump();
  EXPECT_NE(first(*g, "exp"), nullptr) << l.dump();
}

TEST(PyPartial, ValidFileIsOk) {
  auto l = lower("x = 1\n");
  EXPECT_EQ(l.file("m.py")->status, ir::FileStatus::Ok);
  EXPECT_TRUE(l.file("m.py")->message.empty());
}

// ---------------------------------------------------------------------------------------------
// The printed IR (`archscan ir`) of a ResNet-style model: learned layers and forward's dataflow.

TEST(PyPrint, ResNetBlockShowsLayersAndDataflow) {
  auto l = lower(R"PY(
import torch.nn as nn

class BasicBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += identity
        return self.relu(out)
)PY");
  std::string out = l.dump();
  EXPECT_NE(out.find("module m.BasicBlock [nn.Module]"), std::string::npos) << out;
  EXPECT_NE(out.find("attr conv1: layer Conv2d learned"), std::string::npos) << out;
  EXPECT_NE(out.find("attr relu: layer ReLU @"), std::string::npos) << out;
  EXPECT_NE(out.find("function m.BasicBlock.forward(self, x)"), std::string::npos);
  EXPECT_NE(out.find("= conv2d 'conv1'(%1) [learned]"), std::string::npos) << out;
  EXPECT_NE(out.find("= batch_norm 'bn1'"), std::string::npos) << out;
  EXPECT_NE(out.find("[in-place]"), std::string::npos) << "out += identity";
}

}  // namespace
}  // namespace archscan::unit
