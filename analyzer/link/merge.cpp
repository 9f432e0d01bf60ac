#include "link/linker.h"

namespace archscan::link {
namespace {

void shift(int32_t& v, int32_t off) {
  if (v >= 0) v += off;
}

}  // namespace

void merge(ir::Program& p, ir::Program&& frag) {
  const auto file_off = static_cast<int32_t>(p.files.size());
  const auto mod_off = static_cast<int32_t>(p.modules.size());
  const auto fn_off = static_cast<int32_t>(p.functions.size());
  const auto imp_off = static_cast<int32_t>(p.imports.size());
  auto fix_loc = [&](ir::Loc& l) { shift(l.file, file_off); };

  for (auto& f : frag.files) {
    for (auto& [_, id] : f.functions) shift(id, fn_off);
    for (auto& [_, id] : f.classes) shift(id, mod_off);
    for (auto& id : f.imports) shift(id, imp_off);
    shift(f.module_function, fn_off);
    for (auto& [_, l] : f.identifiers) fix_loc(l);
    p.files.push_back(std::move(f));
  }
  for (auto& m : frag.modules) {
    shift(m.id, mod_off);
    shift(m.file, file_off);
    fix_loc(m.loc);
    for (auto& [_, id] : m.methods) shift(id, fn_off);
    shift(m.body_function, fn_off);
    for (auto& b : m.base_modules) shift(b, mod_off);
    for (auto& b : m.mro) shift(b, mod_off);
    p.modules.push_back(std::move(m));
  }
  for (auto& fn : frag.functions) {
    shift(fn.id, fn_off);
    shift(fn.file, file_off);
    shift(fn.owner_module, mod_off);
    shift(fn.parent, fn_off);
    shift(fn.decorator_scope, fn_off);
    shift(fn.wrapper_class, mod_off);
    fix_loc(fn.loc);
    fix_loc(fn.decorator_loc);
    fix_loc(fn.bound_at);
    for (auto& n : fn.nodes) {
      fix_loc(n.loc);
      shift(n.target_function, fn_off);
      shift(n.target_module, mod_off);
    }
    p.functions.push_back(std::move(fn));
  }
  for (auto& imp : frag.imports) {
    shift(imp.file, file_off);
    fix_loc(imp.loc);
    p.imports.push_back(std::move(imp));
  }
  for (auto& d : frag.diagnostics) {
    fix_loc(d.loc);
    p.diagnostics.push_back(std::move(d));
  }
}

}  // namespace archscan::link
