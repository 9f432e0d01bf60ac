// HW001: a hardware-dependent value reaches the model. Timing (`time.perf_counter`, CUDA event
// timing), device identity (`torch.cuda.get_device_name/properties/capability`, `platform`, MAC
// address, host name, `/proc/cpuinfo`), floating-point behaviour probes (a computation on literal
// constants at half precision, the TF32 / reduced-precision settings) and keys derived from them
// (hashes, seeded generators and the permutations they draw) are followed through each function
// and across calls, module attributes and module-level globals. Logging such a value is fine; the
// finding is the place where it meets model data (a tensor op on the input or the weights), steers
// a branch that selects the model's computation, or becomes a weight.
#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_set>

#include "analysis/analyses.h"
#include "analysis/values.h"
#include "ir/ops.h"
#include "rules/hw_util.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

using hw::last_component;

enum SourceKind : uint8_t { kTiming = 1, kDevice = 2, kFloat = 4, kKey = 8 };

std::string kinds_text(uint8_t k) {
  std::vector<std::string> v;
  if (k & kTiming) v.push_back("timing");
  if (k & kDevice) v.push_back("device identity");
  if (k & kFloat) v.push_back("floating-point behaviour");
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? (i + 1 == v.size() ? " and " : ", ") : "") + v[i];
  if (s.empty()) s = "a hardware property";
  return ((k & kKey) ? "a key derived from " : "a value derived from ") + s;
}

// A persistent list of trace steps: each entry points at the step it came from.
struct TraceArena {
  struct Entry {
    TraceStep step;
    int parent = -1;
    std::string text;   // sources: the source expression
    uint8_t kinds = 0;  // sources: what kind of hardware value
  };
  std::vector<Entry> entries;

  int add(const ir::Program& p, const ir::Loc& loc, const char* role, std::string note, int parent) {
    entries.push_back({step(p, loc, role, std::move(note)), parent, {}, 0});
    return static_cast<int>(entries.size() - 1);
  }

  uint8_t kinds(int idx) const {
    uint8_t k = 0;
    for (int g = 0; idx >= 0 && g < 64; idx = entries[static_cast<size_t>(idx)].parent, ++g)
      k |= entries[static_cast<size_t>(idx)].kinds;
    return k;
  }

  std::vector<TraceStep> steps(int idx) const {
    std::vector<TraceStep> rev;
    std::set<int> seen;
    for (int i = idx; i >= 0 && !seen.count(i) && rev.size() < 64; i = entries[static_cast<size_t>(i)].parent) {
      seen.insert(i);
      rev.push_back(entries[static_cast<size_t>(i)].step);
    }
    std::vector<TraceStep> out;
    for (auto it = rev.rbegin(); it != rev.rend(); ++it) {
      if (!out.empty() && out.back().path == it->path && out.back().line == it->line && out.back().role == it->role)
        continue;
      out.push_back(*it);
    }
    if (out.size() > 16) {
      std::vector<TraceStep> cut(out.begin(), out.begin() + 4);
      cut.insert(cut.end(), out.end() - 12, out.end());
      out = std::move(cut);
    }
    return out;
  }
};

struct Fact {
  bool t = false;         // hardware-derived
  bool m = false;         // model data: derived from the model's inputs or weights
  bool k = false;         // built from literals only
  bool half = false;      // a half / bfloat16 tensor of literals
  bool computed = false;  // ... already computed on (its rounding is the platform's)
  uint8_t kinds = 0;
  int trace = -1;

  void join(const Fact& o) {
    if (o.t && !t) trace = o.trace;
    t |= o.t;
    m |= o.m;
    half |= o.half;
    computed |= o.computed;
    kinds |= o.kinds;
  }
  bool operator==(const Fact& o) const {
    return t == o.t && m == o.m && k == o.k && half == o.half && computed == o.computed && kinds == o.kinds;
  }
};

struct Summary {
  Fact ret;
  int rng_trace = -1;  // the function seeds the global RNG with a hardware-derived value
  std::vector<Fact> facts;
  bool done = false;
};

// ---- source and op classification --------------------------------------------------------------

