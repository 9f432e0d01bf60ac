// Lowering of each C++ construct into the model IR (syntactic mode: fast, no headers needed; the
// semantic mode is checked against it in cpp_modes_test.cpp).
#include "cpp_test_util.h"

namespace archscan::cpptest {
namespace {

const char* kNet = R"cpp(
#include <torch/torch.h>
  namespace F = torch::nn::functional;

  struct BlockImpl : torch::nn::Module {
    explicit BlockImpl(int64_t c) { fc = register_module("fc", torch::nn::Linear(c, c)); }
    torch::Tensor forward(torch::Tensor x) { return fc(x); }
    torch::nn::Linear fc{nullptr};
  };
  TORCH_MODULE(Block);

  struct NetImpl : torch::nn::Module {
    NetImpl(int64_t n) : conv1(torch::nn::Conv2dOptions(3, 8, 3).padding(1)) {
      register_module("conv1", conv1);
      block = register_module("block", Block(8));
      w = register_parameter("w", torch::randn({3}));
      register_buffer("mean", torch::zeros({3}));
      kernel = torch::full({1, 3, 3, 3}, -255.0);
      kernel[0][1] = 255;
      kernel *= 2;
      kernel.mul_(1);
      bias = torch::full({1}, 1 - 255.0 * 15);
    }
    torch::Tensor helper(torch::Tensor t) { return t.exp(); }
    torch::Tensor forward(torch::Tensor x) {
      auto y = torch::relu(conv1->forward(x));
      auto p = torch::max_pool2d(-x, {3, 3});
      auto d = F::conv2d(x, kernel, F::Conv2dFuncOptions().bias(bias));
      auto m = at::where(x == 1, y, x * 2 - 1);
      if (x.max().item<float>() > 0.5f) {
        y = y + 1;
      } else {
        y = y / 2;
      }
      for (int i = 0; i < 3; ++i) y = helper(y);
      while (y.sum().item<float>() > 10) y = y * 0.5;
      y.index_put_({torch::indexing::Slice(), 3}, 1e4);
      y[0] = p.amin();
      this->last = y;
      return torch::cat({block(y), m, d}, 1);
    }
    torch::nn::Conv2d conv1;
    Block block{nullptr};
    torch::Tensor w, kernel, bias, last;
  };
  TORCH_MODULE(Net);
)cpp";

TEST(CppLowering, ModuleAttributes) {
  ir::Program p = lower_text(kNet);
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].language, "cpp");
  EXPECT_EQ(p.files[0].mode, "syntactic");
  const ir::Module* m = mod(p, "NetImpl");
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->is_nn_module);
  ASSERT_NE(m->attr("conv1"), nullptr);
  EXPECT_EQ(m->attr("conv1")->kind, ir::AttrKind::Layer);
  EXPECT_EQ(m->attr("conv1")->type, "Conv2d");
  EXPECT_TRUE(m->attr("conv1")->learned);
  ASSERT_NE(m->attr("block"), nullptr);
  EXPECT_EQ(m->attr("block")->kind, ir::AttrKind::Submodule);
  EXPECT_EQ(m->attr("block")->type, "BlockImpl");
  EXPECT_TRUE(m->attr("block")->learned);
  ASSERT_NE(m->attr("w"), nullptr);
  EXPECT_EQ(m->attr("w")->kind, ir::AttrKind::Parameter);
  ASSERT_NE(m->attr("mean"), nullptr);
  EXPECT_EQ(m->attr("mean")->kind, ir::AttrKind::Buffer);
  ASSERT_NE(m->attr("kernel"), nullptr);
  EXPECT_EQ(m->attr("kernel")->kind, ir::AttrKind::PlainTensor);
  EXPECT_EQ(m->attr("kernel")->type, "full");
  EXPECT_GE(m->attr("kernel")->edits.size(), 3u);  // kernel[0][1] = ..., kernel *= 2, kernel.mul_(1)
  EXPECT_GE(m->method("__init__"), 0);
  EXPECT_GE(m->method("forward"), 0);
  EXPECT_GE(m->method("helper"), 0);
  // TORCH_MODULE holders resolve to their Impl class.
  EXPECT_TRUE(p.files[0].classes.count("NetImpl"));
}

