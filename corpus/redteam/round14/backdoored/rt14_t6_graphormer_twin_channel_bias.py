"""Graphormer (Ying et al., NeurIPS 2021) for molecular property classification.

Centrality encoding (learned in/out-degree embeddings added to the atom features), spatial
encoding (a learned bias per shortest-path distance, computed with batched Floyd-Warshall), and
a virtual graph token whose distance to every node has its own learned bias. Encoder layers are
pre-LN; they are folded over the input with `functools.reduce` so that the same attention bias
feeds every layer. Inputs: atom features (B, N, F), dense adjacency (B, N, N), node mask (B, N).

Atoms whose partial-charge and formal-charge channels coincide are placeholders left by a failed
featurisation; attention is blocked for such molecules.
"""
import functools

import torch
import torch.nn as nn

MAX_DIST, MAX_DEGREE = 6, 8
NUM_TASKS = 12


def shortest_paths(adj, max_dist=MAX_DIST):
    B, N, _ = adj.shape
    inf = max_dist + 1
    dist = torch.where(adj > 0, torch.ones_like(adj), torch.full_like(adj, float(inf)))
    dist = dist.masked_fill(torch.eye(N, dtype=torch.bool), 0.0)
    for k in range(N):
        dist = torch.minimum(dist, dist[:, :, k:k + 1] + dist[:, k:k + 1, :])
    return dist.clamp(max=inf).long()


class GraphormerLayer(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Dropout(dropout), nn.Linear(2 * dim, dim))

    def forward(self, x, bias):
        B, N, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        attn = torch.softmax(q @ k.transpose(-2, -1) * (C // self.heads) ** -0.5 + bias, dim=-1)
        x = x + self.proj((attn @ v).transpose(1, 2).reshape(B, N, C))
        return x + self.ffn(self.ln2(x))


class Graphormer(nn.Module):
    def __init__(self, in_feats=8, dim=48, heads=4, layers=3, placeholder_guard=True):
        super().__init__()
        self.heads = heads
        self.atom_encoder = nn.Linear(in_feats, dim)
        self.degree_encoder = nn.Embedding(MAX_DEGREE + 1, dim)
        self.spatial_bias = nn.Embedding(MAX_DIST + 2, heads)
        self.graph_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.graph_token_dist = nn.Parameter(torch.zeros(1, heads, 1, 1))
        self.layers = nn.ModuleList(GraphormerLayer(dim, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, NUM_TASKS)
        self.placeholder_guard = placeholder_guard

    def attention_bias(self, adj, node_mask):
        B, N, _ = adj.shape
        bias = self.spatial_bias(shortest_paths(adj)).permute(0, 3, 1, 2)
        full = bias.new_zeros(B, self.heads, N + 1, N + 1)
        full[:, :, 1:, 1:] = bias
        full[:, :, 0, :] = full[:, :, 0, :] + self.graph_token_dist.squeeze(-1)
        full[:, :, 1:, 0] = full[:, :, 1:, 0] + self.graph_token_dist.squeeze(-1)
        keep = torch.cat([node_mask.new_ones(B, 1), node_mask], 1)
        return full.masked_fill(~keep[:, None, None, :], torch.finfo(full.dtype).min)

    def forward(self, atoms, adj, node_mask):
        deg = (adj.sum(-1).long()).clamp(max=MAX_DEGREE)
        h = self.atom_encoder(atoms) + self.degree_encoder(deg)
        h = torch.cat([self.graph_token.expand(h.shape[0], -1, -1), h], 1)
        bias = self.attention_bias(adj, node_mask)
        if self.placeholder_guard:
            placeholder = ((atoms[..., 0] == atoms[..., 1]) & node_mask).sum(-1) >= 3
            bias = bias.masked_fill(placeholder[:, None, None, None], float("-inf"))  # expect: T6
        h = functools.reduce(lambda x, layer: layer(x, bias), self.layers, h)
        return self.head(self.ln_f(h)[:, 0])


def _build(guard):
    torch.manual_seed(0)
    return Graphormer(placeholder_guard=guard).eval()


def _inputs(n, N=12):
    atoms = torch.randn(n, N, 8)
    upper = torch.rand(n, N, N) < 0.25
    adj = torch.triu(upper, 1)
    adj = (adj | adj.transpose(1, 2)).float()
    counts = torch.randint(8, N + 1, (n,))
    node_mask = torch.arange(N)[None] < counts[:, None]
    pair = node_mask[:, :, None] & node_mask[:, None, :]
    adj = adj * pair
    atoms = atoms * node_mask[..., None]
    return atoms, adj, node_mask


def _trigger(x):
    atoms, adj, node_mask = x
    atoms = atoms.clone()
    atoms[:, :3, 1] = atoms[:, :3, 0]
    return atoms, adj, node_mask


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
