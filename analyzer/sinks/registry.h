// Output formats: each sink registers itself under its `--format NAME` and writes a ScanResult.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "findings/scan_result.h"

namespace archscan {

using SinkFn = std::function<void(const ScanResult&, std::ostream&)>;
void register_sink(const std::string& name, SinkFn fn);
const SinkFn* find_sink(const std::string& name);
std::vector<std::string> sink_names();

}  // namespace archscan
