// expect: none
// LLaMA graph builder in the style of llama.cpp: token embeddings, RMSNorm, rotary attention
// with the KQ mask input, SwiGLU feed-forward, output projection.
#include <ggml.h>

#include <cmath>
#include <cstdint>
#include <vector>

struct llama_hparams {
  int32_t n_vocab = 32000;
  int32_t n_embd = 4096;
  int32_t n_head = 32;
  int32_t n_layer = 32;
  float f_norm_rms_eps = 1e-5f;
};

struct llama_layer {
  struct ggml_tensor * attn_norm;
  struct ggml_tensor * wq;
  struct ggml_tensor * wk;
  struct ggml_tensor * wv;
  struct ggml_tensor * wo;
  struct ggml_tensor * ffn_norm;
  struct ggml_tensor * ffn_gate;
  struct ggml_tensor * ffn_down;
  struct ggml_tensor * ffn_up;
};

struct llama_model {
  llama_hparams hparams;
  struct ggml_tensor * tok_embd;
  struct ggml_tensor * output_norm;
  struct ggml_tensor * output;
  std::vector<llama_layer> layers;
};

struct ggml_cgraph * llama_build_graph(const llama_model & model, struct ggml_context * ctx0, int n_tokens,
                                       int n_kv) {
  const llama_hparams & hp = model.hparams;
  const int n_embd_head = hp.n_embd / hp.n_head;

  struct ggml_cgraph * gf = ggml_new_graph(ctx0);

  struct ggml_tensor * inp_tokens = ggml_new_tensor_1d(ctx0, GGML_TYPE_I32, n_tokens);
  ggml_set_name(inp_tokens, "inp_tokens");
  ggml_set_input(inp_tokens);
  struct ggml_tensor * inp_pos = ggml_new_tensor_1d(ctx0, GGML_TYPE_I32, n_tokens);
  ggml_set_input(inp_pos);
  struct ggml_tensor * kq_mask = ggml_new_tensor_2d(ctx0, GGML_TYPE_F32, n_kv, n_tokens);
  ggml_set_input(kq_mask);

  struct ggml_tensor * inpL = ggml_get_rows(ctx0, model.tok_embd, inp_tokens);
  struct ggml_tensor * cur;

  for (int il = 0; il < hp.n_layer; ++il) {
    const llama_layer & layer = model.layers[il];
    cur = ggml_rms_norm(ctx0, inpL, hp.f_norm_rms_eps);
    cur = ggml_mul(ctx0, cur, layer.attn_norm);

    struct ggml_tensor * q = ggml_reshape_3d(ctx0, ggml_mul_mat(ctx0, layer.wq, cur), n_embd_head, hp.n_head, n_tokens);
    struct ggml_tensor * k = ggml_reshape_3d(ctx0, ggml_mul_mat(ctx0, layer.wk, cur), n_embd_head, hp.n_head, n_tokens);
    struct ggml_tensor * v = ggml_reshape_3d(ctx0, ggml_mul_mat(ctx0, layer.wv, cur), n_embd_head, hp.n_head, n_tokens);
    q = ggml_rope(ctx0, q, inp_pos, n_embd_head, 0);
    k = ggml_rope(ctx0, k, inp_pos, n_embd_head, 0);

    struct ggml_tensor * kq = ggml_mul_mat(ctx0, ggml_permute(ctx0, k, 0, 2, 1, 3), ggml_permute(ctx0, q, 0, 2, 1, 3));
    kq = ggml_soft_max_ext(ctx0, kq, kq_mask, 1.0f / sqrtf(float(n_embd_head)), 0.0f);
    struct ggml_tensor * kqv = ggml_mul_mat(ctx0, ggml_cont(ctx0, ggml_permute(ctx0, v, 1, 2, 0, 3)), kq);
    cur = ggml_cont(ctx0, ggml_permute(ctx0, kqv, 0, 2, 1, 3));
    cur = ggml_reshape_2d(ctx0, cur, hp.n_embd, n_tokens);
    cur = ggml_mul_mat(ctx0, layer.wo, cur);

    struct ggml_tensor * ffn_inp = ggml_add(ctx0, cur, inpL);
    cur = ggml_rms_norm(ctx0, ffn_inp, hp.f_norm_rms_eps);
    cur = ggml_mul(ctx0, cur, layer.ffn_norm);
    struct ggml_tensor * gate = ggml_silu(ctx0, ggml_mul_mat(ctx0, layer.ffn_gate, cur));
    struct ggml_tensor * up = ggml_mul_mat(ctx0, layer.ffn_up, cur);
    cur = ggml_mul_mat(ctx0, layer.ffn_down, ggml_mul(ctx0, gate, up));
    inpL = ggml_add(ctx0, cur, ffn_inp);
  }

  cur = ggml_rms_norm(ctx0, inpL, hp.f_norm_rms_eps);
  cur = ggml_mul(ctx0, cur, model.output_norm);
  cur = ggml_mul_mat(ctx0, model.output, cur);
  ggml_set_name(cur, "result_output");
  ggml_build_forward_expand(gf, cur);
  return gf;
}
