#include "diff/diff.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <unordered_set>

#include "core/source_reader.h"
#include "diff/added_suppressions.h"
#include "diff/affected.h"
#include "diff/side.h"
#include "findings/fingerprint.h"
#include "frontend/frontend.h"
#include "store/store.h"

namespace archscan::diff {
namespace {

namespace fs = std::filesystem;

std::string short_id(const std::string& id) { return id.substr(0, 10); }

// A revision the repository lacks. In a shallow clone that is most likely history it was not
// given: say how to get it (archscan itself fetches nothing).
DiffError missing(const vcs::Repo& repo, const std::string& what) {
  if (repo.shallow())
    return DiffError(fmt::format(
        "{} is not in this shallow clone, and archscan fetches nothing. Deepen the history first: "
        "`git fetch --deepen=100` (repeat until it is there) or `git fetch --unshallow`; with actions/checkout, "
        "set `fetch-depth: 0`",
        what));
  return DiffError(fmt::format("{}: no such commit in {}", what, repo.top()));
}

struct Revs {
  std::string base, head, base_label, head_label;
};

Revs resolve_revs(const vcs::Repo& repo, const DiffRequest& req) {
  Revs r;
  if (req.staged && !req.head.empty()) throw DiffError("--staged compares BASE with the index: give no HEAD");
  if (req.staged) {
    r.head = ":index";
    r.head_label = "the index";
  } else if (req.head.empty()) {
    r.head_label = "the working tree";
  } else {
    auto c = repo.resolve(req.head);
    if (!c) throw missing(repo, "HEAD revision `" + req.head + "`");
    r.head = *c;
    r.head_label = fmt::format("{} ({})", req.head, short_id(*c));
  }
  if (!req.base.empty()) {
    auto c = repo.resolve(req.base);
    if (!c) throw missing(repo, "BASE revision `" + req.base + "`");
    r.base = *c;
    r.base_label = fmt::format("{} ({})", req.base, short_id(*c));
  } else if (!repo.has_commits()) {
    r.base = vcs::kEmptyTree;
    r.base_label = "the empty tree (no commit yet)";
  } else if (req.staged) {
    r.base = *repo.resolve("HEAD");
    r.base_label = fmt::format("HEAD ({})", short_id(r.base));
  } else {
    auto branch = repo.default_branch();
    if (!branch)
      throw DiffError(
          "no default branch (origin/HEAD, origin/main, origin/master, main or master) to take the merge "
          "base with: name BASE, as in `archscan diff origin/develop`");
    const std::string head_commit = r.head.empty() ? *repo.resolve("HEAD") : r.head;
    auto mb = repo.merge_base(*branch, head_commit);
    if (!mb) {
      if (repo.shallow()) throw missing(repo, fmt::format("the merge base of {} and HEAD", *branch));
      throw DiffError(fmt::format("{} and HEAD have no common history: name BASE", *branch));
    }
    r.base = *mb;
    r.base_label = fmt::format("the merge base with {} ({})", *branch, short_id(*mb));
  }
  return r;
}

// As `scan --exclude`: a glob matched against the relative path and the base name of the file and
// of every directory above it (scan does not walk into an excluded directory).
bool excluded(const std::string& path, const std::vector<std::string>& globs) {
  if (globs.empty()) return false;
  for (fs::path p(path); !p.empty(); p = p.parent_path()) {
    const std::string rel = p.generic_string(), base = p.filename().string();
    for (const auto& g : globs)
      if (fnmatch(g.c_str(), rel.c_str(), 0) == 0 || fnmatch(g.c_str(), base.c_str(), 0) == 0) return true;
  }
  return false;
}

std::vector<MemorySource> sources_of(Side& side, const std::vector<std::string>& paths) {
  side.load(paths);
  std::vector<MemorySource> out;
  for (const auto& p : paths)
    if (const std::string* t = side.text(p)) out.push_back({p, *t});
  return out;
}

// BASE's fingerprints, and those of its findings in renamed files recomputed under the new path and
// module name: moving a reviewed file is not a new finding.
std::unordered_set<std::string> base_fingerprints(const ScanOutput& base,
                                                  const std::map<std::string, std::string>& renamed,
                                                  const Side& base_side, const Side& head_side) {
  std::unordered_set<std::string> known;
  for (const auto& f : base.result.findings) known.insert(f.fingerprint);
  if (renamed.empty()) return known;
  ir::Program relabelled;
  for (const auto& f : base.program->files) {
    ir::SourceFile& c = relabelled.files.emplace_back();
    auto it = renamed.find(f.path);
    c.path = it == renamed.end() ? f.path : it->second;
    c.text = f.text;
    c.line_starts = f.line_starts;
  }
  std::vector<Finding> moved = base.result.findings;
  for (auto& f : moved) {
    auto it = renamed.find(f.path);
    if (it == renamed.end()) continue;
    const std::string from = base_side.module_name(it->first), to = head_side.module_name(it->second);
    f.path = it->second;
    if (!from.empty() && (f.scope == from || f.scope.rfind(from + ".", 0) == 0))
      f.scope = to + f.scope.substr(from.size());
  }
  assign_fingerprints(moved, relabelled);
  for (const auto& f : moved) known.insert(f.fingerprint);
  return known;
}

// Dismissals recorded by a reviewer are the trusted way to silence a finding: apply them from the
// repository's review database, read only (a diff records no run).
int apply_dismissals(std::vector<Finding>& findings, const DiffRequest& req, const std::string& top) {
  const ScanOptions& o = req.scan;
  if (o.no_db) return 0;
  const std::string path = o.db_path.empty() ? store::Store::default_path(top) : o.db_path;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    if (!o.db_path.empty()) throw DiffError(fmt::format("findings database {}: no such file", path));
    return 0;
  }
  int dismissed = 0;
  try {
    store::Store st(path, false);
    for (Finding& f : findings) {
      if (!f.suppression.empty()) continue;
      store::Review r = st.current_review(f.fingerprint);
      if (!store::is_dismissed(r.state)) continue;
      f.suppression = "review";
      f.suppression_reason = store::review_suppression_reason(r);
      ++dismissed;
    }
  } catch (const std::exception& e) {
    throw DiffError(fmt::format("findings database {}: {} (use --db PATH or --no-db)", path, e.what()));
  }
  if (!o.all)
    findings.erase(
        std::remove_if(findings.begin(), findings.end(), [](const Finding& f) { return f.suppression == "review"; }),
        findings.end());
  return dismissed;
}

}  // namespace

