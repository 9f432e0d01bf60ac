#include "lsp/server.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "base/hash.h"
#include "base/progress.h"
#include "core/active_rules.h"
#include "core/source_reader.h"
#include "lsp/diagnostics.h"
#include "lsp/document.h"
#include "lsp/transport.h"
#include "lsp/workspace.h"
#include "review/suppressions.h"
#include "store/store.h"

namespace archscan::lsp {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700, kInvalidRequest = -32600, kMethodNotFound = -32601, kInvalidParams = -32602,
              kInternalError = -32603, kServerNotInitialized = -32002, kRequestCancelled = -32800,
              kRequestFailed = -32803;

const char* kReviewCommand = "archscan.review";

// A string member of a message, "" when it is absent or not a string (json::value would throw on
// `{"method": {}}`, which a client may send: the message is then answered as invalid, not fatal).
std::string string_member(const json& o, const char* key) {
  if (!o.is_object()) return {};
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Messages read on their own thread, so that a burst of edits is taken in at once and analysed once.
class Inbox {
 public:
  void push(std::vector<Incoming> ms) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& m : ms) items_.push_back(std::move(m));
    cv_.notify_one();
  }
  // Waits for one message, then takes every message already there.
  std::vector<Incoming> take() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !items_.empty(); });
    std::vector<Incoming> out(std::make_move_iterator(items_.begin()), std::make_move_iterator(items_.end()));
    items_.clear();
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Incoming> items_;
};

struct OpenDocument {
  std::string path;  // relative to the root; "" outside it
  std::string text;
  long long version = 0;
};

struct RequestError : std::runtime_error {
  RequestError(int c, const std::string& m) : std::runtime_error(m), code(c) {}
  int code;
};

class Server {
 public:
  Server(const ServerConfig& config, Writer& out) : config_(config), out_(out) {}

  // Handles one batch of messages; false once `exit` was received.
  bool handle_batch(std::vector<Incoming>& batch);
  int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  void handle(const json& msg, const std::unordered_set<std::string>& cancelled);
  json request(const std::string& method, const json& params);
  void notification(const std::string& method, const json& params);

  json initialize(const json& params);
  void initialized();
  void did_open(const json& params);
  void did_change(const json& params);
  void did_save(const json& params);
  void did_close(const json& params);
  void did_change_watched_files(const json& params);
  json document_diagnostic(const json& params);
  json workspace_diagnostic(const json& params);
  json hover(const json& params);
  json code_action(const json& params);
  json execute_command(const json& params);

  // Analyses what the edits since the last call can change, and reports it.
  void flush();
  void apply(Analysis a);
  // `force`: also when the client's copy looks current (a review changed what is shown).
  void publish(const std::string& path, bool force = false);
  json diagnostics_of(const std::string& path);
  std::optional<std::string> rel_path(const std::string& uri) const;
  std::string uri_of(const std::string& rel) const { return file_uri((fs::path(ws_->root()) / rel).string()); }
  const std::string* text_of(const std::string& rel) const { return ws_ ? ws_->text(rel) : nullptr; }
  std::vector<const Finding*> findings_at(const std::string& path, long long line0, long long end_line0);
  void load_reviews();
  std::string db_path() const;
  void send_request(const std::string& method, json params);
  void log(const std::string& line) const {
    if (config_.log) std::cerr << "archscan lsp: " << line << "\n";
  }
  void notify(const std::string& method, json params) {
    json m = {{"jsonrpc", "2.0"}, {"method", method}};
    m["params"] = std::move(params);
    out_.send(m);
  }
  void show_message(int type, const std::string& text) {
    json params = {{"type", type}, {"message", text}};
    notify("window/showMessage", std::move(params));
  }

  const ServerConfig& config_;
  Writer& out_;
  bool initialized_ = false, shutdown_ = false, exit_ = false, scanned_ = false;
  std::unique_ptr<Workspace> ws_;
  // Client capabilities.
  bool progress_support_ = false, pull_ = false, refresh_support_ = false, snippet_edits_ = false,
       watch_registration_ = false, show_dismissed_ = false;
  std::map<std::string, OpenDocument> docs_;  // by URI
  std::set<std::string> dirty_;               // paths edited since the last analysis
  std::vector<std::string> removed_modules_;  // modules deleted since the last analysis
  std::map<std::string, std::vector<Finding>> findings_;  // by path
  std::map<std::string, FileReport> reports_;
  std::map<std::string, std::string> published_;  // path -> the diagnostics last sent (to skip repeats)
  std::unordered_map<std::string, store::Review> dismissed_;  // fingerprint -> its dismissal
  int next_request_ = 1;
};

