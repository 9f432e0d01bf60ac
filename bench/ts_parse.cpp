// ts_parse_bench: a bare tree-sitter parse of the Python files under the given paths, the baseline
// that bench/scan_bench.sh puts next to `archscan scan`. It finds files as archscan does (.py and
// .pyi; skips dot-directories, __pycache__ and node_modules), reads each one and parses it; no
// lowering, no analysis.
//
//   ts_parse_bench [-j N] PATH...
//
// Prints one line: `files N bytes B partial P seconds S` (S: wall time of reading + parsing).
#include <tree_sitter/api.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace fs = std::filesystem;

namespace {

bool python_file(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".py" || ext == ".pyi";
}

bool skipped_dir(const fs::path& p) {
  std::string n = p.filename().string();
  return n == "__pycache__" || n == "node_modules" || (n.size() > 1 && n[0] == '.');
}

void collect(const fs::path& root, std::vector<fs::path>& out) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    if (python_file(root)) out.push_back(root);
    return;
  }
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code sec;
    if (it->is_directory(sec)) {
      if (it->is_symlink(sec) || skipped_dir(it->path())) it.disable_recursion_pending();
      continue;
    }
    if (python_file(it->path()) && it->is_regular_file(sec)) out.push_back(it->path());
  }
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.clear();
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) out.append(buf, static_cast<size_t>(in.gcount()));
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  int jobs = 1;
  std::vector<fs::path> roots;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "-j" || a == "--jobs") && i + 1 < argc) {
      jobs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: ts_parse_bench [-j N] PATH...\n");
      return 0;
    } else {
      roots.emplace_back(a);
    }
  }
  if (roots.empty()) {
    std::fprintf(stderr, "usage: ts_parse_bench [-j N] PATH...\n");
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::vector<fs::path> files;
  for (const auto& r : roots) collect(r, files);
  std::sort(files.begin(), files.end());

  std::atomic<size_t> next{0}, bytes{0}, partial{0}, failed{0};
  auto worker = [&] {
    TSParser* parser = ts_parser_new();
    if (!ts_parser_set_language(parser, tree_sitter_python())) {
      std::fprintf(stderr, "ts_parse_bench: incompatible tree-sitter-python\n");
      std::exit(2);
    }
    std::string text;
    for (size_t i = next++; i < files.size(); i = next++) {
      if (!read_file(files[i], text)) {
        ++failed;
        continue;
      }
      bytes += text.size();
      TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
      if (!tree) {
        ++failed;
        continue;
      }
      if (ts_node_has_error(ts_tree_root_node(tree))) ++partial;
      ts_tree_delete(tree);
    }
    ts_parser_delete(parser);
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < std::min<int>(jobs, static_cast<int>(std::max<size_t>(1, files.size()))); ++t)
    threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("files %zu bytes %zu partial %zu seconds %.4f\n", files.size() - failed.load(), bytes.load(),
              partial.load(), s);
  return failed ? 1 : 0;
}
