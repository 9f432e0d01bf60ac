// Report data (for sinks::render_report) of one stored run: its findings with their review state
// and history, read from the findings store.
#pragma once

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace archscan::review {

nlohmann::json report_data(store::Store& st, const store::RunInfo& run);

}  // namespace archscan::review
