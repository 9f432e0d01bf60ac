// The findings store: every scan's run, files and findings in SQLite, with an append-only review
// history per fingerprint.
//
// Schema (see schema.cpp for the migrations): runs, files (per run), findings (one row per scan root
// and fingerprint, with first and last run seen), run_findings (which findings each run reported,
// and how they were suppressed), reviews (append-only: UPDATE and DELETE abort).
//
// A finding's review state is the state of the newest reviews row for its fingerprint, `open` when
// there is none. Reviews are keyed by fingerprint alone, so a verdict follows the code into another
// checkout that shares the database.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "findings/finding.h"
#include "findings/scan_result.h"
#include "store/sqlite.h"

namespace archscan::store {

enum class ReviewState { Open, Confirmed, FalsePositive, WontFix, Fixed };
const char* to_string(ReviewState s);
bool parse_review_state(std::string_view s, ReviewState& out);
std::vector<ReviewState> all_review_states();
// false_positive and wont_fix: the finding is not reported again unless asked for.
inline bool is_dismissed(ReviewState s) { return s == ReviewState::FalsePositive || s == ReviewState::WontFix; }
// Dismissals need a reason.
inline bool needs_reason(ReviewState s) { return is_dismissed(s); }

// The current schema version (PRAGMA user_version after all migrations).
int current_schema_version();

struct Review {
  int64_t id = 0;
  std::string fingerprint;
  ReviewState state = ReviewState::Open;
  std::string reason;
  std::string author;
  std::string at;      // ISO 8601 UTC
  int64_t run_id = 0;  // the run that made an automatic transition (fixed / reopened); 0 = by hand
};

struct RunInfo {
  int64_t id = 0;
  std::string started_at, finished_at;
  std::string tool_version;
  std::string ruleset_hash;
  std::vector<std::string> rules;  // the rule ids that ran
  std::string root;
  std::vector<std::string> arguments;
  double seconds = 0;
  int64_t finding_count = 0;
  std::string shard;  // "K/N" for a run over one shard of the tree, else empty
};

struct StoredFile {
  std::string path, content_hash, language, status, message, mode;
};

// What a run needs besides the ScanResult.
struct RunMeta {
  std::string tool_version;
  std::string ruleset_hash;
  std::vector<std::string> rules;  // active rule ids: a finding of a rule that did not run is not "fixed"
  // The text of a scanned file by relative path (for code snippets); may be empty.
  std::function<std::string_view(const std::string& path)> source;
};

struct RecordOutcome {
  int64_t run_id = 0;
  int64_t previous_run_id = 0;  // previous run on the same root, 0 if none
  std::unordered_set<std::string> previous_fingerprints;
  // Current review state (after automatic transitions) of every fingerprint of this run.
  std::unordered_map<std::string, Review> state;
  int fixed = 0, reopened = 0;
};

struct StoredFinding {
  int64_t id = 0;
  std::string root;
  Finding finding;                      // suppression fields are those of the run it was read for
  std::string snippet;                  // source lines around the finding, as scanned
  int snippet_line = 0;                 // the first line of `snippet`
  std::vector<std::string> trace_text;  // the source line of each trace step
  int64_t first_run = 0, last_run = 0;
  std::string first_seen, last_seen;  // times of those runs
  Review review;                      // current state (state Open with id 0 when never reviewed)
};

struct FindingQuery {
  std::vector<ReviewState> states;  // empty = any
  std::vector<std::string> rules;   // rule ids, empty = any
  std::string root;                 // empty = any
  int64_t run_id = 0;               // only findings reported by this run (0 = every finding known)
};

class Store {
 public:
  static constexpr int kBusyTimeoutMs = 60000;

  // <root>/.archscan/archscan.db
  static std::string default_path(const std::string& root);
  // The nearest <dir>/.archscan/archscan.db from `start` upwards, or "" if none exists.
  static std::string find_default(const std::string& start);

  // The database a command that reads the store uses: `explicit_path` when given, else the nearest
  // .archscan/archscan.db from the working directory up. Throws std::runtime_error when none exists.
  static std::string locate(const std::string& explicit_path);

  // Opens the database, creating it (and its directory) when `create`; applies pending migrations.
  // Throws SqliteError / std::runtime_error.
  explicit Store(const std::string& path, bool create = true);

  int schema_version();

  // Records one scan in a single transaction: run, files, findings; then the automatic review
  // transitions (`fixed` for findings of this root that disappeared from analysed files under
  // rules that ran, `open` again for fixed findings that came back). Never deletes anything.
  RecordOutcome record_run(const ScanResult& r, const RunMeta& meta);

  // Fingerprints known to the store that start with `prefix`.
  std::vector<std::string> resolve_fingerprint(const std::string& prefix);
  // Appends a review. Throws std::invalid_argument for an unknown fingerprint or a dismissal
  // without a reason.
  Review add_review(const std::string& fingerprint, ReviewState state, const std::string& reason,
                    const std::string& author);
  Review current_review(const std::string& fingerprint);
  std::vector<Review> history(const std::string& fingerprint);

  std::vector<StoredFinding> findings(const FindingQuery& q);
  std::optional<RunInfo> latest_run(const std::string& root = "");
  std::optional<RunInfo> run(int64_t id);
  std::vector<RunInfo> runs(const std::string& root = "");
  std::vector<StoredFile> files(int64_t run_id);
  // Fingerprints that the run reported.
  std::unordered_set<std::string> run_fingerprints(int64_t run_id);

  Db& db() { return *db_; }

 private:
  void migrate();
  std::unique_ptr<Db> db_;
};

// Finding::suppression_reason for a finding hidden by a dismissal: "false_positive: <reason>".
std::string review_suppression_reason(const Review& r);

// ISO 8601 UTC timestamp with milliseconds.
std::string now_iso8601();
// Who is reviewing: $ARCHSCAN_AUTHOR, else the login name.
std::string default_author();

}  // namespace archscan::store
