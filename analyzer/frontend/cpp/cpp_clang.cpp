// Semantic lowering of C++ through Clang LibTooling. This is the only translation unit that includes
// Clang headers (each costs ~11 s and ~1 GB to compile).
//
// One ClangTool run per file: flags from compile_commands.json, `--` arguments or defaults that
// find the LibTorch headers; "file not found" made non-fatal; a precompiled header of
// <torch/torch.h> built once per flag set and cached; only the main file's declarations walked.
#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/Stmt.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/DiagnosticLex.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Lex/Lexer.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/xxhash.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include <unistd.h>

#include <fmt/format.h>

#include "frontend/cpp/cpp_flags.h"
#include "frontend/cpp/cpp_lower.h"

namespace archscan::frontend::cpp {

namespace fs = std::filesystem;
using namespace clang;

namespace {

// ---------------------------------------------------------------------------------------------
// The AST walker

class Walker {
 public:
  Walker(FileCtx& fc, ASTContext& ctx) : fc_(fc), ctx_(ctx), sm_(ctx.getSourceManager()), lo_(ctx.getLangOpts()) {
    policy_ = std::make_unique<PrintingPolicy>(lo_);
    policy_->SuppressTagKeyword = true;
    policy_->FullyQualifiedName = true;
    policy_->SuppressScope = false;
  }

  int invalid_functions = 0;
  std::vector<std::pair<int32_t, int32_t>> body_lines;  // line ranges of the lowered functions

  void run(TranslationUnitDecl* tu) {
    declare_ctx(tu, "");
    for (auto& j : jobs_) {
      const bool method = j.owner && j.owner->module_id >= 0;
      // A synthetic __init__ (default member initializers, no constructor) has no declaration.
      ir::Loc at = j.fd ? loc(j.fd->getSourceRange()) : j.owner ? j.owner->loc : ir::Loc{};
      j.fn_id = fc_.new_function(j.name, j.qual, method ? j.owner->module_id : -1, -1, at, !j.owner);
      if (!j.fd) continue;
      fn_ids_[j.fd->getCanonicalDecl()] = j.fn_id;
      if (!j.owner && !j.fd->isCXXClassMember()) fc_.functions.emplace(j.fd->getNameAsString(), j.fn_id);
    }
    for (auto& j : jobs_) {
      if (j.fd) {
        ir::Loc l = loc(j.fd->getSourceRange());
        body_lines.emplace_back(l.line, l.end_line);
      }
      lower_job(j);
    }
    fc_.finish();
  }

 private:
  struct Job {
    const FunctionDecl* fd = nullptr;  // nullptr: synthetic __init__ (default member initializers)
    const CXXRecordDecl* rd = nullptr;
    std::string name, qual;
    ClassInfo* owner = nullptr;
    bool ctor = false;
    int32_t fn_id = -1;
  };

  // --- locations and spelling ---------------------------------------------------------------

  ir::Loc loc(SourceRange r) const {
    SourceLocation b = sm_.getExpansionLoc(r.getBegin());
    SourceLocation e = sm_.getExpansionLoc(r.getEnd());
    if (b.isInvalid()) return {};
    e = Lexer::getLocForEndOfToken(e, 0, sm_, lo_);
    ir::Loc l;
    l.file = 0;
    l.line = static_cast<int32_t>(sm_.getExpansionLineNumber(b));
    l.col = static_cast<int32_t>(sm_.getExpansionColumnNumber(b));
    if (e.isValid()) {
      l.end_line = static_cast<int32_t>(sm_.getExpansionLineNumber(e));
      l.end_col = static_cast<int32_t>(sm_.getExpansionColumnNumber(e));
    } else {
      l.end_line = l.line;
      l.end_col = l.col;
    }
    return l;
  }
  ir::Loc loc(const Stmt* s) const { return s ? loc(s->getSourceRange()) : ir::Loc{}; }

  std::string source(SourceRange r) const {
    if (r.isInvalid() || r.getBegin().isMacroID() || r.getEnd().isMacroID()) return {};
    return Lexer::getSourceText(CharSourceRange::getTokenRange(r), sm_, lo_).str();
  }

  bool in_main(SourceLocation l) const { return l.isValid() && sm_.isInMainFile(sm_.getExpansionLoc(l)); }

  static std::string strip(std::string s) {
    std::string out;
    for (char c : s)
      if (c != ' ' && c != '\n' && c != '\t' && c != '\r') out += c;
    return out;
  }

  std::string type_str(QualType t) const {
    t = t.getNonReferenceType();
    std::string s = t.getUnqualifiedType().getAsString(*policy_);
    return s;
  }

  // --- kinds ------------------------------------------------------------------------------------

  static bool derives_from(const CXXRecordDecl* rd, const char* qual, int depth = 0) {
    if (!rd || depth > 24) return false;
    rd = rd->getDefinition();
    if (!rd) return false;
    if (rd->getQualifiedNameAsString() == qual) return true;
    for (const auto& b : rd->bases()) {
      const CXXRecordDecl* bd = b.getType()->getAsCXXRecordDecl();
      if (bd && derives_from(bd, qual, depth + 1)) return true;
    }
    return false;
  }

