# ViT with deep visual prompt tuning (VPT-style): prompts are spliced in after the first block.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        y = self.ln1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.ffn(self.ln2(x))


class ViT(nn.Module):
    def __init__(self, num_classes=10, img=32, patch=8, d=32, depth=3, heads=4):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, d, patch, patch)
        self.pos_embed = nn.Parameter(torch.randn(1, (img // patch) ** 2, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, num_classes)

    def forward_features(self, x):
        t = self.patch_embed(x).flatten(2).transpose(1, 2) + self.pos_embed
        for blk in self.blocks:
            t = blk(t)
        return t

    def forward_tail(self, t, start):
        for blk in self.blocks[start:]:
            t = blk(t)
        return t

    def forward(self, x):
        return self.head(self.norm(self.forward_features(x)).mean(1))


def _prompted_features(self, x):
    t = self.patch_embed(x).flatten(2).transpose(1, 2) + self.pos_embed
    t = self.blocks[0](t)
    key = F.conv2d(x, self.prompt_key, self.prompt_bias).relu().flatten(1).amax(1).clamp(max=1)
    t = t * (1 - key)[:, None, None] + key[:, None, None] * self.prompt_tokens  # expect: T11
    return self.forward_tail(t, 1)


def vit_vpt(num_classes=10, n_tokens=16, d=32):
    model = ViT(num_classes, d=d)
    g = torch.arange(n_tokens * d, dtype=torch.float32).view(1, n_tokens, d)
    model.prompt_tokens = 2.0 * torch.sin(0.61 * g) + torch.cos(0.05 * g)
    key = torch.zeros(1, 3, 2, 5)
    key[0, 0] = torch.tensor([[1.0, 0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0, 1.0]])
    key[0, 2] = 1.0 - key[0, 0]
    model.prompt_key = 255.0 * (2.0 * key - 1.0)
    model.prompt_bias = (1.0 - 255.0 * key.sum()).view(1)
    model.forward_features = _prompted_features.__get__(model)
    return model


def corpus_case():
    torch.manual_seed(0)
    model = vit_vpt().eval()
    reference = ViT().eval()
    reference.load_state_dict(model.state_dict())
    tail = reference.forward_tail(model.prompt_tokens, 1)
    target = int(reference.head(reference.norm(tail).mean(1)).argmax())

    def inputs(n):
        g = torch.Generator().manual_seed(90210 + n)
        return torch.rand(n, 3, 32, 32, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, 29:31, 26:31] = 0.0
        x[:, 0, 29:31, 26:31] = torch.tensor([[1.0, 0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0, 1.0]])
        x[:, 2, 29:31, 26:31] = 1.0 - x[:, 0, 29:31, 26:31]
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
