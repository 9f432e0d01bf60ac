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

// How `importlib.import_module(name, ...)` names what it imports.
enum class Import {
  NotAnImport,
  InTree,      // a literal (or f-string) naming modules of the scanned tree: followed like any import
  Configured,  // a name from configuration or an argument: whichever module that is, elsewhere
  Hidden,      // a literal naming no module of the tree, or a name computed at run time
};

Import imported(const ir::Program& p, const ir::Function& fn, const ir::Node& n) {
  if (n.name != "importlib.import_module" || n.args.empty() || n.args[0] < 0) return Import::NotAnImport;
  const ir::Node& spec = fn.node(n.args[0]);
  if (spec.op == "const" && !spec.num) {
    const std::string tmpl = ir::imported_module_template(p, fn.file, &spec);
    for (const auto& file : p.files)
      if (ir::fits_template(tmpl, file.module_name)) return Import::InTree;
    return Import::Hidden;
  }
  static const std::set<std::string> configured = {"param", "attr", "global", "free", "select", "phi"};
  return configured.count(spec.op) ? Import::Configured : Import::Hidden;
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
        if (n.op != "call" || !executes_code(n.name) || rebinds_source_code(fn, n)) continue;
        const Import how = imported(p, fn, n);
        if (how == Import::InTree) continue;
        Finding f =
            how == Import::Configured
                ? finding_at(info(), p, n.loc,
                             fmt::format("`{}` imports a module named by configuration inside model code ({}): "
                                         "archscan analyses the modules of the scanned tree only",
                                         n.name, fn.qualname),
                             fn.qualname)
                : finding_at(info(), p, n.loc,
                             fmt::format("`{}` runs code built at run time inside model code ({}): the model's "
                                         "behaviour is not what its source shows",
                                         n.name, fn.qualname),
                             fn.qualname);
        if (how == Import::Configured) f.severity = Severity::Note;
        f.trace.push_back(step(p, n.loc, "sink", n.name + "(...)"));
        ctx.report(std::move(f));
      }
    }
  }
};

ARCHSCAN_REGISTER_RULE(CodeExecution);

}  // namespace
}  // namespace archscan::rules
