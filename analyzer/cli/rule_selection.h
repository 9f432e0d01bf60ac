// --select / --ignore: every entry must name a rule (id, name or id prefix); an unknown one is an
// error, since a mistyped `--select CN0O1` would otherwise run nothing and report a clean tree.
#pragma once

#include <string>
#include <vector>

namespace archscan::cli {

// Rewrites each entry to its canonical spelling (ids and prefixes are matched case-insensitively:
// ids are upper case, names lower case, so no spelling can mean two things). False with `error`.
bool resolve_rule_selection(std::vector<std::string>& entries, const std::string& option, std::string& error);

}  // namespace archscan::cli
