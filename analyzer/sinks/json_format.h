// JSON shapes shared by the json sink and commands that print findings.
#pragma once

#include <nlohmann/json.hpp>

#include "findings/scan_result.h"

namespace archscan {

nlohmann::json finding_json(const Finding& f);
nlohmann::json scan_json(const ScanResult& r);

}  // namespace archscan