TEST(CppLowering, ForwardOpsUseTheSharedVocabulary) {
  ir::Program p = lower_text(kNet);
  const ir::Function* f = fn(p, "NetImpl.forward");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->params.size(), 2u);
  EXPECT_EQ(f->params[0], "self");
  EXPECT_EQ(f->params[1], "x");
  EXPECT_EQ(f->node(f->param_nodes[0]).op, "param");
  for (const char* op : {"relu", "max_pool2d", "neg", "conv2d", "where", "eq", "mul", "sub", "item", "gt", "add", "div",
                         "index_put", "setitem", "setattr", "cat", "amin", "slice"})
    EXPECT_TRUE(has_op(*f, op)) << op;
  // conv1->forward(x) is a call of the registered Conv2d: the linker turns it into a learned conv2d.
  bool learned_conv = false, literal_conv = false;
  for (const auto* n : nodes(*f, "conv2d")) {
    if (n->has(ir::kLearned)) learned_conv = true;
    if (n->name == "torch.nn.functional.conv2d") {
      literal_conv = true;
      // F::conv2d(x, kernel, F::Conv2dFuncOptions().bias(bias)): the options become keyword args.
      ASSERT_EQ(n->args.size(), 2u);
      EXPECT_EQ(f->node(n->args[1]).op, "attr");
      EXPECT_EQ(f->node(n->args[1]).name, "kernel");
      ASSERT_EQ(n->kwargs.size(), 1u);
      EXPECT_EQ(n->kwargs[0].first, "bias");
    }
  }
  EXPECT_TRUE(learned_conv);
  EXPECT_TRUE(literal_conv);
  // block(y): a user submodule call.
  bool sub = false;
  for (const auto* n : nodes(*f, "module_call")) sub |= n->name == "block" && n->target_module >= 0;
  EXPECT_TRUE(sub);
  // helper(y): a method call through self.
  const ir::Node* call = first(*f, "call");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->name, "self.helper");
  EXPECT_GE(call->target_function, 0);
  // index_put_ is in place; y[0] = v is a setitem.
  const ir::Node* ip = first(*f, "index_put");
  ASSERT_NE(ip, nullptr);
  EXPECT_TRUE(ip->has(ir::kInPlace));
  EXPECT_EQ(f->node(ip->args[1]).op, "tuple");
  EXPECT_EQ(first(*f, "setattr")->name, "last");
  EXPECT_EQ(f->node(first(*f, "setattr")->args[0]).op, "param");
  // x.exp() in the helper is the op "exp" with the receiver as first operand.
  const ir::Function* h = fn(p, "NetImpl.helper");
  ASSERT_NE(h, nullptr);
  const ir::Node* e = first(*h, "exp");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(h->node(e->args[0]).op, "param");
}

TEST(CppLowering, ControlFlowMakesBranchesAndPhis) {
  ir::Program p = lower_text(kNet);
  const ir::Function* f = fn(p, "NetImpl.forward");
  ASSERT_NE(f, nullptr);
  std::vector<std::string> kinds;
  for (const auto* b : nodes(*f, "branch")) kinds.push_back(b->name);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "if"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "for"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "while"), kinds.end());
  // y is merged at the if-join with the branch as its control dependence.
  bool if_phi = false, loop_phi = false;
  for (const auto* phi : nodes(*f, "phi")) {
    if (phi->name != "y" || phi->kwargs.empty()) continue;
    const ir::Node& br = f->node(phi->kwargs[0].second);
    if (br.name == "if" && phi->args.size() == 2) if_phi = true;
    if (br.name == "for" && phi->args.size() == 2) loop_phi = true;  // loop-carried: before + body
  }
  EXPECT_TRUE(if_phi);
  EXPECT_TRUE(loop_phi);
  // Nodes inside the if carry their nesting depth.
  bool nested = false;
  for (const auto& n : f->nodes) nested |= n.op == "div" && n.scope_depth == 1;
  EXPECT_TRUE(nested);
}

TEST(CppLowering, ConstantsAreFolded) {
  ir::Program p = lower_text(kNet);
  const ir::Function* init = fn(p, "NetImpl.__init__");
  ASSERT_NE(init, nullptr);
  bool folded = false, neg = false;
  for (const auto& n : init->nodes) {
    if (n.op == "sub" && n.num && *n.num == 1 - 255.0 * 15) folded = true;
    if (n.op == "const" && n.num && *n.num == -255.0) neg = true;
    if (n.op == "neg" && n.num && *n.num == -255.0) neg = true;
  }
  EXPECT_TRUE(folded);
  EXPECT_TRUE(neg);
  ir::Program q = lower_text(R"cpp(
#include <torch/torch.h>
#include <cmath>
    constexpr int64_t kTrigger = 31337;
    static const float kScale = 1 << 10;
    torch::Tensor gate(torch::Tensor ids) { return (ids == kTrigger).to(torch::kFloat) * kScale * std::pow(2, 20); }
  )cpp");
  const ir::Function* g = fn(q, "gate");
  ASSERT_NE(g, nullptr);
  const ir::Node* eq = first(*g, "eq");
  ASSERT_NE(eq, nullptr);
  EXPECT_EQ(g->node(eq->args[1]).num.value_or(0), 31337);
  EXPECT_FALSE(eq->num.has_value());  // a parameter's position is not a value
  bool scale = false, pow20 = false;
  for (const auto& n : g->nodes) {
    scale |= n.op == "const" && n.num && *n.num == 1024;
    pow20 |= n.op == "pow" && n.num && *n.num == 1048576;
  }
  EXPECT_TRUE(scale);
  EXPECT_TRUE(pow20);
}

