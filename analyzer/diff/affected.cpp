#include "diff/affected.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "base/parallel.h"
#include "core/source_reader.h"
#include "diff/side.h"
#include "store/file_deps.h"

namespace archscan::diff {
namespace {

bool is_python(const std::string& path) {
  const frontend::Frontend* fe = frontend::frontend_for(path);
  return fe && fe->language == "python";
}

}  // namespace

store::FileRefs SourceTree::refs(const std::string& path, const frontend::Options& opts) {
  const std::string* text = this->text(path);
  const frontend::Frontend* fe = frontend::frontend_for(path);
  if (!text || !fe) return {};
  ir::Program frag;
  ir::SourceFile& f = frag.files.emplace_back();
  f.path = path;
  f.abs_path = path;
  f.language = fe->language;
  f.module_name = module_name(path, &f.is_package_init);
  f.text = *text;
  f.line_starts = ir::line_starts(f.text);
  try {
    fe->lower(frag, opts);
  } catch (const std::exception&) {
    return {};  // the analysis reports the file; here it just connects nothing
  }
  return store::file_refs(frag, 0);
}

namespace {

bool is_cpp(const std::string& path) {
  const frontend::Frontend* fe = frontend::frontend_for(path);
  return fe && fe->language == "cpp";
}

// The paths of the `#include` directives of C/C++ `text`.
std::vector<std::string> include_paths(const std::string& text) {
  std::vector<std::string> out;
  for (size_t pos = text.find("include"); pos != std::string::npos; pos = text.find("include", pos + 1)) {
    size_t bol = text.rfind('\n', pos);
    bol = bol == std::string::npos ? 0 : bol + 1;
    std::string_view before(text.data() + bol, pos - bol);
    if (before.find_first_not_of(" \t#") != std::string_view::npos || before.find('#') == std::string_view::npos)
      continue;
    size_t open = text.find_first_of("\"<\n", pos);
    if (open == std::string::npos || text[open] == '\n') continue;
    size_t close = text.find_first_of(text[open] == '<' ? ">\n" : "\"\n", open + 1);
    if (close == std::string::npos || text[close] == '\n') continue;
    out.push_back(text.substr(open + 1, close - open - 1));
  }
  return out;
}

// Whether an include of `named` may mean `header` (a repository path): the same path, or a
// '/'-boundary suffix of it. Textual, as the include search path is not known here.
bool may_name(const std::string& named, const std::string& header) {
  return named == header ||
         (header.size() > named.size() && header.ends_with(named) && header[header.size() - named.size() - 1] == '/');
}

// C and C++ files connected by `#include` to those of `out`, transitively: the files that include
// them (a header change reaches every translation unit including it) when `includers`, and the
// headers they include, since the analysis links a translation unit with its headers' own
// lowering (as `scan`, which reads every file of the tree).
void add_include_graph(SourceTree& side, std::vector<std::string>& out, bool includers) {
  std::vector<std::string> frontier;
  for (const auto& s : out)
    if (is_cpp(s)) frontier.push_back(s);
  if (frontier.empty()) return;
  std::vector<std::string> cpp;
  for (const auto& p : side.source_paths())
    if (is_cpp(p)) cpp.push_back(p);
  side.load(cpp);
  std::unordered_map<std::string, std::vector<std::string>> includes;
  for (const auto& p : cpp)
    if (const std::string* t = side.text(p)) includes[p] = include_paths(*t);
  std::unordered_set<std::string> selected(out.begin(), out.end());
  auto add = [&](const std::string& p, std::vector<std::string>& next) {
    if (selected.insert(p).second) next.push_back(p), out.push_back(p);
  };
  while (!frontier.empty()) {
    std::vector<std::string> next;
    for (const auto& f : frontier)
      for (const auto& named : includes[f])
        for (const auto& p : cpp)
          if (may_name(named, p)) add(p, next);
    if (includers)
      for (const auto& p : cpp)
        for (const auto& named : includes[p])
          if (std::any_of(frontier.begin(), frontier.end(), [&](const std::string& h) { return may_name(named, h); })) {
            add(p, next);
            break;
          }
    frontier = std::move(next);
  }
}

std::string last_segment(const std::string& dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

class Graph {
 public:
  Graph(SourceTree& side, const AffectedRequest& req) : side_(side), req_(req) {
    for (const auto& p : side.source_paths())
      if (is_python(p)) paths_.push_back(p);
    modules_.reserve(paths_.size() + req.removed_modules.size());
    for (const auto& p : paths_) modules_.push_back(side.module_name(p));
    // Deleted modules stay in the index, past the files: a file that still names one is affected.
    modules_.insert(modules_.end(), req.removed_modules.begin(), req.removed_modules.end());
    refs_.resize(paths_.size());
  }

  size_t files() const { return paths_.size(); }
  const std::string& path(size_t i) const { return paths_[i]; }
  const std::string& module(size_t i) const { return modules_[i]; }
  size_t size_with_removed() const { return modules_.size(); }
  std::optional<size_t> find(const std::string& path) const {
    auto it = std::find(paths_.begin(), paths_.end(), path);
    if (it == paths_.end()) return std::nullopt;
    return static_cast<size_t>(it - paths_.begin());
  }

  void lower(const std::vector<size_t>& which) {
    std::vector<size_t> todo;
    std::vector<std::string> to_load;
    for (size_t i : which)
      if (!refs_[i]) todo.push_back(i), to_load.push_back(paths_[i]);
    if (todo.empty()) return;
    side_.load(to_load);
    std::vector<store::FileRefs> found(todo.size());
    parallel_for(todo.size(), req_.jobs, [&](size_t k) { found[k] = side_.refs(paths_[todo[k]], req_.frontend); });
    for (size_t k = 0; k < todo.size(); ++k) refs_[todo[k]] = std::move(found[k]);
    index_.reset();
  }

  // The files (and removed modules, indices >= files()) the names of lowered file `i` may resolve into.
  std::vector<int32_t> targets(size_t i) {
    if (!index_) {
      std::unordered_set<std::string> imports;
      for (const auto& r : refs_)
        if (r) imports.insert(r->imports.begin(), r->imports.end());
      index_.emplace(modules_, imports);
    }
    std::vector<int32_t> hits;
    for (const auto* list : {&refs_[i]->imports, &refs_[i]->names})
      for (const auto& name : *list) index_->candidates(name, hits);
    return hits;
  }

 private:
  SourceTree& side_;
  const AffectedRequest& req_;
  std::vector<std::string> paths_, modules_;
  std::vector<std::optional<store::FileRefs>> refs_;
  std::optional<store::NameIndex> index_;
};

}  // namespace

std::vector<std::string> affected_files(SourceTree& side, const AffectedRequest& req) {
  std::vector<std::string> out;
  for (const auto& s : req.seeds)
    if (side.has(s) && is_scanned_source(s)) out.push_back(s);
  if (out.empty() && req.removed_modules.empty()) return out;  // a docs-only change reads nothing

  add_include_graph(side, out, req.importers);
  Graph g(side, req);
  std::vector<char> selected(g.size_with_removed(), 0);
  std::vector<size_t> frontier;
  for (const auto& s : out)
    if (auto i = g.find(s)) selected[*i] = 1, frontier.push_back(*i);
  for (size_t k = g.files(); k < g.size_with_removed(); ++k) selected[k] = 1, frontier.push_back(k);

  if (req.importers) {
    // A file can name a module only if its text holds the module's last name: only those are
    // lowered to see whether they do.
    std::vector<std::string> all;
    for (size_t i = 0; i < g.files(); ++i) all.push_back(g.path(i));
    side.load(all);
    while (!frontier.empty()) {
      std::vector<std::string> words;
      for (size_t f : frontier)
        if (!g.module(f).empty()) words.push_back(last_segment(g.module(f)));
      std::vector<size_t> candidates;
      for (size_t i = 0; i < g.files(); ++i) {
        const std::string* text = selected[i] ? nullptr : side.text(g.path(i));
        if (text && std::any_of(words.begin(), words.end(),
                                [&](const std::string& w) { return text->find(w) != std::string::npos; }))
          candidates.push_back(i);
      }
      g.lower(candidates);
      std::vector<size_t> next;
      for (size_t c : candidates)
        for (int32_t t : g.targets(c))
          if (selected[static_cast<size_t>(t)] && !selected[c]) selected[c] = 1, next.push_back(c);
      frontier = std::move(next);
    }
  }

  if (req.dependents) {
    *req.dependents = out;
    for (size_t i = 0; i < g.files(); ++i)
      if (selected[i]) req.dependents->push_back(g.path(i));
    std::sort(req.dependents->begin(), req.dependents->end());
    req.dependents->erase(std::unique(req.dependents->begin(), req.dependents->end()), req.dependents->end());
  }

  // Everything the selected files import, transitively.
  std::vector<size_t> todo;
  for (size_t i = 0; i < g.files(); ++i)
    if (selected[i]) todo.push_back(i);
  while (!todo.empty()) {
    g.lower(todo);
    std::vector<size_t> next;
    for (size_t i : todo)
      for (int32_t t : g.targets(i))
        if (static_cast<size_t>(t) < g.files() && !selected[static_cast<size_t>(t)])
          selected[static_cast<size_t>(t)] = 1, next.push_back(static_cast<size_t>(t));
    todo = std::move(next);
  }
  for (size_t i = 0; i < g.files(); ++i)
    if (selected[i]) out.push_back(g.path(i));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace archscan::diff
