#include "sinks/gitlab.h"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "sinks/registry.h"

namespace archscan::sinks {
namespace {

// GitLab's severities: info, minor, major, critical, blocker.
const char* gitlab_severity(Severity s) {
  switch (s) {
    case Severity::Error:
      return "critical";
    case Severity::Warning:
      return "major";
    case Severity::Note:
      return "info";
  }
  return "major";
}

std::string project_prefix(const std::string& root, const std::string& project_dir) {
  if (project_dir.empty() || root.empty()) return {};
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path rel = fs::weakly_canonical(root, ec).lexically_relative(fs::weakly_canonical(project_dir, ec));
  if (ec || rel.empty() || *rel.begin() == ".." || rel == ".") return {};
  return rel.generic_string() + "/";
}

}  // namespace

void write_gitlab(const ScanResult& r, std::ostream& os, const std::string& project_dir) {
  const std::string prefix = project_prefix(r.root, project_dir);
  nlohmann::json issues = nlohmann::json::array();
  for (const Finding& f : r.findings) {
    if (!f.suppression.empty()) continue;
    std::string description = f.rule + (f.taxonomy.empty() ? "" : " (" + f.taxonomy + ")") + ": " + f.message;
    issues.push_back({{"type", "issue"},
                      {"check_name", f.rule},
                      {"description", description},
                      {"categories", {"Security"}},
                      {"severity", gitlab_severity(f.severity)},
                      {"fingerprint", f.fingerprint},
                      {"location", {{"path", prefix + f.path}, {"lines", {{"begin", std::max(f.line, 1)}}}}}});
  }
  os << issues.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

namespace {
const bool registered = (register_sink("gitlab",
                                       [](const ScanResult& r, std::ostream& os) {
                                         const char* dir = std::getenv("CI_PROJECT_DIR");
                                         write_gitlab(r, os, dir ? dir : "");
                                       }),
                         true);
}  // namespace

}  // namespace archscan::sinks
