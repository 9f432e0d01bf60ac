#include "lsp/workspace.h"

#include <algorithm>
#include <filesystem>

#include "base/parallel.h"
#include "core/source_reader.h"
#include "diff/side.h"
#include "store/file_deps.h"

namespace archscan::lsp {
namespace {

bool is_package_init_path(const std::string& path) {
  return path == "__init__.py" || (path.size() > 12 && path.ends_with("/__init__.py"));
}

}  // namespace

Workspace::Workspace(std::string root, ScanOptions opts) : root_(std::move(root)), opts_(std::move(opts)) {
  opts_.paths = {root_};
}

std::optional<std::string> Workspace::read_disk(const std::string& path, std::string& problem) const {
  ReadResult r = read_source((std::filesystem::path(root_) / path).string(), opts_.max_file_bytes, {root_});
  if (!r.ok) {
    problem = r.message;
    return std::nullopt;
  }
  return std::move(r.text);
}

void Workspace::discover() {
  std::vector<SourceCandidate> found = archscan::discover(root_, opts_.paths, opts_.excludes);
  std::vector<std::optional<std::string>> texts(found.size());
  std::vector<std::string> problems(found.size());
  parallel_for(found.size(), opts_.jobs, [&](size_t i) {
    const SourceCandidate& c = found[i];
    if (!c.problem.empty() || !frontend::frontend_for(c.rel_path) || !diff::is_scanned_source(c.rel_path)) return;
    texts[i] = read_disk(c.rel_path, problems[i]);
  });
  for (size_t i = 0; i < found.size(); ++i) {
    if (!texts[i]) continue;
    Entry& e = files_[found[i].rel_path];
    if (e.buffer) continue;  // opened before the workspace was read
    e.text = std::move(*texts[i]);
  }
  index_paths();
  touched("", true);
}

void Workspace::index_paths() {
  paths_.clear();
  for (const auto& [p, e] : files_) paths_.push_back(p);
}

void Workspace::forget_lowering(Entry& e) {
  e.lowered.reset();
  e.refs.reset();
}

void Workspace::touched(const std::string& path, bool file_set_changed) {
  if (plan_ && (file_set_changed || !std::binary_search(plan_->seeds.begin(), plan_->seeds.end(), path)))
    plan_.reset();
  if (file_set_changed) {
    std::lock_guard<std::mutex> lock(refs_mu_);
    module_memo_.clear();
  }
}

void Workspace::set_buffer(const std::string& path, std::string text, bool quick) {
  const bool added = !files_.count(path);
  Entry& e = files_[path];
  if (e.buffer && e.text == text && e.quick == quick) return;
  e.text = std::move(text);
  e.buffer = true;
  e.quick = quick;
  forget_lowering(e);
  touched(path, added);
  if (added) {
    index_paths();
    // A new __init__.py makes its folder a package: module names below it change.
    if (is_package_init_path(path))
      for (auto& [p, other] : files_) forget_lowering(other);
  }
}

void Workspace::drop_buffer(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end() || !it->second.buffer) return;
  it->second.buffer = false;
  disk_changed(path);
}

std::string Workspace::disk_changed(const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end() && it->second.buffer) return "";  // the editor's text wins
  std::string problem;
  std::optional<std::string> text = frontend::frontend_for(path) && diff::is_scanned_source(path)
                                        ? read_disk(path, problem)
                                        : std::nullopt;
  if (!text) {
    if (it == files_.end()) return "";
    const std::string module = module_name(path);
    files_.erase(it);
    index_paths();
    touched(path, true);
    if (is_package_init_path(path))
      for (auto& [p, other] : files_) forget_lowering(other);
    return module;
  }
  if (it != files_.end() && it->second.text == *text && !it->second.quick) return "";
  set_buffer(path, std::move(*text), false);
  files_[path].buffer = false;
  return "";
}

std::string Workspace::module_name(const std::string& path, bool* is_package_init) const {
  const frontend::Frontend* fe = frontend::frontend_for(path);
  if (!fe || fe->language != "python") {
    if (is_package_init) *is_package_init = false;
    return "";
  }
  {
    std::lock_guard<std::mutex> lock(refs_mu_);
    if (auto it = module_memo_.find(path); it != module_memo_.end()) {
      if (is_package_init) *is_package_init = it->second.second;
      return it->second.first;
    }
  }
  bool init = false;
  std::string name = dotted_module_name(
      path, [&](const std::string& i) { return files_.count(i) > 0; }, &init);
  if (is_package_init) *is_package_init = init;
  std::lock_guard<std::mutex> lock(refs_mu_);
  module_memo_[path] = {name, init};
  return name;
}

