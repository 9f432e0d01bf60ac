// The C++ front-end: registration, the choice between the semantic (Clang) and the syntactic
// (tree-sitter) lowering, and the lexical facts both modes share.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

#include <fmt/format.h>

#include "frontend/cpp/cpp_flags.h"
#include "frontend/cpp/cpp_lower.h"

namespace archscan::frontend::cpp {

namespace {

bool ident_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

const std::unordered_set<std::string>& keywords() {
  static const std::unordered_set<std::string> k = {
      "alignas",  "alignof",  "and",      "asm",     "auto",         "bool",          "break",       "case",
      "catch",    "char",     "class",    "const",   "constexpr",    "const_cast",    "continue",    "decltype",
      "default",  "delete",   "do",       "double",  "dynamic_cast", "else",          "enum",        "explicit",
      "export",   "extern",   "false",    "float",   "for",          "friend",        "goto",        "if",
      "inline",   "int",      "long",     "mutable", "namespace",    "new",           "noexcept",    "not",
      "nullptr",  "operator", "or",       "private", "protected",    "public",        "register",    "reinterpret_cast",
      "return",   "short",    "signed",   "sizeof",  "static",       "static_assert", "static_cast", "struct",
      "switch",   "template", "this",     "throw",   "true",         "try",           "typedef",     "typeid",
      "typename", "union",    "unsigned", "using",   "virtual",      "void",          "volatile",    "while",
      "override", "final",    "include",  "define",  "ifdef",        "ifndef",        "endif",       "pragma",
      "once",     "elif",     "undef"};
  return k;
}

// Walks the source skipping comments and string / char literals; calls `on_ident` for identifiers
// and `on_directive` for preprocessor lines.
template <class F, class G>
void lex(const std::string& s, F on_ident, G on_directive) {
  size_t i = 0, n = s.size();
  int32_t line = 1;
  size_t line_start = 0;
  bool at_line_start = true;
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      ++line;
      line_start = ++i;
      at_line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#' && at_line_start) {
      size_t e = s.find('\n', i);
      if (e == std::string::npos) e = n;
      on_directive(s.substr(i, e - i), line, static_cast<int32_t>(i - line_start) + 1);
      at_line_start = false;
      ++i;  // identifiers in the directive are still seen (macros)
      continue;
    }
    at_line_start = false;
    if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      while (i < n && s[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      i += 2;
      while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/')) {
        if (s[i] == '\n') {
          ++line;
          line_start = i + 1;
        }
        ++i;
      }
      i += 2;
      continue;
    }
    if (c == 'R' && i + 1 < n && s[i + 1] == '"') {
      size_t p = s.find('(', i + 2);
      if (p != std::string::npos) {
        std::string delim = ")" + s.substr(i + 2, p - i - 2) + "\"";
        size_t e = s.find(delim, p);
        size_t stop = e == std::string::npos ? n : e + delim.size();
        for (size_t k = i; k < stop; ++k)
          if (s[k] == '\n') {
            ++line;
            line_start = k + 1;
          }
        i = stop;
        continue;
      }
    }
    if (c == '"' || c == '\'') {
      char q = static_cast<char>(c);
      ++i;
      while (i < n && s[i] != q && s[i] != '\n') i += s[i] == '\\' ? 2 : 1;
      ++i;
      continue;
    }
    if (std::isdigit(c)) {
      while (i < n && (ident_char(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '\'')) ++i;
      continue;
    }
    if (ident_start(c)) {
      size_t a = i;
      while (i < n && ident_char(static_cast<unsigned char>(s[i]))) ++i;
      on_ident(s.substr(a, i - a), line, static_cast<int32_t>(a - line_start) + 1);
      continue;
    }
    ++i;
  }
}

}  // namespace

