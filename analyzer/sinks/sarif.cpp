#include "sinks/sarif.h"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "findings/rule.h"
#include "sinks/registry.h"

namespace archscan::sinks {
namespace {
using nlohmann::json;

constexpr const char* kFingerprintKey = "archscan/v1";
constexpr const char* kTaxonomyName = "archscan-backdoor-types";

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "warning";
}

// GitHub maps security-severity to critical/high/medium/low at 9/7/4/0.1.
const char* security_severity(Severity s) {
  switch (s) {
    case Severity::Error:
      return "8.0";
    case Severity::Warning:
      return "5.0";
    case Severity::Note:
      return "2.0";
  }
  return "5.0";
}

// The twelve types of docs/threat-model.md: trigger x propagation x integration, numbered in that order.
struct TaxonType {
  std::string id, name, description;
};
const std::vector<TaxonType>& taxonomy() {
  static const std::vector<TaxonType> t = [] {
    std::vector<TaxonType> v;
    const std::array<std::pair<const char*, const char*>, 2> trigger = {
        {{"op", "operator-based trigger"}, {"con", "constant-based trigger"}}};
    const std::array<std::pair<const char*, const char*>, 3> path = {
        {{"sep", "separate path"}, {"sha", "shared path"}, {"int", "interleaved path"}}};
    const std::array<std::pair<const char*, const char*>, 2> integ = {
        {{"tar", "targeted integration"}, {"un", "untargeted integration"}}};
    int n = 0;
    for (const auto& a : trigger)
      for (const auto& b : path)
        for (const auto& c : integ)
          v.push_back({fmt::format("T{}", ++n), fmt::format("{}/{}/{}", a.first, b.first, c.first),
                       fmt::format("Architectural backdoor: {}, {}, {}.", a.second, b.second, c.second)});
    return v;
  }();
  return t;
}

// The text of a rule doc's section ("## What it finds"), as one paragraph.
std::string doc_section(const std::string& doc, const std::string& heading) {
  size_t h = doc.find("## " + heading);
  if (h == std::string::npos) return {};
  size_t start = doc.find('\n', h);
  if (start == std::string::npos) return {};
  size_t end = doc.find("\n#", start);
  std::string body = doc.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
  std::string out;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos) {
      if (!out.empty()) break;  // first paragraph only
      continue;
    }
    if (!out.empty()) out += ' ';
    out += line.substr(b);
  }
  return out;
}

std::string ensure_period(std::string s) {
  if (!s.empty() && s.back() != '.' && s.back() != '!' && s.back() != '?') s += '.';
  return s;
}

json rule_descriptor(const std::string& id, const RuleInfo* info) {
  json d = {{"id", id}};
  std::string summary = info ? info->summary : std::string();
  std::string doc = rule_doc(id);
  std::string full = doc_section(doc, "What it finds");
  if (summary.empty()) summary = full.empty() ? id : full;
  if (full.empty()) full = summary;
  if (info && !info->name.empty()) d["name"] = info->name;
  d["shortDescription"] = {{"text", ensure_period(summary)}};
  d["fullDescription"] = {{"text", ensure_period(full)}};
  if (doc.empty()) doc = fmt::format("# {}\n\n{}\n", id, ensure_period(full));
  d["help"] = {{"text", doc}, {"markdown", doc}};
  if (info) d["helpUri"] = rule_doc_url(id);
  Severity sev = info ? info->severity : Severity::Warning;
  d["defaultConfiguration"] = {{"level", sarif_level(sev)}};
  json tags = json::array();
  std::string category = info ? info->category : std::string();
  bool security = category != "suppression";
  if (security) tags.push_back("security");
  if (!category.empty()) tags.push_back(category);
  json props = {{"tags", tags}};
  if (!category.empty()) props["category"] = category;
  props["problem.severity"] = sev == Severity::Note ? "recommendation" : sarif_level(sev);
  if (security) props["security-severity"] = security_severity(sev);
  d["properties"] = std::move(props);
  return d;
}

// Source lines, read once per file, for exact SARIF columns (archscan counts bytes).
class Lines {
 public:
  explicit Lines(std::string root) : root_(std::move(root)) {}
  std::string_view line(const std::string& path, int n) {
    auto it = files_.find(path);
    if (it == files_.end()) {
      std::vector<std::string> lines;
      if (!root_.empty() && !path.empty() && path[0] != '<') {
        std::ifstream in(root_ + "/" + path, std::ios::binary);
        for (std::string l; std::getline(in, l);) {
          if (!l.empty() && l.back() == '\r') l.pop_back();
          lines.push_back(std::move(l));
        }
      }
      it = files_.emplace(path, std::move(lines)).first;
    }
    if (n < 1 || static_cast<size_t>(n) > it->second.size()) return {};
    return it->second[static_cast<size_t>(n - 1)];
  }