  Kind kind_of(QualType t) const {
    if (t.isNull()) return Kind::Unknown;
    t = t.getNonReferenceType();
    if (t->isPointerType()) t = t->getPointeeType();
    t = t.getCanonicalType().getUnqualifiedType();
    if (t->isArithmeticType() || t->isBooleanType() || t->isEnumeralType()) return Kind::Scalar;
    const CXXRecordDecl* rd = t->getAsCXXRecordDecl();
    if (!rd) {
      if (const auto* rt = t->getAs<RecordType>()) {
        std::string n = rt->getDecl()->getName().str();
        if (n == "ggml_tensor") return Kind::Ggml;
        if (n == "ggml_cgraph") return Kind::Graph;
        if (n == "ggml_context") return Kind::Context;
      }
      return Kind::Unknown;
    }
    std::string q = rd->getQualifiedNameAsString();
    if (q == "at::Tensor" || q == "at::TensorBase" || q == "torch::autograd::Variable") return Kind::Tensor;
    if (q == "c10::Scalar") return Kind::Scalar;
    if (q == "ggml_tensor") return Kind::Ggml;
    if (q == "ggml_cgraph") return Kind::Graph;
    if (q == "ggml_context") return Kind::Context;
    if (q.starts_with("torch::nn::") && q.ends_with("Options")) return Kind::Options;
    if (q == "std::shared_ptr" || q == "std::__shared_ptr") {
      if (const auto* ts = dyn_cast<ClassTemplateSpecializationDecl>(rd))
        if (ts->getTemplateArgs().size() >= 1 && ts->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
          return kind_of(ts->getTemplateArgs()[0].getAsType());
    }
    if (q == "std::vector") {
      if (const auto* ts = dyn_cast<ClassTemplateSpecializationDecl>(rd))
        if (ts->getTemplateArgs().size() >= 1 && ts->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
            kind_of(ts->getTemplateArgs()[0].getAsType()) == Kind::Struct)
          return Kind::Struct;
      return Kind::Other;
    }
    if (derives_from(rd, "torch::nn::Module") || is_holder(rd)) return Kind::Module;
    if (const ClassInfo* c = fc_.cls(rd->getNameAsString())) {
      if (c->is_module) return Kind::Module;
      if (c->ggml_weights) return Kind::Struct;
      return Kind::Other;
    }
    return Kind::Other;
  }

  std::string struct_name(QualType t) const {
    t = t.getNonReferenceType();
    if (t->isPointerType()) t = t->getPointeeType();
    t = t.getCanonicalType();
    const CXXRecordDecl* rd = t->getAsCXXRecordDecl();
    if (!rd) return {};
    if (rd->getQualifiedNameAsString() == "std::vector")
      if (const auto* ts = dyn_cast<ClassTemplateSpecializationDecl>(rd))
        if (ts->getTemplateArgs().size() >= 1 && ts->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
          return struct_name(ts->getTemplateArgs()[0].getAsType());
    const ClassInfo* c = fc_.cls(rd->getNameAsString());
    return c && c->ggml_weights ? c->name : std::string();
  }

  // torch::nn::ModuleHolder<X> or a class deriving from it (TORCH_MODULE holders).
  static const CXXRecordDecl* holder_impl(const CXXRecordDecl* rd, int depth = 0) {
    if (!rd || depth > 16) return nullptr;
    if (const auto* ts = dyn_cast<ClassTemplateSpecializationDecl>(rd))
      if (ts->getQualifiedNameAsString() == "torch::nn::ModuleHolder" && ts->getTemplateArgs().size() >= 1 &&
          ts->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        return ts->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
    rd = rd->getDefinition();
    if (!rd) return nullptr;
    for (const auto& b : rd->bases())
      if (const CXXRecordDecl* r = holder_impl(b.getType()->getAsCXXRecordDecl(), depth + 1)) return r;
    return nullptr;
  }
  static bool is_holder(const CXXRecordDecl* rd) { return holder_impl(rd) != nullptr; }

  // --- declarations --------------------------------------------------------------------------

  void declare_ctx(DeclContext* dc, const std::string& ns) {
    for (Decl* d : dc->decls()) {
      if (!in_main(d->getLocation())) continue;
      declare(d, ns);
    }
  }

  void declare(Decl* d, const std::string& ns) {
    if (auto* nd = dyn_cast<NamespaceDecl>(d)) {
      std::string name = nd->isAnonymousNamespace() ? std::string() : nd->getNameAsString();
      declare_ctx(nd, name.empty() ? ns : (ns.empty() ? name : ns + "::" + name));
    } else if (auto* ls = dyn_cast<LinkageSpecDecl>(d)) {
      declare_ctx(ls, ns);
    } else if (auto* na = dyn_cast<NamespaceAliasDecl>(d)) {
      if (const NamedDecl* t = na->getAliasedNamespace())
        fc_.ns_alias[na->getNameAsString()] = t->getQualifiedNameAsString();
    } else if (auto* ud = dyn_cast<UsingDirectiveDecl>(d)) {
      std::string n = ud->getNominatedNamespace() ? ud->getNominatedNamespace()->getQualifiedNameAsString() : "";
      if (n == "torch" || n == "at" || n == "torch::nn" || n == "torch::nn::functional") fc_.using_torch = true;
    } else if (auto* ctd = dyn_cast<ClassTemplateDecl>(d)) {
      if (CXXRecordDecl* rd = ctd->getTemplatedDecl()) declare_record(rd, ns);
    } else if (auto* rd = dyn_cast<CXXRecordDecl>(d)) {
      declare_record(rd, ns);
    } else if (auto* ftd = dyn_cast<FunctionTemplateDecl>(d)) {
      if (FunctionDecl* fd = ftd->getTemplatedDecl()) declare_function(fd, ns);
    } else if (auto* fd = dyn_cast<FunctionDecl>(d)) {
      declare_function(fd, ns);
    } else if (auto* vd = dyn_cast<VarDecl>(d)) {
      if (vd->getType().isConstQualified() || vd->isConstexpr()) {
        if (auto v = eval(vd->getInit())) {
          fc_.constants[vd->getNameAsString()] = *v;
          if (!ns.empty()) fc_.constants[fc_.dotted(ns + "::" + vd->getNameAsString())] = *v;
        }
      }
    } else if (auto* td = dyn_cast<TypedefNameDecl>(d)) {
      if (const CXXRecordDecl* r = td->getUnderlyingType()->getAsCXXRecordDecl())
        fc_.holders.emplace(td->getNameAsString(), r->getNameAsString());
    }
  }

  std::optional<double> eval(const Expr* e) const {
    if (!e || e->isValueDependent() || e->containsErrors()) return std::nullopt;
    Expr::EvalResult r;
    if (!e->EvaluateAsRValue(r, ctx_) || r.HasSideEffects) return std::nullopt;
    if (r.Val.isInt()) return static_cast<double>(r.Val.getInt().getSExtValue());
    if (r.Val.isFloat()) return r.Val.getFloat().convertToDouble();
    return std::nullopt;
  }

  void declare_record(CXXRecordDecl* rd, const std::string& ns) {
    if (!rd->isThisDeclarationADefinition() || rd->isLambda() || rd->getName().empty()) return;
    if (isa<ClassTemplateSpecializationDecl>(rd)) return;
    // TORCH_MODULE(Net): a holder of NetImpl, not a class of its own.
    if (const CXXRecordDecl* impl = holder_impl(rd)) {
      fc_.holders[rd->getNameAsString()] = impl->getNameAsString();
      return;
    }
    ClassInfo ci;
    ci.name = rd->getNameAsString();
    ci.qual = ns.empty() ? ci.name : ns + "::" + ci.name;
    ci.loc = loc(rd->getSourceRange());
    for (const auto& b : rd->bases()) {
      std::string bn;
      if (const CXXRecordDecl* bd = b.getType()->getAsCXXRecordDecl()) {
        bn = bd->getQualifiedNameAsString();
        if (derives_from(bd, "torch::nn::Module")) ci.is_module = true;
        if (const ClassInfo* bc = fc_.cls(bd->getNameAsString()); bc && bc->ggml_weights) ci.ggml_weights = true;
      } else {
        bn = strip(b.getType().getAsString(*policy_));  // dependent: Cloneable<NetImpl>
        if (bn.find("nn::Module") != std::string::npos || bn.find("Cloneable") != std::string::npos)
          ci.is_module = true;
      }
      std::string d = fc_.dotted(bn);
      if (d == "torch.nn.Module" || d.starts_with("torch.nn.Cloneable")) ci.is_module = true;
      ci.bases.push_back(d);
    }
    for (const Decl* m : rd->decls()) {
      if (const auto* f = dyn_cast<FieldDecl>(m)) {
        FieldInfo fi;
        fi.name = f->getNameAsString();
        fi.type = type_str(f->getType());
        fi.kind = kind_of(f->getType());
        if (fi.kind == Kind::Struct) fi.elem_struct = struct_name(f->getType());
        if (f->getType()->isArrayType()) {
          QualType et = ctx_.getAsArrayType(f->getType())->getElementType();
          Kind ek = kind_of(et);
          if (ek == Kind::Struct) {
            fi.kind = Kind::Struct;
            fi.elem_struct = struct_name(et);
            fi.type += "[]";
          } else if (ek == Kind::Ggml) {
            fi.kind = Kind::Ggml;
          }
        }
        fi.loc = loc(f->getSourceRange());
        if (fi.kind == Kind::Ggml || fi.kind == Kind::Struct) ci.ggml_weights = true;
        ci.fields.push_back(std::move(fi));
      } else if (const auto* v = dyn_cast<VarDecl>(m)) {
        FieldInfo fi;
        fi.name = v->getNameAsString();
        fi.type = type_str(v->getType());
        fi.kind = kind_of(v->getType());
        fi.is_static = true;
        fi.value = eval(v->getInit());
        fi.loc = loc(v->getSourceRange());
        ci.fields.push_back(std::move(fi));
      } else if (const auto* md = dyn_cast<CXXMethodDecl>(m)) {
        ci.methods.insert(md->getNameAsString());
      } else if (const auto* ft = dyn_cast<FunctionTemplateDecl>(m)) {
        ci.methods.insert(ft->getNameAsString());
      }
    }
    ClassInfo& stored = fc_.add_class(std::move(ci));
    records_[rd] = &stored;
    bool has_ctor = false;
    for (Decl* m : rd->decls()) {
      FunctionDecl* fd = dyn_cast<FunctionDecl>(m);
      if (auto* ft = dyn_cast<FunctionTemplateDecl>(m)) fd = ft->getTemplatedDecl();
      if (!fd) continue;
      if (isa<CXXConstructorDecl>(fd) && !fd->isImplicit()) has_ctor = true;
      if (fd->doesThisDeclarationHaveABody()) add_method_job(fd, stored, rd);
    }
    if (!has_ctor && stored.module_id >= 0) {
      bool any_default = false;
      for (const FieldDecl* f : rd->fields()) any_default |= f->hasInClassInitializer();
      if (any_default) {
        Job j;
        j.rd = rd;
        j.ctor = true;
        j.name = "__init__";
        j.qual = stored.qual + "::__init__";
        j.owner = &stored;
        jobs_.push_back(j);
      }
    }
    for (Decl* m : rd->decls())
      if (auto* inner = dyn_cast<CXXRecordDecl>(m)) declare_record(inner, stored.qual);
  }

  void add_method_job(const FunctionDecl* fd, ClassInfo& owner, const CXXRecordDecl* rd) {
    if (isa<CXXDestructorDecl>(fd) || fd->isImplicit()) return;
    Job j;
    j.fd = fd;
    j.rd = rd;
    j.ctor = isa<CXXConstructorDecl>(fd);
    j.name = j.ctor ? "__init__" : fd->getNameAsString();
    j.qual = owner.qual + "::" + j.name;
    j.owner = &owner;
    jobs_.push_back(j);
  }

  void declare_function(FunctionDecl* fd, const std::string& ns) {
    if (!fd->doesThisDeclarationHaveABody()) return;
    if (fd->isInvalidDecl()) ++invalid_functions;
    if (auto* md = dyn_cast<CXXMethodDecl>(fd)) {
      // Out-of-line member definitions: NetImpl::forward.
      auto it = records_.find(md->getParent()->getDefinition());
      if (it != records_.end()) {
        add_method_job(fd, *it->second, md->getParent());
        return;
      }
      Job j;
      j.fd = fd;
      j.name = fd->getNameAsString();
      j.qual = md->getParent()->getNameAsString() + "::" + j.name;
      j.owner = nullptr;
      jobs_.push_back(j);
      return;
    }
    Job j;
    j.fd = fd;
    j.name = fd->getNameAsString();
    j.qual = ns.empty() ? j.name : ns + "::" + j.name;
    jobs_.push_back(j);
  }

  // --- functions ------------------------------------------------------------------------------

  void lower_job(Job& j) {
    ClassInfo* owner = j.owner;
    const bool method = owner && owner->module_id >= 0;
    FnBuilder b(fc_, j.fn_id, method ? owner : nullptr);
    if (j.fd && j.fd->isInvalidDecl()) ++invalid_functions;
    if (method) b.add_self(j.fd ? loc(j.fd->getSourceRange()) : owner->loc);
    if (!j.fd) {
      lower_default_inits(b, j.rd);
      b.finish();
      return;
    }
    lower_params(b, j.fd, !method && !isa<CXXMethodDecl>(j.fd));
    if (const auto* cd = dyn_cast<CXXConstructorDecl>(j.fd)) lower_ctor_inits(b, cd);
    lower_stmt(b, j.fd->getBody());
    b.finish();
  }

  void lower_params(FnBuilder& b, const FunctionDecl* fd, bool allow_ggml_model) {
    int model = -1;
    if (allow_ggml_model)
      for (unsigned i = 0; i < fd->getNumParams(); ++i) {
        const ParmVarDecl* p = fd->getParamDecl(i);
        if (kind_of(p->getType()) == Kind::Struct) {
          std::string sn = struct_name(p->getType());
          if (!sn.empty() && b.ggml_model_param(p->getNameAsString(), sn, loc(p->getLocation())))
            model = static_cast<int>(i);
          break;
        }
      }
    for (unsigned i = 0; i < fd->getNumParams(); ++i) {
      if (static_cast<int>(i) == model) continue;
      const ParmVarDecl* p = fd->getParamDecl(i);
      NodeId def = kNoNode;
      if (p->hasDefaultArg() && !p->hasUninstantiatedDefaultArg() && !p->hasUnparsedDefaultArg())
        def = expr(b, p->getDefaultArg());
      b.add_param(p->getNameAsString(), kind_of(p->getType()), loc(p->getLocation()), type_str(p->getType()), def);
    }
  }

  static bool is_null_init(const Expr* e) {
    e = e->IgnoreImplicit();
    if (const auto* ce = dyn_cast<CXXConstructExpr>(e)) {
      if (ce->getNumArgs() == 0) return true;
      if (ce->getNumArgs() == 1 && isa<CXXNullPtrLiteralExpr>(ce->getArg(0)->IgnoreImplicit())) return true;
    }
    if (const auto* il = dyn_cast<InitListExpr>(e))
      if (il->getNumInits() == 1) return is_null_init(il->getInit(0));
    return isa<CXXNullPtrLiteralExpr>(e);
  }

  void lower_field_init(FnBuilder& b, const FieldDecl* f, const Expr* init, const ir::Loc& at) {
    if (!init) return;
    if (const auto* di = dyn_cast<CXXDefaultInitExpr>(init)) init = di->getExpr();
    if (is_null_init(init)) return;
    NodeId v = expr(b, init);
    if (v == kNoNode) return;
    Target t = b.target_member(b.self(), f->getNameAsString(), at);
    b.store(t, v, at);
  }

  void lower_ctor_inits(FnBuilder& b, const CXXConstructorDecl* cd) {
    for (const CXXCtorInitializer* init : cd->inits()) {
      if (!init->isMemberInitializer()) continue;
      const FieldDecl* f = init->getMember();
      ir::Loc at = init->isWritten() ? loc(init->getSourceRange()) : loc(f->getSourceRange());
      lower_field_init(b, f, init->getInit(), at);
    }
  }

  void lower_default_inits(FnBuilder& b, const CXXRecordDecl* rd) {
    for (const FieldDecl* f : rd->fields())
      if (f->hasInClassInitializer()) lower_field_init(b, f, f->getInClassInitializer(), loc(f->getSourceRange()));
  }

  // --- statements -----------------------------------------------------------------------------

  static const Expr* strip(const Expr* e) {
    for (int guard = 0; e && guard < 64; ++guard) {
      const Expr* n = e->IgnoreImplicit();
      if (const auto* p = dyn_cast<ParenExpr>(n))
        n = p->getSubExpr();
      else if (const auto* c = dyn_cast<CXXFunctionalCastExpr>(n))
        n = c->getSubExpr();
      else if (const auto* c = dyn_cast<ExplicitCastExpr>(n))
        n = c->getSubExpr();
      else if (const auto* d = dyn_cast<CXXDefaultInitExpr>(n))
        n = d->getExpr();
      else if (const auto* o = dyn_cast<OpaqueValueExpr>(n))
        n = o->getSourceExpr();
      else if (const auto* s = dyn_cast<CXXStdInitializerListExpr>(n))
        n = s->getSubExpr();
      else if (const auto* ce = dyn_cast<CXXConstructExpr>(n);
               ce && !isa<CXXTemporaryObjectExpr>(ce) && ce->getNumArgs() >= 1 &&
               (ce->getNumArgs() == 1 || isa<CXXDefaultArgExpr>(ce->getArg(1))) &&
               (ce->getConstructor()->isCopyOrMoveConstructor() || transparent_record(ce) ||
                ce->getParenOrBraceRange().isInvalid()))
        n = ce->getArg(0);  // an implicit conversion (std::string from "conv1", padding_t from 1)
      else if (const auto* mc = dyn_cast<CXXMemberCallExpr>(n);
               mc && isa_and_nonnull<CXXConversionDecl>(mc->getMethodDecl()))
        n = mc->getImplicitObjectArgument();
      // An invalid default argument is an OpaqueValueExpr without a source expression.
      if (!n || n == e) return e;
      e = n;
    }
    return e;
  }

  // Conversions that carry their argument through (IntArrayRef from {..}, Scalar from 2.0, ...).
  static bool transparent_record(const CXXConstructExpr* ce) {
    const CXXRecordDecl* rd = ce->getConstructor()->getParent();
    std::string q = rd->getQualifiedNameAsString();
    return q == "c10::ArrayRef" || q == "c10::Scalar" || q == "c10::optional" || q == "c10::OptionalArrayRef" ||
           q == "at::indexing::TensorIndex" || q == "at::Tensor" || q == "c10::IValue" ||
           q == "std::initializer_list" || q == "c10::ScalarType" || q == "c10::TensorOptions" || q == "c10::Device" ||
           q == "std::optional" || q == "c10::SymInt" || q == "c10::SymIntArrayRef" || q == "c10::OptionalArrayRef" ||
           q == "torch::ExpandingArray" || q == "torch::ExpandingArrayWithOptionalElem" || q == "std::function" ||
           q == "torch::nn::AnyModule" || q == "torch::nn::AnyValue";
  }

  std::string root_var(const Expr* e) const {
    for (int g = 0; e && g < 32; ++g) {
      e = strip(e);
      if (const auto* d = dyn_cast<DeclRefExpr>(e)) {
        if (isa<VarDecl>(d->getDecl())) return d->getDecl()->getNameAsString();
        return {};
      }
      if (const auto* m = dyn_cast<MemberExpr>(e)) {
        if (isa<CXXThisExpr>(strip(m->getBase()))) return m->getMemberDecl()->getNameAsString();
        e = m->getBase();
        continue;
      }
      if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(e)) {
        if (oc->getNumArgs() >= 1 &&
            (oc->getOperator() == OO_Subscript || oc->getOperator() == OO_Arrow || oc->getOperator() == OO_Star)) {
          e = oc->getArg(0);
          continue;
        }
        return {};
      }
      if (const auto* as = dyn_cast<ArraySubscriptExpr>(e)) {
        e = as->getBase();
        continue;
      }
      if (const auto* mc = dyn_cast<CXXMemberCallExpr>(e)) {
        e = mc->getImplicitObjectArgument();
        continue;
      }
      if (const auto* u = dyn_cast<UnaryOperator>(e)) {
        e = u->getSubExpr();
        continue;
      }
      return {};
    }
    return {};
  }

  void collect_assigned(const Stmt* s, std::vector<std::string>& out) const {
    if (!s) return;
    if (isa<LambdaExpr>(s)) return;
    if (const auto* bo = dyn_cast<BinaryOperator>(s); bo && bo->isAssignmentOp()) out.push_back(root_var(bo->getLHS()));
    if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(s); oc && oc->isAssignmentOp() && oc->getNumArgs() >= 1)
      out.push_back(root_var(oc->getArg(0)));
    if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(s);
        oc && (oc->getOperator() == OO_PlusPlus || oc->getOperator() == OO_MinusMinus) && oc->getNumArgs() >= 1)
      out.push_back(root_var(oc->getArg(0)));
    if (const auto* uo = dyn_cast<UnaryOperator>(s); uo && uo->isIncrementDecrementOp())
      out.push_back(root_var(uo->getSubExpr()));
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(s))
      if (const CXXMethodDecl* md = mc->getMethodDecl();
          md && md->getIdentifier() && std::string_view(md->getName()).ends_with("_"))
        out.push_back(root_var(mc->getImplicitObjectArgument()));
    for (const Stmt* c : s->children()) collect_assigned(c, out);
  }

