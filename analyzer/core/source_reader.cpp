#include "core/source_reader.h"

#include <functional>

#include <fcntl.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "base/hash.h"
#include "frontend/frontend.h"

namespace fs = std::filesystem;

namespace archscan {
namespace {

bool excluded(const std::string& rel, const std::vector<std::string>& excludes) {
  std::string base = rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
  for (const auto& g : excludes) {
    if (fnmatch(g.c_str(), rel.c_str(), 0) == 0 || fnmatch(g.c_str(), base.c_str(), 0) == 0) return true;
    // "dir/" or "dir" excludes everything under it.
    std::string d = g;
    while (!d.empty() && d.back() == '/') d.pop_back();
    if (!d.empty() && (rel == d || rel.rfind(d + "/", 0) == 0)) return true;
  }
  return false;
}

// Lexical: fs::relative resolves symlinks, which fails on a symlink loop or a dangling link and
// would print such a file with its absolute path.
std::string rel_to(const fs::path& p, const fs::path& root) {
  fs::path r = p.lexically_normal().lexically_relative(fs::path(root).lexically_normal());
  std::string s = r.empty() || *r.begin() == ".." ? p.string() : r.generic_string();
  return s == "." ? p.filename().string() : s;
}

bool skip_dir(const fs::path& p) {
  std::string n = p.filename().string();
  return n == "__pycache__" || n == "node_modules" || (n.size() > 1 && n[0] == '.');
}

// First invalid UTF-8 byte offset, or npos.
size_t invalid_utf8(const std::string& s) {
  size_t i = 0, n = s.size();
  auto cont = [&](size_t k) { return k < n && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80; };
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) return i;
    for (size_t k = 1; k < len; ++k)
      if (!cont(i + k)) return i;
    if (len == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return i;
    }
    if (len == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) return i;
    }
    i += len;
  }
  return std::string::npos;
}

