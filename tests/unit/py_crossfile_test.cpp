// Cross-file resolution: imports of every form, star imports honouring __all__, package __init__
// re-exports, resolved into edges between IR functions and modules (tests/fixtures/frontend/xfile).
#include <gtest/gtest.h>

#include <map>

#include "link/linker.h"
#include "unit_util.h"

namespace archscan::unit {
namespace {

class CrossFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { prog_ = build({fixture("xfile")}); }
  static void TearDownTestSuite() { prog_.reset(); }

  const ir::Program& p() const { return *prog_; }
  const ir::Function* fn(const std::string& q) const {
    for (const auto& f : prog_->functions)
      if (f.qualname == q) return &f;
    return nullptr;
  }
  const ir::Module* mod(const std::string& q) const {
    for (const auto& m : prog_->modules)
      if (m.qualname == q) return &m;
    return nullptr;
  }
  // The qualname a call node resolves to ("" when unresolved).
  std::string target(const ir::Function& f, const std::string& op, const std::string& name) const {
    const ir::Node* n = first(f, op, name);
    if (!n) return "<no " + op + " '" + name + "'>";
    if (n->target_function >= 0) return p().fn(n->target_function).qualname;
    if (n->target_module >= 0) return "class " + p().mod(n->target_module).qualname;
    return "";
  }

