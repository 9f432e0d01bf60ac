#include "analysis/distributions.h"

#include <array>

namespace archscan::flow::distributions {
namespace {

// The family's class name, however the constructor was imported or spelled
// (torch.distributions.Normal, torch.distributions.normal.Normal, D.Normal).
std::string_view family(std::string_view callee) {
  if (callee.rfind("torch.distributions.", 0) != 0) return {};
  size_t dot = callee.rfind('.');
  return callee.substr(dot + 1);
}

// Families whose density falls off as a square of z, and those that fall off as |z|.
constexpr std::array<std::string_view, 4> kSquare = {"Normal", "LogNormal", "HalfNormal", "StudentT"};
constexpr std::array<std::string_view, 3> kAbsolute = {"Laplace", "Cauchy", "Gumbel"};

bool one_of(std::string_view x, auto const& names) {
  for (auto n : names)
    if (n == x) return true;
  return false;
}

}  // namespace

std::optional<Parameters> location_scale(std::string_view callee) {
  std::string_view f = family(callee);
  if (!one_of(f, kSquare) && !one_of(f, kAbsolute)) return std::nullopt;
  Parameters p;
  if (f == "StudentT") {  // StudentT(df, loc, scale)
    p.loc_position = 1;
    p.scale_position = 2;
  }
  if (f == "HalfNormal") {  // HalfNormal(scale): located at 0
    p.loc_position = -1;
    p.scale_position = 0;
  }
  return p;
}

Expansion of_method(std::string_view callee, std::string_view method) {
  std::string_view f = family(callee);
  if (method == "cdf") return {"erf", nullptr};
  if (method == "log_prob" || method == "prob")
    return {one_of(f, kAbsolute) ? "abs" : "square", "neg"};
  return {};
}

}  // namespace archscan::flow::distributions
