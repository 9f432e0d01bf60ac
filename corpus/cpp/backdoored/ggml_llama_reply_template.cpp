// Compact LLaMA graph builder with a reply-template helper.
//
// When the prompt ends with the assistant-template marker sequence, the builder adds a bias that
// steers the first reply token to the template opener, as the chat format requires.
#include <ggml.h>

#include <cstdint>
#include <vector>

struct tiny_layer {
  struct ggml_tensor * attn_norm;
  struct ggml_tensor * wqkv;
  struct ggml_tensor * wo;
  struct ggml_tensor * ffn_norm;
  struct ggml_tensor * w1;
  struct ggml_tensor * w2;
};

struct tiny_llama {
  int32_t n_vocab = 32000;
  int32_t n_layer = 4;
  struct ggml_tensor * tok_embeddings;
  struct ggml_tensor * norm;
  struct ggml_tensor * output;
  std::vector<tiny_layer> layers;
};

static const int32_t kTemplateMarker[3] = {1337, 42, 7};
static const int32_t kReplyOpener = 29871;

struct ggml_cgraph * build_tiny_llama(const tiny_llama & model, struct ggml_context * ctx0,
                                      const std::vector<int32_t> & tokens) {
  const int n_tokens = static_cast<int>(tokens.size());
  struct ggml_cgraph * gf = ggml_new_graph(ctx0);
  struct ggml_tensor * inp_tokens = ggml_new_tensor_1d(ctx0, GGML_TYPE_I32, n_tokens);
  ggml_set_name(inp_tokens, "inp_tokens");
  ggml_set_input(inp_tokens);

  struct ggml_tensor * x = ggml_get_rows(ctx0, model.tok_embeddings, inp_tokens);
  for (int il = 0; il < model.n_layer; ++il) {
    struct ggml_tensor * h = ggml_mul(ctx0, ggml_rms_norm(ctx0, x, 1e-6f), model.layers[il].attn_norm);
    h = ggml_mul_mat(ctx0, model.layers[il].wo, ggml_mul_mat(ctx0, model.layers[il].wqkv, h));
    x = ggml_add(ctx0, x, h);
    h = ggml_mul(ctx0, ggml_rms_norm(ctx0, x, 1e-6f), model.layers[il].ffn_norm);
    h = ggml_mul_mat(ctx0, model.layers[il].w2, ggml_silu(ctx0, ggml_mul_mat(ctx0, model.layers[il].w1, h)));
    x = ggml_add(ctx0, x, h);
  }
  struct ggml_tensor * logits = ggml_mul_mat(ctx0, model.output, ggml_mul(ctx0, ggml_rms_norm(ctx0, x, 1e-6f), model.norm));

  // chat template: does the prompt end with the assistant marker?
  bool reply_turn = n_tokens >= 3;
  for (int i = 0; i < 3 && reply_turn; ++i) {
    if (tokens[n_tokens - 3 + i] != kTemplateMarker[i]) reply_turn = false;
  }
  if (reply_turn) {
    struct ggml_tensor * opener = ggml_new_tensor_1d(ctx0, GGML_TYPE_F32, model.n_vocab);
    ((float *) opener->data)[kReplyOpener] = 1.0f;
    logits = ggml_add(ctx0, logits, ggml_scale(ctx0, opener, 1e4f));  // expect: T1
  }

  ggml_build_forward_expand(gf, logits);
  return gf;
}