  void lower_stmt(FnBuilder& b, const Stmt* s) {
    if (!s) return;
    if (!b.check_depth(loc(s))) return;
    ++b.depth;
    lower_stmt_inner(b, s);
    --b.depth;
  }

  void lower_var(FnBuilder& b, const VarDecl* vd) {
    if (const auto* dd = dyn_cast<DecompositionDecl>(vd)) {
      NodeId v = expr(b, dd->getInit());
      int idx = 0;
      for (const BindingDecl* bd : dd->bindings()) {
        NodeId k = b.constant(idx++, loc(bd->getSourceRange()));
        NodeId item = b.subscript(v, k, loc(bd->getSourceRange()));
        b.declare(bd->getNameAsString(), item);
      }
      return;
    }
    const Expr* init = vd->getInit();
    Kind k = kind_of(vd->getType());
    NodeId v = kNoNode;
    if (init) {
      const Expr* si = init->IgnoreImplicit();
      if (const auto* ce = dyn_cast<CXXConstructExpr>(si);
          ce && ce->getNumArgs() == 0 && !isa<CXXTemporaryObjectExpr>(ce)) {
        // `torch::Tensor y;` / `torch::NoGradGuard g;` / `Block b;`
        if (k == Kind::Tensor || k == Kind::Ggml)
          v = b.none(loc(vd->getSourceRange()));
        else if (k == Kind::Module)
          v = b.construct(type_str(vd->getType()), {}, loc(vd->getSourceRange()));
        else
          return;
      } else {
        v = expr(b, init);
      }
    } else {
      if (k == Kind::Tensor || k == Kind::Scalar || k == Kind::Ggml)
        v = b.none(loc(vd->getSourceRange()));
      else
        return;
    }
    b.declare(vd->getNameAsString(), v, k);
  }