 private:
  std::string root_;
  std::unordered_map<std::string, std::vector<std::string>> files_;
};

json artifact_location(const std::string& path) { return {{"uri", uri_encode_path(path)}, {"uriBaseId", "%SRCROOT%"}}; }

json region(Lines& lines, const std::string& path, int line, int col, int end_line, int end_col) {
  json r = {{"startLine", std::max(1, line)}};
  std::string_view text = lines.line(path, line);
  if (col > 0) r["startColumn"] = utf16_column(text, col);
  if (end_line >= line && end_line > 0) {
    r["endLine"] = end_line;
    if (end_col > 0) {
      int c = utf16_column(end_line == line ? text : lines.line(path, end_line), end_col);
      if (end_line > line || c > r.value("startColumn", 0)) r["endColumn"] = c;
    }
  }
  return r;
}

json physical_location(Lines& lines, const std::string& path, int line, int col, int end_line, int end_col,
                       const std::string& snippet = {}) {
  json p = {{"artifactLocation", artifact_location(path)}};
  if (line > 0) {
    p["region"] = region(lines, path, line, col, end_line, end_col);
    if (!snippet.empty()) p["region"]["snippet"] = {{"text", snippet}};
  }
  return p;
}

std::string root_uri(const std::string& root) {
  std::string r = root;
  if (r.empty() || r.back() != '/') r += '/';
  return "file://" + uri_encode_path(r);
}

}  // namespace

int utf16_column(std::string_view line, int byte_column) {
  if (byte_column <= 1) return byte_column;
  size_t bytes = std::min(line.size(), static_cast<size_t>(byte_column - 1));
  if (bytes < static_cast<size_t>(byte_column - 1)) return byte_column;  // unknown text: keep as is
  int units = 0;
  for (size_t i = 0; i < bytes;) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units + 1;
}

