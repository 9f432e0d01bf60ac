// The order-20 post-processor: records the scan in the findings store and applies the review
// workflow to the result (dismissed findings hidden unless --all; --new-only).
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/active_rules.h"
#include "core/pipeline.h"
#include "review/review_store.h"
#include "store/store.h"

namespace archscan::review {

bool apply_review_store(ScanResult& r, const ir::Program& p, const ScanOptions& o, std::string& error) {
  if (o.no_db) {
    if (o.new_only) {
      error = "--new-only compares with the previous run in the findings database; it cannot be used with --no-db";
      return false;
    }
    return true;
  }
  const std::string path = o.db_path.empty() ? store::Store::default_path(r.root) : o.db_path;
  try {
    store::Store st(path, true);
    std::unordered_map<std::string, const ir::SourceFile*> by_path;
    for (const auto& f : p.files) by_path.emplace(f.path, &f);
    store::RunMeta meta;
    meta.tool_version = ARCHSCAN_VERSION;
    meta.ruleset_hash = ruleset_hash(o);
    meta.rules = active_rule_ids(o);
    meta.source = [&](const std::string& rel) -> std::string_view {
      auto it = by_path.find(rel);
      return it == by_path.end() ? std::string_view() : std::string_view(it->second->text);
    };
    store::RecordOutcome out = st.record_run(r, meta);

    for (Finding& f : r.findings) {
      auto it = out.state.find(f.fingerprint);
      if (it == out.state.end() || !store::is_dismissed(it->second.state) || !f.suppression.empty()) continue;
      f.suppression = "review";
      f.suppression_reason = store::review_suppression_reason(it->second);
    }
    r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(),
                                    [&](const Finding& f) {
                                      if (f.suppression == "review" && !o.all) return true;
                                      return o.new_only && out.previous_fingerprints.count(f.fingerprint) > 0;
                                    }),
                     r.findings.end());
  } catch (const std::exception& e) {
    error = fmt::format("findings database {}: {} (use --db PATH or --no-db)", path, e.what());
    return false;
  }
  return true;
}

namespace {
const bool registered = (register_post_processor({"review-store", 20, apply_review_store}), true);
}  // namespace

}  // namespace archscan::review