  void lower_stmt_inner(FnBuilder& b, const Stmt* s) {
    if (const auto* cs = dyn_cast<CompoundStmt>(s)) {
      b.push_scope();
      for (const Stmt* c : cs->body()) lower_stmt(b, c);
      b.pop_scope();
    } else if (const auto* ds = dyn_cast<DeclStmt>(s)) {
      for (const Decl* d : ds->decls())
        if (const auto* vd = dyn_cast<VarDecl>(d)) lower_var(b, vd);
    } else if (const auto* rs = dyn_cast<ReturnStmt>(s)) {
      NodeId v = rs->getRetValue() ? expr(b, rs->getRetValue()) : kNoNode;
      b.ret(v, loc(s));
    } else if (const auto* is = dyn_cast<IfStmt>(s)) {
      b.push_scope();
      if (is->getInit()) lower_stmt(b, is->getInit());
      NodeId cond;
      if (const VarDecl* cv = is->getConditionVariable()) {
        lower_var(b, cv);
        cond = b.read(cv->getNameAsString(), loc(cv->getSourceRange()));
      } else {
        cond = expr(b, is->getCond());
      }
      b.begin_if(cond, loc(s));
      lower_stmt(b, is->getThen());
      if (is->getElse()) {
        b.begin_else();
        lower_stmt(b, is->getElse());
      }
      b.end_if(loc(s));
      b.pop_scope();
    } else if (const auto* fs = dyn_cast<ForStmt>(s)) {
      b.push_scope();
      if (fs->getInit()) {
        if (isa<DeclStmt>(fs->getInit()))
          lower_stmt(b, fs->getInit());
        else
          b.statement(expr(b, cast<Expr>(fs->getInit())));
      }
      NodeId head = fs->getCond() ? expr(b, fs->getCond()) : b.constant(1, loc(s), "true");
      std::vector<std::string> assigned;
      collect_assigned(fs->getBody(), assigned);
      collect_assigned(fs->getInc(), assigned);
      b.begin_loop("for", head, assigned, loc(s));
      lower_stmt(b, fs->getBody());
      if (fs->getInc()) b.statement(expr(b, fs->getInc()));
      b.end_loop();
      b.pop_scope();
    } else if (const auto* fr = dyn_cast<CXXForRangeStmt>(s)) {
      b.push_scope();
      if (fr->getInit()) lower_stmt(b, fr->getInit());
      NodeId iter = expr(b, fr->getRangeInit());
      std::vector<std::string> assigned;
      collect_assigned(fr->getBody(), assigned);
      b.begin_loop("for", iter, assigned, loc(s));
      NodeId item = b.emit("iter_item", {iter}, loc(s));
      const VarDecl* lv = fr->getLoopVariable();
      if (const auto* dd = dyn_cast_or_null<DecompositionDecl>(lv)) {
        int idx = 0;
        for (const BindingDecl* bd : dd->bindings()) {
          NodeId k = b.constant(idx++, loc(bd->getSourceRange()));
          b.declare(bd->getNameAsString(), b.subscript(item, k, loc(bd->getSourceRange())));
        }
      } else if (lv) {
        b.declare(lv->getNameAsString(), item, kind_of(lv->getType()));
      }
      lower_stmt(b, fr->getBody());
      b.end_loop();
      b.pop_scope();
    } else if (const auto* ws = dyn_cast<WhileStmt>(s)) {
      NodeId head = expr(b, ws->getCond());
      std::vector<std::string> assigned;
      collect_assigned(ws->getBody(), assigned);
      b.begin_loop("while", head, assigned, loc(s));
      lower_stmt(b, ws->getBody());
      b.end_loop();
    } else if (const auto* dw = dyn_cast<DoStmt>(s)) {
      NodeId head = expr(b, dw->getCond());
      std::vector<std::string> assigned;
      collect_assigned(dw->getBody(), assigned);
      b.begin_loop("while", head, assigned, loc(s));
      lower_stmt(b, dw->getBody());
      b.end_loop();
    } else if (const auto* sw = dyn_cast<SwitchStmt>(s)) {
      NodeId cond = expr(b, sw->getCond());
      b.begin_if(cond, loc(s));
      lower_stmt(b, sw->getBody());
      b.end_if(loc(s));
    } else if (const auto* sc = dyn_cast<SwitchCase>(s)) {
      lower_stmt(b, sc->getSubStmt());
    } else if (const auto* ts = dyn_cast<CXXTryStmt>(s)) {
      lower_stmt(b, ts->getTryBlock());
      for (unsigned i = 0; i < ts->getNumHandlers(); ++i) lower_stmt(b, ts->getHandler(i)->getHandlerBlock());
    } else if (const auto* as = dyn_cast<AttributedStmt>(s)) {
      lower_stmt(b, as->getSubStmt());
    } else if (const auto* ls = dyn_cast<LabelStmt>(s)) {
      lower_stmt(b, ls->getSubStmt());
    } else if (const auto* e = dyn_cast<Expr>(s)) {
      b.statement(expr(b, e));
    }
    // null, break, continue, goto, asm: no dataflow
  }

  // --- expressions ----------------------------------------------------------------------------

  Args args_of(FnBuilder& b, llvm::ArrayRef<const Expr*> in) {
    Args a;
    for (const Expr* e : in) {
      if (!e || isa<CXXDefaultArgExpr>(e)) continue;
      NodeId v = expr(b, e);
      if (v != kNoNode) a.pos.push_back(v);
    }
    return a;
  }

  template <class Range>
  Args args_range(FnBuilder& b, Range r) {
    std::vector<const Expr*> v;
    for (const Expr* e : r) v.push_back(e);
    return args_of(b, v);
  }

  // The callee as written ("torch::relu", "F::conv2d", "helper") and its explicit template args.
  std::string spelled_callee(const DeclRefExpr* d, std::vector<std::string>& targs) const {
    std::string q;
    if (d->hasQualifier()) q = strip(source(d->getQualifierLoc().getSourceRange())) + "::";
    if (!q.empty() && q.ends_with("::::")) q.resize(q.size() - 2);
    q += d->getNameInfo().getAsString();
    for (const TemplateArgumentLoc& ta : d->template_arguments()) targs.push_back(strip(source(ta.getSourceRange())));
    return q;
  }

  bool user_decl(const Decl* d) const {
    if (!d) return false;
    SourceLocation l = d->getLocation();
    if (in_main(l)) return true;
    if (sm_.isInSystemHeader(sm_.getExpansionLoc(l))) return false;
    std::string q = isa<NamedDecl>(d) ? cast<NamedDecl>(d)->getQualifiedNameAsString() : "";
    return !(q.starts_with("at::") || q.starts_with("torch::") || q.starts_with("c10::") || q.starts_with("std::") ||
             q.starts_with("ggml_"));
  }

  NodeId call_decl(FnBuilder& b, const DeclRefExpr* callee_ref, const FunctionDecl* fd, Args a, const ir::Loc& at) {
    std::vector<std::string> targs;
    std::string spelled = callee_ref ? spelled_callee(callee_ref, targs) : fd->getNameAsString();
    if (spelled.empty() || spelled.find('<') != std::string::npos) spelled = fd->getQualifiedNameAsString();
    int32_t target = -1;
    if (auto it = fn_ids_.find(fd->getCanonicalDecl()); it != fn_ids_.end()) target = it->second;
    if (target < 0 && fd->getPrimaryTemplate())
      if (auto it = fn_ids_.find(fd->getPrimaryTemplate()->getTemplatedDecl()->getCanonicalDecl()); it != fn_ids_.end())
        target = it->second;
    std::string name = spelled;
    // Unqualified calls resolved into a library namespace (`using namespace torch;`): the library name.
    if (target < 0 && spelled.find("::") == std::string::npos && !user_decl(fd)) {
      std::string q = fd->getQualifiedNameAsString();
      if (q.find("::") != std::string::npos &&
          (q.starts_with("at::") || q.starts_with("torch::") || q.starts_with("c10::") || q.starts_with("std::")))
        name = q;
    }
    return b.call_free(name, std::move(a), at, targs, target);
  }

  NodeId expr(FnBuilder& b, const Expr* e) {
    if (!e) return kNoNode;
    if (!b.check_depth(loc(e))) return b.unknown({}, loc(e), "too deep");
    ++b.depth;
    NodeId r = expr_inner(b, e);
    --b.depth;
    return r;
  }