bool Server::handle_batch(std::vector<Incoming>& batch) {
  // A request cancelled before it was handled is answered with RequestCancelled.
  std::vector<json> messages;
  std::unordered_set<std::string> cancelled;
  bool eof = false;
  for (auto& in : batch) {
    if (in.kind == Incoming::Eof) {
      eof = true;
      break;
    }
    if (in.kind == Incoming::Garbage) {
      log("unreadable message: " + in.error);
      out_.send({{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", kParseError}, {"message", in.error}}}});
      continue;
    }
    json m = json::parse(in.body, nullptr, false);
    if (m.is_discarded()) {
      out_.send({{"jsonrpc", "2.0"},
                 {"id", nullptr},
                 {"error", {{"code", kParseError}, {"message", "the message is not valid JSON"}}}});
      continue;
    }
    if (m.is_object() && string_member(m, "method") == "$/cancelRequest" && m.contains("params") &&
        m["params"].is_object() && m["params"].contains("id"))
      cancelled.insert(m["params"]["id"].dump());
    messages.push_back(std::move(m));
  }
  for (const json& m : messages) {
    if (exit_) break;
    handle(m, cancelled);
  }
  if (eof) exit_ = true;  // the client went away: as `exit`
  if (!exit_ && initialized_ && !shutdown_) flush();
  return !exit_;
}

void Server::handle(const json& msg, const std::unordered_set<std::string>& cancelled) {
  if (!msg.is_object() || string_member(msg, "jsonrpc") != "2.0") {
    out_.send({{"jsonrpc", "2.0"},
               {"id", msg.is_object() && msg.contains("id") ? msg["id"] : json(nullptr)},
               {"error", {{"code", kInvalidRequest}, {"message", "not a JSON-RPC 2.0 message"}}}});
    return;
  }
  if (!msg.contains("method")) return;  // a response to one of our requests
  if (!msg["method"].is_string()) {
    out_.send({{"jsonrpc", "2.0"},
               {"id", msg.contains("id") ? msg["id"] : json(nullptr)},
               {"error", {{"code", kInvalidRequest}, {"message", "method is not a string"}}}});
    return;
  }
  const std::string method = msg["method"];
  const json params = msg.contains("params") ? msg["params"] : json::object();
  if (!msg.contains("id")) {
    try {
      notification(method, params);
    } catch (const std::exception& e) {
      log(fmt::format("{}: {}", method, e.what()));
    }
    return;
  }
  const json id = msg["id"];
  json reply = {{"jsonrpc", "2.0"}, {"id", id}};
  try {
    if (!id.is_string() && !id.is_number_integer()) throw RequestError(kInvalidRequest, "id must be a number or a string");
    if (cancelled.count(id.dump())) throw RequestError(kRequestCancelled, "cancelled");
    reply["result"] = request(method, params);
  } catch (const RequestError& e) {
    reply["error"] = {{"code", e.code}, {"message", e.what()}};
  } catch (const json::exception& e) {
    reply["error"] = {{"code", kInvalidParams}, {"message", fmt::format("{}: invalid params ({})", method, e.what())}};
  } catch (const std::exception& e) {
    reply["error"] = {{"code", kInternalError}, {"message", fmt::format("{}: {}", method, e.what())}};
  }
  out_.send(reply);
}

json Server::request(const std::string& method, const json& params) {
  if (method == "initialize") {
    if (initialized_) throw RequestError(kInvalidRequest, "initialize was already received");
    return initialize(params);
  }
  if (!initialized_) throw RequestError(kServerNotInitialized, "the server is not initialized yet");
  if (shutdown_) throw RequestError(kInvalidRequest, "the server is shut down");
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "textDocument/diagnostic") return document_diagnostic(params);
  if (method == "workspace/diagnostic") return workspace_diagnostic(params);
  if (method == "textDocument/hover") return hover(params);
  if (method == "textDocument/codeAction") return code_action(params);
  if (method == "workspace/executeCommand") return execute_command(params);
  throw RequestError(kMethodNotFound, "unknown method " + method);
}

void Server::notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exit_ = true;
    return;
  }
  if (!initialized_ || shutdown_) return;  // dropped, as the protocol says
  if (method == "initialized") {
    if (scanned_) return;  // said once
    scanned_ = true;
    return initialized();
  }
  if (method == "textDocument/didOpen") return did_open(params);
  if (method == "textDocument/didChange") return did_change(params);
  if (method == "textDocument/didSave") return did_save(params);
  if (method == "textDocument/didClose") return did_close(params);
  if (method == "workspace/didChangeWatchedFiles") return did_change_watched_files(params);
  // $/cancelRequest was handled with its batch; $/setTrace and the rest need nothing.
}

