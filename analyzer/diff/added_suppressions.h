// In a diff, a suppression comment is written by the same hand as the code it silences: every
// valid `archscan: ignore[...]` comment that the change adds or edits is reported (SUP003) with
// the findings it hides. A comment counts as edited when its own line, or the line it covers,
// differs from every suppression of the file at BASE.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/pipeline.h"
#include "diff/side.h"

namespace archscan::diff {

inline constexpr const char* kAddedSuppression = "SUP003";

// `head`: the HEAD side's analysis; `changed`: HEAD paths the change added or modified, each with
// its BASE path ("" for an added file). BASE texts must be loaded in `base`.
std::vector<Finding> added_suppressions(const ScanOutput& head, const Side& base,
                                        const std::map<std::string, std::string>& changed, const ScanOptions& opts);

}  // namespace archscan::diff