uint8_t source_call(std::string_view name) {
  static const std::unordered_set<std::string_view> timing = {"time.time",
                                                              "time.perf_counter",
                                                              "time.monotonic",
                                                              "time.process_time",
                                                              "time.thread_time",
                                                              "time.time_ns",
                                                              "time.perf_counter_ns",
                                                              "time.monotonic_ns",
                                                              "time.process_time_ns",
                                                              "time.thread_time_ns",
                                                              "time.clock",
                                                              "time.clock_gettime",
                                                              "time.clock_gettime_ns",
                                                              "timeit.default_timer",
                                                              "datetime.datetime.now",
                                                              "datetime.datetime.utcnow",
                                                              "datetime.datetime.today",
                                                              "datetime.date.today",
                                                              "torch.cuda.Event.elapsed_time"};
  static const std::unordered_set<std::string_view> device = {"torch.cuda.get_device_name",
                                                              "torch.cuda.get_device_properties",
                                                              "torch.cuda.get_device_capability",
                                                              "torch.cuda.mem_get_info",
                                                              "torch.cuda.get_arch_list",
                                                              "torch.cuda.utilization",
                                                              "torch.cuda.clock_rate",
                                                              "torch.cuda.temperature",
                                                              "torch.cuda.power_draw",
                                                              "torch.backends.cudnn.version",
                                                              "torch.backends.mps.is_available",
                                                              "torch.xpu.get_device_name",
                                                              "torch.xpu.get_device_properties",
                                                              "uuid.getnode",
                                                              "uuid.uuid1",
                                                              "socket.gethostname",
                                                              "socket.getfqdn",
                                                              "socket.gethostbyname",
                                                              "os.uname",
                                                              "os.cpu_count",
                                                              "multiprocessing.cpu_count",
                                                              "cpuinfo.get_cpu_info",
                                                              "GPUtil.getGPUs",
                                                              "subprocess.check_output",
                                                              "subprocess.getoutput",
                                                              "os.popen",
                                                              "os.sched_getaffinity"};
  static const std::unordered_set<std::string_view> fp = {"torch.get_float32_matmul_precision",
                                                          "torch.backends.cuda.preferred_blas_library"};
  if (fp.count(name)) return kFloat;
  if (timing.count(name)) return kTiming;
  if (device.count(name)) return kDevice;
  if (name.starts_with("platform.") || name.starts_with("psutil.") || name.starts_with("pynvml.") ||
      name.starts_with("nvidia_smi."))
    return kDevice;
  return 0;
}

bool fp_flag_name(std::string_view attr) {
  return attr == "allow_tf32" || attr == "allow_fp16_reduced_precision_reduction" ||
         attr == "allow_bf16_reduced_precision_reduction";
}

// A global (or attribute chain on one) that reads a hardware property.
uint8_t source_global(std::string_view path) {
  if (path.starts_with("torch.backends.") && fp_flag_name(last_component(path))) return kFloat;
  if (path == "sys.platform" || path == "os.name") return 0;  // platform family, not an identity
  return 0;
}

bool is_half_dtype(std::string_view path) {
  return path == "torch.float16" || path == "torch.half" || path == "torch.bfloat16" || path == "numpy.float16" ||
         path == "float16" || path == "bfloat16";
}

// Calls whose result is None / only a side effect on a log: values reaching them stay there.
bool is_logging_call(const ir::Node& n) {
  if (n.op != "call" && n.op != "print") return false;
  std::string_view name = n.name;
  if (name == "print" || name == "builtins.print" || name.starts_with("logging.") || name.starts_with("warnings.") ||
      name.starts_with("tqdm."))
    return true;
  static const std::unordered_set<std::string_view> log_methods = {"debug",     "info",     "warning", "warn", "error",
                                                                   "exception", "critical", "log",     "write"};
  if (name.starts_with("torch.")) return false;
  return name.find('.') != std::string_view::npos && log_methods.count(last_component(name));
}

bool is_string_op(const ir::Node& n) {
  if (n.op == "const" && !n.args.empty()) return true;  // f-string
  std::string_view name = n.op == "call" ? std::string_view(n.name) : std::string_view(n.op);
  return name == "str" || name == "repr" || name == "format" || name == "join" || name == "encode" ||
         name == "decode" || name == "hexdigest" || name == "lower" || name == "upper" || name == "strip";
}

// Ops that read a tensor's metadata, not its data.
bool is_metadata(std::string_view op) { return ir::is_metadata_op(op); }

bool is_global_seed(const ir::Node& n) {
  static const std::unordered_set<std::string_view> s = {"torch.manual_seed",
                                                         "torch.cuda.manual_seed",
                                                         "torch.cuda.manual_seed_all",
                                                         "torch.random.manual_seed",
                                                         "torch.seed",
                                                         "random.seed",
                                                         "numpy.random.seed",
                                                         "torch.set_rng_state",
                                                         "torch.cuda.set_rng_state"};
  return s.count(n.name) != 0;
}

bool is_random_op(const ir::Node& n) {
  static const std::unordered_set<std::string_view> ops = {
      "randperm", "rand",      "randn",       "randint",   "rand_like", "randn_like",  "randint_like",
      "normal",   "bernoulli", "multinomial", "uniform",   "shuffle",   "permutation", "choice",
      "sample",   "random",    "exponential", "geometric", "cauchy",    "log_normal",  "poisson"};
  if (n.name.starts_with("random.") || n.name.starts_with("numpy.random.")) return true;
  return ops.count(n.op) != 0 || ops.count(last_component(n.name)) != 0;
}

