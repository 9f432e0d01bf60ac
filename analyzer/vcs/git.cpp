#include "vcs/git.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace archscan::vcs {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// The environment git runs with: ours, plus no optional index locks (a read-only look at the
// working tree must not fight a concurrent `git commit` for .git/index.lock).
std::vector<std::string> git_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "GIT_OPTIONAL_LOCKS=", 19) != 0) env.emplace_back(*e);
  env.emplace_back("GIT_OPTIONAL_LOCKS=0");
  return env;
}

}  // namespace

std::vector<std::string> split_nul(const std::string& s) {
  std::vector<std::string> out;
  size_t a = 0;
  while (a < s.size()) {
    size_t b = s.find('\0', a);
    if (b == std::string::npos) b = s.size();
    out.push_back(s.substr(a, b - a));
    a = b + 1;
  }
  return out;
}

CommandResult run_git(const std::string& dir, const std::vector<std::string>& args, const std::string& input) {
  CommandResult r;
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
    r.err = std::strerror(errno);
    return r;
  }
  std::vector<std::string> argv_s = {"git", "-C", dir};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = git_environment();
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "git", &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    r.err = std::string("cannot run git: ") + std::strerror(rc);
    return r;
  }
  // Feed standard input while draining both outputs: a large cat-file batch would deadlock a
  // write-everything-then-read loop.
  size_t written = 0;
  int in_fd = in[1];
  if (input.empty())
    close(in_fd), in_fd = -1;
  else
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  int open_outputs = 2;
  char buf[65536];
  struct sigaction ignore_pipe {
  }, old_pipe{};
  ignore_pipe.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore_pipe, &old_pipe);
  while (open_outputs > 0 || in_fd >= 0) {
    pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n > 0)
        (k == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      else if (n == 0 || errno != EINTR) {
        close(fds[k].fd);
        (k == 0 ? out[0] : err[0]) = -1;
        --open_outputs;
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  sigaction(SIGPIPE, &old_pipe, nullptr);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  return r;
}

Repo::Repo(const std::string& dir) {
  CommandResult r = run_git(dir, {"rev-parse", "--show-toplevel"});
  if (r.status != 0) throw GitError(r.status < 0 ? r.err : "not inside a git repository (" + trimmed(r.err) + ")");
  top_ = trimmed(r.out);
}

std::string Repo::git_ok(const std::vector<std::string>& args, const std::string& input) const {
  CommandResult r = run_git(top_, args, input);
  if (r.status != 0) {
    std::string cmd = "git";
    for (const auto& a : args) cmd += " " + a;
    throw GitError(cmd + ": " + trimmed(r.status < 0 ? r.err : r.err.empty() ? r.out : r.err));
  }
  return r.out;
}

std::optional<std::string> Repo::resolve(const std::string& rev) const {
  if (rev == kEmptyTree) return rev;
  CommandResult r = run_git(top_, {"rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"});
  if (r.status != 0) return std::nullopt;
  return trimmed(r.out);
}

bool Repo::has_commits() const { return resolve("HEAD").has_value(); }

bool Repo::shallow() const {
  CommandResult r = run_git(top_, {"rev-parse", "--is-shallow-repository"});
  return r.status == 0 && trimmed(r.out) == "true";
}

std::optional<std::string> Repo::default_branch() const {
  CommandResult r = run_git(top_, {"symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"});
  if (r.status == 0 && resolve(trimmed(r.out))) return trimmed(r.out);
  for (const char* b : {"origin/main", "origin/master", "main", "master"})
    if (resolve(b)) return std::string(b);
  return std::nullopt;
}

std::optional<std::string> Repo::merge_base(const std::string& a, const std::string& b) const {
  CommandResult r = run_git(top_, {"merge-base", a, b});
  if (r.status != 0) return std::nullopt;
  return trimmed(r.out);
}

std::vector<Change> Repo::changes(const std::string& base, const std::string& head) const {
  std::vector<std::string> args = {"diff", "--name-status", "-z", "-M", "--no-ext-diff"};
  if (head == ":index") args.push_back("--cached");
  args.push_back(base);
  if (!head.empty() && head != ":index") args.push_back(head);
  args.push_back("--");
  std::vector<std::string> f = split_nul(git_ok(args));
  std::vector<Change> out;
  for (size_t i = 0; i < f.size();) {
    const std::string& st = f[i++];
    if (st.empty()) continue;
    Change c;
    c.status = st[0];
    if ((c.status == 'R' || c.status == 'C') && i + 1 < f.size()) {
      c.old_path = f[i++];
      c.new_path = f[i++];
      if (c.status == 'C') c.status = 'A', c.old_path.clear();
    } else if (i < f.size()) {
      const std::string& p = f[i++];
      if (c.status == 'D')
        c.old_path = p;
      else if (c.status == 'A')
        c.new_path = p;
      else
        c.status = 'M', c.old_path = c.new_path = p;  // M, T (type change), U (unmerged)
    }
    out.push_back(std::move(c));
  }
  if (head.empty()) {
    for (const auto& p : split_nul(git_ok({"ls-files", "-z", "--others", "--exclude-standard"})))
      if (!p.empty()) out.push_back({'A', "", p});
  }
  return out;
}

std::map<std::string, std::string> Repo::files(const std::string& side) const {
  std::map<std::string, std::string> out;
  if (side == kEmptyTree) return out;
  if (side.empty()) {
    namespace fs = std::filesystem;
    for (const auto& p : split_nul(git_ok({"ls-files", "-z", "--cached", "--others", "--exclude-standard"}))) {
      std::error_code ec;
      if (!p.empty() && fs::is_regular_file(fs::path(top_) / p, ec)) out.emplace(p, "");
    }
    return out;
  }
  if (side == ":index") {
    // "<mode> <blob> <stage>\t<path>"; only stage 0 (a conflicted path has no single content).
    for (const auto& e : split_nul(git_ok({"ls-files", "-z", "--stage"}))) {
      size_t tab = e.find('\t');
      if (tab == std::string::npos || e.rfind("120000", 0) == 0 || e.rfind("160000", 0) == 0) continue;
      size_t s1 = e.find(' '), s2 = e.find(' ', s1 + 1);
      if (e.substr(s2 + 1, tab - s2 - 1) != "0") continue;
      out.emplace(e.substr(tab + 1), e.substr(s1 + 1, s2 - s1 - 1));
    }
    return out;
  }
  // "<mode> blob <id>\t<path>": regular files only (symlinks and submodules are not model source).
  for (const auto& e : split_nul(git_ok({"ls-tree", "-r", "-z", "--full-tree", side}))) {
    size_t tab = e.find('\t');
    if (tab == std::string::npos || e.rfind("100", 0) != 0) continue;
    size_t s2 = e.find(' ', e.find(' ') + 1);
    out.emplace(e.substr(tab + 1), e.substr(s2 + 1, tab - s2 - 1));
  }
  return out;
}

std::map<std::string, std::string> Repo::blobs(const std::vector<std::string>& ids) const {
  std::map<std::string, std::string> out;
  if (ids.empty()) return out;
  std::string input;
  for (const auto& id : ids) input += id + "\n";
  const std::string o = git_ok({"cat-file", "--batch"}, input);
  // "<id> blob <size>\n<bytes>\n" per object, or "<id> missing\n".
  size_t pos = 0;
  while (pos < o.size()) {
    size_t nl = o.find('\n', pos);
    if (nl == std::string::npos) break;
    const std::string header = o.substr(pos, nl - pos);
    pos = nl + 1;
    size_t s1 = header.find(' ');
    size_t s2 = header.find(' ', s1 + 1);
    if (s1 == std::string::npos || s2 == std::string::npos) continue;  // "<id> missing"
    const size_t size = std::stoull(header.substr(s2 + 1));
    out[header.substr(0, s1)] = o.substr(pos, size);
    pos += size + 1;
  }
  return out;
}

}  // namespace archscan::vcs
