// Text positions as LSP counts them (lines split at "\n", "\r\n" or "\r"; characters in UTF-16 code
// units) and the edits of incremental text synchronisation.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace archscan::lsp {

// The byte offset of (line, character) in `text`, clamped to the end of that line (or of the text).
size_t byte_offset(std::string_view text, long long line, long long character);

// The UTF-16 character of a 1-based byte column on a line (archscan reports byte columns).
int utf16_character(std::string_view line_text, int byte_column);

// The text of 1-based line `n` without its line break ("" past the end).
std::string_view line_text(std::string_view text, int n);

// Applies one TextDocumentContentChangeEvent (a range edit, or the whole text when it has no
// range). Returns false, leaving `text` unchanged, when the event is malformed.
bool apply_change(std::string& text, const nlohmann::json& change);

}  // namespace archscan::lsp