bool is_numeric_op(std::string_view op) {
  return ir::is_elementwise_math(op) || ir::is_reduction(op) || ir::is_comparison(op) || op == "matmul" ||
         op == "cumsum" || op == "cumprod" || op == "dot" || op == "einsum" || op == "softmax" || op == "exp" ||
         op == "linear" || op == "conv1d" || op == "conv2d";
}

bool no_meeting(const ir::Node& n) {
  static const std::unordered_set<std::string_view> s = {
      "param", "attr", "global", "const", "phi", "branch", "return", "yield", "tuple", "list", "dict", "set", "slice",
      "comprehension", "iter_item", "setattr", "def", "lambda", "class", "free", "starred",
      // Python logic: decides, does not compute on tensors (a branch on it is checked separately).
      "and", "or", "not", "in", "not_in", "is", "is_not"};
  return s.count(n.op) != 0;
}

// ---- the analysis --------------------------------------------------------------------------------

class HwAnalysis {
 public:
  HwAnalysis(const ir::Program& p, const Analyses& a, const RuleInfo& info) : p_(p), a_(a), info_(info) {}

  std::vector<Finding> run() {
    for (int pass = 0; pass < 5; ++pass) {
      size_t before = tattrs_.size() + tglobals_.size();
      memo_.clear();
      analyse_all();
      if (tattrs_.size() + tglobals_.size() == before) break;
    }
    memo_.clear();
    report_ = true;
    analyse_all();
    return std::move(findings_);
  }

 private:
  const ir::Program& p_;
  const Analyses& a_;
  const RuleInfo& info_;
  TraceArena arena_;
  std::map<std::pair<int32_t, std::string>, Summary> memo_;
  std::set<std::pair<int32_t, std::string>> active_;
  std::map<std::pair<int32_t, std::string>, int> tattrs_;  // (module, attribute) -> trace
  std::map<std::string, int> tglobals_;                    // dotted module-level name -> trace
  bool report_ = false;
  std::set<std::pair<int32_t, int32_t>> reported_;
  std::set<std::pair<int32_t, int32_t>> reported_lines_;
  std::vector<Finding> findings_;

  void analyse_all() {
    // Module-level code first: globals bound to hardware values.
    for (const auto& file : p_.files)
      if (file.module_function >= 0) module_globals(file);
    for (const auto& f : p_.functions)
      if (a_.in_model_code(f)) analyse(f.id, default_context(f), 0);
  }

  std::vector<Fact> default_context(const ir::Function& f) const {
    std::vector<Fact> ctx(f.param_nodes.size());
    int32_t owner = f.owner_module;
    bool is_method =
        owner >= 0 && std::find(f.decorators.begin(), f.decorators.end(), "staticmethod") == f.decorators.end();
    bool nn = owner >= 0 && p_.mod(owner).is_nn_module;
    for (size_t i = 0; i < ctx.size(); ++i) {
      if (i == 0 && is_method) continue;  // self / cls
      if (nn) ctx[i].m = true;
    }
    return ctx;
  }

  // A summary depends on every fact of its context but the trace (which only words messages): keyed on
  // all of them, a helper first seen with plain literals is analysed again when handed half-precision ones.
  static std::string key_of(const std::vector<Fact>& ctx) {
    std::string k;
    k.reserve(ctx.size() * 2);
    for (const auto& c : ctx) {
      k += static_cast<char>(c.t | c.m << 1 | c.k << 2 | c.half << 3 | c.computed << 4);
      k += static_cast<char>(c.kinds);
    }
    return k;
  }

  // `NAME = <expr>` at the top level of a file: whether <expr> is hardware-derived.
  void module_globals(const ir::SourceFile& file) {
    const ir::Function& mf = p_.fn(file.module_function);
    const Summary& s = analyse(mf.id, std::vector<Fact>(mf.param_nodes.size()), 0);
    if (s.facts.empty()) return;
    for (const auto& [name, id] : file.globals) {
      if (id < 0 || static_cast<size_t>(id) >= s.facts.size() || !s.facts[static_cast<size_t>(id)].t) continue;
      std::string dotted = file.module_name + "." + name;
      if (!tglobals_.count(dotted))
        tglobals_[dotted] = arena_.add(p_, mf.node(id).loc, "propagation", "module-level `" + name + "` holds it",
                                       s.facts[static_cast<size_t>(id)].trace);
    }
  }