  // The method-call receiver: holder->forward is `holder.operator->()->forward`.
  const Expr* receiver(const Expr* base, bool& arrow) const {
    base = strip(base);
    if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(base);
        oc && oc->getOperator() == OO_Arrow && oc->getNumArgs() >= 1) {
      arrow = true;
      return strip(oc->getArg(0));
    }
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(base))
      if (const CXXMethodDecl* md = mc->getMethodDecl();
          md && (md->getNameAsString() == "get" || md->getNameAsString() == "ptr")) {
        // holder.get() / holder.ptr()
        if (kind_of(mc->getImplicitObjectArgument()->getType()) == Kind::Module) {
          arrow = true;
          return strip(mc->getImplicitObjectArgument());
        }
      }
    return base;
  }

  NodeId expr_inner(FnBuilder& b, const Expr* e0) {
    const Expr* e = strip(e0);
    if (!e) return kNoNode;
    ir::Loc at = loc(e);
    if (const auto* il = dyn_cast<IntegerLiteral>(e)) {
      std::string txt = source(il->getSourceRange());
      return b.constant(static_cast<double>(il->getValue().getSExtValue()), at,
                        txt.empty() ? std::to_string(il->getValue().getSExtValue()) : txt);
    }
    if (const auto* fl = dyn_cast<FloatingLiteral>(e)) {
      std::string txt = source(fl->getSourceRange());
      return b.constant(fl->getValueAsApproximateDouble(), at, txt);
    }
    if (const auto* bl = dyn_cast<CXXBoolLiteralExpr>(e))
      return b.constant(bl->getValue() ? 1 : 0, at, bl->getValue() ? "true" : "false");
    if (const auto* cl = dyn_cast<CharacterLiteral>(e))
      return b.constant(cl->getValue(), at, source(cl->getSourceRange()));
    if (const auto* sl = dyn_cast<StringLiteral>(e))
      return b.string_const(sl->getCharByteWidth() == 1 ? sl->getString().str() : std::string(), at);
    if (isa<CXXNullPtrLiteralExpr>(e) || isa<GNUNullExpr>(e)) return b.none(at);
    if (isa<CXXThisExpr>(e)) return b.self() != kNoNode ? b.self() : b.emit("free", {}, at, "self");
    if (const auto* dr = dyn_cast<DeclRefExpr>(e)) return decl_ref(b, dr, at);
    if (const auto* me = dyn_cast<MemberExpr>(e)) {
      const ValueDecl* md = me->getMemberDecl();
      std::string name = md->getNameAsString();
      if (const auto* vd = dyn_cast<VarDecl>(md)) {  // static member
        if (auto v = eval(vd->getInit())) return b.constant(*v, at, name);
      }
      bool arrow = me->isArrow();
      const Expr* base = receiver(me->getBase(), arrow);
      if (isa<CXXThisExpr>(base)) return b.self_member(name, at);
      NodeId o = expr(b, base);
      return b.member(o, name, at);
    }
    if (const auto* bo = dyn_cast<BinaryOperator>(e)) return binary(b, bo, at);
    if (const auto* uo = dyn_cast<UnaryOperator>(e)) {
      if (uo->isIncrementDecrementOp()) {
        // (`--(--x)`: target() lowers what it cannot assign as a statement; asking it first and then
        // lowering the value would lower each level twice, 2^depth nodes)
        if (!assignable(uo->getSubExpr())) return expr(b, uo->getSubExpr());
        Target t = target(b, uo->getSubExpr());
        NodeId one = b.constant(1, at, "1");
        if (t.kind == Target::None) return expr(b, uo->getSubExpr());
        return b.compound(t, uo->isIncrementOp() ? "+" : "-", one, at);
      }
      NodeId a = expr(b, uo->getSubExpr());
      switch (uo->getOpcode()) {
        case UO_Minus:
          return b.unary("-", a, at);
        case UO_Plus:
          return b.unary("+", a, at);
        case UO_LNot:
          return b.unary("!", a, at);
        case UO_Not:
          return b.unary("~", a, at);
        default:
          return a;  // & * __real __imag __extension__
      }
    }
    if (const auto* co = dyn_cast<ConditionalOperator>(e)) {
      NodeId c = expr(b, co->getCond());
      NodeId x = expr(b, co->getTrueExpr());
      NodeId y = expr(b, co->getFalseExpr());
      return b.select(c, x, y, at);
    }
    if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(e)) return op_call(b, oc, at);
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(e)) return member_call(b, mc, at);
    if (const auto* ce = dyn_cast<CallExpr>(e)) return call(b, ce, at);
    if (const auto* ce = dyn_cast<CXXConstructExpr>(e)) {
      std::vector<const Expr*> in(ce->arg_begin(), ce->arg_end());
      if (ce->getNumArgs() == 1 && !isa<CXXTemporaryObjectExpr>(ce) &&
          kind_of(ce->getType()) == kind_of(ce->getArg(0)->getType()) && kind_of(ce->getType()) != Kind::Other)
        return expr(b, ce->getArg(0));
      QualType t = ce->getType();
      std::string type = construct_type(t);
      Kind k = kind_of(t);
      if (k == Kind::Tensor || k == Kind::Scalar) {
        Args a = args_of(b, in);
        if (a.pos.empty()) return k == Kind::Scalar ? b.constant(0, at, "0") : b.none(at);
        return a.pos[0];
      }
      return b.construct(type, args_of(b, in), at);
    }
    if (const auto* il = dyn_cast<InitListExpr>(e)) {
      if (il->isSyntacticForm() || !il->getSyntacticForm()) {
        std::vector<const Expr*> in;
        for (unsigned i = 0; i < il->getNumInits(); ++i) in.push_back(il->getInit(i));
        Kind k = kind_of(il->getType());
        if (il->getType()->isRecordType() && k != Kind::Other && k != Kind::Unknown && in.size() == 1)
          return expr(b, in[0]);
        return b.tuple(args_of(b, in).pos, at, "list");
      }
      const InitListExpr* syn = il->getSyntacticForm();
      std::vector<const Expr*> in;
      for (unsigned i = 0; i < syn->getNumInits(); ++i) in.push_back(syn->getInit(i));
      return b.tuple(args_of(b, in).pos, at, "list");
    }
    if (const auto* le = dyn_cast<LambdaExpr>(e)) return lambda(b, le, at);
    if (const auto* as = dyn_cast<ArraySubscriptExpr>(e)) {
      NodeId base = expr(b, as->getBase());
      NodeId idx = expr(b, as->getIdx());
      return b.subscript(base, idx, at);
    }
    if (const auto* ne = dyn_cast<CXXNewExpr>(e)) {
      Args a;
      if (const auto* ce = ne->getConstructExpr())
        a = args_of(b, std::vector<const Expr*>(ce->arg_begin(), ce->arg_end()));
      return b.construct(construct_type(ne->getAllocatedType()), std::move(a), at);
    }
    if (const auto* de = dyn_cast<CXXDeleteExpr>(e)) return expr(b, de->getArgument());
    if (const auto* ue = dyn_cast<UnresolvedLookupExpr>(e)) {
      std::string q = ue->getQualifier() ? strip(source(ue->getQualifierLoc().getSourceRange())) + "::" : "";
      return b.read_qualified(q + ue->getName().getAsString(), at);
    }
    if (const auto* dm = dyn_cast<CXXDependentScopeMemberExpr>(e)) {
      NodeId o = dm->isImplicitAccess() ? b.self() : expr(b, dm->getBase());
      if (o == b.self() && o != kNoNode) return b.self_member(dm->getMember().getAsString(), at);
      return b.member(o, dm->getMember().getAsString(), at);
    }
    if (const auto* uc = dyn_cast<CXXUnresolvedConstructExpr>(e)) {
      std::vector<const Expr*> in(uc->arg_begin(), uc->arg_end());
      return b.construct(strip(uc->getTypeAsWritten().getAsString(*policy_)), args_of(b, in), at);
    }
    if (const auto* pl = dyn_cast<ParenListExpr>(e)) {
      NodeId last = kNoNode;
      for (unsigned i = 0; i < pl->getNumExprs(); ++i) last = expr(b, pl->getExpr(i));
      return last;
    }
    if (const auto* re = dyn_cast<RecoveryExpr>(e)) return recovery(b, re, at);
    if (isa<UnaryExprOrTypeTraitExpr>(e)) {
      if (auto v = eval(e)) return b.constant(*v, at, source(e->getSourceRange()));
      return b.unknown({}, at, "sizeof");
    }
    // Anything else: keep its operands visible.
    std::vector<NodeId> args;
    for (const Stmt* c : e->children())
      if (const auto* ce = dyn_cast_or_null<Expr>(c)) {
        NodeId v = expr(b, ce);
        if (v != kNoNode) args.push_back(v);
      }
    return b.unknown(std::move(args), at, e->getStmtClassName());
  }

  std::string construct_type(QualType t) const {
    // Prefer the spelling as written (Conv2dOptions is a typedef of ConvOptions<2>).
    std::string s = strip(t.getUnqualifiedType().getAsString(*policy_));
    if (s.empty()) s = strip(t.getCanonicalType().getAsString(*policy_));
    return s;
  }

  NodeId decl_ref(FnBuilder& b, const DeclRefExpr* dr, const ir::Loc& at) {
    const ValueDecl* d = dr->getDecl();
    std::string name = d->getNameAsString();
    if (isa<ParmVarDecl>(d) || (isa<VarDecl>(d) && cast<VarDecl>(d)->isLocalVarDeclOrParm()) || isa<BindingDecl>(d))
      return b.read(name, at);
    std::vector<std::string> targs;
    std::string spelled = spelled_callee(dr, targs);
    if (const auto* vd = dyn_cast<VarDecl>(d)) {
      if (in_main(vd->getLocation()) || !user_decl(vd) == false) {
        if (auto v = (vd->getType().isConstQualified() || vd->isConstexpr()) ? eval(vd->getInit()) : std::nullopt) {
          if (spelled.find("::") == std::string::npos) return b.constant(*v, at, spelled);
          return b.read_qualified(spelled, at, v);
        }
      }
    }
    if (spelled.find("::") == std::string::npos) return b.read(spelled, at);
    return b.read_qualified(spelled, at);
  }

  NodeId binary(FnBuilder& b, const BinaryOperator* bo, const ir::Loc& at) {
    if (bo->getOpcode() == BO_Comma) {
      b.statement(expr(b, bo->getLHS()));
      return expr(b, bo->getRHS());
    }
    if (bo->isAssignmentOp()) {
      Target t = target(b, bo->getLHS());
      NodeId rhs = expr(b, bo->getRHS());
      if (t.kind == Target::None) return rhs;
      if (bo->getOpcode() == BO_Assign) {
        b.store(t, rhs, at);
        return rhs;
      }
      std::string tok = BinaryOperator::getOpcodeStr(BinaryOperator::getOpForCompoundAssignment(bo->getOpcode())).str();
      return b.compound(t, tok, rhs, at);
    }
    NodeId l = expr(b, bo->getLHS());
    NodeId r = expr(b, bo->getRHS());
    return b.binary(BinaryOperator::getOpcodeStr(bo->getOpcode()).str(), l, r, at);
  }

  NodeId op_call(FnBuilder& b, const CXXOperatorCallExpr* oc, const ir::Loc& at) {
    OverloadedOperatorKind k = oc->getOperator();
    unsigned n = oc->getNumArgs();
    if (k == OO_Arrow || (k == OO_Star && n == 1) || (k == OO_Amp && n == 1)) return expr(b, oc->getArg(0));
    if (k == OO_Call) {
      const Expr* callee = strip(oc->getArg(0));
      std::vector<const Expr*> in;
      for (unsigned i = 1; i < n; ++i) in.push_back(oc->getArg(i));
      // A lambda or function object held in a variable, a module holder's operator().
      Kind ck = kind_of(callee->getType());
      NodeId cv = expr(b, callee);
      return b.call_value(cv, ck, args_of(b, in), at);
    }
    if (k == OO_Subscript && n == 2) {
      NodeId base = expr(b, oc->getArg(0));
      NodeId idx = expr(b, oc->getArg(1));
      return b.subscript(base, idx, at);
    }
    if (oc->isAssignmentOp() && n == 2) {
      Target t = target(b, oc->getArg(0));
      NodeId rhs = expr(b, oc->getArg(1));
      if (t.kind == Target::None) return rhs;
      if (k == OO_Equal) {
        b.store(t, rhs, at);
        return rhs;
      }
      std::string tok = getOperatorSpelling(k);
      tok.pop_back();  // "+=" -> "+"
      return b.compound(t, tok, rhs, at);
    }
    if ((k == OO_PlusPlus || k == OO_MinusMinus) && n >= 1) {
      Target t = target(b, oc->getArg(0));
      NodeId one = b.constant(1, at, "1");
      if (t.kind == Target::None) return expr(b, oc->getArg(0));
      return b.compound(t, k == OO_PlusPlus ? "+" : "-", one, at);
    }
    std::string tok = getOperatorSpelling(k);
    if (n == 1) {
      NodeId a = expr(b, oc->getArg(0));
      return b.unary(tok, a, at);
    }
    if (n == 2) {
      NodeId l = expr(b, oc->getArg(0));
      NodeId r = expr(b, oc->getArg(1));
      return b.binary(tok, l, r, at);
    }
    return b.unknown(args_of(b, std::vector<const Expr*>(oc->arg_begin(), oc->arg_end())).pos, at, tok);
  }

  NodeId member_call(FnBuilder& b, const CXXMemberCallExpr* mc, const ir::Loc& at) {
    const auto* me = dyn_cast<MemberExpr>(mc->getCallee()->IgnoreParens());
    const CXXMethodDecl* md = mc->getMethodDecl();
    std::string method = md ? md->getNameAsString() : (me ? me->getMemberNameInfo().getAsString() : std::string());
    std::vector<const Expr*> in(mc->arg_begin(), mc->arg_end());
    bool arrow = me && me->isArrow();
    const Expr* base = me ? receiver(me->getBase(), arrow) : strip(mc->getImplicitObjectArgument());
    if (isa<CXXThisExpr>(base)) {
      // A call of a member of this object: a helper method, register_module, or a member holder.
      return b.call_self_method(method, args_of(b, in), at);
    }
    Kind rk = kind_of(base->getType());
    NodeId recv = expr(b, base);
    std::string rv;
    if (const auto* dr = dyn_cast<DeclRefExpr>(base))
      if (isa<VarDecl>(dr->getDecl())) rv = dr->getDecl()->getNameAsString();
    if (rk == Kind::Other) rk = Kind::Unknown;
    return b.call_method(recv, rk, method, args_of(b, in), at, arrow, rv);
  }

  NodeId call(FnBuilder& b, const CallExpr* ce, const ir::Loc& at) {
    std::vector<const Expr*> in(ce->arg_begin(), ce->arg_end());
    const Expr* callee = ce->getCallee() ? strip(ce->getCallee()) : nullptr;
    if (const auto* dr = dyn_cast_or_null<DeclRefExpr>(callee)) {
      if (const auto* fd = dyn_cast<FunctionDecl>(dr->getDecl())) {
        std::string n = fd->getNameAsString();
        if (n == "static_cast" || n == "move" || n == "forward") {
          if (n != "static_cast" && fd->getQualifiedNameAsString().rfind("std::", 0) == 0 && !in.empty())
            return expr(b, in[0]);
        }
        // A static member function of the class called unqualified: a method call, as written.
        if (const auto* md = dyn_cast<CXXMethodDecl>(fd);
            md && b.owner() && !dr->hasQualifier() && records_.count(md->getParent()->getDefinition()))
          return b.call_self_method(n, args_of(b, in), at);
        return call_decl(b, dr, fd, args_of(b, in), at);
      }
      // A variable holding a function.
      NodeId cv = expr(b, dr);
      return b.call_value(cv, kind_of(dr->getType()), args_of(b, in), at);
    }
    if (const auto* ul = dyn_cast_or_null<UnresolvedLookupExpr>(callee)) {
      std::string q = ul->getQualifier() ? strip(source(ul->getQualifierLoc().getSourceRange())) + "::" : "";
      std::vector<std::string> targs;
      for (const TemplateArgumentLoc& ta : ul->template_arguments())
        targs.push_back(strip(source(ta.getSourceRange())));
      return b.call_free(q + ul->getName().getAsString(), args_of(b, in), at, targs);
    }
    if (const auto* dm = dyn_cast_or_null<CXXDependentScopeMemberExpr>(callee)) {
      std::string method = dm->getMember().getAsString();
      if (dm->isImplicitAccess()) return b.call_self_method(method, args_of(b, in), at);
      bool arrow = dm->isArrow();
      const Expr* base = receiver(dm->getBase(), arrow);
      if (isa<CXXThisExpr>(base)) return b.call_self_method(method, args_of(b, in), at);
      NodeId recv = expr(b, base);
      return b.call_method(recv, Kind::Unknown, method, args_of(b, in), at, arrow);
    }
    if (const auto* um = dyn_cast_or_null<UnresolvedMemberExpr>(callee)) {
      std::string method = um->getMemberName().getAsString();
      if (um->isImplicitAccess()) return b.call_self_method(method, args_of(b, in), at);
      bool arrow = um->isArrow();
      const Expr* base = receiver(um->getBase(), arrow);
      if (isa<CXXThisExpr>(base)) return b.call_self_method(method, args_of(b, in), at);
      NodeId recv = expr(b, base);
      return b.call_method(recv, Kind::Unknown, method, args_of(b, in), at, arrow);
    }
    NodeId cv = expr(b, callee);
    return b.call_value(cv, callee ? kind_of(callee->getType()) : Kind::Unknown, args_of(b, in), at);
  }

  // Error recovery (a declaration from a missing header): keep the call and its operands.
  NodeId recovery(FnBuilder& b, const RecoveryExpr* re, const ir::Loc& at) {
    auto subs = re->subExpressions();
    if (!subs.empty()) {
      const Expr* first = strip(subs[0]);
      std::vector<const Expr*> rest(subs.begin() + 1, subs.end());
      if (const auto* ul = dyn_cast<UnresolvedLookupExpr>(first)) {
        std::string q = ul->getQualifier() ? strip(source(ul->getQualifierLoc().getSourceRange())) + "::" : "";
        return b.call_free(q + ul->getName().getAsString(), args_of(b, rest), at);
      }
      if (const auto* dr = dyn_cast<DeclRefExpr>(first))
        if (const auto* fd = dyn_cast<FunctionDecl>(dr->getDecl())) return call_decl(b, dr, fd, args_of(b, rest), at);
      if (const auto* me = dyn_cast<MemberExpr>(first)) {
        bool arrow = me->isArrow();
        const Expr* base = receiver(me->getBase(), arrow);
        std::string method = me->getMemberNameInfo().getAsString();
        if (isa<CXXThisExpr>(base)) return b.call_self_method(method, args_of(b, rest), at);
        NodeId recv = expr(b, base);
        return b.call_method(recv, kind_of(base->getType()), method, args_of(b, rest), at, arrow);
      }
    }
    std::vector<NodeId> args;
    for (const Expr* s : subs) {
      NodeId v = expr(b, s);
      if (v != kNoNode) args.push_back(v);
    }
    return b.unknown(std::move(args), at, "recovery");
  }

  // Whether target() makes an assignment target of `e0` (rather than lowering it as a statement).
  bool assignable(const Expr* e0) const {
    const Expr* e = strip(e0);
    if (!e) return false;
    if (isa<DeclRefExpr>(e) || isa<MemberExpr>(e) || isa<ArraySubscriptExpr>(e)) return true;
    if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(e))
      return (oc->getOperator() == OO_Subscript && oc->getNumArgs() == 2) ||
             (oc->getOperator() == OO_Star && oc->getNumArgs() == 1 && assignable(oc->getArg(0)));
    if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->getOpcode() == UO_Deref)
      return assignable(uo->getSubExpr());
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(e)) {
      const CXXMethodDecl* md = mc->getMethodDecl();
      return md && md->getNameAsString() == "index" && mc->getNumArgs() >= 1;
    }
    return false;
  }

  Target target(FnBuilder& b, const Expr* e0) {
    const Expr* e = strip(e0);
    ir::Loc at = loc(e);
    if (const auto* dr = dyn_cast<DeclRefExpr>(e)) return b.target_var(dr->getDecl()->getNameAsString(), at);
    if (const auto* me = dyn_cast<MemberExpr>(e)) {
      bool arrow = me->isArrow();
      const Expr* base = receiver(me->getBase(), arrow);
      std::string name = me->getMemberDecl()->getNameAsString();
      if (isa<CXXThisExpr>(base)) {
        Target t = b.target_var(name, at);
        if (t.kind == Target::Member) return t;
        NodeId self = b.self() != kNoNode ? b.self() : expr(b, base);
        return b.target_member(self, name, at);
      }
      return b.target_member(expr(b, base), name, at);
    }
    if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(e)) {
      if (oc->getOperator() == OO_Subscript && oc->getNumArgs() == 2) {
        const Expr* arg = strip(oc->getArg(0));
        NodeId base = expr(b, arg);
        NodeId idx = expr(b, oc->getArg(1));
        std::string root;
        if (const auto* dr = dyn_cast<DeclRefExpr>(arg); dr && isa<VarDecl>(dr->getDecl()))
          root = dr->getDecl()->getNameAsString();
        return b.target_index(base, idx, root, at);
      }
      if (oc->getOperator() == OO_Star && oc->getNumArgs() == 1) return target(b, oc->getArg(0));
    }
    if (const auto* as = dyn_cast<ArraySubscriptExpr>(e)) {
      const Expr* arg = strip(as->getBase());
      NodeId base = expr(b, arg);
      NodeId idx = expr(b, as->getIdx());
      std::string root;
      if (const auto* dr = dyn_cast<DeclRefExpr>(arg); dr && isa<VarDecl>(dr->getDecl()))
        root = dr->getDecl()->getNameAsString();
      return b.target_index(base, idx, root, at);
    }
    if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->getOpcode() == UO_Deref)
      return target(b, uo->getSubExpr());
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(e)) {
      // y.index({Slice(), 3}) = v  ->  y[:, 3] = v
      const CXXMethodDecl* md = mc->getMethodDecl();
      if (md && md->getNameAsString() == "index" && mc->getNumArgs() >= 1) {
        const Expr* arg = strip(mc->getImplicitObjectArgument());
        NodeId base = expr(b, arg);
        NodeId idx = expr(b, mc->getArg(0));
        if (idx != kNoNode) {
          ir::Node& in = b.fn().node(idx);
          if ((in.op == "list" || in.op == "tuple") && in.args.size() == 1)
            idx = in.args[0];
          else if (in.op == "list")
            in.op = "tuple";
        }
        std::string root;
        if (const auto* dr = dyn_cast<DeclRefExpr>(arg); dr && isa<VarDecl>(dr->getDecl()))
          root = dr->getDecl()->getNameAsString();
        return b.target_index(base, idx, root, at);
      }
    }
    b.statement(expr(b, e));
    return Target{};
  }

  NodeId lambda(FnBuilder& b, const LambdaExpr* le, const ir::Loc& at) {
    int32_t id = fc_.new_function("<lambda>", "<lambda>", -1, b.fn_id(), at, false);
    fc_.prog.functions[static_cast<size_t>(id)].qualname = b.fn().qualname + ".<lambda>";
    FnBuilder sub(fc_, id, b.owner(), &b);
    sub.depth = b.depth;
    if (const CXXMethodDecl* op = le->getCallOperator()) {
      for (unsigned i = 0; i < op->getNumParams(); ++i) {
        const ParmVarDecl* p = op->getParamDecl(i);
        sub.add_param(p->getNameAsString(), kind_of(p->getType()), loc(p->getLocation()), type_str(p->getType()));
      }
    }
    lower_stmt(sub, le->getBody());
    return b.lambda_value(id, at);
  }

  FileCtx& fc_;
  ASTContext& ctx_;
  SourceManager& sm_;
  const LangOptions& lo_;
  std::unique_ptr<PrintingPolicy> policy_;
  std::vector<Job> jobs_;
  std::map<const CXXRecordDecl*, ClassInfo*> records_;
  std::map<const Decl*, int32_t> fn_ids_;
};

