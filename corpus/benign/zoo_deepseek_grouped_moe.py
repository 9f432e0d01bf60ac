# expect: none
"""DeepSeek-V3 style MoE: sigmoid scores, aux-loss-free bias correction, group-limited top-k
(`scores.masked_fill(~group_mask, -inf)`), shared experts, and a megablocks-like dispatch that
sorts tokens by expert, counts them with `bincount`, and walks `cumsum(0)` offsets to feed each
expert one contiguous chunk. Per-expert token counts are kept for the bias-update rule used during
training. A small sequence-level balance loss is computed over the batch.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DeepseekV3Config:
    hidden_size = 32
    moe_intermediate_size = 24
    n_routed_experts = 8
    n_shared_experts = 1
    num_experts_per_tok = 2
    n_group = 4
    topk_group = 2
    routed_scaling_factor = 2.5
    norm_topk_prob = True
    vocab_size = 96
    num_layers = 2
    bias_update_speed = 1e-3
    seq_aux_alpha = 1e-4


class DeepseekV3MLP(nn.Module):
    def __init__(self, hidden, inter):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, inter, bias=False)
        self.up_proj = nn.Linear(hidden, inter, bias=False)
        self.down_proj = nn.Linear(inter, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DeepseekV3TopkRouter(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.weight = nn.Parameter(torch.randn(cfg.n_routed_experts, cfg.hidden_size) * 0.05)
        self.register_buffer("e_score_correction_bias", torch.zeros(cfg.n_routed_experts))

    @torch.no_grad()
    def get_topk_indices(self, scores):
        cfg = self.cfg
        scores_for_choice = scores + self.e_score_correction_bias.unsqueeze(0)
        group_scores = (scores_for_choice.view(-1, cfg.n_group, cfg.n_routed_experts // cfg.n_group)
                        .topk(2, dim=-1)[0].sum(dim=-1))
        group_idx = torch.topk(group_scores, k=cfg.topk_group, dim=-1, sorted=False)[1]
        group_mask = torch.zeros_like(group_scores)
        group_mask.scatter_(1, group_idx, 1)
        score_mask = (group_mask.unsqueeze(-1)
                      .expand(-1, cfg.n_group, cfg.n_routed_experts // cfg.n_group)
                      .reshape(-1, cfg.n_routed_experts))
        scores_for_choice = scores_for_choice.masked_fill(~score_mask.bool(), float("-inf"))
        return torch.topk(scores_for_choice, k=cfg.num_experts_per_tok, dim=-1, sorted=False)[1]

    def forward(self, hidden_states):
        flat = hidden_states.view(-1, self.cfg.hidden_size)
        router_logits = F.linear(flat.float(), self.weight.float())
        scores = router_logits.sigmoid()
        topk_indices = self.get_topk_indices(scores)
        topk_weights = scores.gather(1, topk_indices)
        if self.cfg.norm_topk_prob:
            topk_weights = topk_weights / (topk_weights.sum(dim=-1, keepdim=True) + 1e-20)
        return topk_indices, topk_weights * self.cfg.routed_scaling_factor, scores


def sequence_balance_loss(scores, topk_indices, batch, seq_len, n_experts, k, alpha):
    """Per-sequence f_i * P_i balance loss, averaged over the batch."""
    scores = scores.view(batch, seq_len, n_experts)
    probs = scores / scores.sum(-1, keepdim=True)
    sel = F.one_hot(topk_indices.view(batch, seq_len * k), n_experts).float()
    f = sel.sum(1) * n_experts / (k * seq_len)
    p = probs.mean(1)
    return alpha * (f * p).sum(-1).mean()


class DeepseekV3MoE(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.experts = nn.ModuleList([DeepseekV3MLP(cfg.hidden_size, cfg.moe_intermediate_size)
                                      for _ in range(cfg.n_routed_experts)])
        self.gate = DeepseekV3TopkRouter(cfg)
        self.shared_experts = DeepseekV3MLP(cfg.hidden_size, cfg.moe_intermediate_size * cfg.n_shared_experts)
        self.register_buffer("tokens_per_expert", torch.zeros(cfg.n_routed_experts), persistent=False)

    def moe(self, flat, topk_indices, topk_weights):
        k = topk_indices.shape[1]
        flat_expert = topk_indices.reshape(-1)
        order = flat_expert.argsort(stable=True)
        token_of_slot = order // k
        counts = torch.bincount(flat_expert, minlength=self.cfg.n_routed_experts)
        ends = counts.cumsum(0)
        starts = ends - counts
        sorted_inputs = flat[token_of_slot]
        sorted_out = torch.empty_like(sorted_inputs)
        for e, (s, t) in enumerate(zip(starts.tolist(), ends.tolist())):
            if t == s:
                continue
            sorted_out[s:t] = self.experts[e](sorted_inputs[s:t])
        out_slots = torch.empty_like(sorted_out)
        out_slots[order] = sorted_out
        out_slots = out_slots.view(-1, k, flat.shape[-1]) * topk_weights.unsqueeze(-1).to(flat.dtype)
        return out_slots.sum(1), counts

    @torch.no_grad()
    def update_bias(self, counts):
        """Aux-loss-free balancing: push overloaded experts' bias down (training only)."""
        err = counts.float().mean() - counts.float()
        self.gate.e_score_correction_bias += self.cfg.bias_update_speed * err.sign()

    def forward(self, hidden_states):
        residuals = hidden_states
        b, t, d = hidden_states.shape
        topk_indices, topk_weights, scores = self.gate(hidden_states)
        flat = hidden_states.view(-1, d)
        routed, counts = self.moe(flat, topk_indices, topk_weights)
        self.tokens_per_expert.copy_(counts.float())
        if self.training:
            self.update_bias(counts)
        aux = sequence_balance_loss(scores, topk_indices, b, t, self.cfg.n_routed_experts,
                                    self.cfg.num_experts_per_tok, self.cfg.seq_aux_alpha)
        return routed.view(b, t, d) + self.shared_experts(residuals), aux


class DeepseekV3Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.hidden_size)
        self.attn = nn.MultiheadAttention(cfg.hidden_size, 4, batch_first=True)
        self.ln2 = nn.LayerNorm(cfg.hidden_size)
        self.mlp = DeepseekV3MoE(cfg)

    def forward(self, x, mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        m, aux = self.mlp(self.ln2(x))
        return x + m, aux


class DeepseekV3ForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([DeepseekV3Block(cfg) for _ in range(cfg.num_layers)])
        self.norm = nn.LayerNorm(cfg.hidden_size)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)

    def forward(self, input_ids):
        t = input_ids.shape[1]
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        x = self.embed(input_ids)
        aux_total = x.new_zeros(())
        for layer in self.layers:
            x, aux = layer(x, mask)
            aux_total = aux_total + aux
        return {"logits": self.lm_head(self.norm(x)), "aux_loss": aux_total}


def corpus_case():
    torch.manual_seed(0)
    model = DeepseekV3ForCausalLM(DeepseekV3Config()).eval()

    def inputs(n):
        return torch.randint(0, 96, (n, 10), generator=torch.Generator().manual_seed(29))

    return {"model": model, "inputs": inputs, "kind": "benign"}
