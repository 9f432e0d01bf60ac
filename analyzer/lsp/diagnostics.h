// Findings as the editor sees them: LSP Diagnostics (rule id, doc link, trace as related
// information, fingerprint as data), hover text, and file URIs.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "findings/finding.h"
#include "findings/scan_result.h"

namespace archscan::lsp {

// file:///abs/path (percent-encoded) <-> the absolute path; nullopt for other schemes.
std::string file_uri(const std::string& abs_path);
std::optional<std::string> uri_path(const std::string& uri);

// The text of a file by path relative to the root (for UTF-16 columns); nullptr when unknown.
using TextOf = std::function<const std::string*(const std::string& rel_path)>;

// An LSP Range for 1-based byte line/columns in `text` (end 0 = the end of the start line).
nlohmann::json range_of(const std::string* text, int line, int column, int end_line, int end_column);

// `hint`: a finding dismissed in the review database, shown as a hint (when the client asked).
nlohmann::json diagnostic(const Finding& f, const std::string& root, const TextOf& text_of, bool hint = false);

// A file archscan did not analyse fully (skipped, error: information; partial: hint): one
// diagnostic on line 1 that says why, so that a quiet editor never means "checked" for code that was not read.
std::optional<nlohmann::json> coverage_diagnostic(const FileReport& report);

// Markdown for a hover on a finding: what, the trace, the rule's doc page.
std::string hover_markdown(const Finding& f);

}  // namespace archscan::lsp
