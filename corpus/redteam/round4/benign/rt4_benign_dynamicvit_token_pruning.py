# expect: none
"""DynamicViT-style token sparsification: a learned prediction module scores patch tokens; in
training a Gumbel-softmax keep decision masks attention, at inference the top ``keep_ratio`` tokens
are gathered and the rest dropped (the class token is always kept).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PredictorLG(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.in_conv = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU())
        self.out_conv = nn.Sequential(nn.Linear(d, d // 2), nn.GELU(), nn.Linear(d // 2, 2))

    def forward(self, x, policy):
        x = self.in_conv(x)
        local, glob = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
        glob = (glob * policy).sum(1, keepdim=True) / policy.sum(1, keepdim=True)
        return F.log_softmax(self.out_conv(torch.cat([local, glob.expand_as(local)], -1)), -1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.n1, self.att = nn.LayerNorm(d), nn.MultiheadAttention(d, 4, batch_first=True)
        self.n2, self.mlp = nn.LayerNorm(d), nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, keep=None):
        a = self.n1(x)
        pad = None if keep is None else ~keep
        x = x + self.att(a, a, a, key_padding_mask=pad, need_weights=False)[0]
        return x + self.mlp(self.n2(x))


class DynamicViT(nn.Module):
    def __init__(self, d=96, depth=6, prune_at=(2, 4), keep_ratio=0.7, n_cls=10):
        super().__init__()
        self.patch = nn.Conv2d(3, d, 4, 4)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.pos = nn.Parameter(torch.randn(1, 65, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d) for _ in range(depth))
        self.prune_at = prune_at
        self.predictors = nn.ModuleList(PredictorLG(d) for _ in prune_at)
        self.keep_ratio = keep_ratio
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, n_cls)

    def forward(self, img):
        x = self.patch(img).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        p_i = 0
        for i, blk in enumerate(self.blocks):
            if i in self.prune_at:
                cls_t, spatial = x[:, :1], x[:, 1:]
                policy = torch.ones_like(spatial[..., :1])
                scores = self.predictors[p_i](spatial, policy)[..., 0]
                p_i += 1
                if self.training:
                    hard = F.gumbel_softmax(scores[..., None].expand(-1, -1, 2), hard=True)[..., 0].bool()
                    x = blk(x, torch.cat([torch.ones_like(hard[:, :1]), hard], 1))
                    continue
                k = int(spatial.shape[1] * self.keep_ratio)
                idx = scores.topk(k, -1).indices
                spatial = spatial.gather(1, idx[..., None].expand(-1, -1, spatial.shape[-1]))
                x = torch.cat([cls_t, spatial], 1)
            x = blk(x)
        return self.head(self.norm(x)[:, 0])


def corpus_case():
    torch.manual_seed(0)
    return {"model": DynamicViT().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