  int32_t find_tattr(int32_t mod, const std::string& name) const {
    for (int32_t c : ir::mro(p_, mod))
      if (auto it = tattrs_.find({c, name}); it != tattrs_.end()) return it->second;
    return -1;
  }

  int32_t owner_of(const ir::Function& f) const { return a_.owner_module(f); }

  void report(const ir::Function& f, const ir::Node& n, const Fact& via, std::string what, Severity sev,
              std::vector<TraceStep> extra = {}) {
    if (!report_ || !a_.in_model_code(f)) return;
    if (!reported_.insert({f.id, n.id}).second) return;
    if (!reported_lines_.insert({n.loc.file, n.loc.line}).second) return;
    std::vector<TraceStep> trace = arena_.steps(via.trace);
    std::string src;
    for (int i = via.trace, g = 0; i >= 0 && g < 64; i = arena_.entries[static_cast<size_t>(i)].parent, ++g)
      if (!arena_.entries[static_cast<size_t>(i)].text.empty())
        src = " (`" + arena_.entries[static_cast<size_t>(i)].text + "`)";
    Finding fd = finding_at(info_, p_, n.loc,
                            fmt::format("{}{} reaches {} in model code ({}): the model's behaviour depends on the "
                                        "machine it runs on",
                                        kinds_text(via.kinds), src, what, f.qualname),
                            f.qualname);
    fd.severity = sev;
    int32_t owner = owner_of(f);
    if (owner >= 0) fd.module = p_.mod(owner).name;
    fd.trace = std::move(trace);
    for (auto& s : extra) fd.trace.push_back(std::move(s));
    fd.trace.push_back(step(p_, n.loc, "sink", what));
    findings_.push_back(std::move(fd));
  }

  const Summary& analyse(int32_t fid, const std::vector<Fact>& ctx, int depth) {
    auto key = std::make_pair(fid, key_of(ctx));
    auto it = memo_.find(key);
    if (it != memo_.end() && it->second.done) return it->second;
    static const Summary empty;
    if (active_.count(key) || depth > 12) return empty;
    active_.insert(key);
    Summary s = compute(p_.fn(fid), ctx, depth);
    s.done = true;
    active_.erase(key);
    auto& slot = memo_[key];
    slot = std::move(s);
    return slot;
  }

  Fact call_result(const ir::Function& f, const ir::Node& n, const std::vector<Fact>& F, int32_t callee,
                   size_t first_arg, bool self_first, int depth, int* rng_trace) {
    const ir::Function& g = p_.fn(callee);
    std::vector<Fact> ctx(g.param_nodes.size());
    size_t pi = self_first ? 1 : 0;
    for (size_t i = first_arg; i < n.args.size() && pi < ctx.size(); ++i, ++pi)
      if (n.args[i] >= 0) ctx[pi] = F[static_cast<size_t>(n.args[i])];
    for (const auto& [k, v] : n.kwargs) {
      if (v < 0) continue;
      for (size_t j = 0; j < g.params.size() && j < ctx.size(); ++j)
        if (g.params[j] == k) ctx[j] = F[static_cast<size_t>(v)];
    }
    const Summary& s = analyse(callee, ctx, depth + 1);
    Fact r = s.ret;
    if (r.t) r.trace = arena_.add(p_, n.loc, "propagation", fmt::format("`{}` returns it", g.qualname), s.ret.trace);
    if (s.rng_trace >= 0 && rng_trace)
      *rng_trace = arena_.add(p_, n.loc, "propagation", fmt::format("`{}` seeds the global RNG with it", g.qualname),
                              s.rng_trace);
    (void)f;
    return r;
  }

  // One function in one context.
  Summary compute(const ir::Function& f, const std::vector<Fact>& ctx, int depth) {
    Summary s;
    const size_t N = f.nodes.size();
    std::vector<Fact> F(N);
    int32_t owner = owner_of(f);
    bool top_level = f.name == "<module>" || f.name == "<class>";
    for (int pass = 0; pass < 3; ++pass) {
      bool last = false;
      std::vector<Fact> before = F;
      s.ret = Fact{};
      int rng = -1;
      std::vector<std::pair<ir::NodeId, ir::NodeId>> tbranches;  // active tainted branch regions
      for (const auto& n : f.nodes) {
        while (!tbranches.empty() && n.id >= tbranches.back().second) tbranches.pop_back();
        Fact r = eval(f, n, F, ctx, owner, depth, &rng);
        // Control dependence for setattr / return under a hardware-dependent branch.
        int ctl = -1;
        for (auto& [b, e] : tbranches)
          if (n.id < e) ctl = b;
        if (n.op == "branch" && r.t) tbranches.push_back({n.id, hw::branch_region(f, n.id).second});
        if (n.op == "return" || n.op == "yield") {
          Fact v = n.args.empty() || n.args[0] < 0 ? Fact{} : F[static_cast<size_t>(n.args[0])];
          if (ctl >= 0 && !v.t) {
            const Fact& c = F[static_cast<size_t>(ctl)];
            v.t = true;
            v.kinds |= c.kinds;
            v.trace =
                arena_.add(p_, f.node(ctl).loc, "propagation", "the branch on it selects what is returned", c.trace);
          }
          s.ret.join(v);
        }
        if (n.op == "setattr" || (n.op == "call" && n.name == "setattr") || n.op == "register_buffer" ||
            n.op == "register_parameter")
          on_setattr(f, n, F, ctl, owner, top_level);
        if (n.op == "set_float32_matmul_precision" || n.name == "torch.set_float32_matmul_precision")
          on_precision_call(f, n, top_level);
        F[static_cast<size_t>(n.id)] = r;
      }
      s.rng_trace = rng;
      last = F == before;
      if (last) break;
    }
    // Sinks.
    if (report_ && !top_level) find_sinks(f, F);
    s.facts = std::move(F);
    return s;
  }