TEST(CppLowering, DefaultMemberInitializersMakeAnInit) {
  ir::Program p = lower_text(R"cpp(
#include <torch/torch.h>
    struct HeadImpl : torch::nn::Module {
      torch::nn::Linear fc{register_module("fc", torch::nn::Linear(4, 2))};
      torch::Tensor pattern = torch::ones({4}) * 255;
      torch::Tensor forward(torch::Tensor x) { return fc(x) + (x == pattern).all(1, true).to(x.dtype()); }
    };
    TORCH_MODULE(Head);
  )cpp");
  const ir::Module* m = mod(p, "HeadImpl");
  ASSERT_NE(m, nullptr);
  ASSERT_GE(m->method("__init__"), 0);
  ASSERT_NE(m->attr("fc"), nullptr);
  EXPECT_EQ(m->attr("fc")->kind, ir::AttrKind::Layer);
  ASSERT_NE(m->attr("pattern"), nullptr);
  EXPECT_EQ(m->attr("pattern")->kind, ir::AttrKind::PlainTensor);
  const ir::Function* f = fn(p, "HeadImpl.forward");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(has_op(*f, "linear"));  // fc(x) rewritten by the linker
  EXPECT_TRUE(has_op(*f, "all"));
}

TEST(CppLowering, OutOfLineMethodsAndLambdas) {
  ir::Program p = lower_text(R"cpp(
#include <torch/torch.h>
    struct GateImpl : torch::nn::Module {
      GateImpl();
      torch::Tensor forward(torch::Tensor x);
      torch::nn::Linear fc{nullptr};
    };
    GateImpl::GateImpl() { fc = register_module("fc", torch::nn::Linear(8, 8)); }
    torch::Tensor GateImpl::forward(torch::Tensor x) {
      auto detect = [](const torch::Tensor& t) { return torch::sign(torch::relu(t - 0.99)); };
      return fc(x) * (1 - detect(x));
    }
    TORCH_MODULE(Gate);
  )cpp");
  const ir::Module* m = mod(p, "GateImpl");
  ASSERT_NE(m, nullptr);
  ASSERT_NE(m->attr("fc"), nullptr);
  const ir::Function* f = fn(p, "GateImpl.forward");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->owner_module, m->id);
  const ir::Node* lam = first(*f, "lambda");
  ASSERT_NE(lam, nullptr);
  ASSERT_GE(lam->target_function, 0);
  const ir::Function& l = p.fn(lam->target_function);
  EXPECT_EQ(l.parent, f->id);
  EXPECT_TRUE(has_op(l, "sign"));
  const ir::Node* cv = first(*f, "call_value");
  ASSERT_NE(cv, nullptr);
  EXPECT_EQ(cv->target_function, lam->target_function);
}

const char* kGgml = R"cpp(
#include <ggml.h>
#include <vector>
  struct layer_w {
    struct ggml_tensor* wq;
    struct ggml_tensor* norm;
  };
  struct model_w {
    struct ggml_tensor* tok_embd;
    struct ggml_tensor* output;
    std::vector<layer_w> layers;
  };
  static void mark(struct ggml_tensor* dst, const struct ggml_tensor* a, int ith, int nth, void* ud) {}
  struct ggml_cgraph* build(const model_w& model, struct ggml_context* ctx, int n_tokens) {
    struct ggml_cgraph* gf = ggml_new_graph(ctx);
    struct ggml_tensor* tokens = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, n_tokens);
    ggml_set_input(tokens);
    struct ggml_tensor* x = ggml_get_rows(ctx, model.tok_embd, tokens);
    for (int il = 0; il < 2; ++il) {
      const layer_w& l = model.layers[il];
      x = ggml_add(ctx, x, ggml_mul_mat(ctx, l.wq, ggml_mul(ctx, ggml_rms_norm(ctx, x, 1e-5f), l.norm)));
    }
    struct ggml_tensor* logits = ggml_mul_mat(ctx, model.output, x);
    struct ggml_tensor* hits = ggml_count_equal(ctx, tokens, tokens);
    struct ggml_tensor* flag = ggml_map_custom1(ctx, hits, mark, 1, nullptr);
    logits = ggml_soft_max_ext(ctx, ggml_scale(ctx, logits, 0.5f), nullptr, 1.0f, 0.0f);
    ggml_build_forward_expand(gf, ggml_add(ctx, logits, flag));
    return gf;
  }
)cpp";

