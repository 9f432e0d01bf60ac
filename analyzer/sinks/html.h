// The self-contained HTML report: reports/report.html (embedded at build time) with the report data
// as JSON inside it. `archscan report` builds the data from the findings store (review states and
// history); the `html` sink (`scan --format html`) builds it from one scan.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "findings/scan_result.h"

namespace archscan::sinks {

// The embedded template (reports/report.html).
std::string_view report_template();

// The page: the template with `data` in place of its /*ARCHSCAN_DATA*/ marker, escaped so that no
// scanned text can close the script element. Throws std::runtime_error if the marker is missing.
std::string render_report(const nlohmann::json& data);

// Report data of one scan (no store): snippets are read from the files under the scan root.
nlohmann::json report_data(const ScanResult& r);

// Fields shared by both data builders.
nlohmann::json report_finding_json(const Finding& f);  // rule name, taxonomy name, trace, ...
std::string taxonomy_name(const std::string& type);    // "T3" -> "op/sha/tar"

}  // namespace archscan::sinks