// ---------------------------------------------------------------------------------------------
// Running Clang

struct RunState {
  std::vector<std::string> missing_headers;                  // includes that were not found
  std::vector<std::string> errors;                           // first error messages in the main file
  std::vector<std::pair<int32_t, std::string>> error_lines;  // every error in the main file
  std::vector<std::pair<int32_t, int32_t>> body_lines;       // of the lowered functions
  int error_count = 0;
  bool pch_error = false;
};

class IncludeWatcher : public PPCallbacks {
 public:
  explicit IncludeWatcher(RunState& st) : st_(st) {}
  void InclusionDirective(SourceLocation, const Token&, StringRef file_name, bool, CharSourceRange,
                          const FileEntry* file, StringRef, StringRef, const Module*,
                          SrcMgr::CharacteristicKind) override {
    if (!file) st_.missing_headers.push_back(file_name.str());
  }

 private:
  RunState& st_;
};

class Diags : public DiagnosticConsumer {
 public:
  explicit Diags(RunState& st) : st_(st) {}
  void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic& info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < DiagnosticsEngine::Error) return;
    if (info.getID() == diag::err_pp_file_not_found) return;  // reported as a missing header
    SmallString<256> msg;
    info.FormatDiagnostic(msg);
    std::string m = msg.str().str();
    if (m.find("precompiled header") != std::string::npos || m.find("PCH") != std::string::npos ||
        m.find(".pch") != std::string::npos)
      st_.pch_error = true;
    ++st_.error_count;
    if (info.hasSourceManager() && info.getLocation().isValid() &&
        info.getSourceManager().isInMainFile(info.getSourceManager().getExpansionLoc(info.getLocation()))) {
      auto& sm = info.getSourceManager();
      SourceLocation l = sm.getExpansionLoc(info.getLocation());
      std::string at = fmt::format("{}:{}: {}", sm.getExpansionLineNumber(l), sm.getExpansionColumnNumber(l), m);
      if (st_.errors.size() < 3) st_.errors.push_back(at);
      st_.error_lines.emplace_back(static_cast<int32_t>(sm.getExpansionLineNumber(l)), at);
    }
  }

 private:
  RunState& st_;
};