std::string root_of(const json& params) {
  if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array() &&
      !params["workspaceFolders"].empty())
    if (auto p = uri_path(params["workspaceFolders"][0].value("uri", ""))) return *p;
  if (params.contains("rootUri") && params["rootUri"].is_string())
    if (auto p = uri_path(params["rootUri"])) return *p;
  if (params.contains("rootPath") && params["rootPath"].is_string() && !params["rootPath"].get<std::string>().empty())
    return fs::absolute(params["rootPath"].get<std::string>()).lexically_normal().string();
  return fs::current_path().string();
}

bool flag(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return false;
    cur = &(*cur)[k];
  }
  return cur->is_boolean() ? cur->get<bool>() : cur->is_object();
}

json Server::initialize(const json& params) {
  if (!params.is_object()) throw RequestError(kInvalidParams, "initialize needs params");
  std::string root = root_of(params);
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  ws_ = std::make_unique<Workspace>(root, config_.options_for(root));
  const json caps = params.value("capabilities", json::object());
  progress_support_ = flag(caps, {"window", "workDoneProgress"});
  pull_ = flag(caps, {"textDocument", "diagnostic"});
  refresh_support_ = flag(caps, {"workspace", "diagnostics", "refreshSupport"});
  snippet_edits_ = flag(caps, {"experimental", "snippetTextEdit"});
  watch_registration_ = flag(caps, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});
  const json init = params.value("initializationOptions", json::object());
  show_dismissed_ = init.is_object() && init.value("showDismissed", false);
  initialized_ = true;
  log("root " + root + (pull_ ? ", pull diagnostics" : ", push diagnostics"));
  return {{"capabilities",
           {{"positionEncoding", "utf-16"},
            {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
            {"hoverProvider", true},
            {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
            {"executeCommandProvider", {{"commands", {kReviewCommand}}}},
            {"diagnosticProvider",
             {{"identifier", "archscan"}, {"interFileDependencies", true}, {"workspaceDiagnostics", true}}}}},
          {"serverInfo", {{"name", "archscan"}, {"version", ARCHSCAN_VERSION}}}};
}

void Server::send_request(const std::string& method, json params) {
  json m = {{"jsonrpc", "2.0"}, {"method", method}};
  m["id"] = fmt::format("archscan-{}", next_request_++);
  m["params"] = std::move(params);
  out_.send(m);
}

// The first workspace scan, with $/progress when the client shows it.
void Server::initialized() {
  if (watch_registration_) {
    json globs = json::array();
    for (const char* g : {"**/*.py", "**/*.{cpp,cc,cxx,h,hpp,hh,hxx}"}) globs.push_back({{"globPattern", g}});
    send_request("client/registerCapability",
                 {{"registrations",
                   {{{"id", "archscan-watch"},
                     {"method", "workspace/didChangeWatchedFiles"},
                     {"registerOptions", {{"watchers", globs}}}}}}});
  }
  const std::string token = "archscan-workspace-scan";
  auto progress_note = [&](json value) {
    json params = {{"token", token}, {"value", std::move(value)}};
    notify("$/progress", std::move(params));
  };
  if (progress_support_) {
    send_request("window/workDoneProgress/create", {{"token", token}});
    json begin = {{"kind", "begin"}, {"title", "archscan"}, {"message", "reading the workspace"}};
    begin["percentage"] = 0;
    begin["cancellable"] = false;
    progress_note(std::move(begin));
  }
  const auto start = std::chrono::steady_clock::now();
  ScanProgress progress;
  std::atomic<bool> done{false};
  std::thread ticker;
  if (progress_support_)
    ticker = std::thread([&] {
      while (!done) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        if (done) break;
        const size_t total = progress.total, n = progress.done;
        json report = {{"kind", "report"}};
        report["message"] = n < total ? fmt::format("parsing {}/{} files", n, total) : std::string("analysing");
        report["percentage"] = total ? static_cast<int>(90.0 * n / total) : 0;
        progress_note(std::move(report));
      }
    });
  Analysis a;
  try {
    if (config_.read_workspace) ws_->discover();
    load_reviews();
    a = ws_->analyse_all(&progress);
  } catch (const std::exception& e) {
    show_message(1, fmt::format("archscan: the workspace scan failed: {}", e.what()));
  }
  done = true;
  if (ticker.joinable()) ticker.join();
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const size_t files = a.analysed_files;
  apply(std::move(a));
  size_t count = 0;
  for (const auto& [p, fs] : findings_) count += fs.size();
  log(fmt::format("workspace: {} files analysed in {:.0f} ms, {} findings", files, ms, count));
  if (progress_support_) {
    json end = {{"kind", "end"}};
    end["message"] = fmt::format("{} files, {} findings", files, count);
    progress_note(std::move(end));
  }
}

