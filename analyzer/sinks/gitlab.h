// GitLab code-quality report (`--format gitlab`): the Code Climate JSON array GitLab reads from
// `artifacts: reports: codequality`. Suppressed findings are left out. Paths are relative to the
// project directory ($CI_PROJECT_DIR when the scan root lies inside it; else to the scan root).
#pragma once

#include <ostream>
#include <string>

#include "findings/scan_result.h"

namespace archscan::sinks {

void write_gitlab(const ScanResult& r, std::ostream& os, const std::string& project_dir);

}  // namespace archscan::sinks