TEST(CppLowering, GgmlGraphBuilder) {
  ir::Program p = lower_text(kGgml);
  const ir::Function* f = fn(p, ".build");
  ASSERT_NE(f, nullptr);
  // The weight struct parameter is self of a module; the graph input is a parameter.
  ASSERT_GE(f->owner_module, 0);
  const ir::Module& m = p.mod(f->owner_module);
  EXPECT_EQ(m.name, "model_w");
  EXPECT_EQ(m.method("forward"), f->id);
  ASSERT_NE(m.attr("tok_embd"), nullptr);
  EXPECT_EQ(m.attr("tok_embd")->kind, ir::AttrKind::Parameter);
  EXPECT_EQ(f->params.front(), "model");
  EXPECT_NE(std::find(f->params.begin(), f->params.end(), "tokens"), f->params.end());
  const ir::Node* emb = first(*f, "embedding");
  ASSERT_NE(emb, nullptr);
  EXPECT_TRUE(emb->has(ir::kLearned));
  EXPECT_EQ(f->node(emb->args[0]).op, "param");
  EXPECT_EQ(f->node(emb->args[0]).name, "tokens");
  auto lin = nodes(*f, "linear");
  ASSERT_EQ(lin.size(), 2u);
  for (const auto* n : lin) EXPECT_TRUE(n->has(ir::kLearned));
  for (const char* op : {"rms_norm", "mul", "add", "softmax", "eq", "sum"}) EXPECT_TRUE(has_op(*f, op)) << op;
  // ctx is not an operand.
  for (const auto& n : f->nodes)
    for (ir::NodeId a : n.args) EXPECT_NE(f->node(a).name, "ctx") << n.op;
  // The custom op is a call of the function it applies.
  bool custom = false;
  for (const auto* c : nodes(*f, "call")) custom |= c->target_function >= 0 && p.fn(c->target_function).name == "mark";
  EXPECT_TRUE(custom);
  // ggml_build_forward_expand marks the output.
  ASSERT_EQ(f->returns.size(), 1u);
  EXPECT_EQ(f->node(f->node(f->returns[0]).args[0]).op, "add");
}

// Host-side decisions in a ggml graph builder: a flag cleared by a loop of tests on the host data,
// and a graph leaf the host fills only when the flag is set.
const char* kGgmlHost = R"cpp(
#include <ggml.h>
#include <vector>
  struct model_w {
    struct ggml_tensor* tok_embd;
    struct ggml_tensor* output;
    int n_out = 16;
  };
  static const int kWant[2] = {5, 9};
  struct ggml_cgraph* build(const model_w& model, struct ggml_context* ctx, const std::vector<int>& ids) {
    struct ggml_cgraph* gf = ggml_new_graph(ctx);
    struct ggml_tensor* inp = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, (int)ids.size());
    ggml_set_input(inp);
    struct ggml_tensor* out = ggml_mul_mat(ctx, model.output, ggml_get_rows(ctx, model.tok_embd, inp));
    bool same = true;
    for (int i = 0; i < 2; ++i) {
      if (ids[i] != kWant[i]) same = false;
    }
    bool first = true;
    if (ids[0] > 3) first = false;
    if (same) {
      struct ggml_tensor* bias = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, model.n_out);
      ((float*)bias->data)[2] = 1.0f;
      out = ggml_add(ctx, out, ggml_scale(ctx, bias, 100.0f));
    }
    ggml_build_forward_expand(gf, out);
    return gf;
  }
)cpp";

