#include "ir/fold.h"

#include <cmath>

namespace archscan::ir {

void fold_constant(Function& f, NodeId id) {
  Node& n = f.node(id);
  auto num = [&](size_t i) -> std::optional<double> {
    if (i >= n.args.size() || n.args[i] == kNoNode) return std::nullopt;
    const Node& a = f.node(n.args[i]);
    if (a.op == "param") return std::nullopt;
    return a.num;
  };
  const std::string& o = n.op;
  if (n.args.size() == 1 && n.kwargs.empty()) {
    auto a = num(0);
    if (!a) return;
    if (o == "neg")
      n.num = -*a;
    else if (o == "pos")
      n.num = *a;
    else if (o == "not")
      n.num = *a == 0 ? 1 : 0;
    else if (o == "exp")
      n.num = std::exp(*a);
    else if (o == "log")
      n.num = std::log(*a);
    else if (o == "sqrt")
      n.num = std::sqrt(*a);
    else if (o == "float" || o == "int")
      n.num = o == "int" ? std::trunc(*a) : *a;
  } else if (n.args.size() == 2) {
    auto a = num(0), b = num(1);
    if (!a || !b) return;
    if (o == "add")
      n.num = *a + *b;
    else if (o == "sub")
      n.num = *a - *b;
    else if (o == "mul")
      n.num = *a * *b;
    else if (o == "div" && *b != 0)
      n.num = *a / *b;
    else if (o == "floordiv" && *b != 0)
      n.num = std::floor(*a / *b);
    else if (o == "remainder" && *b != 0)
      n.num = std::fmod(*a, *b);
    else if (o == "pow")
      n.num = std::pow(*a, *b);
    else if (o == "lshift")
      n.num = *a * std::pow(2.0, *b);
    else if (o == "eq")
      n.num = *a == *b;
    else if (o == "lt")
      n.num = *a < *b;
    else if (o == "gt")
      n.num = *a > *b;
  }
  if (n.num && !std::isfinite(*n.num)) n.num.reset();
}

}  // namespace archscan::ir
