// The review-store post-processor (order 20), callable directly for tests.
#pragma once

#include <string>

#include "core/pipeline.h"

namespace archscan::review {

// Records the scan in the findings store (unless opts.no_db), hides dismissed findings (suppression
// "review") unless opts.all, and with opts.new_only keeps only findings absent from the previous
// run on the same root. Returns false with `error` set when the store cannot be used.
bool apply_review_store(ScanResult& r, const ir::Program& p, const ScanOptions& opts, std::string& error);

}  // namespace archscan::review
