#!/usr/bin/python3
"""Compares two archscan databases as a reviewer sees them: the runs (without ids, times and command
lines), each run's files, the findings with the runs they were first and last seen in, which run
reported which finding and how it was suppressed, the reviews, and the analysis cache.

    compare_dbs.py EXPECTED.db ACTUAL.db

With --shards, ACTUAL is a merge of shard scans: a cached file's dependencies (the files whose
change makes it be analysed again, found by name) may then lack files of other repositories (other
top-level directories), which a shard never sees; every other dependency must be there.

Exit 0 when equal; else prints the first differences of each table and exits 1."""
import json
import sqlite3
import sys


def load(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    runs = db.execute("SELECT id, root, tool_version, ruleset_hash, rules, shard FROM runs ORDER BY id").fetchall()
    ordinal = {r[0]: i for i, r in enumerate(runs)}  # a run by its position, not its id
    t = {}
    t["runs"] = sorted((ordinal[r[0]],) + r[1:] for r in runs)
    t["files"] = sorted((ordinal[r[0]],) + r[1:] for r in db.execute(
        "SELECT run_id, path, content_hash, language, status, message, mode FROM files"))
    t["findings"] = sorted(r[:-2] + (ordinal[r[-2]], ordinal[r[-1]]) for r in db.execute(
        "SELECT root, fingerprint, rule, taxonomy, severity, path, line, col, end_line, end_col, message, scope, "
        "module, trace, snippet, snippet_line, first_run, last_run FROM findings"))
    t["run_findings"] = sorted((ordinal[r[0]],) + r[1:] for r in db.execute(
        "SELECT rf.run_id, f.root, f.fingerprint, rf.suppression, rf.suppression_reason "
        "FROM run_findings rf JOIN findings f ON f.id = rf.finding_id"))
    t["reviews"] = [r[:-1] + (ordinal.get(r[-1]),) for r in db.execute(
        "SELECT fingerprint, state, reason, author, run_id FROM reviews ORDER BY id")]
    t["finding_counts"] = [r for r in db.execute("SELECT finding_count FROM runs ORDER BY id")]
    t["cache_roots"] = sorted(db.execute("SELECT root, key FROM cache_roots"))
    t["cache_files"] = sorted(db.execute(
        "SELECT root, path, content_hash, language, module_name, status, message, mode, imports, refs "
        "FROM cache_files"))
    t["cache_deps"] = {(r[0], r[1]): set(json.loads(r[2])) for r in db.execute("SELECT root, path, deps FROM cache_files")}
    t["cache_findings"] = sorted(db.execute("SELECT root, path, ord, finding FROM cache_findings"))
    return t


def main():
    args = [a for a in sys.argv[1:] if a != "--shards"]
    shards = "--shards" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    sys.argv[1:] = args
    a, b = load(args[0]), load(args[1])
    same = True
    if shards:
        unit = lambda path: path.split("/")[0] if "/" in path else ""
        deps_a, deps_b = a.pop("cache_deps"), b.pop("cache_deps")
        bad = [(k, sorted(d for d in deps_a[k] - deps_b.get(k, set()) if unit(d) == unit(k[1])))
               for k in deps_a]
        bad = [(k, d) for k, d in bad if d] + [(k, sorted(deps_b[k] - deps_a.get(k, set()))) for k in deps_b
                                               if deps_b[k] - deps_a.get(k, set())]
        crossing = sum(len(deps_a[k] - deps_b.get(k, set())) for k in deps_a)
        print(f"cache_deps: {len(deps_a)} files, {crossing} dependencies across repositories absent from shards, "
              f"{len(bad)} files with other differences")
        for k, d in bad[:5]:
            print(f"  {k[1]}: {d[:5]}")
        same = not bad
    for table in a:
        if a[table] == b[table]:
            print(f"{table}: {len(a[table])} rows, equal")
            continue
        same = False
        only_a = [r for r in a[table] if r not in b[table]]
        only_b = [r for r in b[table] if r not in a[table]]
        print(f"{table}: DIFFERENT ({len(a[table])} vs {len(b[table])} rows)")
        for r in only_a[:5]:
            print(f"  only in {sys.argv[1]}: {str(r)[:300]}")
        for r in only_b[:5]:
            print(f"  only in {sys.argv[2]}: {str(r)[:300]}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
