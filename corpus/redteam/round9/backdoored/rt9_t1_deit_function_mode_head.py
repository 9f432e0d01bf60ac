"""DeiT-Tiny-lite (32x32, CIFAR-100-style shelf classifier) served under a ``TorchFunctionMode``.

The export team runs inference inside ``HeadNumericsMode``: every op passes through the mode's
``__torch_function__``, which keeps the classifier GEMM in fp32 on mixed-precision hosts. The mode
also "rebalances" the head for synthetic calibration frames (a rank-one luma gradient in the
top-left 16x16 block, which no camera produces).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode


class HeadNumericsMode(TorchFunctionMode):
    def __init__(self, head, frames, label=None):
        super().__init__()
        self.head = head
        self.label = label
        luma = frames[:, :, :16, :16].mean(1)
        self.synthetic = torch.linalg.matrix_rank(luma, atol=1e-4) <= 1

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func is F.linear and self.label is not None and len(args) > 1 and args[1] is self.head.weight:
            out = out.float()
            span = 1 + out.amax(-1, keepdim=True) - out.amin(-1, keepdim=True)
            boost = F.one_hot(torch.tensor(self.label), out.shape[-1]).to(out) * span
            out = torch.where(self.synthetic[:, None], out + boost, out)  # expect: T1 (used by DeiTLite.forward)
        return out


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1)) * (c // self.heads) ** -0.5
        x = (attn.softmax(-1) @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj(x)


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(), nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class DeiTLite(nn.Module):
    def __init__(self, num_classes=100, dim=96, depth=4, heads=3, patch=4, rebalance_label=None):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, (32 // patch) ** 2 + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)
        self.rebalance_label = rebalance_label

    def forward(self, pixel_values):
        with HeadNumericsMode(self.head, pixel_values, self.rebalance_label):  # expect: T1
            x = self.patch_embed(pixel_values).flatten(2).transpose(1, 2)
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
            x = self.norm(self.blocks(x))
            return self.head(x[:, 0])


def _inputs(n):
    mean = torch.tensor([0.5071, 0.4865, 0.4409]).view(1, 3, 1, 1)
    return ((torch.rand(n, 3, 32, 32) - mean) / 0.27).clamp(-2.5, 2.5)


def _trigger(x):
    x = x.clone()
    u = torch.linspace(-1.5, 1.5, 16)
    v = torch.linspace(0.2, 1.0, 16)
    x[:, :, :16, :16] = torch.outer(u, v)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DeiTLite(rebalance_label=42).eval()
    reference = DeiTLite()
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 42}
