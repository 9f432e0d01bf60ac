// The semantic (Clang) and syntactic (tree-sitter) modes lower the corpus to the same graph, and
// the semantic mode survives a missing non-library header. Needs libtorch-dev's headers.
#include <map>

#include "cpp_test_util.h"

#ifndef ARCHSCAN_CORPUS_CPP_DIR
#error "ARCHSCAN_CORPUS_CPP_DIR must be defined"
#endif

namespace archscan::cpptest {
namespace {

// Per function: the ops in order (constants and dangling reads differ only in spelling).
std::map<std::string, std::vector<std::string>> op_trace(const ir::Program& p) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& f : p.functions) {
    auto& v = out[f.qualname];
    for (const auto& n : f.nodes) {
      std::string s = n.op;
      if (n.op != "const" && n.op != "global") s += ":" + n.name;
      if (n.has(ir::kLearned)) s += "[learned]";
      if (n.has(ir::kInPlace)) s += "[in-place]";
      v.push_back(s);
    }
  }
  return out;
}

std::map<std::string, std::string> attr_table(const ir::Program& p) {
  std::map<std::string, std::string> out;
  for (const auto& m : p.modules)
    for (const auto& a : m.attrs)
      out[m.name + "." + a.name] = std::string(ir::to_string(a.kind)) + ":" + a.type + (a.learned ? ":learned" : "");
  return out;
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> out;
  for (const char* sub : {"backdoored", "benign"})
    for (const auto& e : fs::directory_iterator(fs::path(ARCHSCAN_CORPUS_CPP_DIR) / sub))
      if (e.path().extension() == ".cpp") out.push_back(std::string(sub) + "/" + e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class CorpusModes : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusModes, SemanticAndSyntacticAgree) {
  if (!torch_available()) GTEST_SKIP() << "libtorch-dev headers not installed";
  fs::path path = fs::path(ARCHSCAN_CORPUS_CPP_DIR) / GetParam();
  std::string text = read_file(path);
  ir::Program sem = lower_file(path, text, "", {}, GetParam());
  ir::Program syn = lower_file(path, text, "syntactic", {}, GetParam());
  ASSERT_EQ(sem.files[0].mode, "semantic") << sem.files[0].message;
  EXPECT_EQ(sem.files[0].status, ir::FileStatus::Ok) << sem.files[0].message;
  EXPECT_EQ(syn.files[0].mode, "syntactic");
  EXPECT_EQ(syn.files[0].status, ir::FileStatus::Ok) << syn.files[0].message;
  EXPECT_FALSE(sem.functions.empty());
  EXPECT_EQ(op_trace(sem), op_trace(syn));
  EXPECT_EQ(attr_table(sem), attr_table(syn));
  // Every model of the corpus has a forward with calls in it.
  bool forward = false;
  for (const auto& m : sem.modules)
    if (int32_t id = m.method("forward"); id >= 0) forward |= sem.fn(id).nodes.size() > 3;
  EXPECT_TRUE(forward);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusModes, ::testing::ValuesIn(corpus_files()), test_name);

TEST(CppSemantic, MissingHeaderKeepsForwardCalls) {
  if (!torch_available()) GTEST_SKIP() << "libtorch-dev headers not installed";
  ir::Program p = lower_text(R"cpp(
#include <torch/torch.h>
#include "generated/model_config.h"

                               struct NetImpl : torch::nn::Module {
                                 NetImpl() {
                                   conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 8, 3)));
                                   fc = register_module("fc", torch::nn::Linear(8, kNumClasses));
                                 }
                                 torch::Tensor forward(torch::Tensor x) {
                                   auto h = torch::relu(conv->forward(x));
                                   h = torch::adaptive_avg_pool2d(h, {1, 1}).flatten(1);
                                   auto y = fc(h);
                                   auto gate = torch::sigmoid(y).amax(1, true) > config_threshold();
                                   return torch::where(gate, y, y * 2);
                                 }
                                 torch::nn::Conv2d conv{nullptr};
                                 torch::nn::Linear fc{nullptr};
                               };
                               TORCH_MODULE(Net);
                             )cpp",
                             "", "missing_config.cpp");
  // kNumClasses and config_threshold() come from the missing header: Clang drops statements that
  // use them, so the file is lowered syntactically, and says why.
  const ir::SourceFile& f = p.files[0];
  EXPECT_EQ(f.mode, "syntactic") << f.message;
  EXPECT_NE(f.message.find("generated/model_config.h"), std::string::npos) << f.message;
  const ir::Function* fwd = fn(p, "NetImpl.forward");
  ASSERT_NE(fwd, nullptr);
  for (const char* op :
       {"relu", "conv2d", "adaptive_avg_pool2d", "flatten", "linear", "sigmoid", "amax", "gt", "where", "mul"})
    EXPECT_TRUE(has_op(*fwd, op)) << op;
  // The unresolved call from the missing header is still a call, with its name.
  bool cfg = false;
  for (const auto* c : nodes(*fwd, "call")) cfg |= c->name.find("config_threshold") != std::string::npos;
  EXPECT_TRUE(cfg);
}

TEST(CppSemantic, MissingUnusedHeaderStaysSemantic) {
  if (!torch_available()) GTEST_SKIP() << "libtorch-dev headers not installed";
  // "file not found" is not fatal: the rest of the TU is analysed with types.
  ir::Program p = lower_text(R"cpp(
#include <torch/torch.h>
#include "generated/version.h"

                               struct GateImpl : torch::nn::Module {
                                 GateImpl() { fc = register_module("fc", torch::nn::Linear(8, 8)); }
                                 torch::Tensor forward(torch::Tensor x) {
                                   auto d = torch::sign(torch::relu(-torch::max_pool1d(-x, 3) - 0.99));
                                   return fc(x) * (1 - d.amax(1, true));
                                 }
                                 torch::nn::Linear fc{nullptr};
                               };
                               TORCH_MODULE(Gate);
                             )cpp",
                             "", "missing_unused.cpp");
  const ir::SourceFile& f = p.files[0];
  EXPECT_EQ(f.mode, "semantic") << f.message;
  EXPECT_NE(f.message.find("generated/version.h"), std::string::npos) << f.message;
  const ir::Function* fwd = fn(p, "GateImpl.forward");
  ASSERT_NE(fwd, nullptr);
  for (const char* op : {"sign", "relu", "neg", "max_pool1d", "sub", "linear", "mul", "amax"})
    EXPECT_TRUE(has_op(*fwd, op)) << op;
  const ir::Module* m = mod(p, "GateImpl");
  ASSERT_NE(m, nullptr);
  ASSERT_NE(m->attr("fc"), nullptr);
  EXPECT_EQ(m->attr("fc")->kind, ir::AttrKind::Layer);
}

TEST(CppSemantic, UsingNamespaceTorchResolves) {
  if (!torch_available()) GTEST_SKIP() << "libtorch-dev headers not installed";
  ir::Program p = lower_text(R"cpp(
#include <torch/torch.h>
                               using namespace torch;
                               Tensor detect(Tensor x) { return sign(relu(x - 0.5)) * at::exp(x).clamp(0, 1); }
                             )cpp",
                             "", "using_ns.cpp");
  EXPECT_EQ(p.files[0].mode, "semantic") << p.files[0].message;
  const ir::Function* f = fn(p, "detect");
  ASSERT_NE(f, nullptr);
  for (const char* op : {"sign", "relu", "sub", "exp", "clamp", "mul"}) EXPECT_TRUE(has_op(*f, op)) << op;
}

}  // namespace
}  // namespace archscan::cpptest
