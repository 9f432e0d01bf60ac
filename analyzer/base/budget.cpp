#include "base/budget.h"

#include <fmt/format.h>
#include <time.h>

#include <atomic>
#include <mutex>

namespace archscan::budget {
namespace {

std::atomic<double> g_budget{0};
thread_local FileScope* t_scope = nullptr;
thread_local unsigned t_polls = 0;

std::mutex g_mu;
std::vector<Overrun>& overruns() {
  static std::vector<Overrun> v;
  return v;
}

std::chrono::nanoseconds to_ns(double seconds) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
}

}  // namespace

std::chrono::nanoseconds thread_cpu_time() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

void set_file_budget(double seconds) { g_budget = seconds; }
double file_budget() { return g_budget; }

std::string over_budget_message(const std::string& stage, double seconds) {
  return fmt::format("over budget: {} took more than {:g} s of CPU time (--file-timeout)", stage, seconds);
}

OverBudget::OverBudget(std::string path, std::string stage, double seconds)
    : std::runtime_error(path + ": " + over_budget_message(stage, seconds)),
      path_(std::move(path)),
      stage_(std::move(stage)),
      seconds_(seconds) {}

FileScope::FileScope(std::string path, std::string stage, double seconds)
    : path_(std::move(path)),
      stage_(std::move(stage)),
      seconds_(seconds < 0 ? file_budget() : seconds),
      start_(thread_cpu_time()),
      outer_(t_scope) {
  t_scope = this;
}

FileScope::~FileScope() { t_scope = outer_; }

std::chrono::nanoseconds FileScope::used() const { return thread_cpu_time() - start_ - paused_; }

bool FileScope::over() const { return seconds_ > 0 && used() > to_ns(seconds_); }

void FileScope::check() const {
  if (over()) throw OverBudget(path_, stage_, seconds_);
}

FileScope* current() { return t_scope; }

void poll() {
  if (!t_scope || (++t_polls & 255u) != 0) return;
  t_scope->check();
}

bool expired() { return t_scope && t_scope->over(); }

std::optional<std::chrono::microseconds> remaining() {
  if (!t_scope || t_scope->seconds() <= 0) return std::nullopt;
  auto left = to_ns(t_scope->seconds()) - t_scope->used();
  if (left.count() < 0) left = std::chrono::nanoseconds(0);
  return std::chrono::duration_cast<std::chrono::microseconds>(left);
}

Pause::Pause() : scope_(t_scope), start_(thread_cpu_time()) {}

Pause::~Pause() {
  const auto spent = thread_cpu_time() - start_;
  for (FileScope* s = scope_; s; s = s->outer_) s->paused_ += spent;
}

void record_over_budget(const OverBudget& e) { record_over_budget(Overrun{e.path(), e.stage(), e.seconds()}); }

void record_over_budget(Overrun o) {
  std::lock_guard<std::mutex> lk(g_mu);
  overruns().push_back(std::move(o));
}

std::vector<Overrun> take_over_budget() {
  std::lock_guard<std::mutex> lk(g_mu);
  std::vector<Overrun> out;
  out.swap(overruns());
  return out;
}

}  // namespace archscan::budget
