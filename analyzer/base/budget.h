// Per-file time budgets (`--file-timeout`): one file must never hold up a whole scan.
//
// The budget is cooperative. The work done for one file (lowering it, analysing one of its models)
// runs inside a FileScope, and its loops call budget::poll(), which throws OverBudget once that
// piece of work has used more CPU time than the budget allows. Nothing is interrupted from outside:
// a loop that never polls is only caught after the fact (the pipeline compares the time a file's
// lowering took with the budget and drops what it produced).
//
// The clock is the CPU time of the thread doing the work (CLOCK_THREAD_CPUTIME_ID), not wall-clock
// time: a loaded machine or a thread waiting for a lock (the shared precompiled torch header) does
// not make a file go over budget. Work that a file triggers but that is not its own (building that
// header for every file) belongs inside a budget::Pause.
//
// An OverBudget thrown inside a parallel_for body must be caught in that body (an exception leaving
// a worker thread ends the process): analyse each model root in its own FileScope, catch, record.
//
// Where a loop reports the overrun itself (it catches OverBudget to keep what it has), it calls
// record_over_budget(); the pipeline collects those records after the rules ran and marks the files
// `partial` with an "over budget" message.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace archscan::budget {

// The CPU time this thread has used.
std::chrono::nanoseconds thread_cpu_time();

// The per-file budget of the running scan in seconds; 0 or less = unlimited. The pipeline sets it
// before any work starts (ScanOptions::file_timeout).
void set_file_budget(double seconds);
double file_budget();

// Thrown by poll() when the current FileScope is over its budget.
class OverBudget : public std::runtime_error {
 public:
  OverBudget(std::string path, std::string stage, double seconds);
  const std::string& path() const { return path_; }    // the file (relative path as reported)
  const std::string& stage() const { return stage_; }  // "parsing", "analysing `Net.forward`", ...
  double seconds() const { return seconds_; }          // the budget that was exceeded

 private:
  std::string path_, stage_;
  double seconds_;
};

// The budget of one piece of work for one file, on this thread: from construction, `seconds` of
// this thread's CPU time (file_budget() when negative; unlimited when 0). Scopes nest: an inner one
// (a model of the file) replaces the outer one until it ends. Not shared with other threads: work
// handed to other threads (parallel_for) opens its own scope there.
class FileScope {
 public:
  FileScope(std::string path, std::string stage, double seconds = -1);
  ~FileScope();
  FileScope(const FileScope&) = delete;
  FileScope& operator=(const FileScope&) = delete;

  // CPU time used inside this scope so far (paused time excluded).
  std::chrono::nanoseconds used() const;
  bool over() const;
  // Throws OverBudget when over().
  void check() const;
  const std::string& path() const { return path_; }
  const std::string& stage() const { return stage_; }
  double seconds() const { return seconds_; }

 private:
  friend class Pause;
  std::string path_, stage_;
  double seconds_;
  std::chrono::nanoseconds start_;
  std::chrono::nanoseconds paused_{0};
  FileScope* outer_;
};

// The innermost FileScope of this thread, or nullptr.
FileScope* current();

// Cheap enough for inner loops: looks at the clock every 256th call. Throws OverBudget when the
// current scope is over its budget; does nothing outside a scope.
void poll();
// Without throwing (and reading the clock every time).
bool expired();
// CPU time left to the current scope; nullopt when unlimited or outside a scope. For libraries
// with a limit of their own (tree-sitter's ts_parser_set_timeout_micros).
std::optional<std::chrono::microseconds> remaining();

// Excludes the CPU time of its lifetime from the current scope (work shared by many files).
class Pause {
 public:
  Pause();
  ~Pause();
  Pause(const Pause&) = delete;
  Pause& operator=(const Pause&) = delete;

 private:
  FileScope* scope_;
  std::chrono::nanoseconds start_;
};

// An overrun that was handled where it happened (the work stopped, what it found is kept).
struct Overrun {
  std::string path;
  std::string stage;
  double seconds = 0;
};
void record_over_budget(const OverBudget& e);
void record_over_budget(Overrun o);
// Every overrun recorded since the last call (thread-safe).
std::vector<Overrun> take_over_budget();

// The one-line diagnostic of a file that went over budget.
std::string over_budget_message(const std::string& stage, double seconds);

}  // namespace archscan::budget