std::optional<std::string> Server::rel_path(const std::string& uri) const {
  auto abs = uri_path(uri);
  if (!abs || !ws_) return std::nullopt;
  fs::path rel = fs::path(*abs).lexically_relative(ws_->root());
  const std::string r = rel.generic_string();
  if (r.empty() || r == "." || r.rfind("..", 0) == 0) return std::nullopt;
  return r;
}

void Server::did_open(const json& params) {
  const json& td = params.at("textDocument");
  OpenDocument d;
  d.text = td.at("text").get<std::string>();
  d.version = td.value("version", 0LL);
  const std::string uri = td.at("uri").get<std::string>();
  auto rel = rel_path(uri);
  if (rel && frontend::frontend_for(*rel)) {
    d.path = *rel;
    ws_->set_buffer(d.path, d.text, false);
    dirty_.insert(d.path);
  } else {
    log("not analysed (outside the workspace or not a source file): " + uri);
  }
  docs_[uri] = std::move(d);
}

void Server::did_change(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  auto it = docs_.find(uri);
  if (it == docs_.end()) return;  // a change to a document never opened: nothing to apply it to
  OpenDocument& d = it->second;
  for (const json& c : params.at("contentChanges"))
    if (!apply_change(d.text, c)) log("ignored a malformed change to " + uri);
  d.version = params["textDocument"].value("version", d.version);
  if (d.path.empty()) return;
  ws_->set_buffer(d.path, d.text, true);
  dirty_.insert(d.path);
}

void Server::did_save(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  auto it = docs_.find(uri);
  if (it == docs_.end() || it->second.path.empty()) return;
  ws_->set_buffer(it->second.path, it->second.text, false);  // C++: now with Clang
  dirty_.insert(it->second.path);
}

void Server::did_close(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  auto it = docs_.find(uri);
  if (it == docs_.end()) return;
  const std::string path = it->second.path;
  docs_.erase(it);
  if (path.empty()) return;
  const std::string removed = ws_->contains(path) ? ws_->module_name(path) : "";
  ws_->drop_buffer(path);
  if (ws_->contains(path)) {
    dirty_.insert(path);
  } else {  // an unsaved new file: gone with its buffer
    if (!removed.empty()) removed_modules_.push_back(removed);
    findings_.erase(path);
    reports_.erase(path);
    publish(path);
  }
}

void Server::did_change_watched_files(const json& params) {
  for (const json& c : params.at("changes")) {
    auto rel = rel_path(c.value("uri", ""));
    if (!rel) continue;
    const std::string removed = ws_->disk_changed(*rel);
    if (ws_->contains(*rel)) {
      dirty_.insert(*rel);
      continue;
    }
    if (!removed.empty()) removed_modules_.push_back(removed);
    if (findings_.erase(*rel) + reports_.erase(*rel) > 0) publish(*rel);
  }
}