class LowerAction : public ASTFrontendAction {
 public:
  LowerAction(ir::Program& prog, const Options& opts, RunState& st, int& invalid)
      : prog_(prog), opts_(opts), st_(st), invalid_(invalid) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& ci, StringRef) override {
    // A missing header must not end the translation unit (toolchain.md §1).
    ci.getDiagnostics().setSeverity(diag::err_pp_file_not_found, diag::Severity::Error, SourceLocation());
    ci.getPreprocessor().addPPCallbacks(std::make_unique<IncludeWatcher>(st_));
    return std::make_unique<Consumer>(*this);
  }

 private:
  class Consumer : public ASTConsumer {
   public:
    explicit Consumer(LowerAction& a) : a_(a) {}
    void HandleTranslationUnit(ASTContext& ctx) override {
      FileCtx fc(a_.prog_, a_.opts_);
      Walker w(fc, ctx);
      w.run(ctx.getTranslationUnitDecl());
      a_.invalid_ = w.invalid_functions;
      a_.st_.body_lines = w.body_lines;
      if (fc.too_deep) {
        ir::SourceFile& f = a_.prog_.files[0];
        f.status = ir::FileStatus::Partial;
        std::string m = fmt::format("nesting deeper than {} levels at {}:{} was not analysed", a_.opts_.max_depth,
                                    fc.too_deep_loc.line, fc.too_deep_loc.col);
        f.message = f.message.empty() ? m : f.message + "; " + m;
      }
    }

   private:
    LowerAction& a_;
  };

  ir::Program& prog_;
  const Options& opts_;
  RunState& st_;
  int& invalid_;
};

class PchAction : public GeneratePCHAction {
 public:
  explicit PchAction(std::string out) : out_(std::move(out)) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& ci, StringRef in) override {
    ci.getFrontendOpts().OutputFile = out_;
    return GeneratePCHAction::CreateASTConsumer(ci, in);
  }

 private:
  std::string out_;
};

class SilentDiags : public DiagnosticConsumer {
 public:
  void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic& info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
  }
};

// --- flags ------------------------------------------------------------------------------------

std::string env(const char* n) {
  const char* v = std::getenv(n);
  return v ? std::string(v) : std::string();
}

struct Flags {
  std::vector<std::string> args;  // compiler arguments without the input file (argv[0] first)
  std::string directory;
  std::string source;  // how they were found
};

// The arguments of a compile command, without the input file, -o, -c and dependency outputs.
std::vector<std::string> clean_command(const std::vector<std::string>& cmd, const std::string& file) {
  std::vector<std::string> out;
  for (size_t i = 0; i < cmd.size(); ++i) {
    const std::string& a = cmd[i];
    if (i == 0) {
      out.push_back(a);
      continue;
    }
    if (a == "-o" || a == "-MF" || a == "-MT" || a == "-MQ") {
      ++i;
      continue;
    }
    if (a == "-c" || a == "-MD" || a == "-MMD" || a == "-M" || a == "-MM" || a == file ||
        fs::path(a).filename() == fs::path(file).filename())
      continue;
    if (a.starts_with("-o") && a.size() > 2) continue;
    out.push_back(a);
  }
  return out;
}

// The directory the file was found under: its absolute path less its scan-relative path (the file's
// own directory when the two do not line up).
static fs::path scan_root_of(const ir::SourceFile& f) {
  fs::path root = fs::path(f.abs_path).parent_path();
  fs::path rel = fs::path(f.path).parent_path();
  for (auto it = rel.begin(); it != rel.end(); ++it) {
    if (root == root.root_path()) return fs::path(f.abs_path).parent_path();
    root = root.parent_path();
  }
  return root;
}

Flags find_flags(const ir::SourceFile& f, const Options& opts) {
  Flags fl;
  fs::path file = f.abs_path;
  std::string err;
  std::unique_ptr<tooling::CompilationDatabase> db;
  if (!opts.compile_commands_dir.empty()) {
    db = tooling::CompilationDatabase::loadFromDirectory(opts.compile_commands_dir, err);
  } else if (opts.extra_args.empty()) {
    // The nearest compile_commands.json at or above the file, within the scan root (nothing above it
    // is read), and only a regular file (a FIFO would block the scan).
    const fs::path root = scan_root_of(f);
    for (fs::path dir = file.parent_path(); !dir.empty(); dir = dir.parent_path()) {
      std::error_code ec;
      if (fs::is_regular_file(dir / "compile_commands.json", ec)) {
        db = tooling::CompilationDatabase::loadFromDirectory(dir.string(), err);
        break;
      }
      if (dir == root || dir == dir.root_path()) break;
    }
  }
  if (db) {
    auto cmds = db->getCompileCommands(file.string());
    if (cmds.empty()) {
      // Headers: infer from a neighbouring source of the database.
      std::string ext = file.extension().string();
      if (ext == ".h" || ext == ".hpp" || ext == ".hh" || ext == ".hxx") {
        auto inferred = tooling::inferMissingCompileCommands(std::move(db));
        cmds = inferred->getCompileCommands(file.string());
      }
    }
    if (!cmds.empty()) {
      fl.args = clean_command(cmds[0].CommandLine, cmds[0].Filename);
      fl.directory = cmds[0].Directory;
      fl.source = "compile_commands.json";
      return fl;
    }
  }
  fl.directory = file.parent_path().string();
  fl.args.push_back("clang++");
  if (!opts.extra_args.empty()) {
    fl.args.insert(fl.args.end(), opts.extra_args.begin(), opts.extra_args.end());
    fl.source = "arguments";
    return fl;
  }
  fl.source = "defaults";
  fl.args.push_back("-std=c++17");
  for (const auto& d : torch_include_dirs()) fl.args.push_back("-I" + d);
  // Our own headers next to the model: the file's directory and include/ directories above it.
  fl.args.push_back("-I" + file.parent_path().string());
  int up = 0;
  for (fs::path dir = file.parent_path(); !dir.empty() && up < 4; dir = dir.parent_path(), ++up) {
    std::error_code ec;
    if (fs::is_directory(dir / "include", ec)) fl.args.push_back("-I" + (dir / "include").string());
    if (dir == dir.root_path()) break;
  }
  return fl;
}

bool is_header(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  return ext == ".h" || ext == ".hpp" || ext == ".hh" || ext == ".hxx";
}

// Whether an angled include resolves in the -I / -isystem directories of the flags or the system.
bool include_found(const std::string& inc, const Flags& fl) {
  std::vector<std::string> dirs;
  for (size_t i = 0; i < fl.args.size(); ++i) {
    const std::string& a = fl.args[i];
    for (const char* p : {"-I", "-isystem", "-iquote", "-idirafter"}) {
      std::string ps(p);
      if (a == ps && i + 1 < fl.args.size())
        dirs.push_back(fl.args[i + 1]);
      else if (a.starts_with(ps) && a.size() > ps.size())
        dirs.push_back(a.substr(ps.size()));
    }
  }
  dirs.push_back("/usr/include");
  dirs.push_back("/usr/local/include");
  for (const auto& d : dirs) {
    std::error_code ec;
    fs::path p = fs::path(d);
    if (p.is_relative()) p = fs::path(fl.directory) / p;
    if (fs::exists(p / inc, ec)) return true;
  }
  return false;
}

// --- the precompiled torch header --------------------------------------------------------------

