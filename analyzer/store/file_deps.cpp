#include "store/file_deps.h"

#include <algorithm>
#include <functional>

namespace archscan::store {
namespace {

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Dotted segments of a name ("a.b.c" -> {"a", "b", "c"}).
std::vector<std::string_view> segments(std::string_view name) {
  std::vector<std::string_view> out;
  size_t a = 0;
  for (;;) {
    size_t b = name.find('.', a);
    out.push_back(name.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a));
    if (b == std::string_view::npos) return out;
    a = b + 1;
  }
}

// The dotted text of segments [from, to) of `name`, as a view into it.
std::string_view span(std::string_view name, const std::vector<std::string_view>& seg, size_t from, size_t to) {
  size_t begin = static_cast<size_t>(seg[from].data() - name.data());
  size_t end = static_cast<size_t>(seg[to - 1].data() - name.data()) + seg[to - 1].size();
  return name.substr(begin, end - begin);
}

}  // namespace

FileRefs file_refs(const ir::Program& p, int32_t file) {
  FileRefs r;
  const ir::SourceFile& f = p.file(file);
  for (int32_t ii : f.imports) r.imports.push_back(p.imports[static_cast<size_t>(ii)].target);
  for (const auto& fn : p.functions) {
    if (fn.file != file) continue;
    for (const auto& n : fn.nodes)
      if ((n.op == "call" || n.op == "global") && !n.name.empty() && n.name.rfind("self.", 0) != 0 &&
          n.name.rfind("super.", 0) != 0)
        r.names.push_back(n.name);
  }
  for (const auto& m : p.modules)
    if (m.file == file) r.names.insert(r.names.end(), m.bases.begin(), m.bases.end());
  sort_unique(r.imports);
  sort_unique(r.names);
  return r;
}

std::vector<std::vector<int32_t>> linked_files(const ir::Program& p) {
  std::vector<std::vector<int32_t>> out(p.files.size());
  auto add = [&](int32_t from, int32_t to) {
    if (from >= 0 && to >= 0 && from != to) out[static_cast<size_t>(from)].push_back(to);
  };
  auto fn_file = [&](int32_t id) { return id >= 0 ? p.fn(id).file : -1; };
  auto mod_file = [&](int32_t id) { return id >= 0 ? p.mod(id).file : -1; };
  for (const auto& fn : p.functions)
    for (const auto& n : fn.nodes) {
      add(fn.file, fn_file(n.target_function));
      add(fn.file, mod_file(n.target_module));
    }
  std::function<void(int32_t, const ir::Attr&)> attr = [&](int32_t file, const ir::Attr& a) {
    add(file, mod_file(a.module_class));
    add(file, fn_file(a.function));
    for (const auto& c : a.children) attr(file, c);
  };
  for (const auto& m : p.modules) {
    for (int32_t b : m.base_modules) add(m.file, mod_file(b));
    for (const auto& a : m.attrs) attr(m.file, a);
    for (const auto& [_, f] : m.methods) add(m.file, fn_file(f));
  }
  for (auto& v : out) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  return out;
}

NameIndex::NameIndex(const std::vector<std::string>& module_names,
                     const std::unordered_set<std::string>& import_targets) {
  for (size_t i = 0; i < module_names.size(); ++i) {
    const std::string& m = module_names[i];
    if (m.empty()) continue;
    auto seg = segments(m);
    for (size_t from = 0; from < seg.size(); ++from) {
      by_suffix_[std::string(span(m, seg, from, seg.size()))].push_back(static_cast<int32_t>(i));
      // m = <import target> "." <tail>: a name whose tail reaches that import resolves here.
      if (from > 0 && import_targets.count(std::string(span(m, seg, 0, from))))
        by_tail_[std::string(span(m, seg, from, seg.size()))].push_back(static_cast<int32_t>(i));
    }
  }
}

void NameIndex::candidates(const std::string& name, std::vector<int32_t>& out) const {
  auto seg = segments(name);
  for (size_t from = 0; from < seg.size(); ++from)
    for (size_t to = from + 1; to <= seg.size(); ++to) {
      std::string key(span(name, seg, from, to));
      const auto& index = from == 0 ? by_suffix_ : by_tail_;
      if (auto it = index.find(key); it != index.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
}

}  // namespace archscan::store