// PEP 263: `# -*- coding: latin-1 -*-` on line 1 or 2; "" when none. Lower case, '_' -> '-'.
std::string declared_encoding(const std::string& text) {
  size_t pos = 0;
  for (int line = 0; line < 2 && pos < text.size(); ++line) {
    size_t end = text.find('\n', pos);
    std::string_view l(text.data() + pos, (end == std::string::npos ? text.size() : end) - pos);
    size_t i = l.find_first_not_of(" \t\f");
    if (i != std::string_view::npos && l[i] == '#') {
      size_t c = l.find("coding", i);
      if (c != std::string_view::npos && c + 6 < l.size() && (l[c + 6] == ':' || l[c + 6] == '=')) {
        size_t a = l.find_first_not_of(" \t", c + 7);
        std::string enc;
        for (size_t k = a; k != std::string_view::npos && k < l.size(); ++k) {
          char ch = l[k];
          if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')) break;
          enc += ch == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        return enc;
      }
    } else if (i != std::string_view::npos) {
      break;  // only comment lines may carry the declaration
    }
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return {};
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes a Latin-1 or Windows-1252 file as Python would; false on a byte the codec does not map.
bool decode_single_byte(std::string& text, bool cp1252) {
  static const uint16_t kCp1252[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                       0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                       0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                       0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    auto b = static_cast<unsigned char>(ch);
    uint32_t cp = b;
    if (cp1252 && b >= 0x80 && b < 0xA0) {
      cp = kCp1252[b - 0x80];
      if (cp == 0) return false;
    }
    append_utf8(out, cp);
  }
  text = std::move(out);
  return true;
}

}  // namespace

bool unsupported_model_source(const std::string& path) {
  static const char* const kExts[] = {".cu", ".cuh", ".hip", ".c", ".mm", ".metal", ".ipynb", ".pyx", ".pxd"};
  std::string ext = fs::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(std::begin(kExts), std::end(kExts), ext) != std::end(kExts);
}

std::string scan_root(const std::vector<std::string>& paths) {
  std::error_code ec;
  fs::path common;
  for (const auto& p : paths) {
    fs::path a = fs::absolute(p, ec).lexically_normal();
    if (!fs::is_directory(a, ec)) a = a.parent_path();
    if (common.empty()) {
      common = a;
      continue;
    }
    fs::path c;
    auto i = common.begin(), j = a.begin();
    for (; i != common.end() && j != a.end() && *i == *j; ++i, ++j) c /= *i;
    common = c;
  }
  std::string s = common.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s.empty() ? "/" : s;
}

bool path_within(const std::string& path, const std::string& dir) {
  if (dir.empty()) return false;
  if (dir == "/") return !path.empty() && path[0] == '/';
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

std::vector<std::string> scan_boundaries(const std::string& root, const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  std::error_code ec;
  auto add = [&](const fs::path& p) {
    fs::path c = fs::weakly_canonical(p, ec);
    if (!ec && std::find(out.begin(), out.end(), c.string()) == out.end()) out.push_back(c.string());
    ec.clear();
  };
  add(root);
  for (const auto& p : paths) {
    fs::path a = fs::absolute(p, ec).lexically_normal();
    if (fs::is_directory(a, ec)) add(a);
    ec.clear();
  }
  return out;
}

std::vector<SourceCandidate> discover(const std::string& root, const std::vector<std::string>& paths,
                                      const std::vector<std::string>& excludes) {
  std::vector<SourceCandidate> out;
  const std::vector<std::string> boundaries = scan_boundaries(root, paths);
  auto inside = [&](const fs::path& target) {
    return std::any_of(boundaries.begin(), boundaries.end(),
                       [&](const std::string& b) { return path_within(target.string(), b); });
  };
  for (const auto& p : paths) {
    std::error_code ec;
    fs::path a = fs::absolute(p, ec).lexically_normal();
    fs::file_status st = fs::status(a, ec);
    if (ec) {
      std::string why = ec == std::errc::too_many_symbolic_link_levels ? "symlink loop" : ec.message();
      out.push_back({a.string(), rel_to(a, root), "cannot open: " + why});
      continue;
    }
    if (!fs::is_directory(st)) {
      out.push_back({a.string(), rel_to(a, root), ""});
      continue;
    }
    fs::recursive_directory_iterator it(a, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      out.push_back({a.string(), rel_to(a, root), "cannot open directory: " + ec.message()});
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        out.push_back({it->path().string(), rel_to(it->path(), root), "cannot read: " + ec.message()});
        ec.clear();
        continue;
      }
      const fs::path& fp = it->path();
      std::string rel = rel_to(fp, root);
      std::error_code sec;
      if (it->is_directory(sec) && !it->is_symlink(sec)) {
        if (skip_dir(fp) || excluded(rel, excludes)) {
          it.disable_recursion_pending();
        } else if (::access(fp.c_str(), R_OK | X_OK) != 0) {
          // skip_permission_denied would drop it silently: model code in it would go unscanned.
          out.push_back({fp.string(), rel, fmt::format("cannot open directory: {}", std::strerror(errno))});
          it.disable_recursion_pending();
        }
        continue;
      }
      if (excluded(rel, excludes)) continue;
      // Model code archscan cannot read yet is listed (and reported skipped), never dropped silently.
      if (!frontend::frontend_for(fp.string()) && !unsupported_model_source(fp.string())) continue;
      std::error_code lec;
      fs::file_status target = fs::status(fp, lec);
      if (lec) {
        std::string why = lec == std::errc::too_many_symbolic_link_levels ? "symlink loop" : lec.message();
        out.push_back({fp.string(), rel, "cannot open: " + why});
        continue;
      }
      if (fs::is_directory(target)) continue;  // a symlink to a directory is not followed
      if (it->is_symlink(sec)) {
        // Never out of the scan: what lies outside the root was not asked for.
        fs::path to = fs::canonical(fp, lec);
        if (lec || !inside(to)) {
          out.push_back({fp.string(), rel,
                         fmt::format("symbolic link to {} outside the scanned directories, not followed",
                                     lec ? std::string("a file") : to.string()),
                         true, true});
          continue;
        }
      }
      out.push_back({fp.string(), rel, "", false, true});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.rel_path < y.rel_path; });
  out.erase(std::unique(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.abs_path == y.abs_path; }),
            out.end());
  return out;
}

ReadResult read_source(const std::string& abs_path, uint64_t max_bytes, const std::vector<std::string>& confine_to) {
  ReadResult r;
  std::error_code ec;
  if (fs::is_directory(abs_path, ec)) {
    r.message = "is a directory";
    return r;
  }
  // Only regular files (through symlinks): opening a FIFO would block the scan forever, and a
  // socket or device is not source code.
  fs::file_status st = fs::status(abs_path, ec);
  if (ec) {
    r.message = ec == std::errc::too_many_symbolic_link_levels ? "cannot read: symlink loop"
                                                               : fmt::format("cannot read: {}", ec.message());
    return r;
  }
  auto not_regular = [](fs::file_status s) {
    return fmt::format("cannot read: not a regular file ({})", fs::is_fifo(s)     ? "a FIFO"
                                                               : fs::is_socket(s) ? "a socket"
                                                               : fs::is_block_file(s) || fs::is_character_file(s)
                                                                   ? "a device"
                                                                   : "special file");
  };
  if (!fs::is_regular_file(st)) {
    r.message = not_regular(st);
    return r;
  }
  auto too_large = [&](uint64_t size) {
    r.skipped = true;
    r.message = fmt::format("{:.1f} MB is larger than the {:.1f} MB limit (--max-file-size)",
                            static_cast<double>(size) / 1048576.0, static_cast<double>(max_bytes) / 1048576.0);
  };
  // The file may have been replaced since: what counts is what is opened. O_NONBLOCK, so that a
  // FIFO swapped in meanwhile does not block; it is refused by the fstat below.
  int fd = ::open(abs_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    r.message = errno == ELOOP ? "cannot read: symlink loop" : fmt::format("cannot read: {}", std::strerror(errno));
    return r;
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat sb {};
  if (::fstat(fd, &sb) != 0) {
    r.message = fmt::format("cannot read: {}", std::strerror(errno));
    return r;
  }
  if (!S_ISREG(sb.st_mode)) {
    r.message = not_regular(fs::status(fmt::format("/proc/self/fd/{}", fd), ec));
    if (ec) r.message = "cannot read: not a regular file";
    return r;
  }
  if (!confine_to.empty()) {
    // A symlink swapped in after discovery must not lead the scan out of the root.
    fs::path opened = fs::read_symlink(fmt::format("/proc/self/fd/{}", fd), ec);
    if (!ec && std::none_of(confine_to.begin(), confine_to.end(),
                            [&](const std::string& b) { return path_within(opened.string(), b); })) {
      r.skipped = true;
      r.message = fmt::format("symbolic link to {} outside the scanned directories, not followed", opened.string());
      return r;
    }
  }
  const uint64_t size = static_cast<uint64_t>(sb.st_size);
  if (size > max_bytes) {
    too_large(size);
    return r;
  }
  r.text.reserve(static_cast<size_t>(size));
  char buf[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      r.message = fmt::format("cannot read: {}", std::strerror(errno));
      r.text.clear();
      return r;
    }
    if (got == 0) break;
    r.text.append(buf, static_cast<size_t>(got));
    // A file that grows while it is read (a log being written) ends at the limit, not at the disk.
    if (r.text.size() > max_bytes) {
      too_large(r.text.size());
      r.text.clear();
      return r;
    }
  }
  r.content_hash = hash_hex(r.text);
  if (r.text.find('\0') != std::string::npos) {
    r.skipped = true;
    r.message = "binary file (contains NUL bytes)";
    return r;
  }
  // A Latin-1 / Windows-1252 source (PEP 263 declaration) runs under Python: analyse it as such.
  const std::string enc = declared_encoding(r.text);
  const bool latin1 = enc == "latin-1" || enc == "latin1" || enc == "iso-8859-1" || enc == "iso8859-1" || enc == "l1" ||
                      enc == "iso-latin-1" || enc == "cp819" || enc == "latin";
  const bool cp1252 = enc == "cp1252" || enc == "windows-1252";
  if ((latin1 || cp1252) && !decode_single_byte(r.text, cp1252)) {
    r.message = fmt::format("cannot decode as {} (declared encoding)", enc);
    return r;
  }
  if (size_t bad = invalid_utf8(r.text); bad != std::string::npos) {
    size_t line = static_cast<size_t>(std::count(r.text.begin(), r.text.begin() + static_cast<long>(bad), '\n')) + 1;
    r.message = fmt::format("not valid UTF-8 (byte {} on line {}){}", bad, line,
                            enc.empty() || enc == "utf-8" || enc == "utf8"
                                ? ""
                                : fmt::format("; declared encoding {} is not supported", enc));
    return r;
  }
  // A UTF-8 byte-order mark is not part of the source.
  if (r.text.rfind("\xEF\xBB\xBF", 0) == 0) r.text.replace(0, 3, "   ");
  r.ok = true;
  return r;
}

std::string dotted_module_name(const std::string& path, const std::function<bool(const std::string&)>& has_init,
                               bool* is_package_init) {
  fs::path p(path);
  std::string stem = p.stem().string();
  bool init = stem == "__init__";
  if (is_package_init) *is_package_init = init;
  std::vector<std::string> parts;
  if (!init) parts.push_back(stem);
  auto package = [&](const fs::path& dir) { return has_init((dir / "__init__.py").generic_string()); };
  for (fs::path dir = p.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    if (!package(dir)) {
      // A folder without __init__.py inside a regular package is a namespace portion of it
      // (`pkg/kit/x.py` imports as `pkg.kit.x`); above the outermost package the name ends.
      bool inside = false;
      fs::path up = dir.parent_path();
      for (int k = 0; k < 3 && !up.empty() && up != up.root_path() && !inside; ++k, up = up.parent_path())
        inside = package(up);
      if (!inside) break;
    }
    parts.push_back(dir.filename().string());
  }
  std::string name;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) name += (name.empty() ? "" : ".") + *it;
  return name;
}

std::string python_module_name(const std::string& abs_path, bool* is_package_init) {
  return dotted_module_name(
      abs_path,
      [](const std::string& init) {
        std::error_code ec;
        return fs::exists(init, ec);
      },
      is_package_init);
}

}  // namespace archscan