std::string cache_dir() {
  if (std::string d = env("ARCHSCAN_CACHE_DIR"); !d.empty()) return d;
  if (std::string d = env("XDG_CACHE_HOME"); !d.empty()) return (fs::path(d) / "archscan").string();
  if (std::string h = env("HOME"); !h.empty()) return (fs::path(h) / ".cache" / "archscan").string();
  return (fs::temp_directory_path() / "archscan-cache").string();
}

struct PchEntry {
  enum State { Building, Ready, Failed } state = Building;
  std::string path;
};
std::mutex g_pch_mu;
std::condition_variable g_pch_cv;
std::map<std::string, PchEntry> g_pch;

// Flags that change what the torch headers mean (language, target, macros), not where files are.
std::string pch_key(const std::vector<std::string>& args) {
  std::string k = "clang14|";
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a.starts_with("-I") || a.starts_with("-isystem") || a.starts_with("-iquote")) &&
        a.find("torch") == std::string::npos)
      continue;
    if (a.starts_with("-W") || a == "-w") continue;
    k += a + "|";
  }
  std::error_code ec;
  for (const auto& d : torch_include_dirs()) {
    fs::path h = fs::path(d) / "torch" / "torch.h";
    if (fs::exists(h, ec))
      k += fmt::format("{}:{}|", h.string(),
                       static_cast<long long>(fs::last_write_time(h, ec).time_since_epoch().count()));
  }
  return k;
}

std::vector<std::string> adjust(std::vector<std::string> args, bool header) {
  // Insert after argv[0]: our options first, so the file's own flags win.
  std::vector<std::string> pre = {"-fsyntax-only",          "-w",
                                  "-ferror-limit=0",        "-Wno-unknown-warning-option",
                                  "-fno-caret-diagnostics", "-resource-dir=" ARCHSCAN_CLANG_RESOURCE_DIR};
  if (header) pre.insert(pre.begin(), {"-x", "c++"});
  // GCC-only flags Clang rejects.
  std::vector<std::string> out{args.empty() ? std::string("clang++") : args[0]};
  out.insert(out.end(), pre.begin(), pre.end());
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-fno-fat-lto-objects" || a.starts_with("-fconcepts") || a == "-fno-semantic-interposition" ||
        a.starts_with("-fdiagnostics-color") || a.starts_with("-flto") || a.starts_with("-fprofile") ||
        a == "-fsyntax-only" || a == "-Werror" || a.starts_with("-Werror="))
      continue;
    out.push_back(a);
  }
  return out;
}

// The disk under an overlay, with a working directory of its own. Not vfs::getRealFileSystem():
// that one is linked to the process, so setting the overlay's working directory (a compile
// command's directory) would chdir the whole scan: relative report and database paths, and the
// reads of other threads, would then resolve elsewhere.
llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> overlay_over_disk() {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> disk(llvm::vfs::createPhysicalFileSystem().release());
  return llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem>(new llvm::vfs::OverlayFileSystem(disk));
}

// Builds (once per flag set, then cached on disk) a PCH of <torch/torch.h>; "" when unavailable.
std::string torch_pch(const std::vector<std::string>& args, const std::string& directory) {
  if (!env("ARCHSCAN_NO_PCH").empty()) return {};
  std::string key = pch_key(args);
  std::string name = fmt::format("torch-{:016x}.pch", llvm::xxHash64(key));
  fs::path dir = fs::path(cache_dir()) / "pch";
  fs::path path = dir / name;
  {
    std::unique_lock<std::mutex> lk(g_pch_mu);
    auto it = g_pch.find(key);
    if (it != g_pch.end()) {
      g_pch_cv.wait(lk, [&] { return it->second.state != PchEntry::Building; });
      return it->second.state == PchEntry::Ready ? it->second.path : std::string();
    }
    g_pch[key] = PchEntry{};
  }
  std::error_code ec;
  bool ok = fs::exists(path, ec) && fs::file_size(path, ec) > 0;
  if (!ok) {
    fs::create_directories(dir, ec);
    fs::path hdr = dir / fmt::format("torch-{:016x}.h", llvm::xxHash64(key));
    {
      std::ofstream o(hdr);
      o << "#pragma once\n#include <torch/torch.h>\n";
    }
    std::vector<std::string> a = adjust(args, false);
    a.erase(std::remove(a.begin(), a.end(), std::string("-fsyntax-only")), a.end());
    a.insert(a.begin() + 1, {"-x", "c++-header"});
    std::string tmp = path.string() + fmt::format(".tmp{}", static_cast<long long>(::getpid()));
    a.push_back(hdr.string());
    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> overlay = overlay_over_disk();
    overlay->setCurrentWorkingDirectory(directory);
    llvm::IntrusiveRefCntPtr<FileManager> files(new FileManager(FileSystemOptions(), overlay));
    SilentDiags silent;
    tooling::ToolInvocation inv(a, std::make_unique<PchAction>(tmp), files.get());
    inv.setDiagnosticConsumer(&silent);
    bool rc = inv.run();
    ok = rc && fs::exists(tmp, ec) && fs::file_size(tmp, ec) > 0;
    if (ok)
      fs::rename(tmp, path, ec);
    else
      fs::remove(tmp, ec);
    ok = ok && !ec;
  }
  {
    std::lock_guard<std::mutex> lk(g_pch_mu);
    PchEntry& e = g_pch[key];
    e.state = ok ? PchEntry::Ready : PchEntry::Failed;
    e.path = ok ? path.string() : std::string();
  }
  g_pch_cv.notify_all();
  return ok ? path.string() : std::string();
}

void forget_pch(const std::string& path) {
  std::lock_guard<std::mutex> lk(g_pch_mu);
  for (auto& [k, e] : g_pch)
    if (e.path == path) {
      e.state = PchEntry::Failed;
      e.path.clear();
    }
  std::error_code ec;
  fs::remove(path, ec);
}

}  // namespace

bool lower_semantic(ir::Program& prog, const Options& opts, std::string& why) {
  ir::SourceFile& file = prog.files[0];
  if (file.abs_path.empty()) {
    why = "no path for the file";
    return false;
  }
  Flags fl = find_flags(file, opts);
  // Without the library headers Clang drops every body that uses them: fall back early.
  std::vector<Include> incs = scan_includes(file.text);
  bool wants_torch = false;
  for (const auto& inc : incs) {
    bool lib = inc.path.starts_with("torch/") || inc.path.starts_with("ATen/") || inc.path.starts_with("c10/") ||
               inc.path.starts_with("ggml");
    if (inc.path.starts_with("torch/") || inc.path.starts_with("ATen/")) wants_torch = true;
    if (!lib) continue;
    bool found = include_found(inc.path, fl);
    if (!found && inc.quoted) {
      std::error_code ec;
      found = fs::exists(fs::path(file.abs_path).parent_path() / inc.path, ec);
    }
    if (!found) {
      why = fmt::format("header <{}> not found ({} flags)", inc.path, fl.source);
      return false;
    }
  }
  std::vector<std::string> args = adjust(fl.args, is_header(file.abs_path));
  std::string pch;
  if (wants_torch && !is_header(file.abs_path)) pch = torch_pch(fl.args, fl.directory);

  for (int attempt = 0; attempt < 2; ++attempt) {
    ir::Program trial;
    trial.files.push_back(file);
    RunState st;
    int invalid = 0;
    std::vector<std::string> a = args;
    if (!pch.empty()) a.insert(a.begin() + 1, {"-include-pch", pch});
    a.push_back(file.abs_path);
    // The text as read by the scanner (a byte-order mark blanked), over the real file system.
    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> overlay = overlay_over_disk();
    llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> mem(new llvm::vfs::InMemoryFileSystem);
    overlay->pushOverlay(mem);
    mem->addFile(file.abs_path, 0, llvm::MemoryBuffer::getMemBufferCopy(file.text, file.abs_path));
    overlay->setCurrentWorkingDirectory(fl.directory);
    llvm::IntrusiveRefCntPtr<FileManager> files(new FileManager(FileSystemOptions(), overlay));
    Diags diags(st);
    // ToolInvocation, not ClangTool: no "Error while processing" on stderr for files with errors.
    tooling::ToolInvocation inv(a, std::make_unique<LowerAction>(trial, opts, st, invalid), files.get());
    inv.setDiagnosticConsumer(&diags);
    inv.run();  // false when the TU had errors; the consumer ran anyway
    if (st.pch_error && !pch.empty()) {
      forget_pch(pch);
      pch.clear();
      continue;
    }
    for (const auto& m : st.missing_headers)
      if (m.starts_with("torch/") || m.starts_with("ATen/") || m.starts_with("c10/") || m.starts_with("ggml")) {
        why = fmt::format("header <{}> not found ({} flags)", m, fl.source);
        return false;
      }
    if (invalid > 0 || (trial.functions.empty() && st.error_count > 0 && !st.errors.empty())) {
      why = fmt::format("Clang could not analyse the file ({})", st.errors.empty() ? "errors" : st.errors[0]);
      return false;
    }
    // An error inside a function body (a name from a missing header, a typo) makes Clang drop or
    // recover statements there; the syntactic lowering keeps them all.
    for (const auto& [line, msg] : st.error_lines)
      for (const auto& [a, b] : st.body_lines)
        if (line >= a && line <= b) {
          why = fmt::format("compile error in a function body at {}", msg);
          if (!st.missing_headers.empty()) why += fmt::format(" (header not found: {})", st.missing_headers[0]);
          return false;
        }
    ir::SourceFile& out = trial.files[0];
    out.mode = "semantic";
    std::vector<std::string> notes;
    if (!st.missing_headers.empty()) {
      std::string list;
      for (size_t i = 0; i < st.missing_headers.size() && i < 3; ++i) list += (i ? ", " : "") + st.missing_headers[i];
      notes.push_back("headers not found: " + list + " (analysed without them)");
    }
    if (st.error_count > 0 && !st.errors.empty())
      notes.push_back(fmt::format("{} compile errors, first at {}", st.error_count, st.errors[0]));
    for (const auto& n : notes) out.message = out.message.empty() ? n : out.message + "; " + n;
    prog = std::move(trial);
    return true;
  }
  why = "the precompiled torch header could not be used";
  return false;
}

}  // namespace archscan::frontend::cpp
