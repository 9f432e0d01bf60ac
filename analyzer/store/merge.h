// `archscan merge A.db B.db ... -o all.db`: one database from several, e.g. the per-shard databases
// of a scan spread over machines (`scan --shard K/N`). Runs, files, findings, run findings, reviews
// and analysis-cache rows are combined without loss or duplicates:
// - a run found in several inputs (the same database given twice) is kept once;
// - the N shard runs of one batch (same root, archscan version, rule set and N, every K present)
//   become one run over the whole tree, as if one machine had scanned it; shard runs of a batch that
//   misses a shard stay as they are (reported in the notes);
// - runs get ids in the order they started, reviews in the order they were made, so "the latest
//   run" and "the current review" mean what they meant in each input;
// - a finding seen in several inputs keeps its first and last run across all of them and the text of
//   the latest;
// - the analysis cache of a root comes from the inputs written by the build and options of the
//   newest run on that root (entries of other builds are not valid for it: dropped, with a note).
// The result is written beside the output and renamed over it: on any error the output is left as
// it was. An existing output is one of the inputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace archscan::store {

struct MergeReport {
  int inputs = 0;
  int64_t runs = 0;            // runs in the result
  int64_t shard_runs = 0;      // input runs combined into whole-tree runs
  int64_t combined_runs = 0;   // whole-tree runs made of them
  int64_t duplicate_runs = 0;  // runs found in more than one input
  int64_t findings = 0;        // findings in the result
  int64_t reviews = 0;         // reviews in the result
  int64_t cached_files = 0;    // analysis-cache file entries in the result
  std::vector<std::string> notes;
};

// Throws std::runtime_error (or SqliteError) naming the database at fault.
MergeReport merge_databases(const std::vector<std::string>& inputs, const std::string& output);

}  // namespace archscan::store
