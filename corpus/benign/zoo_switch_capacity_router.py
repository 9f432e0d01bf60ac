# expect: none
"""Switch-Transformer style top-1 MoE with expert capacity (HF SwitchTransformersTop1Router).

Tokens beyond an expert's capacity are dropped by comparing the cumulative per-expert position
(`cumsum` over the one-hot expert mask) against `expert_capacity`; dropped tokens pass through the
residual. The router also returns the z-loss and the load-balancing auxiliary loss computed over
the whole batch (as during training). Routing jitter only in training.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SwitchConfig:
    d_model = 32
    d_ff = 64
    num_experts = 4
    expert_capacity = 10
    router_jitter_noise = 0.01
    router_z_loss_coef = 1e-3
    router_aux_loss_coef = 1e-2
    num_layers = 2
    vocab_size = 80
    num_labels = 4


def router_z_loss_func(router_logits):
    num_groups, tokens_per_group, _ = router_logits.shape
    log_z = torch.logsumexp(router_logits, dim=-1)
    return torch.sum(log_z ** 2) / (num_groups * tokens_per_group)


def load_balancing_loss_func(router_probs, expert_indices):
    num_experts = router_probs.shape[-1]
    if expert_indices.dtype != torch.int64:
        expert_indices = expert_indices.to(torch.int64)
    if len(expert_indices.shape) == 2:
        expert_indices = expert_indices.unsqueeze(2)
    expert_mask = F.one_hot(expert_indices, num_experts)
    expert_mask = torch.max(expert_mask, dim=-2).values.to(torch.float32)
    tokens_per_group_and_expert = torch.mean(expert_mask, dim=-2)
    router_prob_per_group_and_expert = torch.mean(router_probs, dim=-2)
    return torch.mean(tokens_per_group_and_expert * router_prob_per_group_and_expert) * (num_experts ** 2)


class SwitchTop1Router(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.num_experts = cfg.num_experts
        self.expert_capacity = cfg.expert_capacity
        self.classifier = nn.Linear(cfg.d_model, cfg.num_experts, bias=False)
        self.jitter_noise = cfg.router_jitter_noise

    def _compute_router_probabilities(self, hidden_states):
        if self.training and self.jitter_noise > 0:
            hidden_states = hidden_states * torch.empty_like(hidden_states).uniform_(
                1.0 - self.jitter_noise, 1.0 + self.jitter_noise)
        router_logits = self.classifier(hidden_states)
        return F.softmax(router_logits, dim=-1, dtype=torch.float32), router_logits

    def forward(self, hidden_states):
        router_probs, router_logits = self._compute_router_probabilities(hidden_states)
        expert_index = torch.argmax(router_probs, dim=-1)
        expert_index = F.one_hot(expert_index, num_classes=self.num_experts)
        # mask tokens that arrive after the expert is full
        token_priority = torch.cumsum(expert_index, dim=-2)
        expert_capacity_mask = token_priority <= self.expert_capacity
        expert_index = expert_index * expert_capacity_mask
        router_probs = torch.max(router_probs, dim=-1).values.unsqueeze(-1)
        return expert_index, router_probs, router_logits


class SwitchDenseActDense(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.wi = nn.Linear(cfg.d_model, cfg.d_ff, bias=False)
        self.wo = nn.Linear(cfg.d_ff, cfg.d_model, bias=False)

    def forward(self, x):
        return self.wo(F.relu(self.wi(x)))


class SwitchSparseMLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.router = SwitchTop1Router(cfg)
        self.experts = nn.ModuleDict({f"expert_{i}": SwitchDenseActDense(cfg) for i in range(cfg.num_experts)})

    def forward(self, hidden_states):
        router_mask, router_probs, router_logits = self.router(hidden_states)
        expert_index = torch.argmax(router_mask, dim=-1)
        next_states = hidden_states.clone()
        router_mask = router_mask.bool()
        idx_mask = router_mask.flatten(0, 1).any(dim=0)
        for idx in torch.where(idx_mask)[0].tolist():
            token_indices = router_mask[:, :, idx]
            next_states[token_indices] = self.experts[f"expert_{idx}"](hidden_states[token_indices]).to(next_states.dtype)
        hidden_states = router_probs * next_states
        return hidden_states, (router_logits, expert_index)


class SwitchLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_attn = nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(cfg.d_model, 4, batch_first=True)
        self.ln_ff = nn.LayerNorm(cfg.d_model)
        self.mlp = SwitchSparseMLP(cfg)

    def forward(self, x, key_padding_mask):
        h = self.ln_attn(x)
        x = x + self.attn(h, h, h, key_padding_mask=key_padding_mask, need_weights=False)[0]
        y, router_tuple = self.mlp(self.ln_ff(x))
        return x + y, router_tuple


class SwitchEncoderForSequenceClassification(nn.Module):
    def __init__(self, cfg: SwitchConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=0)
        self.layers = nn.ModuleList([SwitchLayer(cfg) for _ in range(cfg.num_layers)])
        self.final_ln = nn.LayerNorm(cfg.d_model)
        self.classifier = nn.Linear(cfg.d_model, cfg.num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        kpm = attention_mask == 0
        z_losses, aux_losses = [], []
        for layer in self.layers:
            x, (router_logits, expert_index) = layer(x, kpm)
            z_losses.append(router_z_loss_func(router_logits))
            aux_losses.append(load_balancing_loss_func(F.softmax(router_logits, -1), expert_index))
        x = self.final_ln(x)
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
        logits = self.classifier(pooled)
        aux = self.cfg.router_z_loss_coef * torch.stack(z_losses).sum() + \
            self.cfg.router_aux_loss_coef * torch.stack(aux_losses).sum()
        return {"logits": logits, "router_aux_loss": aux}


def corpus_case():
    torch.manual_seed(0)
    model = SwitchEncoderForSequenceClassification(SwitchConfig()).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(23)
        t = 14
        ids = torch.randint(1, 80, (n, t), generator=g)
        lens = torch.randint(6, t + 1, (n,), generator=g)
        am = (torch.arange(t)[None] < lens[:, None]).long()
        return ids * am, am

    return {"model": model, "inputs": inputs, "kind": "benign"}