const std::string* Workspace::text(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second.text;
}

store::FileRefs Workspace::refs(const std::string& path, const frontend::Options& opts) {
  auto it = files_.find(path);
  if (it == files_.end()) return {};
  Entry& e = it->second;
  {
    std::lock_guard<std::mutex> lock(refs_mu_);
    if (e.refs) return *e.refs;
    if (e.lowered) {
      e.refs = store::file_refs(e.lowered->frag, 0);
      return *e.refs;
    }
  }
  store::FileRefs r = diff::SourceTree::refs(path, opts);
  std::lock_guard<std::mutex> lock(refs_mu_);
  e.refs = r;
  return r;
}

void Workspace::lower(const std::vector<std::string>& paths) {
  std::vector<Entry*> todo;
  std::vector<std::string> todo_paths;
  for (const auto& p : paths) {
    auto it = files_.find(p);
    if (it != files_.end() && !it->second.lowered) todo.push_back(&it->second), todo_paths.push_back(p);
  }
  parallel_for(todo.size(), opts_.jobs, [&](size_t i) {
    Entry& e = *todo[i];
    ScanOptions o = opts_;
    o.frontend.syntactic_only = e.quick;
    bool is_init = false;
    const std::string module = module_name(todo_paths[i], &is_init);
    e.lowered = lower_source(o, root_, {todo_paths[i], e.text}, module, is_init);
  });
}

Analysis Workspace::analyse(const std::vector<std::string>& paths, std::vector<std::string> published) {
  lower(paths);
  std::vector<const LoweredSource*> files;
  for (const auto& p : paths)
    if (auto it = files_.find(p); it != files_.end() && it->second.lowered) files.push_back(&*it->second.lowered);
  Analysis a;
  a.analysed_files = files.size();
  ScanOutput out = analyse_lowered(opts_, root_, files);
  a.published = std::move(published);
  for (const auto& p : a.published) a.findings[p];  // a file without findings now has none
  for (auto& f : out.result.findings)
    if (auto it = a.findings.find(f.path); it != a.findings.end()) it->second.push_back(std::move(f));
  for (auto& r : out.result.files)
    if (a.findings.count(r.path)) a.reports[r.path] = std::move(r);
  return a;
}

Analysis Workspace::analyse_all(ScanProgress* progress) {
  if (progress) progress->total = paths_.size();
  opts_.progress = progress;
  lower(paths_);
  opts_.progress = nullptr;
  return analyse(paths_, paths_);
}

// Which files an edit of `changed` makes analyse, and whose findings it replaces. Who imports a file
// does not depend on its text: while only the same files are edited, the importers found for the
// first edit stand, and only what they import is looked up again, and only when the edited files'
// imports or referenced names changed. (Typing in a large file is a stream of such edits.)
std::vector<std::string> Workspace::plan(const std::vector<std::string>& changed,
                                         const std::vector<std::string>& removed_modules) {
  std::vector<std::string> seeds;
  for (const auto& c : changed)
    if (contains(c)) seeds.push_back(c);
  std::sort(seeds.begin(), seeds.end());
  lower(seeds);
  std::vector<store::FileRefs> refs_now;
  for (const auto& s : seeds) refs_now.push_back(refs(s, opts_.frontend));
  const bool same_seeds = plan_ && plan_->seeds == seeds && removed_modules.empty();
  if (same_seeds && plan_->seed_refs == refs_now) return plan_->paths;
  diff::AffectedRequest req;
  req.jobs = opts_.jobs;
  req.frontend = opts_.frontend;
  if (same_seeds) {
    req.seeds = plan_->dependents;
    req.importers = false;
    plan_->paths = diff::affected_files(*this, req);
    plan_->seed_refs = std::move(refs_now);
    return plan_->paths;
  }
  Plan p;
  p.seeds = seeds;
  p.seed_refs = std::move(refs_now);
  req.seeds = seeds;
  req.removed_modules = removed_modules;
  req.dependents = &p.dependents;
  if (!seeds.empty() || !removed_modules.empty()) p.paths = diff::affected_files(*this, req);
  plan_ = std::move(p);
  return plan_->paths;
}

Analysis Workspace::analyse_changed(const std::vector<std::string>& changed,
                                    const std::vector<std::string>& removed_modules) {
  std::vector<std::string> paths = plan(changed, removed_modules);
  return analyse(paths, plan_->dependents);
}

}  // namespace archscan::lsp