void Server::flush() {
  if (!ws_ || (dirty_.empty() && removed_modules_.empty())) return;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> changed(dirty_.begin(), dirty_.end());
  dirty_.clear();
  std::vector<std::string> removed = std::move(removed_modules_);
  removed_modules_.clear();
  Analysis a = ws_->analyse_changed(changed, removed);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  log(fmt::format("analysed {} files for {} edited in {:.1f} ms", a.analysed_files, changed.size(), ms));
  apply(std::move(a));
}

void Server::apply(Analysis a) {
  for (const auto& path : a.published) {
    findings_[path] = std::move(a.findings[path]);
    if (auto it = a.reports.find(path); it != a.reports.end())
      reports_[path] = it->second;
    else
      reports_.erase(path);
    if (findings_[path].empty()) findings_.erase(path);
  }
  if (!pull_) {
    for (const auto& path : a.published) publish(path);
  } else if (refresh_support_ && !a.published.empty()) {
    send_request("workspace/diagnostic/refresh", nullptr);
  }
}

json Server::diagnostics_of(const std::string& path) {
  json items = json::array();
  auto text = [&](const std::string& rel) { return text_of(rel); };
  if (auto it = findings_.find(path); it != findings_.end())
    for (const Finding& f : it->second) {
      if (!f.suppression.empty()) continue;  // suppressed inline
      auto d = dismissed_.find(f.fingerprint);
      if (d == dismissed_.end()) {
        items.push_back(diagnostic(f, ws_->root(), text));
      } else if (show_dismissed_) {
        Finding shown = f;
        shown.suppression_reason = store::review_suppression_reason(d->second);
        items.push_back(diagnostic(shown, ws_->root(), text, true));
      }
    }
  if (auto r = reports_.find(path); r != reports_.end())
    if (auto c = coverage_diagnostic(r->second)) items.push_back(std::move(*c));
  return items;
}

void Server::publish(const std::string& path, bool force) {
  json items = diagnostics_of(path);
  const std::string uri = uri_of(path);
  std::string dumped = items.dump();
  auto doc = docs_.find(uri);
  // A file nobody edited keeps what the client has when nothing changed; an open document gets an
  // answer for every version.
  if (doc == docs_.end() && !force) {
    auto last = published_.find(path);
    if ((last == published_.end() && items.empty()) || (last != published_.end() && last->second == dumped)) return;
  }
  published_[path] = std::move(dumped);
  json params = {{"uri", uri}, {"diagnostics", std::move(items)}};
  if (doc != docs_.end()) params["version"] = doc->second.version;
  notify("textDocument/publishDiagnostics", std::move(params));
}

json Server::document_diagnostic(const json& params) {
  flush();
  const std::string uri = params.at("textDocument").at("uri");
  auto rel = rel_path(uri);
  json items = rel ? diagnostics_of(*rel) : json::array();
  const std::string id = hash_hex(items.dump());
  if (params.value("previousResultId", "") == id) return {{"kind", "unchanged"}, {"resultId", id}};
  return {{"kind", "full"}, {"resultId", id}, {"items", std::move(items)}};
}

json Server::workspace_diagnostic(const json& params) {
  flush();
  std::map<std::string, std::string> previous;
  if (params.contains("previousResultIds"))
    for (const json& p : params["previousResultIds"]) previous[p.value("uri", "")] = p.value("value", "");
  std::set<std::string> paths;
  for (const auto& [p, f] : findings_) paths.insert(p);
  for (const auto& [p, r] : reports_)
    if (r.status != "ok") paths.insert(p);
  for (const auto& [uri, v] : previous)
    if (auto rel = rel_path(uri)) paths.insert(*rel);  // so that a report that became empty is said
  json items = json::array();
  for (const auto& path : paths) {
    const std::string uri = uri_of(path);
    json diags = diagnostics_of(path);
    const std::string id = hash_hex(diags.dump());
    json report = {{"uri", uri}, {"resultId", id}};
    auto doc = docs_.find(uri);
    report["version"] = doc == docs_.end() ? json(nullptr) : json(doc->second.version);
    if (previous.count(uri) && previous[uri] == id) {
      report["kind"] = "unchanged";
    } else {
      report["kind"] = "full";
      report["items"] = std::move(diags);
    }
    items.push_back(std::move(report));
  }
  return {{"items", std::move(items)}};
}

