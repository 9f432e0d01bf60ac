// Small tree-sitter helpers.
#pragma once

#include <tree_sitter/api.h>

namespace archscan::frontend::python {

inline TSNode named_child(TSNode n, uint32_t i) {
  return i < ts_node_named_child_count(n) ? ts_node_named_child(n, i) : TSNode{};
}

}  // namespace archscan::frontend::python

namespace archscan::frontend::python {

// Calls f(child) for each named child in order, in O(children): ts_node_named_child(n, i) walks
// from the first child every time, which makes index loops quadratic on long blocks.
template <class F>
inline void for_each_named_child(TSNode n, F&& f) {
  if (ts_node_is_null(n)) return;
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode ch = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(ch)) f(ch);
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
}

// ts_node_type that accepts null nodes (missing optional fields).
inline const char* node_type(TSNode n) { return ts_node_is_null(n) ? "" : ts_node_type(n); }

}  // namespace archscan::frontend::python
