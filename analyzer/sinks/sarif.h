// SARIF 2.1.0 output (`--format sarif`), shaped for GitHub code scanning: tool.driver.rules[] with
// descriptions and help from the rule docs, partialFingerprints, codeFlows from the trace,
// suppressions for inline and review dismissals, the backdoor taxonomy as a SARIF taxonomy.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "findings/scan_result.h"

namespace archscan::sinks {

nlohmann::json sarif_log(const ScanResult& r);

// Byte column (1-based, as archscan reports) -> UTF-16 code unit column (1-based, SARIF's default
// columnKind) on the given line.
int utf16_column(std::string_view line, int byte_column);

// Percent-encodes a relative '/'-separated path for a SARIF artifactLocation.uri.
std::string uri_encode_path(std::string_view path);

}  // namespace archscan::sinks
