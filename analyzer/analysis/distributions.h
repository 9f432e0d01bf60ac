// torch.distributions as arithmetic. A location-scale family's density and CDF are functions of
// the standardised value (x - loc) / scale: `Normal(TAG, 0.01).log_prob(x)` is a (negated) squared
// distance to a stored tag, `Normal(0.995, 1e-4).cdf(x)` a step at 0.995. Written out as those
// ops, the flow analyses see the stored value and the steepness instead of an opaque method.
#pragma once

#include <optional>
#include <string_view>

namespace archscan::flow::distributions {

// Where a family's constructor takes its location and scale.
struct Parameters {
  int loc_position = 0, scale_position = 1;
  const char* loc_keyword = "loc";
  const char* scale_keyword = "scale";
};

// The location-scale family a constructor call builds (`torch.distributions.Normal`,
// `torch.distributions.laplace.Laplace`), or nullopt.
std::optional<Parameters> location_scale(std::string_view callee);

// The op sequence a method applies to the standardised value z: {"erf"} for cdf, {"square",
// "neg"} for a Gaussian log_prob, {"abs", "neg"} for a Laplace one; empty when the method is not
// a density or CDF of the family.
struct Expansion {
  const char* first = nullptr;
  const char* second = nullptr;
};
Expansion of_method(std::string_view callee, std::string_view method);

}  // namespace archscan::flow::distributions
