// Small tree-sitter helpers.
#pragma once

#include <tree_sitter/api.h>

namespace archscan::frontend::python {

inline TSNode named_child(TSNode n, uint32_t i) {
  return i < ts_node_named_child_count(n) ? ts_node_named_child(n, i) : TSNode{};
}

}  // namespace archscan::frontend::python

namespace archscan::frontend::python {

// ts_node_type that accepts null nodes (missing optional fields).
inline const char* node_type(TSNode n) { return ts_node_is_null(n) ? "" : ts_node_type(n); }

}  // namespace archscan::frontend::python