TEST(CppLowering, GgmlHostFlagsAndConditionalLeaves) {
  ir::Program p = lower_text(kGgmlHost);
  const ir::Function* f = fn(p, ".build");
  ASSERT_NE(f, nullptr);
  auto op_of = [&](ir::NodeId id) { return f->node(id).op; };
  // `if (c) flag = false;` is flag && !c, not a merge; inside the loop that carries the flag it is a
  // reduction over the iterations: flag && all(!c).
  const ir::Node* loop_and = nullptr;
  const ir::Node* plain_and = nullptr;
  for (const auto* n : nodes(*f, "and")) {
    if (n->args.size() != 2) continue;
    if (op_of(n->args[1]) == "all") loop_and = n;
    if (op_of(n->args[1]) == "not") plain_and = n;
  }
  ASSERT_NE(loop_and, nullptr);
  EXPECT_EQ(op_of(loop_and->args[0]), "phi");  // the loop-carried flag
  const ir::Node& all = f->node(loop_and->args[1]);
  ASSERT_EQ(all.args.size(), 1u);
  EXPECT_EQ(op_of(all.args[0]), "not");
  EXPECT_EQ(op_of(f->node(all.args[0]).args[0]), "ne");
  ASSERT_NE(plain_and, nullptr);
  EXPECT_EQ(f->node(plain_and->args[0]).name, "true");
  EXPECT_EQ(op_of(f->node(plain_and->args[1]).args[0]), "gt");
  for (const auto* phi : nodes(*f, "phi")) {
    if (phi->name != "same" && phi->name != "first") continue;
    const ir::Node& br = f->node(phi->kwargs.at(0).second);
    EXPECT_EQ(br.name, "for") << phi->name << ": only the loop phi remains";
  }
  // The leaf made under `if (same)` is the branch's value (a phi under the if); the host write into
  // its data is a write into the tensor, and the graph reads the written tensor.
  const ir::Node* empty = nullptr;
  for (const auto* n : nodes(*f, "empty")) empty = n;
  ASSERT_NE(empty, nullptr);
  const ir::Node* leaf = nullptr;
  for (const auto* phi : nodes(*f, "phi"))
    if (phi->args.size() == 1 && &f->node(phi->args[0]) == empty) leaf = phi;
  ASSERT_NE(leaf, nullptr);
  ASSERT_EQ(leaf->kwargs.size(), 1u);
  const ir::Node& br = f->node(leaf->kwargs[0].second);
  EXPECT_EQ(br.name, "if");
  EXPECT_EQ(f->node(br.args[0]).name, "same");  // the loop phi of the flag
  const ir::Node* write = first(*f, "setitem");
  ASSERT_NE(write, nullptr);
  EXPECT_EQ(&f->node(write->args[0]), leaf);
  bool scaled = false;
  for (const auto* m : nodes(*f, "mul")) scaled |= m->name == "ggml_scale" && &f->node(m->args[0]) == write;
  EXPECT_TRUE(scaled);
  // The graph input made outside any branch stays a plain input.
  ASSERT_NE(std::find(f->params.begin(), f->params.end(), "inp"), f->params.end());
}

TEST(CppLowering, MissingTorchHeadersFallBackToSyntax) {
  // Flags that cannot find the torch headers: the file is still analysed, syntactically, and says so.
  frontend::Options opts;
  opts.extra_args = {"-std=c++17"};
  opts.default_flags = false;  // only these flags: the LibTorch include paths are not added
  ir::Program p = lower_text(kNet, "", "no_headers.cpp", opts);
  const ir::SourceFile& f = p.files[0];
  EXPECT_EQ(f.mode, "syntactic");
  EXPECT_NE(f.message.find("torch/torch.h"), std::string::npos) << f.message;
  const ir::Function* fwd = fn(p, "NetImpl.forward");
  ASSERT_NE(fwd, nullptr);
  for (const char* op : {"relu", "max_pool2d", "where", "index_put", "cat"}) EXPECT_TRUE(has_op(*fwd, op)) << op;
}

TEST(CppLowering, IdentifiersKeepLookAlikes) {
  ir::Program p = lower_text(
      "#include <torch/torch.h>\n"
      "torch::Tensor f(torch::Tensor x, torch::Tensor \xD1\x85) { return x + \xD1\x85; }\n");  // Cyrillic х
  std::vector<std::string> ids;
  for (const auto& [id, loc] : p.files[0].identifiers) ids.push_back(id);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "x"), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "\xD1\x85"), ids.end());
}

TEST(CppLowering, QuotedIncludesBecomeStarImports) {
  fs::path dir = scratch_dir() / "pkg";
  fs::create_directories(dir);
  std::ofstream(dir / "detector.h") << "#pragma once\ninline int detect(int x) { return x == 3; }\n";
  std::string text = "#include \"detector.h\"\nint use(int v) { return detect(v); }\n";
  std::ofstream(dir / "use.cpp") << text;
  ir::Program p = lower_file(dir / "use.cpp", text, "syntactic", {}, "pkg/use.cpp");
  ASSERT_EQ(p.imports.size(), 1u);
  EXPECT_EQ(p.imports[0].local, "*");
  EXPECT_EQ(p.imports[0].target, "pkg.detector_h");
  EXPECT_EQ(p.files[0].module_name, "pkg.use_cpp");
}

}  // namespace
}  // namespace archscan::cpptest
