// CN001: look-alike identifiers. An identifier written with letters from another script that look
// like Latin ones (Cyrillic `х`, Greek `ο`, Coptic `ⲭ`) beside the Latin name it imitates, or one
// that mixes scripts, lets a second value hide behind a familiar name.
#include <fmt/format.h>

#include <map>
#include <unordered_map>

#include "rules/support.h"

namespace archscan::rules {
namespace {

std::vector<char32_t> decode(const std::string& s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

enum class Script { Common, Latin, Greek, Cyrillic, Coptic, Armenian, Cherokee, Other };

Script script_of(char32_t c) {
  if (c < 0x80) return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? Script::Latin : Script::Common;
  if (c >= 0xC0 && c <= 0x24F) return Script::Latin;
  if (c >= 0x1E00 && c <= 0x1EFF) return Script::Latin;
  if (c >= 0xFF21 && c <= 0xFF5A) return Script::Latin;  // fullwidth
  if (c >= 0x370 && c <= 0x3FF) return Script::Greek;
  if (c >= 0x1F00 && c <= 0x1FFF) return Script::Greek;
  if (c >= 0x400 && c <= 0x52F) return Script::Cyrillic;
  if (c >= 0x2C80 && c <= 0x2CFF) return Script::Coptic;
  if (c >= 0x530 && c <= 0x58F) return Script::Armenian;
  if (c >= 0x13A0 && c <= 0x13FF) return Script::Cherokee;
  if (c >= 0x1D400 && c <= 0x1D7FF) return Script::Latin;  // mathematical alphanumerics
  return Script::Other;
}

const char* script_name(Script s) {
  switch (s) {
    case Script::Latin:
      return "Latin";
    case Script::Greek:
      return "Greek";
    case Script::Cyrillic:
      return "Cyrillic";
    case Script::Coptic:
      return "Coptic";
    case Script::Armenian:
      return "Armenian";
    case Script::Cherokee:
      return "Cherokee";
    default:
      return "other";
  }
}

// Letters that render like ASCII letters (a subset of Unicode's confusables.txt).
char confusable_ascii(char32_t c) {
  static const std::unordered_map<char32_t, char> m = {
      // Cyrillic
      {0x430, 'a'},
      {0x435, 'e'},
      {0x43E, 'o'},
      {0x440, 'p'},
      {0x441, 'c'},
      {0x443, 'y'},
      {0x445, 'x'},
      {0x456, 'i'},
      {0x458, 'j'},
      {0x455, 's'},
      {0x501, 'd'},
      {0x51B, 'q'},
      {0x51D, 'w'},
      {0x4BB, 'h'},
      {0x4CF, 'l'},
      {0x410, 'A'},
      {0x412, 'B'},
      {0x415, 'E'},
      {0x41A, 'K'},
      {0x41C, 'M'},
      {0x41D, 'H'},
      {0x41E, 'O'},
      {0x420, 'P'},
      {0x421, 'C'},
      {0x422, 'T'},
      {0x425, 'X'},
      {0x423, 'Y'},
      {0x406, 'I'},
      {0x408, 'J'},
      {0x405, 'S'},
      {0x44C, 'b'},
      {0x432, 'b'},
      {0x433, 'r'},
      {0x43A, 'k'},
      {0x43C, 'm'},
      {0x43D, 'h'},
      {0x442, 't'},
      {0x454, 'e'},
      {0x491, 'r'},
      {0x4AF, 'y'},
      // Greek
      {0x3B1, 'a'},
      {0x3BF, 'o'},
      {0x3C1, 'p'},
      {0x3BD, 'v'},
      {0x3C4, 't'},
      {0x3B9, 'i'},
      {0x3BA, 'k'},
      {0x3C7, 'x'},
      {0x3C5, 'u'},
      {0x3B5, 'e'},
      {0x391, 'A'},
      {0x392, 'B'},
      {0x395, 'E'},
      {0x396, 'Z'},
      {0x397, 'H'},
      {0x399, 'I'},
      {0x39A, 'K'},
      {0x39C, 'M'},
      {0x39D, 'N'},
      {0x39F, 'O'},
      {0x3A1, 'P'},
      {0x3A4, 'T'},
      {0x3A5, 'Y'},
      {0x3A7, 'X'},
      {0x3F2, 'c'},
      {0x3F3, 'j'},
      // Coptic
      {0x2C81, 'a'},
      {0x2C9F, 'o'},
      {0x2CAD, 'x'},
      {0x2CA3, 'p'},
      {0x2CA5, 'c'},
      {0x2C93, 'i'},
      {0x2C95, 'k'},
      {0x2C99, 'm'},
      {0x2C9B, 'n'},
      {0x2CA7, 't'},
      {0x2C9E, 'O'},
      {0x2CAC, 'X'},
      // Armenian / Cherokee / Latin look-alikes
      {0x585, 'o'},
      {0x578, 'n'},
      {0x57D, 'u'},
      {0x570, 'h'},
      {0x13A0, 'D'},
      {0x13AA, 'G'},
      {0x131, 'i'},
      {0x237, 'j'},
      {0x1D00, 'A'},
  };
  if (c >= 0xFF21 && c <= 0xFF3A) return static_cast<char>('A' + (c - 0xFF21));
  if (c >= 0xFF41 && c <= 0xFF5A) return static_cast<char>('a' + (c - 0xFF41));
  auto it = m.find(c);
  return it == m.end() ? 0 : it->second;
}

struct Analysis {
  bool non_ascii = false;
  bool mixed = false;          // letters from more than one script
  bool mixed_word = false;     // ... within one `_`-separated part (`fοrward`, not `τ_lash`)
  bool skeleton_ascii = true;  // every letter maps to ASCII
  std::string skeleton;
  Script foreign = Script::Common;
};

Analysis analyse(const std::string& id) {
  Analysis a;
  Script seen = Script::Common, word = Script::Common;
  for (char32_t c : decode(id)) {
    Script s = script_of(c);
    if (c >= 0x80) a.non_ascii = true;
    if (c == '_' || (c >= '0' && c <= '9')) word = Script::Common;
    if (s != Script::Common) {
      if (seen != Script::Common && s != seen) a.mixed = true;
      if (word != Script::Common && s != word) a.mixed_word = true;
      if (seen == Script::Common) seen = s;
      if (word == Script::Common) word = s;
      if (s != Script::Latin) a.foreign = s;
    }
    if (c < 0x80) {
      a.skeleton += static_cast<char>(c);
    } else if (char m = confusable_ascii(c)) {
      a.skeleton += m;
    } else {
      a.skeleton_ascii = false;
    }
  }
  return a;
}

class LookalikeIdentifier : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"CN001", "lookalike-identifier", "concealment", Severity::Warning,
                            "identifier made of letters that imitate another script (Cyrillic `х` for Latin `x`)"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    for (const auto& file : p.files) {
      std::map<std::string, std::string> ascii_by_skeleton;
      for (const auto& [id, loc] : file.identifiers)
        if (!analyse(id).non_ascii) ascii_by_skeleton.emplace(id, id);
      for (const auto& [id, loc] : file.identifiers) {
        Analysis a = analyse(id);
        if (!a.non_ascii) continue;
        auto twin = a.skeleton_ascii ? ascii_by_skeleton.find(a.skeleton) : ascii_by_skeleton.end();
        std::string msg;
        auto read = file.normalized_identifiers.find(id);
        if (read != file.normalized_identifiers.end() && ascii_by_skeleton.count(read->second)) {
          msg = fmt::format(
              "identifier `{}` is `{}` to Python (NFKC normalisation): a definition under it silently "
              "replaces the one a reader sees",
              id, read->second);
        } else if (twin != ascii_by_skeleton.end()) {
          msg = fmt::format(
              "identifier `{}` uses {} letters that look like `{}`, another name in this file: two "
              "different values hide behind one visible name",
              id, script_name(a.foreign), twin->second);
        } else if (a.mixed && (a.mixed_word || a.foreign != Script::Greek)) {
          msg = fmt::format("identifier `{}` mixes Latin and {} letters", id, script_name(a.foreign));
        } else if (a.foreign == Script::Greek) {
          // Greek maths names (ε, α, τ, ᾱ) with no Latin twin in the file hide nothing, nor do
          // they as a part of a longer name (`τ_lash`, `σ_noise`): each part is in one script.
          continue;
        } else if (a.skeleton_ascii && a.foreign != Script::Common) {
          msg = fmt::format("identifier `{}` is written in {} letters that read as the Latin `{}`", id,
                            script_name(a.foreign), a.skeleton);
        } else {
          continue;
        }
        ctx.report(finding_at(info(), p, loc, msg, file.module_name));
      }
    }
  }
};

ARCHSCAN_REGISTER_RULE(LookalikeIdentifier);

}  // namespace
}  // namespace archscan::rules