  static std::shared_ptr<ir::Program> prog_;
};
std::shared_ptr<ir::Program> CrossFile::prog_;

TEST_F(CrossFile, ModuleNamesAndImports) {
  ASSERT_TRUE(prog_);
  std::map<std::string, std::string> names;
  for (const auto& f : p().files) {
    names[f.path] = f.module_name;
    EXPECT_EQ(f.status, ir::FileStatus::Ok) << f.path << ": " << f.message;
  }
  EXPECT_EQ(names["pkg/__init__.py"], "pkg");
  EXPECT_EQ(names["pkg/models.py"], "pkg.models");
  EXPECT_EQ(names["pkg/sub/ops.py"], "pkg.sub.ops");
  EXPECT_EQ(names["app.py"], "app");
  int32_t models = p().file_by_module_name("pkg.models");
  ASSERT_GE(models, 0);
  std::map<std::string, std::string> imports;
  for (int32_t ii : p().file(models).imports) {
    const ir::Import& imp = p().imports[static_cast<size_t>(ii)];
    if (imp.local != "*")
      imports[imp.local] = imp.target;
    else
      imports["* " + imp.target] = imp.target;
  }
  EXPECT_EQ(imports["pkg"], "pkg");                // import pkg.utils binds pkg
  EXPECT_EQ(imports["ops"], "pkg.sub.ops");        // import a.b as c
  EXPECT_EQ(imports["scale"], "pkg.utils.scale");  // from .utils import f
  EXPECT_EQ(imports["utils"], "pkg.utils");        // from . import utils
  EXPECT_EQ(imports["Base"], "pkg.base.Base");
  EXPECT_TRUE(imports.count("* pkg.layers"));  // from .layers import *
  int32_t ops = p().file_by_module_name("pkg.sub.ops");
  ASSERT_GE(ops, 0);
  ASSERT_EQ(p().file(ops).imports.size(), 1u);
  EXPECT_EQ(p().imports[static_cast<size_t>(p().file(ops).imports[0])].target, "pkg.utils.scale");  // from ..utils
  int32_t layers = p().file_by_module_name("pkg.layers");
  EXPECT_EQ(p().file(layers).all, (std::vector<std::string>{"gate", "Block"}));
}

TEST_F(CrossFile, CallsResolveAcrossFiles) {
  const ir::Function* fwd = fn("pkg.models.Net.forward");
  ASSERT_NE(fwd, nullptr) << ir::print(p());
  std::string dump = ir::print(p(), *fwd);
  EXPECT_EQ(target(*fwd, "call", "pkg.utils.scale"), "pkg.utils.scale") << dump;    // from .utils import scale
  EXPECT_EQ(target(*fwd, "call", "pkg.utils.shift"), "pkg.utils.shift") << dump;    // import pkg.utils; utils.shift
  EXPECT_EQ(target(*fwd, "call", "pkg.sub.ops.deep"), "pkg.sub.ops.deep") << dump;  // import pkg.sub.ops as ops
  EXPECT_EQ(target(*fwd, "call", "gate"), "pkg.layers.gate") << dump;  // from .layers import * (in __all__)
  EXPECT_EQ(target(*fwd, "call", "hidden"), "") << "not in pkg.layers.__all__: a star import does not bind it";
  // Two spellings of pkg.utils.shift.
  int shifts = 0;
  for (const ir::Node* c : nodes(*fwd, "call"))
    if (c->name == "pkg.utils.shift" && c->target_function >= 0) ++shifts;
  EXPECT_EQ(shifts, 2) << dump;
  // A relative import two levels up.
  const ir::Function* deep = fn("pkg.sub.ops.deep");
  ASSERT_NE(deep, nullptr);
  EXPECT_EQ(target(*deep, "call", "pkg.utils.scale"), "pkg.utils.scale");
}

TEST_F(CrossFile, ClassesBasesAndSubmodulesAcrossFiles) {
  const ir::Module* net = mod("pkg.models.Net");
  ASSERT_NE(net, nullptr);
  EXPECT_TRUE(net->is_nn_module) << "its base pkg.base.Base derives from nn.Module, in another file";
  ASSERT_EQ(net->base_modules.size(), 1u);
  EXPECT_EQ(p().mod(net->base_modules[0]).qualname, "pkg.base.Base");
  const ir::Attr* block = net->attr("block");
  ASSERT_NE(block, nullptr) << ir::print(p());
  EXPECT_EQ(block->kind, ir::AttrKind::Submodule) << "Block comes from a star import";
  ASSERT_GE(block->module_class, 0);
  EXPECT_EQ(p().mod(block->module_class).qualname, "pkg.layers.Block");
  EXPECT_TRUE(block->learned);
  const ir::Function* fwd = fn("pkg.models.Net.forward");
  EXPECT_EQ(target(*fwd, "module_call", "block"), "class pkg.layers.Block");
}

TEST_F(CrossFile, PackageInitReExports) {
  const ir::Function* b = fn("app.build");
  ASSERT_NE(b, nullptr);
  std::string dump = ir::print(p(), *b);
  // pkg.Net and Net (from pkg import Net) -> pkg/__init__ re-exports pkg.models.Net.
  int nets = 0;
  for (const ir::Node* c : nodes(*b, "call"))
    if (c->target_module >= 0 && p().mod(c->target_module).qualname == "pkg.models.Net") ++nets;
  EXPECT_EQ(nets, 2) << dump;
  // gate via pkg/__init__'s star import of pkg.layers.
  EXPECT_EQ(target(*b, "call", "pkg.gate"), "pkg.layers.gate") << dump;
  // Block via app's `from pkg import *` -> pkg -> `from .layers import *`.
  EXPECT_EQ(target(*b, "call", "Block"), "class pkg.layers.Block") << dump;
  // The public resolver agrees.
  link::Entity e = link::resolve(p(), "pkg.Net");
  EXPECT_EQ(e.kind, link::Entity::Class);
  EXPECT_EQ(p().mod(e.id).qualname, "pkg.models.Net");
  EXPECT_EQ(link::resolve(p(), "pkg.hidden").kind, link::Entity::None);
  EXPECT_EQ(link::resolve(p(), "pkg.layers.hidden").kind, link::Entity::Function);
}

TEST_F(CrossFile, ParallelLoweringIsDeterministic) {
  std::string one = ir::print(*build({fixture("xfile")}, 1));
  std::string four = ir::print(*build({fixture("xfile")}, 4));
  EXPECT_EQ(one, four);
  EXPECT_EQ(one, ir::print(p()));
}

TEST(CrossFileTmp, AllBuiltWithPlusEquals) {
  auto l = lower_files({{"lib/__init__.py",
                         "__all__ = ['a']\n__all__ += ['b']\n"
                         "def a(x):\n    return x\ndef b(x):\n    return x\n"
                         "def c(x):\n    return x\n"},
                        {"use.py", "from lib import *\ndef u(x):\n    return a(x), b(x), c(x)\n"}});
  EXPECT_EQ(l.file("lib/__init__.py")->all, (std::vector<std::string>{"a", "b"}));
  const ir::Function* u = l.fn("use.u");
  ASSERT_NE(u, nullptr);
  EXPECT_GE(first(*u, "call", "a")->target_function, 0);
  EXPECT_GE(first(*u, "call", "b")->target_function, 0);
  EXPECT_EQ(first(*u, "call", "c")->target_function, -1) << "not in __all__";
}

TEST(CrossFileTmp, ImportCyclesAndSelfImportsTerminate) {
  auto l = lower_files({{"cyc/__init__.py", "from .a import *\nfrom .b import *\n"},
                        {"cyc/a.py", "from .b import *\nfrom . import *\ndef fa(x):\n    return fb(x)\n"},
                        {"cyc/b.py", "from .a import *\nfrom cyc import *\ndef fb(x):\n    return missing(x)\n"}});
  const ir::Function* fa = l.fn("cyc.a.fa");
  ASSERT_NE(fa, nullptr) << l.dump();
  const ir::Node* call = first(*fa, "call", "fb");
  ASSERT_NE(call, nullptr);
  ASSERT_GE(call->target_function, 0);
  EXPECT_EQ(l.p().fn(call->target_function).qualname, "cyc.b.fb");
  const ir::Function* fb = l.fn("cyc.b.fb");
  EXPECT_EQ(first(*fb, "call", "missing")->target_function, -1);
}

}  // namespace
}  // namespace archscan::unit
