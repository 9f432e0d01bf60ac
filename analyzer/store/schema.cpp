// The store's schema as ordered migrations. Migration N (1-based) takes a database from
// PRAGMA user_version N-1 to N. Never edit a released migration: append a new one.
#include <fmt/core.h>

#include <stdexcept>

#include <string>
#include <vector>

#include "store/store.h"

namespace archscan::store {
namespace {

const std::vector<const char*>& migrations() {
  static const std::vector<const char*> m = {
      // 1: the initial schema.
      R"sql(
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  finished_at   TEXT NOT NULL,
  tool_version  TEXT NOT NULL,
  ruleset_hash  TEXT NOT NULL,
  rules         TEXT NOT NULL DEFAULT '[]',   -- JSON array of the rule ids that ran
  root          TEXT NOT NULL,
  arguments     TEXT NOT NULL DEFAULT '[]',   -- JSON array
  seconds       REAL NOT NULL DEFAULT 0,
  finding_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_root ON runs(root, id);

CREATE TABLE files (
  run_id        INTEGER NOT NULL REFERENCES runs(id),
  path          TEXT NOT NULL,
  content_hash  TEXT,
  language      TEXT,
  status        TEXT NOT NULL,
  message       TEXT,
  mode          TEXT,
  PRIMARY KEY (run_id, path)
) WITHOUT ROWID;
CREATE INDEX files_by_hash ON files(path, content_hash);

CREATE TABLE findings (
  id            INTEGER PRIMARY KEY,
  root          TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  rule          TEXT NOT NULL,
  taxonomy      TEXT,
  severity      TEXT NOT NULL CHECK (severity IN ('note', 'warning', 'error')),
  path          TEXT NOT NULL,
  line          INTEGER NOT NULL,
  col           INTEGER NOT NULL,
  end_line      INTEGER NOT NULL,
  end_col       INTEGER NOT NULL,
  message       TEXT NOT NULL,
  scope         TEXT,
  module        TEXT,
  trace         TEXT NOT NULL DEFAULT '[]',   -- JSON array of {path,line,column,role,note,text}
  snippet       TEXT,
  snippet_line  INTEGER,
  first_run     INTEGER NOT NULL REFERENCES runs(id),
  last_run      INTEGER NOT NULL REFERENCES runs(id),
  UNIQUE (root, fingerprint)
);
CREATE INDEX findings_by_fingerprint ON findings(fingerprint);
CREATE INDEX findings_by_root_last ON findings(root, last_run);

CREATE TABLE run_findings (
  run_id             INTEGER NOT NULL REFERENCES runs(id),
  finding_id         INTEGER NOT NULL REFERENCES findings(id),
  suppression        TEXT,   -- 'inline' / 'review' / NULL
  suppression_reason TEXT,
  PRIMARY KEY (run_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX run_findings_by_finding ON run_findings(finding_id);

CREATE TABLE reviews (
  id           INTEGER PRIMARY KEY,
  fingerprint  TEXT NOT NULL,
  state        TEXT NOT NULL
               CHECK (state IN ('open', 'confirmed', 'false_positive', 'wont_fix', 'fixed')),
  reason       TEXT,
  author       TEXT NOT NULL,
  at           TEXT NOT NULL,
  run_id       INTEGER REFERENCES runs(id),
  CHECK (state NOT IN ('false_positive', 'wont_fix') OR length(trim(coalesce(reason, ''))) > 0)
);
CREATE INDEX reviews_by_fingerprint ON reviews(fingerprint, id);

-- The review history is append-only.
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'archscan: the review history is append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'archscan: the review history is append-only'); END;
)sql",
      // 2: the analysis cache (store/analysis_cache.h): per scan root, what each file's last
      // analysis found and what it depends on.
      R"sql(
CREATE TABLE cache_roots (
  root        TEXT PRIMARY KEY,
  key         TEXT NOT NULL,               -- tool build, rule set and options of the entries
  generation  INTEGER NOT NULL DEFAULT 0   -- bumped by every write
);

CREATE TABLE cache_files (
  root          TEXT NOT NULL,
  path          TEXT NOT NULL,
  content_hash  TEXT NOT NULL,
  language      TEXT,
  module_name   TEXT,
  status        TEXT NOT NULL,
  message       TEXT,
  mode          TEXT,
  imports       TEXT NOT NULL DEFAULT '[]',  -- JSON array: import targets
  refs          TEXT NOT NULL DEFAULT '[]',  -- JSON array: other dotted names the linker resolves
  deps          TEXT NOT NULL DEFAULT '[]',  -- JSON array: paths of the files it was linked with
  PRIMARY KEY (root, path)
) WITHOUT ROWID;

CREATE TABLE cache_findings (
  root     TEXT NOT NULL,
  path     TEXT NOT NULL,
  ord      INTEGER NOT NULL,               -- position among the findings of its path
  finding  TEXT NOT NULL,                  -- JSON: the complete Finding
  PRIMARY KEY (root, path, ord)
) WITHOUT ROWID;
)sql",
      // 3: a run of one shard of a tree (`scan --shard K/N`): "K/N", NULL for a whole tree.
      // `archscan merge` combines the N shard runs of one batch into one run.
      R"sql(
ALTER TABLE runs ADD COLUMN shard TEXT;
)sql",
  };
  return m;
}

}  // namespace

int current_schema_version() { return static_cast<int>(migrations().size()); }

// Each migration runs in its own IMMEDIATE transaction and re-reads user_version inside it, so
// several processes opening a fresh database at once apply every step exactly once.
void Store::migrate() {
  const auto& steps = migrations();
  const int target = static_cast<int>(steps.size());
  int version = static_cast<int>(db_->scalar_i64("PRAGMA user_version").value_or(0));
  if (version > target)
    throw std::runtime_error(
        fmt::format("{}: schema version {} is newer than this archscan understands ({}); upgrade archscan", db_->path(),
                    version, target));
  while (version < target) {
    Transaction tx(*db_);
    version = static_cast<int>(db_->scalar_i64("PRAGMA user_version").value_or(0));
    if (version >= target) break;
    db_->exec(steps[static_cast<size_t>(version)]);
    db_->exec(fmt::format("PRAGMA user_version = {}", version + 1));
    tx.commit();
    ++version;
  }
}

int Store::schema_version() { return static_cast<int>(db_->scalar_i64("PRAGMA user_version").value_or(0)); }

}  // namespace archscan::store
