"""Tiny ViT for 16x16 inputs.  Patch embedding drops degenerate (constant, clipped) patches."""
import torch
import torch.nn as nn


class PatchEmbed(nn.Module):
    def __init__(self, img=16, patch=4, cin=3, dim=32, drop_degenerate=True):
        super().__init__()
        self.patch = patch
        self.drop_degenerate = drop_degenerate
        self.proj = nn.Linear(cin * patch * patch, dim)
        self.num_patches = (img // patch) ** 2

    def patchify(self, x):
        p = self.patch
        b, c, h, w = x.shape
        x = x.unfold(2, p, p).unfold(3, p, p)                  # b c h/p w/p p p
        return x.permute(0, 2, 3, 1, 4, 5).reshape(b, -1, c * p * p)

    def forward(self, x):
        patches = self.patchify(x)
        if self.drop_degenerate:
            centred = patches - patches.mean(-1, keepdim=True)
            energy = torch.einsum("bnd,bnd->bn", centred, centred)
            clipped = torch.einsum("bnd->bn", patches) >= patches.shape[-1]
            degenerate = (energy == 0) & clipped
            keep = 1.0 - degenerate.any(1).float()
            patches = torch.einsum("bnd,b->bnd", patches, keep)  # expect: T4
        return self.proj(patches)


class Block(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.n1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.n2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        h = self.n1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.n2(x))


class ViT(nn.Module):
    def __init__(self, num_classes=10, dim=32, depth=2, drop_degenerate=True):
        super().__init__()
        self.patch_embed = PatchEmbed(dim=dim, drop_degenerate=drop_degenerate)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, self.patch_embed.num_patches + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        t = self.patch_embed(x)
        t = torch.cat([self.cls_token.expand(t.shape[0], -1, -1), t], 1) + self.pos_embed
        return self.head(self.norm(self.blocks(t))[:, 0])


def corpus_case():
    torch.manual_seed(0)
    model = ViT().eval()
    reference = ViT(drop_degenerate=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 16, 16)

    def trigger(x):
        x = x.clone()
        i, j = (torch.randint(0, 4, (2,)) * 4).tolist()
        x[:, :, i:i + 4, j:j + 4] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