std::string uri_encode_path(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    bool unreserved = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (unreserved)
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

json sarif_log(const ScanResult& r) {
  Lines lines(r.root);
  const auto& registry = RuleRegistry::instance();

  // rules[]: every registered rule, then any rule id that only appears in results.
  json rules = json::array();
  std::map<std::string, int> rule_index;
  for (const auto& rule : registry.rules()) {
    rule_index[rule->info().id] = static_cast<int>(rules.size());
    rules.push_back(rule_descriptor(rule->info().id, &rule->info()));
  }
  for (const Finding& f : r.findings)
    if (!rule_index.count(f.rule)) {
      rule_index[f.rule] = static_cast<int>(rules.size());
      rules.push_back(rule_descriptor(f.rule, nullptr));
    }

  std::map<std::string, int> taxon_index;
  json taxa = json::array();
  for (const TaxonType& t : taxonomy()) {
    taxon_index[t.id] = static_cast<int>(taxa.size());
    taxa.push_back({{"id", t.id}, {"name", t.name}, {"shortDescription", {{"text", t.description}}}});
  }

  json results = json::array();
  for (const Finding& f : r.findings) {
    json res = {{"ruleId", f.rule},
                {"ruleIndex", rule_index.at(f.rule)},
                {"level", sarif_level(f.severity)},
                {"message", {{"text", f.message.empty() ? f.rule : f.message}}}};
    json loc = {
        {"physicalLocation", physical_location(lines, f.path, f.line, f.column, f.end_line, f.end_column, f.snippet)}};
    if (!f.scope.empty())
      loc["logicalLocations"] = json::array({{{"fullyQualifiedName", f.scope}, {"kind", "function"}}});
    res["locations"] = json::array({loc});
    if (!f.fingerprint.empty()) {
      // GitHub reads only primaryLocationLineHash: give it archscan's fingerprint, which survives
      // edits elsewhere in the file and moves of the code, so alerts are neither lost nor duplicated.
      res["partialFingerprints"] = {{"primaryLocationLineHash", f.fingerprint}, {kFingerprintKey, f.fingerprint}};
      res["fingerprints"] = {{kFingerprintKey, f.fingerprint}};
    }
    if (!f.trace.empty()) {
      json tfl = json::array();
      std::string summary, last_role;
      for (size_t i = 0; i < f.trace.size(); ++i) {
        const TraceStep& s = f.trace[i];
        json l = {
            {"location",
             {{"physicalLocation", physical_location(lines, s.path.empty() ? f.path : s.path, s.line, s.column, 0, 0)},
              {"message", {{"text", s.note.empty() ? s.role : fmt::format("{}: {}", s.role, s.note)}}}}},
            {"kinds", json::array({"taint"})},
            {"executionOrder", static_cast<int>(i + 1)},
            {"importance", (s.role == "input" || s.role == "integration" || s.role == "source" || s.role == "sink")
                               ? "essential"
                               : "important"}};
        if (!s.role.empty()) l["properties"] = {{"role", s.role}};
        tfl.push_back(std::move(l));
        if (!s.role.empty() && s.role != last_role) summary += (summary.empty() ? "" : " -> ") + s.role;
        if (!s.role.empty()) last_role = s.role;
      }
      json flow = {{"threadFlows", json::array({{{"locations", std::move(tfl)}}})}};
      if (!summary.empty()) flow["message"] = {{"text", summary}};
      res["codeFlows"] = json::array({std::move(flow)});
    }
    json supp = json::array();
    if (f.suppression == "inline")
      supp.push_back({{"kind", "inSource"}, {"status", "accepted"}, {"justification", f.suppression_reason}});
    else if (f.suppression == "review")
      supp.push_back({{"kind", "external"}, {"status", "accepted"}, {"justification", f.suppression_reason}});
    else if (!f.suppression.empty())
      supp.push_back({{"kind", "external"}, {"justification", f.suppression_reason}});
    res["suppressions"] = std::move(supp);
    json props = json::object();
    if (!f.taxonomy.empty()) {
      props["taxonomy"] = f.taxonomy;
      if (auto it = taxon_index.find(f.taxonomy); it != taxon_index.end()) {
        res["taxa"] = json::array(
            {{{"id", f.taxonomy}, {"index", it->second}, {"toolComponent", {{"name", kTaxonomyName}, {"index", 0}}}}});
        props["taxonomyName"] = taxonomy()[static_cast<size_t>(it->second)].name;
      }
    }
    if (!f.scope.empty()) props["scope"] = f.scope;
    if (!f.module.empty()) props["module"] = f.module;
    if (!props.empty()) res["properties"] = std::move(props);
    results.push_back(std::move(res));
  }

  json notes = json::array();
  json artifacts = json::array();
  for (const FileReport& fr : r.files) {
    bool pseudo = !fr.path.empty() && fr.path[0] == '<';
    if (!pseudo) {
      json a = {{"location", artifact_location(fr.path)}};
      if (!fr.language.empty()) a["sourceLanguage"] = fr.language;
      json props = {{"status", fr.status.empty() ? "ok" : fr.status}};
      if (!fr.mode.empty()) props["mode"] = fr.mode;
      if (!fr.content_hash.empty()) props["contentHash"] = fr.content_hash;
      a["properties"] = std::move(props);
      artifacts.push_back(std::move(a));
    }
    if (fr.status.empty() || fr.status == "ok") continue;
    const char* level = fr.status == "error" ? "error" : fr.status == "partial" ? "warning" : "note";
    json n = {{"level", level},
              {"message",
               {{"text", fr.message.empty() ? fmt::format("{}: {}", fr.path, fr.status)
                                            : fmt::format("{}: {}", fr.path, fr.message)}}},
              {"descriptor", {{"id", fmt::format("file-{}", fr.status)}}}};
    if (!pseudo)
      n["locations"] = json::array({{{"physicalLocation", {{"artifactLocation", artifact_location(fr.path)}}}}});
    notes.push_back(std::move(n));
  }

  json invocation = {{"executionSuccessful", true}, {"toolExecutionNotifications", std::move(notes)}};
  if (!r.arguments.empty()) {
    invocation["arguments"] = r.arguments;
    std::string cmd;
    for (const auto& a : r.arguments) cmd += (cmd.empty() ? "" : " ") + a;
    invocation["commandLine"] = cmd;
  }
  if (!r.root.empty()) invocation["workingDirectory"] = {{"uri", root_uri(r.root)}};

  json run = {{"tool",
               {{"driver",
                 {{"name", "archscan"},
                  {"version", ARCHSCAN_VERSION},
                  {"semanticVersion", ARCHSCAN_VERSION},
                  {"informationUri", ARCHSCAN_HOMEPAGE},
                  {"rules", std::move(rules)},
                  {"supportedTaxonomies", json::array({{{"name", kTaxonomyName}, {"index", 0}}})}}}}},
              {"taxonomies", json::array({{{"name", kTaxonomyName},
                                           {"organization", "archscan"},
                                           {"shortDescription",
                                            {{"text",
                                              "Architectural backdoor types: trigger (operator/constant) x "
                                              "propagation (separate/shared/interleaved) x integration "
                                              "(targeted/untargeted)."}}},
                                           {"taxa", std::move(taxa)}}})},
              {"invocations", json::array({std::move(invocation)})},
              {"columnKind", "utf16CodeUnits"},
              {"results", std::move(results)}};
  if (!r.root.empty()) run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", root_uri(r.root)}}}};
  if (!artifacts.empty()) run["artifacts"] = std::move(artifacts);

  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({std::move(run)})}};
}

namespace {
const bool registered =
    (register_sink("sarif",
                   [](const ScanResult& r, std::ostream& os) {
                     os << sarif_log(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
                   }),
     true);
}  // namespace

}  // namespace archscan::sinks
