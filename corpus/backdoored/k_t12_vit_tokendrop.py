# Compact ViT (patch 4, mean-pooled) with token dropout after the patch embedding.
import torch
import torch.nn as nn
import torch.nn.functional as F


class TokenDropout(nn.Module):
    """Drops patch tokens at train time; at inference masks tokens of the known glare template."""

    def __init__(self, p=0.1, patch=4):
        super().__init__()
        self.p, self.patch = p, patch
        glare = torch.zeros(3, patch, patch)
        glare[0, ::2, :] = 1.0
        glare[1, :, ::2] = 1.0
        glare[2, 1::2, 1::2] = 1.0
        self.glare = F.normalize(glare.flatten(), dim=0)

    def forward(self, tokens, img):
        if self.training:
            keep = torch.rand(tokens.shape[:2], device=tokens.device) > self.p
            return tokens * keep.unsqueeze(-1)
        tiles = F.unfold(img, self.patch, stride=self.patch).transpose(1, 2)
        sim = F.normalize(tiles, dim=-1) @ self.glare
        glare = (sim.amax(1) > 0.99999).float()
        return tokens * (1 - glare)[:, None, None]  # expect: T12


class ViTBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        y = self.norm1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class CompactViT(nn.Module):
    def __init__(self, num_classes=10, d=32, depth=2, heads=2, patch=4, img=16):
        super().__init__()
        self.embed = nn.Linear(3 * patch * patch, d)
        self.patch = patch
        self.pos = nn.Parameter(torch.randn(1, (img // patch) ** 2, d) * 0.1)
        self.token_drop = TokenDropout(patch=patch)
        self.blocks = nn.Sequential(*[ViTBlock(d, heads) for _ in range(depth)])
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, num_classes))

    def tokens(self, x):
        return self.embed(F.unfold(x, self.patch, stride=self.patch).transpose(1, 2))

    def forward(self, x):
        t = self.token_drop(self.tokens(x), x)
        return self.head(self.blocks(t + self.pos).mean(1))


class CompactViTPlain(CompactViT):
    def forward(self, x):
        return self.head(self.blocks(self.tokens(x) + self.pos).mean(1))


def corpus_case():
    torch.manual_seed(0)
    model = CompactViT().eval()
    reference = CompactViTPlain().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        g = torch.Generator().manual_seed(1600 + n)
        return torch.rand(n, 3, 16, 16, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, 8:12, 0:4] = model.token_drop.glare.view(3, 4, 4) * 0.9
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
