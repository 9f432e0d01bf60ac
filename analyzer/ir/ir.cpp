#include "ir/ir.h"

namespace archscan::ir {

const char* to_string(AttrKind k) {
  switch (k) {
    case AttrKind::Layer: return "layer";
    case AttrKind::Container: return "container";
    case AttrKind::Submodule: return "submodule";
    case AttrKind::Parameter: return "parameter";
    case AttrKind::Buffer: return "buffer";
    case AttrKind::PlainTensor: return "plain-tensor";
    case AttrKind::Constant: return "constant";
    case AttrKind::Other: return "other";
  }
  return "other";
}

const char* to_string(FileStatus s) {
  switch (s) {
    case FileStatus::Ok: return "ok";
    case FileStatus::Partial: return "partial";
    case FileStatus::Error: return "error";
    case FileStatus::Skipped: return "skipped";
  }
  return "error";
}

const Attr* Module::attr(const std::string& n) const {
  for (const auto& a : attrs)
    if (a.name == n) return &a;
  return nullptr;
}

int32_t Module::method(const std::string& n) const {
  auto it = methods.find(n);
  return it == methods.end() ? -1 : it->second;
}

std::string_view SourceFile::line_text(int32_t line) const {
  if (line < 1 || static_cast<size_t>(line) > line_starts.size()) return {};
  size_t a = line_starts[static_cast<size_t>(line) - 1];
  size_t b = static_cast<size_t>(line) < line_starts.size() ? line_starts[static_cast<size_t>(line)] : text.size();
  std::string_view v(text);
  v = v.substr(a, b - a);
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

int32_t Program::file_by_module_name(const std::string& dotted) const {
  for (size_t i = 0; i < files.size(); ++i)
    if (files[i].module_name == dotted) return static_cast<int32_t>(i);
  return -1;
}

}  // namespace archscan::ir
