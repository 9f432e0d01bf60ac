// CE001: dynamic code execution (exec, eval, compile, marshal, pickle, __import__) inside model code.
// Model code is never supposed to build and run code at run time; a payload hidden in a string can
// implement any of the backdoors the other rules look for.
#include <fmt/format.h>

#include <set>
#include <string>
#include <unordered_set>

#include "analysis/analyses.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

bool executes_code(const std::string& callee) {
  static const std::unordered_set<std::string> names = {"exec",
                                                        "eval",
                                                        "compile",
                                                        "__import__",
                                                        "execfile",
                                                        "builtins.exec",
                                                        "builtins.eval",
                                                        "builtins.compile",
                                                        "builtins.__import__",
                                                        "marshal.loads",
                                                        "marshal.load",
                                                        "pickle.loads",
                                                        "pickle.load",
                                                        "dill.loads",
                                                        "cloudpickle.loads",
                                                        "types.FunctionType",
                                                        "types.CodeType",
                                                        "importlib.import_module",
                                                        "runpy.run_path",
                                                        "runpy.run_module",
                                                        "ctypes.CDLL",
                                                        "codeop.compile_command"};
  return names.count(callee) != 0;
}

// types.FunctionType(f.__code__, namespace): a function of the source re-made with other globals
// runs code the source shows (what it calls is followed by the analysis, as a patch is); only a code
// object from compile(), marshal or bytes is code built at run time.
bool rebinds_source_code(const ir::Function& fn, const ir::Node& n) {
  if (n.name != "types.FunctionType" || n.args.empty() || n.args[0] < 0) return false;
  const ir::Node& code = fn.node(n.args[0]);
  return code.op == "attr" && code.name == "__code__";
}

// importlib.import_module(".heads", __package__) / import_module(cfg.heads_module): a module of
// source files named by a literal or a configured name, which the analysis follows into the tree like
// any import; a name decoded from data at run time hides what is imported.
bool imports_named_module(const ir::Function& fn, const ir::Node& n) {
  if (n.name != "importlib.import_module" || n.args.empty() || n.args[0] < 0) return false;
  static const std::set<std::string> named = {"const", "param", "attr", "global", "free", "select", "phi"};
  return named.count(fn.node(n.args[0]).op) != 0;
}

class CodeExecution : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"CE001", "code-execution-in-model", "execution", Severity::Error,
                            "exec/eval/compile/marshal/pickle/__import__ inside a model definition"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    std::vector<char> model_file(p.files.size(), 0);
    for (const auto& m : p.modules)
      if (m.is_nn_module && m.file >= 0) model_file[static_cast<size_t>(m.file)] = 1;
    for (const auto& fn : p.functions) {
      bool top_level = fn.name == "<module>" || fn.name == "<class>";
      bool in_scope =
          ctx.analyses.in_model_code(fn) || (top_level && fn.file >= 0 && model_file[static_cast<size_t>(fn.file)]);
      if (!in_scope) continue;
      for (const auto& n : fn.nodes) {
        if (n.op != "call" || !executes_code(n.name) || rebinds_source_code(fn, n) || imports_named_module(fn, n))
          continue;
        Finding f = finding_at(info(), p, n.loc,
                               fmt::format("`{}` runs code built at run time inside model code ({}): the model's "
                                           "behaviour is not what its source shows",
                                           n.name, fn.qualname),
                               fn.qualname);
        f.trace.push_back(step(p, n.loc, "sink", n.name + "(...)"));
        ctx.report(std::move(f));
      }
    }
  }
};

ARCHSCAN_REGISTER_RULE(CodeExecution);

}  // namespace
}  // namespace archscan::rules