  void on_setattr(const ir::Function& f, const ir::Node& n, const std::vector<Fact>& F, int ctl, int32_t owner,
                  bool top_level) {
    ir::NodeId obj = ir::kNoNode, val = ir::kNoNode;
    std::string name;
    if (n.op == "setattr" && n.args.size() == 2) {
      obj = n.args[0];
      val = n.args[1];
      name = n.name;
    } else if (n.args.size() == 3) {  // setattr(obj, "name", v) / self.register_buffer("name", v)
      std::string s;
      if (n.args[1] < 0 || !hw::string_const(f.node(n.args[1]), &s)) return;
      obj = n.args[0];
      val = n.args[2];
      name = s;
    } else {
      return;
    }
    // Toggling the TF32 / reduced-precision settings from model code.
    if (obj < 0) return;
    std::string gp = hw::global_path(f, obj);
    if (gp.starts_with("torch.backends.") && fp_flag_name(name)) {
      if (report_ && a_.in_model_code(f) && !top_level && reported_.insert({f.id, n.id}).second) {
        Finding fd = finding_at(info_, p_, n.loc,
                                fmt::format("model code sets `{}.{}`: results then depend on whether the GPU "
                                            "rounds matmuls to TF32 / reduced precision ({})",
                                            gp, name, f.qualname),
                                f.qualname);
        fd.severity = Severity::Warning;
        fd.trace.push_back(step(p_, n.loc, "sink", "floating-point behaviour toggled inside model code"));
        findings_.push_back(std::move(fd));
      }
      return;
    }
    if (!hw::is_self_param(f, obj) || owner < 0) return;
    if (val < 0) return;
    Fact v = F[static_cast<size_t>(val)];
    if (!v.t && ctl >= 0) {
      v = F[static_cast<size_t>(ctl)];
      v.trace =
          arena_.add(p_, f.node(ctl).loc, "propagation", "the branch on it selects the attribute's value", v.trace);
    }
    if (!v.t) return;
    if (!tattrs_.count({owner, name}))
      tattrs_[{owner, name}] = arena_.add(p_, n.loc, "propagation", "stored in `self." + name + "`", v.trace);
    const ir::Attr* a = ir::module_attr(p_, owner, name);
    if (a &&
        (a->kind == ir::AttrKind::Parameter || a->kind == ir::AttrKind::Buffer || a->kind == ir::AttrKind::PlainTensor))
      report(f, n, v, fmt::format("the weight `self.{}`", name), Severity::Error);
  }

  void on_precision_call(const ir::Function& f, const ir::Node& n, bool top_level) {
    if (!report_ || !a_.in_model_code(f) || top_level || !reported_.insert({f.id, n.id}).second) return;
    Finding fd = finding_at(info_, p_, n.loc,
                            fmt::format("model code calls `{}`: results then depend on whether the GPU rounds "
                                        "matmuls to TF32 / reduced precision ({})",
                                        n.name, f.qualname),
                            f.qualname);
    fd.severity = Severity::Warning;
    fd.trace.push_back(step(p_, n.loc, "sink", "floating-point behaviour toggled inside model code"));
    findings_.push_back(std::move(fd));
  }

