// GitHub Actions workflow-command annotations (`--format github`):
//   ::error file=PATH,line=L,endLine=E,col=C,endColumn=EC,title=RULE (T3)::message
// Suppressed findings are not annotated. With GITHUB_WORKSPACE set and the scan root inside it,
// paths are made relative to the workspace, as GitHub expects.
#pragma once

#include <ostream>
#include <string>

#include "findings/scan_result.h"

namespace archscan::sinks {

void write_github(const ScanResult& r, std::ostream& os, const std::string& workspace);

// Escaping of workflow-command data and property values.
std::string github_escape_data(std::string_view s);
std::string github_escape_property(std::string_view s);

}  // namespace archscan::sinks
