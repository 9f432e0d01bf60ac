#include "lsp/document.h"

#include <algorithm>

#include "sinks/sarif.h"

namespace archscan::lsp {
namespace {

// The byte offset where line `line` (0-based) starts, or npos when the text has fewer lines.
size_t line_start(std::string_view text, long long line) {
  size_t pos = 0;
  for (long long l = 0; l < line; ++l) {
    size_t br = text.find_first_of("\r\n", pos);
    if (br == std::string_view::npos) return std::string_view::npos;
    pos = br + (text[br] == '\r' && br + 1 < text.size() && text[br + 1] == '\n' ? 2 : 1);
  }
  return pos;
}

size_t utf8_length(unsigned char c) {
  return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
}

}  // namespace

size_t byte_offset(std::string_view text, long long line, long long character) {
  if (line < 0) return 0;
  size_t pos = line_start(text, line);
  if (pos == std::string_view::npos) return text.size();
  size_t end = text.find_first_of("\r\n", pos);
  if (end == std::string_view::npos) end = text.size();
  for (long long units = 0; pos < end && units < character;) {
    size_t len = std::min(utf8_length(static_cast<unsigned char>(text[pos])), end - pos);
    units += len == 4 ? 2 : 1;
    pos += len;
  }
  return pos;
}

int utf16_character(std::string_view line, int byte_column) {
  return std::max(0, sinks::utf16_column(line, byte_column) - 1);
}

std::string_view line_text(std::string_view text, int n) {
  size_t pos = line_start(text, n - 1);
  if (n < 1 || pos == std::string_view::npos || pos > text.size()) return {};
  size_t end = text.find_first_of("\r\n", pos);
  return text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
}

bool apply_change(std::string& text, const nlohmann::json& change) {
  if (!change.is_object() || !change.contains("text") || !change["text"].is_string()) return false;
  const std::string& inserted = change["text"].get_ref<const std::string&>();
  if (!change.contains("range")) {
    text = inserted;
    return true;
  }
  try {
    const auto& r = change.at("range");
    const auto& s = r.at("start");
    const auto& e = r.at("end");
    size_t from = byte_offset(text, s.at("line").get<long long>(), s.at("character").get<long long>());
    size_t to = byte_offset(text, e.at("line").get<long long>(), e.at("character").get<long long>());
    if (to < from) std::swap(from, to);
    text.replace(from, to - from, inserted);
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace archscan::lsp