DiffOutcome run_diff(const DiffRequest& req) {
  const auto start = std::chrono::steady_clock::now();
  DiffOutcome out;
  try {
    vcs::Repo repo(req.dir);
    const Revs revs = resolve_revs(repo, req);
    out.base_label = revs.base_label;
    out.head_label = revs.head_label;
    ScanResult& r = out.result;
    r.root = repo.top();
    r.arguments = req.scan.arguments;
    r.list_suppressed = req.scan.all;

    for (auto& c : repo.changes(revs.base, revs.head)) {
      const bool old_src = is_scanned_source(c.old_path) && !excluded(c.old_path, req.excludes);
      const bool new_src = is_scanned_source(c.new_path) && !excluded(c.new_path, req.excludes);
      if (old_src || new_src) out.changes.push_back(std::move(c));
    }
    if (out.changes.empty()) {  // nothing archscan reads changed: nothing to analyse
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return out;
    }

    Side head(repo, revs.head, req.scan.max_file_bytes), base(repo, revs.base, req.scan.max_file_bytes);
    AffectedRequest at_head;
    at_head.jobs = req.scan.jobs;
    at_head.frontend = req.scan.frontend;
    std::map<std::string, std::string> changed;  // HEAD path -> BASE path ("" when added)
    std::map<std::string, std::string> renamed;  // BASE path -> HEAD path
    std::map<std::string, std::string> head_to_base;
    std::vector<std::string> deleted;
    for (const auto& c : out.changes) {
      if (!c.new_path.empty()) {
        at_head.seeds.push_back(c.new_path);
        changed[c.new_path] = c.old_path;
      }
      if (c.status == 'R') renamed[c.old_path] = c.new_path, head_to_base[c.new_path] = c.old_path;
      if (c.status == 'D') deleted.push_back(c.old_path);
      // A module that no longer exists under its name: files still naming it are affected.
      if ((c.status == 'D' || c.status == 'R') && !base.module_name(c.old_path).empty())
        at_head.removed_modules.push_back(base.module_name(c.old_path));
    }
    std::vector<std::string> head_paths = affected_files(head, at_head);
    head_paths.erase(std::remove_if(head_paths.begin(), head_paths.end(),
                                    [&](const std::string& p) { return excluded(p, req.excludes); }),
                     head_paths.end());

    AffectedRequest at_base;
    at_base.jobs = req.scan.jobs;
    at_base.frontend = req.scan.frontend;
    at_base.importers = false;
    for (const auto& p : head_paths) {
      auto it = head_to_base.find(p);
      at_base.seeds.push_back(it == head_to_base.end() ? p : it->second);
    }
    at_base.seeds.insert(at_base.seeds.end(), deleted.begin(), deleted.end());
    std::vector<std::string> base_paths = affected_files(base, at_base);
    base_paths.erase(std::remove_if(base_paths.begin(), base_paths.end(),
                                    [&](const std::string& p) { return excluded(p, req.excludes); }),
                     base_paths.end());

    const ScanOutput head_run = run_scan_sources(req.scan, r.root, sources_of(head, head_paths));
    const ScanOutput base_run = run_scan_sources(req.scan, r.root, sources_of(base, base_paths));
    out.head_files = head_paths.size();
    out.base_files = base_paths.size();
    base.load([&] {
      std::vector<std::string> olds;
      for (const auto& [h, b] : changed)
        if (!b.empty()) olds.push_back(b);
      return olds;
    }());

    const std::unordered_set<std::string> known = base_fingerprints(base_run, renamed, base, head);
    r.files = head_run.result.files;
    // Files the HEAD side could not read are reported as scan reports them: a clean diff says
    // nothing about them.
    for (const auto& p : head_paths)
      if (const std::string why = head.problem(p); !why.empty())
        r.files.push_back({p, frontend::frontend_for(p)->language, "skipped", why, "", ""});
    for (const auto& f : head_run.result.findings)
      if (!known.count(f.fingerprint)) r.findings.push_back(f);
    for (auto& f : added_suppressions(head_run, base, changed, req.scan)) r.findings.push_back(std::move(f));
    std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.path, a.line, a.column, a.rule) < std::tie(b.path, b.line, b.column, b.rule);
    });
    out.dismissed = apply_dismissals(r.findings, req, r.root);
  } catch (const vcs::GitError& e) {
    throw DiffError(e.what());
  }
  out.result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace archscan::diff