std::vector<const Finding*> Server::findings_at(const std::string& path, long long first0, long long last0) {
  std::vector<const Finding*> out;
  auto it = findings_.find(path);
  if (it == findings_.end()) return out;
  for (const Finding& f : it->second) {
    if (!f.suppression.empty() || (dismissed_.count(f.fingerprint) && !show_dismissed_)) continue;
    const long long from = f.line - 1, to = std::max(f.line, f.end_line) - 1;
    if (from <= last0 && to >= first0) out.push_back(&f);
  }
  return out;
}

json Server::hover(const json& params) {
  flush();
  auto rel = rel_path(params.at("textDocument").at("uri"));
  if (!rel) return nullptr;
  const long long line = params.at("position").at("line");
  std::vector<const Finding*> at = findings_at(*rel, line, line);
  if (at.empty()) return nullptr;
  std::string md;
  for (const Finding* f : at) md += (md.empty() ? "" : "\n\n---\n\n") + hover_markdown(*f);
  const Finding& f = *at.front();
  return {{"contents", {{"kind", "markdown"}, {"value", md}}},
          {"range", range_of(text_of(*rel), f.line, f.column, f.end_line, f.end_column)}};
}

json Server::code_action(const json& params) {
  flush();
  const std::string uri = params.at("textDocument").at("uri");
  auto rel = rel_path(uri);
  if (!rel) return json::array();
  const long long first = params.at("range").at("start").at("line"), last = params.at("range").at("end").at("line");
  const std::string* text = text_of(*rel);
  const frontend::Frontend* fe = frontend::frontend_for(*rel);
  const std::string marker(review::comment_marker(fe ? fe->language : ""));
  json actions = json::array();
  std::set<std::pair<std::string, int>> suppressing;  // (rule, line): one action per rule and line
  for (const Finding* f : findings_at(*rel, first, last)) {
    json diag = diagnostic(*f, ws_->root(), [&](const std::string& p) { return text_of(p); });
    if (!marker.empty() && text && suppressing.insert({f->rule, f->line}).second) {
      // The comment goes alone on the line above, indented as the flagged line. Without a reason it
      // suppresses nothing (SUP001 says so): the reason is the placeholder the user fills in.
      std::string_view line = line_text(*text, f->line);
      const std::string indent(line.substr(0, line.find_first_not_of(" \t") == std::string_view::npos
                                                   ? line.size()
                                                   : line.find_first_not_of(" \t")));
      const std::string comment = fmt::format("{}{} archscan: ignore[{}] ", indent, marker, f->rule);
      json pos = {{"line", f->line - 1}, {"character", 0}};
      json edit = {{"range", {{"start", pos}, {"end", pos}}}};
      if (snippet_edits_) {
        edit["newText"] = comment + "${1:reason}\n";
        edit["insertTextFormat"] = 2;
      } else {
        edit["newText"] = comment + "\n";
      }
      actions.push_back({{"title", fmt::format("Suppress {} on this line with a reason (archscan: ignore)", f->rule)},
                         {"kind", "quickfix"},
                         {"diagnostics", json::array({diag})},
                         {"edit", {{"changes", {{uri, json::array({edit})}}}}}});
    }
    if (f->fingerprint.empty() || dismissed_.count(f->fingerprint)) continue;
    for (const auto& [state, title] : {std::pair<const char*, const char*>{"false_positive", "false positive"},
                                       {"wont_fix", "won't fix"}})
      actions.push_back(
          {{"title", fmt::format("Mark this {} finding as {} (findings database)", f->rule, title)},
           {"kind", "quickfix"},
           {"diagnostics", json::array({diag})},
           {"command",
            {{"title", fmt::format("archscan: mark as {}", title)},
             {"command", kReviewCommand},
             {"arguments", json::array({{{"fingerprint", f->fingerprint}, {"state", state}, {"uri", uri}}})}}}});
  }
  return actions;
}

std::string Server::db_path() const {
  const ScanOptions& o = ws_->options();
  return o.db_path.empty() ? store::Store::default_path(ws_->root()) : o.db_path;
}