std::vector<Include> scan_includes(const std::string& text) {
  std::vector<Include> out;
  lex(
      text, [](const std::string&, int32_t, int32_t) {},
      [&](const std::string& d, int32_t line, int32_t col) {
        size_t p = 1;
        while (p < d.size() && (d[p] == ' ' || d[p] == '\t')) ++p;
        if (d.compare(p, 7, "include") != 0) return;
        p += 7;
        while (p < d.size() && (d[p] == ' ' || d[p] == '\t')) ++p;
        if (p >= d.size()) return;
        char open = d[p];
        char close = open == '<' ? '>' : open == '"' ? '"' : 0;
        if (!close) return;
        size_t e = d.find(close, p + 1);
        if (e == std::string::npos) return;
        Include inc;
        inc.path = d.substr(p + 1, e - p - 1);
        inc.quoted = open == '"';
        inc.loc.file = 0;
        inc.loc.line = inc.loc.end_line = line;
        inc.loc.col = col;
        inc.loc.end_col = col + static_cast<int32_t>(d.size());
        out.push_back(inc);
      });
  return out;
}

void collect_identifiers(ir::Program& prog) {
  ir::SourceFile& f = prog.files[0];
  f.identifiers.clear();
  std::unordered_set<std::string> seen;
  lex(
      f.text,
      [&](const std::string& id, int32_t line, int32_t col) {
        if (keywords().count(id) || !seen.insert(id).second) return;
        ir::Loc l;
        l.file = 0;
        l.line = l.end_line = line;
        l.col = col;
        l.end_col = col + static_cast<int32_t>(id.size());
        f.identifiers.emplace_back(id, l);
      },
      [](const std::string&, int32_t, int32_t) {});
}

namespace {

// Deepest nesting of (), [] and {} in the text, outside comments and literals. Clang's parser
// recurses per nested class body without a limit and overflowed the stack on deep files.
int max_nesting(const std::string& s) {
  int depth = 0, deepest = 0;
  for (size_t i = 0, n = s.size(); i < n; ++i) {
    char c = s[i];
    if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t e = s.find("*/", i + 2);
      i = e == std::string::npos ? n : e + 1;
    } else if (c == '"' || c == '\'') {
      for (++i; i < n && s[i] != c && s[i] != '\n'; ++i)
        if (s[i] == '\\') ++i;
    } else if (c == '(' || c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// Clang's own limit (-fbracket-depth).
constexpr int kClangMaxNesting = 256;

// ARCHSCAN_CPP_MODE=syntactic|semantic forces a mode (tests, and users without a compile database).
std::string forced_mode() {
  const char* m = std::getenv("ARCHSCAN_CPP_MODE");
  return m ? std::string(m) : std::string();
}

void lower_file(ir::Program& prog, const Options& opts) {
  ir::SourceFile& file = prog.files[0];
  file.language = "cpp";
  if (file.module_name.empty()) file.module_name = cpp_module_name(file.path.empty() ? file.abs_path : file.path);
  std::string why;
  std::string mode = opts.syntactic_only ? std::string("syntactic") : forced_mode();
  bool done = false;
  if (mode != "syntactic" && max_nesting(file.text) > kClangMaxNesting) {
    why = fmt::format("nesting deeper than {} brackets (Clang's limit)", kClangMaxNesting);
  } else if (mode != "syntactic") {
#ifdef ARCHSCAN_HAVE_CLANG
    done = lower_semantic(prog, with_default_flags(opts, file.abs_path), why);
#else
    why = "archscan was built without Clang";
#endif
  }
  if (!done) {
    // The semantic attempt leaves the fragment as it found it.
    lower_syntactic(prog, opts);
    if (!why.empty()) {
      // Lowering may have reallocated prog.files: no reference taken before it is used after it.
      std::string& msg = prog.files[0].message;
      std::string m = why + "; analysed syntactically";
      msg = msg.empty() ? m : m + "; " + msg;
    }
  }
  add_include_imports(prog, scan_includes(prog.files[0].text));
  collect_identifiers(prog);
}

const FrontendRegistrar<struct CppTag> registrar{
    Frontend{"cpp", {".cpp", ".cc", ".cxx", ".h", ".hpp", ".hh", ".hxx"}, lower_file}};

}  // namespace

}  // namespace archscan::frontend::cpp
