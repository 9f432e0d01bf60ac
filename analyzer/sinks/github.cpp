#include "sinks/github.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "base/display_path.h"
#include "sinks/registry.h"

namespace archscan::sinks {
namespace {

const char* command_for(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "notice";
  }
  return "warning";
}

// The prefix that makes root-relative paths workspace-relative (nothing when not applicable).
std::optional<std::string> workspace_prefix(const std::string& root, const std::string& workspace) {
  if (workspace.empty() || root.empty()) return {};
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path ws = fs::weakly_canonical(workspace, ec);
  if (ec) return {};
  fs::path rt = fs::weakly_canonical(root, ec);
  if (ec) return {};
  fs::path rel = rt.lexically_relative(ws);
  if (rel.empty() || *rel.begin() == "..") return {};
  std::string s = rel.generic_string();
  return s == "." ? std::string() : s + "/";
}

}  // namespace

std::string github_escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string github_escape_property(std::string_view s) {
  std::string out;
  for (char c : github_escape_data(s)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

void write_github(const ScanResult& r, std::ostream& os, const std::string& workspace) {
  // Workspace-relative in GitHub Actions; elsewhere relative to the current directory, like text.
  const std::optional<std::string> prefix = workspace_prefix(r.root, workspace);
  auto shown = [&](const std::string& p) { return prefix ? *prefix + p : display_path(r.root, p); };
  for (const FileReport& f : r.files) {
    if (f.status.empty() || f.status == "ok" || f.status == "skipped") continue;
    const bool pseudo = !f.path.empty() && f.path[0] == '<';
    std::string props = pseudo ? "" : fmt::format("file={},", github_escape_property(shown(f.path)));
    os << fmt::format("::warning {}title={}::{}\n", props, github_escape_property("archscan: file " + f.status),
                      github_escape_data(fmt::format("{}: {}", f.path, f.message.empty() ? f.status : f.message)));
  }
  for (const Finding& f : r.findings) {
    if (!f.suppression.empty()) continue;
    std::string props = fmt::format("file={}", github_escape_property(shown(f.path)));
    if (f.line > 0) {
      props += fmt::format(",line={}", f.line);
      if (f.end_line >= f.line) props += fmt::format(",endLine={}", f.end_line);
      // Columns only make sense on a single line.
      if (f.column > 0 && (f.end_line == 0 || f.end_line == f.line)) {
        props += fmt::format(",col={}", f.column);
        if (f.end_column > f.column) props += fmt::format(",endColumn={}", f.end_column);
      }
    }
    std::string title = f.taxonomy.empty() ? f.rule : fmt::format("{} ({})", f.rule, f.taxonomy);
    props += ",title=" + github_escape_property(title);
    std::string msg = f.message;
    if (!f.trace.empty()) {
      msg += "\nTrace:";
      for (const TraceStep& s : f.trace)
        msg += fmt::format("\n  {}:{} {}{}", shown(s.path.empty() ? f.path : s.path), s.line, s.role,
                           s.note.empty() ? "" : ": " + s.note);
    }
    if (!f.fingerprint.empty()) msg += fmt::format("\nFingerprint: {}", f.fingerprint);
    os << fmt::format("::{} {}::{}\n", command_for(f.severity), props, github_escape_data(msg));
  }
}

namespace {
const bool registered = (register_sink("github",
                                       [](const ScanResult& r, std::ostream& os) {
                                         const char* ws = std::getenv("GITHUB_WORKSPACE");
                                         write_github(r, os, ws ? ws : "");
                                       }),
                         true);
}  // namespace

}  // namespace archscan::sinks