  void find_sinks(const ir::Function& f, const std::vector<Fact>& F) {
    auto fact = [&](ir::NodeId id) -> const Fact& { return F[static_cast<size_t>(id)]; };
    for (const auto& n : f.nodes) {
      const Fact& r = fact(n.id);
      if (n.op == "branch") {
        if (!r.t) continue;
        std::string what = controlled_model_data(f, n, F);
        if (!what.empty()) report(f, n, r, what, Severity::Error);
        continue;
      }
      if (!r.t || !r.m || no_meeting(n) || is_logging_call(n)) continue;
      if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0) continue;  // reported inside
      if (n.op == "module_call" && n.target_module >= 0) continue;
      bool operand_both = false, operand_t = false;
      for (ir::NodeId a : hw::operands(n)) {
        const Fact& o = fact(a);
        if (o.t && o.m) operand_both = true;
        if (o.t) operand_t = true;
      }
      if (operand_both || !operand_t) continue;
      const Fact* via = nullptr;
      for (ir::NodeId a : hw::operands(n))
        if (fact(a).t) {
          via = &fact(a);
          break;
        }
      report(f, n, *via, fmt::format("a tensor operation on model data (`{}`)", source_text(p_, n.loc)),
             Severity::Error);
    }
  }

  // What model data a hardware-dependent branch selects ("" when it only guards logging).
  std::string controlled_model_data(const ir::Function& f, const ir::Node& b, const std::vector<Fact>& F) {
    for (const auto& n : f.nodes) {
      if (n.op != "phi") continue;
      ir::NodeId c = hw::kwarg(n, "cond");
      if (c != b.id) continue;
      for (ir::NodeId a : n.args)
        if (a >= 0 && F[static_cast<size_t>(a)].m)
          return fmt::format("a branch that selects model data (`{}`)", n.name);
    }
    auto [s, e] = hw::branch_region(f, b.id);
    for (ir::NodeId i = s; i < e; ++i) {
      const ir::Node& n = f.node(i);
      if ((n.op == "return" || n.op == "yield") && !n.args.empty() && n.args[0] >= 0 &&
          F[static_cast<size_t>(n.args[0])].m)
        return "a branch that selects the returned model output";
      if ((n.has(ir::kInPlace) || n.op == "setitem") && !n.args.empty() && n.args[0] >= 0 &&
          F[static_cast<size_t>(n.args[0])].m)
        return "a branch that edits model data in place";
    }
    return {};
  }

  // The dotted callee of `m = platform; m.node()` (a method on a module value) or of
  // `getattr(time, "perf_counter")()`; empty when neither.
  static std::string aliased_callee(const ir::Function& f, const ir::Node& n) {
    if (n.args.empty() || n.args[0] < 0) return {};
    const ir::Node& recv = f.node(n.args[0]);
    if (n.op == "call_value" && recv.op == "call" && recv.name == "getattr" && recv.args.size() >= 2) {
      std::string attr;
      std::string base = hw::global_path(f, recv.args[0]);
      if (!base.empty() && hw::string_const(f.node(recv.args[1]), &attr)) return base + "." + attr;
      return {};
    }
    if (n.op == "call" || n.op == "call_value") return {};
    std::string base = hw::global_path(f, n.args[0]);
    if (base.empty()) return {};
    return base + "." + std::string(hw::last_component(n.name.empty() ? n.op : n.name));
  }

  Fact eval(const ir::Function& f, const ir::Node& n, const std::vector<Fact>& F, const std::vector<Fact>& ctx,
            int32_t owner, int depth, int* rng) {
    auto fact = [&](ir::NodeId id) -> Fact { return id >= 0 ? F[static_cast<size_t>(id)] : Fact{}; };
    auto source = [&](uint8_t kind, std::string note) {
      Fact r;
      r.t = true;
      r.kinds = kind;
      r.trace = arena_.add(p_, n.loc, "source", std::move(note), -1);
      arena_.entries[static_cast<size_t>(r.trace)].text = source_text(p_, n.loc);
      arena_.entries[static_cast<size_t>(r.trace)].kinds = kind;
      return r;
    };
    std::vector<ir::NodeId> ops = hw::operands(n);
    Fact r;
    bool all_k = !ops.empty();
    for (ir::NodeId a : ops) {
      Fact o = fact(a);
      r.join(o);
      all_k &= o.k;
    }

    if (n.op == "param") {
      size_t pos = n.num ? static_cast<size_t>(*n.num) : 0;
      Fact p = pos < ctx.size() ? ctx[pos] : Fact{};
      if (p.t) p.trace = arena_.add(p_, n.loc, "propagation", fmt::format("passed in as `{}`", n.name), p.trace);
      return p;
    }
    if (n.op == "const") {
      Fact c;
      if (!n.args.empty()) {  // f-string: text, never model data
        c = r;
        c.m = false;
        c.k = false;
        return c;
      }
      c.k = true;
      return c;
    }
    if (n.op == "global") {
      Fact g;
      g.k = true;
      if (is_half_dtype(n.name)) g.half = true;
      if (auto it = tglobals_.find(n.name); it != tglobals_.end()) {
        g.t = true;
        g.kinds = arena_.kinds(it->second);
        g.trace = it->second;
        g.k = false;
      }
      if (uint8_t k = source_global(n.name)) return source(k, source_text(p_, n.loc));
      return g;
    }
    if (n.op == "attr") {
      std::string gp = hw::global_path(f, n.id);
      if (!gp.empty()) {
        if (uint8_t k = source_global(gp)) return source(k, source_text(p_, n.loc));
        Fact g;
        g.k = true;
        g.half = is_half_dtype(gp);
        return g;
      }
      ir::NodeId base = n.args.empty() ? ir::kNoNode : n.args[0];
      if (base >= 0 && hw::is_self_param(f, base) && owner >= 0) {
        Fact a;
        const ir::Attr* at = ir::module_attr(p_, owner, n.name);
        if (at && (at->kind == ir::AttrKind::Parameter || at->kind == ir::AttrKind::Buffer ||
                   at->kind == ir::AttrKind::PlainTensor || at->kind == ir::AttrKind::Layer ||
                   at->kind == ir::AttrKind::Container || at->kind == ir::AttrKind::Submodule))
          a.m = true;
        if (int32_t t = find_tattr(owner, n.name); t >= 0) {
          a.t = true;
          a.kinds = arena_.kinds(t);
          a.trace = arena_.add(p_, n.loc, "propagation", "read back from `self." + n.name + "`", t);
        }
        return a;
      }
      Fact a = fact(base);
      a.k = fact(base).k;
      if (is_metadata(n.name) || n.name.starts_with("__")) a.m = false;
      if (n.name == "weight" || n.name == "bias") a.m = true;
      return a;
    }
    if (n.op == "phi") {
      Fact p;
      for (ir::NodeId a : n.args) p.join(fact(a));
      ir::NodeId c = hw::kwarg(n, "cond");
      if (c >= 0 && fact(c).t && !p.t) {
        p.t = true;
        p.kinds |= fact(c).kinds;
        p.trace =
            arena_.add(p_, f.node(c).loc, "propagation", "the branch on it selects `" + n.name + "`", fact(c).trace);
      } else if (c >= 0) {
        p.kinds |= fact(c).kinds;
      }
      return p;
    }
    if (n.op == "branch") return n.args.empty() ? Fact{} : fact(n.args[0]);
    if (n.op == "setattr") return Fact{};
    if (is_logging_call(n)) return Fact{};

    // Calls into the tree.
    if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0) {
      const ir::Function& g = p_.fn(n.target_function);
      size_t first = n.op == "call_value" ? 1 : 0;
      bool self_first = false;
      if (g.owner_module >= 0 && !g.param_nodes.empty()) {
        bool sm = std::find(g.decorators.begin(), g.decorators.end(), "staticmethod") != g.decorators.end();
        bool receiver_passed = n.name.starts_with("self.") || n.name.starts_with("cls.") ||
                               (n.args.size() > first && hw::is_self_param(f, n.args[first]));
        self_first = !sm && !receiver_passed;
      }
      return call_result(f, n, F, n.target_function, first, self_first, depth, rng);
    }
    if (n.op == "call" && n.target_module >= 0) {
      Fact c = r;
      c.m = true;
      c.k = false;
      return c;
    }
    if (n.op == "module_call" && n.target_module >= 0) {
      int32_t fwd = ir::find_method(p_, n.target_module, "forward");
      Fact c = r;
      if (fwd >= 0) {
        c = call_result(f, n, F, fwd, 0, true, depth, rng);
      }
      c.m = true;
      c.k = false;
      return c;
    }

    // `GLOBAL.method(...)`: the receiver is folded into the callee's dotted name.
    if (n.op == "call" && n.target_function < 0 && !r.t) {
      std::string_view name = n.name;
      for (size_t dot = name.rfind('.'); dot != std::string_view::npos && dot > 0; dot = name.rfind('.', dot - 1)) {
        auto it = tglobals_.find(std::string(name.substr(0, dot)));
        if (it != tglobals_.end()) {
          r.t = true;
          r.kinds |= arena_.kinds(it->second);
          r.trace = arena_.add(p_, n.loc, "propagation", "read from the module-level value", it->second);
          break;
        }
      }
    }
    if (r.t && (n.name.starts_with("hashlib.") || n.name.starts_with("hmac.") || n.name.starts_with("zlib.crc32") ||
                n.name == "hash"))
      r.kinds |= kKey;

    // Sources.
    if (uint8_t k = source_call(n.name)) return source(k, source_text(p_, n.loc));
    if (uint8_t k = source_call(aliased_callee(f, n))) return source(k, source_text(p_, n.loc));
    if (n.op == "elapsed_time") return source(kTiming, source_text(p_, n.loc));
    if (n.op == "call" &&
        (n.name == "open" || n.name == "io.open" || n.name == "pathlib.Path" || n.name == "builtins.open") &&
        !n.args.empty()) {
      std::string path;
      if (n.args[0] >= 0 && hw::string_const(f.node(n.args[0]), &path) &&
          (path.starts_with("/proc/") || path.starts_with("/sys/") || path.starts_with("/dev/")))
        return source(kDevice, source_text(p_, n.loc));
    }
    if (is_global_seed(n)) {
      if (r.t) *rng = arena_.add(p_, n.loc, "propagation", "seeds the global RNG with it", r.trace);
      return Fact{};
    }
    if (*rng >= 0 && is_random_op(n) && !r.t) {
      Fact x = r;
      x.t = true;
      x.kinds |= kKey | arena_.kinds(*rng);
      x.trace = arena_.add(p_, n.loc, "propagation", "drawn from the RNG seeded with it", *rng);
      x.k = false;
      return x;
    }
    if (n.op == "manual_seed" || n.op == "seed") {
      // generator.manual_seed(key): the generator carries the key.
      if (r.t) {
        r.kinds |= kKey;
        r.trace = arena_.add(p_, n.loc, "propagation", "seeds a generator with it", r.trace);
      }
      return r;
    }

    // Floating-point probes: literal tensors at half precision, computed on.
    if (ir::is_tensor_factory(n.op) && all_k) {
      ir::NodeId dt = hw::kwarg(n, "dtype");
      Fact x;
      x.k = true;
      x.half = dt >= 0 && fact(dt).half;
      return x;
    }
    if ((n.op == "half" || n.op == "bfloat16") && all_k) {
      Fact x;
      x.k = true;
      x.half = true;
      return x;
    }
    if ((n.op == "to" || n.op == "type") && all_k) {
      Fact x;
      x.k = true;
      x.half = r.half;
      return x;
    }
    // An accumulation (sum, matmul) of half-precision literals, or an equality / ordering test of a
    // computation on them: the answer depends on how the hardware rounds and accumulates.
    if (all_k && r.half && !r.t) {
      bool accumulates = ir::is_reduction(n.op) || n.op == "matmul" || n.op == "dot" || n.op == "cumsum" ||
                         n.op == "cumprod" || n.op == "einsum" || n.op == "linear" || n.op == "mv";
      bool compares = (ir::is_comparison(n.op) || n.op == "equal") && r.computed;
      if (accumulates) return source(kFloat, "floating-point probe: accumulates literal constants at half precision");
      if (compares)
        return source(kFloat, "floating-point probe: compares a half-precision computation on literal constants");
      if (is_numeric_op(n.op)) {
        Fact x;
        x.k = x.half = x.computed = true;
        return x;
      }
    }

    // Everything else: data flow.
    r.k = all_k;
    if (n.has(ir::kLearned)) r.m = true;
    if (is_metadata(n.op) || is_string_op(n) || (n.op == "call" && is_metadata(n.name))) r.m = false;
    // Factories take sizes, not data (`torch.randperm(n)`, `zeros_like(x)`); `torch.tensor(v)` and
    // `full(size, v)` copy a value.
    static const std::unordered_set<std::string_view> more_factories = {
        "randperm",  "randint_like", "empty_strided", "new_zeros", "new_ones",
        "new_empty", "new_full",     "normal",        "bernoulli", "multinomial"};
    if ((ir::is_tensor_factory(n.op) || more_factories.count(n.op)) && n.op != "tensor" && n.op != "as_tensor" &&
        n.op != "from_numpy" && n.op != "frombuffer" && n.op != "Tensor" && n.op != "FloatTensor" &&
        n.op != "LongTensor" && n.op != "BoolTensor" && n.op != "tril" && n.op != "triu") {
      r.m = false;
      if (n.op == "full" || n.op == "full_like")
        for (ir::NodeId a : {values::operand(n, 1, "fill_value")})
          if (a >= 0) r.m = fact(a).m;
    }
    if (n.op == "call" && (n.name == "len" || n.name == "isinstance" || n.name == "type" || n.name == "id" ||
                           n.name == "hasattr" || n.name == "getattr"))
      r.m = false;
    return r;
  }
};

class HardwareValue : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"HW001", "hardware-value-reaches-model", "hardware", Severity::Error,
                            "timing, device identity, floating-point probes or keys derived from them reach "
                            "tensors, weights or branches of the model"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    HwAnalysis a(ctx.program, ctx.analyses, info());
    for (auto& f : a.run()) ctx.report(std::move(f));
  }
};

ARCHSCAN_REGISTER_RULE(HardwareValue);

}  // namespace
}  // namespace archscan::rules
