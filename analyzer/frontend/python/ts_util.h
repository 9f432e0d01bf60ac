// Small tree-sitter helpers.
#pragma once

#include <tree_sitter/api.h>

namespace archscan::frontend::python {

// The i-th named child that is not an extra: comments and `\` line continuations may sit between
// the parts of an expression (`a if c \` / `else b`) and are no part of it.
inline TSNode named_child(TSNode n, uint32_t i) {
  const uint32_t count = ts_node_named_child_count(n);
  for (uint32_t k = 0; k < count; ++k) {
    TSNode c = ts_node_named_child(n, k);
    if (ts_node_is_extra(c)) continue;
    if (i-- == 0) return c;
  }
  return TSNode{};
}

}  // namespace archscan::frontend::python

namespace archscan::frontend::python {

// Calls f(child) for each named child that is not an extra (a comment, a line continuation) in order, in O(children): ts_node_named_child(n, i) walks
// from the first child every time, which makes index loops quadratic on long blocks.
template <class F>
inline void for_each_named_child(TSNode n, F&& f) {
  if (ts_node_is_null(n)) return;
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode ch = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(ch) && !ts_node_is_extra(ch)) f(ch);
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
}

// ts_node_type that accepts null nodes (missing optional fields).
inline const char* node_type(TSNode n) { return ts_node_is_null(n) ? "" : ts_node_type(n); }

}  // namespace archscan::frontend::python