void Server::load_reviews() {
  dismissed_.clear();
  if (ws_->options().no_db) return;
  std::error_code ec;
  if (!fs::is_regular_file(db_path(), ec)) return;
  try {
    store::Store st(db_path(), false);
    store::FindingQuery q;
    q.states = {store::ReviewState::FalsePositive, store::ReviewState::WontFix};
    for (const auto& f : st.findings(q)) dismissed_[f.finding.fingerprint] = f.review;
  } catch (const std::exception& e) {
    show_message(2, fmt::format("archscan: findings database {}: {}; dismissed findings are shown", db_path(), e.what()));
  }
}

// Records a review of a finding in the project's database (`archscan review` from the editor).
json Server::execute_command(const json& params) {
  if (params.value("command", "") != kReviewCommand)
    throw RequestError(kInvalidParams, "unknown command " + params.value("command", ""));
  const json& arg = params.at("arguments").at(0);
  const std::string fp = arg.at("fingerprint"), uri = arg.at("uri");
  store::ReviewState state;
  if (!store::parse_review_state(arg.value("state", ""), state))
    throw RequestError(kInvalidParams, "unknown review state " + arg.value("state", ""));
  if (ws_->options().no_db) throw RequestError(kRequestFailed, "the findings database is off (--no-db)");
  auto rel = rel_path(uri);
  if (!rel) throw RequestError(kInvalidParams, "not a file of the workspace: " + uri);
  flush();
  const Finding* finding = nullptr;
  for (const Finding& f : findings_[*rel])
    if (f.fingerprint == fp) finding = &f;
  if (!finding) throw RequestError(kRequestFailed, "that finding is gone (the file changed): nothing was recorded");
  const std::string reason =
      arg.value("reason", fmt::format("marked {} in the editor", state == store::ReviewState::WontFix ? "won't fix" : "a false positive"));
  try {
    store::Store st(db_path(), true);
    if (st.resolve_fingerprint(fp).empty()) {
      // A finding the database has not seen (found since the last scan): recorded as a run over this
      // file first, as `archscan scan` would record it.
      ScanResult r;
      r.root = ws_->root();
      r.arguments = {"archscan", "lsp"};
      r.files.push_back(reports_.count(*rel) ? reports_[*rel] : FileReport{*rel, "", "ok", "", "", ""});
      if (const std::string* t = text_of(*rel)) r.files.back().content_hash = hash_hex(*t);
      r.findings = findings_[*rel];
      store::RunMeta meta;
      meta.tool_version = ARCHSCAN_VERSION;
      meta.ruleset_hash = review::ruleset_hash(ws_->options());
      meta.rules = review::active_rule_ids(ws_->options());
      meta.source = [&](const std::string& p) -> std::string_view {
        const std::string* t = text_of(p);
        return t ? std::string_view(*t) : std::string_view();
      };
      st.record_run(r, meta);
    }
    store::Review review = st.add_review(fp, state, reason, store::default_author());
    dismissed_.erase(fp);
    if (store::is_dismissed(review.state)) dismissed_[fp] = review;
  } catch (const std::exception& e) {
    throw RequestError(kRequestFailed, fmt::format("findings database {}: {}", db_path(), e.what()));
  }
  if (!pull_)
    publish(*rel, true);
  else if (refresh_support_)
    send_request("workspace/diagnostic/refresh", nullptr);
  return nullptr;
}

}  // namespace

int serve(const ServerConfig& config, int in_fd, int out_fd) {
  Writer out(out_fd);
  auto inbox = std::make_shared<Inbox>();
  std::thread reader([inbox, in_fd] {
    Reader in(in_fd);
    for (;;) {
      // Messages that arrived together are handed over together (a request and its cancellation).
      std::vector<Incoming> got;
      bool eof = false;
      do {
        got.push_back(in.next());
        eof = got.back().kind == Incoming::Eof;
      } while (!eof && in.buffered());
      inbox->push(std::move(got));
      if (eof) return;
    }
  });
  Server server(config, out);
  for (;;) {
    std::vector<Incoming> batch = inbox->take();
    if (!server.handle_batch(batch)) break;
  }
  if (config.join_reader)
    reader.join();
  else
    reader.detach();  // it may be blocked in read() after `exit`; the process ends with it
  return server.exit_code();
}

}  // namespace archscan::lsp
