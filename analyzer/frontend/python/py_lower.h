// Lowering of Python (tree-sitter-python CST) into the model IR. Internal to the Python front-end.
#pragma once

#include <tree_sitter/api.h>

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "frontend/frontend.h"
#include "ir/ir.h"

namespace archscan::frontend::python {

// `xs.append(v)`, `xs.extend(vs)`, `xs.insert(i, v)`, `d.update(m)` on a local name: the call is the
// container's next version, bound to the name, so a later read sees what was added only on the
// paths that added it (an append in one arm of an `if` joins; one in a loop is loop-carried).
inline bool makes_next_version(std::string_view method) {
  return method == "append" || method == "extend" || method == "insert" || method == "update";
}

// File-wide state shared by every function lowered from one file.
struct FileContext {
  ir::Program& prog;  // the fragment; file index 0
  const std::string& src;
  const Options& opts;
  // Names bound at module level: imports (local -> absolute dotted path) and definitions.
  std::unordered_map<std::string, std::string> import_alias;
  std::unordered_set<std::string> toplevel_defs;
  std::unordered_set<std::string> seen_identifiers;
  bool too_deep = false;
  ir::Loc too_deep_loc;
  mutable std::deque<std::string> normalized_identifiers;  // (text() returns views into these)

  ir::SourceFile& file() { return prog.files[0]; }
  // The node's source text; an identifier as Python reads it: NFKC-normalised (PEP 3131), so
  // `ｆorward` (fullwidth f) is `forward`.
  std::string_view text(TSNode n) const;
  std::string_view written(TSNode n) const;  // the source bytes, never normalised
  ir::Loc loc(TSNode n) const;
  void note_identifier(TSNode n);
  // Resolves a module-level name to its absolute dotted path ("F" -> "torch.nn.functional").
  std::string resolve_global(const std::string& name) const;
};

// Lowers one function body (or a module / class body) into an ir::Function.
class FunctionLowerer {
 public:
  FunctionLowerer(FileContext& fc, int32_t fn_id, const FunctionLowerer* parent, int32_t owner_module,
                  const std::unordered_set<std::string>* class_methods);

  void lower_params(TSNode parameters);
  void lower_block(TSNode block);
  void lower_statement(TSNode stmt);
  ir::Function& fn() { return fc_.prog.functions[static_cast<size_t>(fn_id_)]; }
  int32_t fn_id() const { return fn_id_; }
  const std::unordered_map<std::string, ir::NodeId>& bindings() const { return env_; }

 private:
  using Env = std::unordered_map<std::string, ir::NodeId>;

  ir::NodeId emit(std::string op, std::vector<ir::NodeId> args, TSNode at, std::string name = {});
  ir::NodeId constant(double v, TSNode at, std::string repr = {});
  ir::NodeId lower_expr(TSNode n);
  ir::NodeId lower_expr_inner(TSNode n);
  ir::NodeId lower_identifier(TSNode n);
  ir::NodeId lower_attribute(TSNode n);
  ir::NodeId lower_call(TSNode n);
  ir::NodeId lower_binary(TSNode n, std::string_view op_token);
  ir::NodeId lower_comparison(TSNode n);
  ir::NodeId lower_subscript(TSNode n);
  ir::NodeId lower_collection(TSNode n, const char* op);
  ir::NodeId lower_comprehension(TSNode n);
  ir::NodeId lower_lambda(TSNode n);
  ir::NodeId lower_string(TSNode n);
  ir::NodeId lower_number(TSNode n);
  struct Args {
    std::vector<ir::NodeId> args;
    std::vector<std::pair<std::string, ir::NodeId>> kwargs;
  };
  Args lower_arguments(TSNode arglist);
  ir::NodeId emit_call(std::string op, std::vector<ir::NodeId> lead, TSNode arglist, TSNode at, std::string name,
                       uint32_t flags = 0);
  ir::NodeId lower_named_call(const std::string& full, TSNode arglist, TSNode n);
  std::string self_path(ir::NodeId id);
  bool is_self_node(ir::NodeId id);

  void assign(TSNode target, ir::NodeId value, TSNode at, bool in_place = false);
  void assign_inner(TSNode target, ir::NodeId value, TSNode at, bool in_place);
  void lower_assignment(TSNode n);
  void lower_augmented(TSNode n);
  void lower_if(TSNode n);
  int training_test(ir::NodeId cond);
  void lower_match(TSNode n);
  ir::NodeId case_condition(ir::NodeId subject, TSNode clause);
  // Binds the names a match pattern captures (`MolGraph(atoms=a, adj=b)`, `[x, y]`, `P() as p`).
  void bind_pattern(TSNode pattern, ir::NodeId value, int depth = 0);
  void lower_loop(TSNode n, bool is_for);
  void lower_with(TSNode n);
  void lower_try(TSNode n);
  void lower_function_def(TSNode n, TSNode decorated);
  void lower_class_def(TSNode n, TSNode decorated);
  void merge(const Env& a, const Env& b, ir::NodeId cond, TSNode at);

  // Names this function binds (for loop-carried phis and closure reads).
  static void collect_assigned(const FileContext& fc, TSNode n, std::unordered_set<std::string>& out);
  ir::NodeId lookup(const std::string& name) const;  // kNoNode when unbound here
  bool bound_in_parents(const std::string& name) const;
  std::string dotted_of(ir::NodeId id) const;  // dotted path of a global / attr-of-global chain

  void fold(ir::Node& n);
  void drop_if_last(ir::NodeId id);
  bool check_depth(TSNode n);

  FileContext& fc_;
  int32_t fn_id_;
  const FunctionLowerer* parent_;
  int32_t owner_module_;
  const std::unordered_set<std::string>* class_methods_;
  Env env_;
  int depth_ = 0;
  int scope_depth_ = 0;
  int training_scope_ = 0;  // > 0 while lowering a block that runs only while the module trains
  std::vector<ir::NodeId> branches_;  // the `if` branches the statement being lowered is under, innermost last
};

// (local name, absolute dotted target) pairs bound by an import statement; "*" for star imports.
std::vector<std::pair<std::string, std::string>> parse_import(const FileContext& fc, TSNode stmt);

// Entry point for one file (the fragment's file 0 has text, path and module_name set).
void lower_file(ir::Program& fragment, const Options& opts);

// Defines a class (nested anywhere) as an ir::Module with its methods lowered.
int32_t lower_class(FileContext& fc, TSNode class_def, const std::string& qual_prefix, const FunctionLowerer* parent);
int32_t lower_function(FileContext& fc, TSNode def, const std::string& qual_prefix, const FunctionLowerer* parent,
                       int32_t owner_module, const std::unordered_set<std::string>* class_methods);

}  // namespace archscan::frontend::python
