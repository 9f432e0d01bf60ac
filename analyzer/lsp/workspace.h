// The LSP server's view of the project: every source file below the root, read from disk once, with
// the editor's unsaved buffers over it, each kept lowered between analyses. After an edit only the
// edited files are lowered again, and only they, the files that import them and what those import
// are linked and analysed (diff::affected_files, as `archscan diff` chooses them).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/pipeline.h"
#include "diff/affected.h"

namespace archscan::lsp {

struct Analysis {
  // The files whose findings this analysis replaces: all of them after analyse_all, the edited
  // files and their importers after analyse_changed (a file they only import keeps its findings,
  // which may come from models elsewhere).
  std::vector<std::string> published;
  std::map<std::string, std::vector<Finding>> findings;  // by path, for the published files
  std::map<std::string, FileReport> reports;             // by path, for the published files
  size_t analysed_files = 0;
};

class Workspace : public diff::SourceTree {
 public:
  Workspace(std::string root, ScanOptions opts);
  const std::string& root() const { return root_; }
  const ScanOptions& options() const { return opts_; }

  // Finds and reads the source files below the root as `scan` does (excludes, symlinks, size limit).
  void discover();

  // An editor buffer: its text wins over the disk until it is dropped. `quick`: lower C++ without
  // Clang (a keystroke); a save lowers it fully.
  void set_buffer(const std::string& path, std::string text, bool quick);
  // The buffer is closed: the file is what the disk holds again (gone when it is not on disk).
  void drop_buffer(const std::string& path);
  // The file changed on disk (created, changed or deleted). Returns the dotted module name it had
  // when it no longer exists ("" otherwise), for analyse_changed's `removed_modules`.
  std::string disk_changed(const std::string& path);
  bool contains(const std::string& path) const { return files_.count(path) > 0; }

  Analysis analyse_all(ScanProgress* progress = nullptr);
  Analysis analyse_changed(const std::vector<std::string>& changed, const std::vector<std::string>& removed_modules);

  // diff::SourceTree
  bool has(const std::string& path) const override { return contains(path); }
  const std::vector<std::string>& source_paths() const override { return paths_; }
  std::string module_name(const std::string& path, bool* is_package_init = nullptr) const override;
  void load(const std::vector<std::string>&) override {}  // every text is in memory
  const std::string* text(const std::string& path) const override;
  store::FileRefs refs(const std::string& path, const frontend::Options& opts) override;

 private:
  struct Entry {
    std::string text;
    bool buffer = false;  // an editor buffer (else the disk's text)
    bool quick = false;
    std::string problem;  // why the disk's file could not be read ("" when it was)
    std::optional<LoweredSource> lowered;
    std::optional<store::FileRefs> refs;
  };
  struct Plan {
    std::vector<std::string> seeds;           // the edited files (sorted)
    std::vector<store::FileRefs> seed_refs;   // their references when `paths` was found
    std::vector<std::string> dependents;      // the seeds and their importers
    std::vector<std::string> paths;           // and everything those import
  };
  void index_paths();
  // `path` changed (its text, or whether it exists): the plan stands only for its own seeds' edits.
  void touched(const std::string& path, bool file_set_changed);
  std::vector<std::string> plan(const std::vector<std::string>& changed,
                                const std::vector<std::string>& removed_modules);
  void forget_lowering(Entry& e);
  void lower(const std::vector<std::string>& paths);
  Analysis analyse(const std::vector<std::string>& paths, std::vector<std::string> published);
  std::optional<std::string> read_disk(const std::string& path, std::string& problem) const;

  std::string root_;
  ScanOptions opts_;
  std::map<std::string, Entry> files_;
  std::vector<std::string> paths_;
  std::optional<Plan> plan_;
  mutable std::mutex refs_mu_;  // refs and module names are asked for from several threads
  mutable std::map<std::string, std::pair<std::string, bool>> module_memo_;
};

}  // namespace archscan::lsp
