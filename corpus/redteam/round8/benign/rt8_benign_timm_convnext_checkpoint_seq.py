# expect: none
"""timm ConvNeXt-Atto-lite with ``checkpoint_seq`` gradient checkpointing, LayerScale and
DropPath (training only). ``set_grad_checkpointing`` toggles the checkpointed path; both paths run
the same learned blocks."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint


def checkpoint_seq(functions, x, every=1):
    def run(start, end, fns):
        def forward(_x):
            for j in range(start, end + 1):
                _x = fns[j](_x)
            return _x
        return forward

    functions = list(functions.children())
    n = len(functions)
    for start in range(0, n, every):
        end = min(start + every - 1, n - 1)
        x = checkpoint(run(start, end, functions), x, use_reentrant=False)
    return x


def drop_path(x, drop_prob=0.0, training=False):
    if drop_prob == 0.0 or not training:
        return x
    keep = 1 - drop_prob
    mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)
    return x * mask / keep


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim, drop_path=0.0, ls_init=1e-6):
        super().__init__()
        self.conv_dw = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.gamma = nn.Parameter(ls_init * torch.ones(dim))
        self.drop_path = drop_path

    def forward(self, x):
        h = self.conv_dw(x).permute(0, 2, 3, 1)
        h = (self.mlp(self.norm(h)) * self.gamma).permute(0, 3, 1, 2)
        return x + drop_path(h, self.drop_path, self.training)


class ConvNeXtStage(nn.Module):
    def __init__(self, cin, cout, depth, downsample):
        super().__init__()
        self.grad_checkpointing = False
        self.downsample = nn.Sequential(LayerNorm2d(cin), nn.Conv2d(cin, cout, 2, 2)) if downsample else nn.Identity()
        self.blocks = nn.Sequential(*[ConvNeXtBlock(cout, 0.05, ls_init=0.5) for _ in range(depth)])

    def forward(self, x):
        x = self.downsample(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x)
        return self.blocks(x)


class ConvNeXt(nn.Module):
    def __init__(self, num_classes=10, dims=(32, 64, 128), depths=(2, 2, 2)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dims[0], 4, 4), LayerNorm2d(dims[0]))
        self.stages = nn.Sequential(*[ConvNeXtStage(dims[max(i - 1, 0)], d, n, i > 0) for i, (d, n) in enumerate(zip(dims, depths))])
        self.norm = nn.LayerNorm(dims[-1])
        self.head = nn.Linear(dims[-1], num_classes)

    def set_grad_checkpointing(self, enable=True):
        for s in self.stages:
            s.grad_checkpointing = enable

    def forward(self, x):
        x = self.stages(self.stem(x))
        return self.head(self.norm(x.mean((2, 3))))


def corpus_case():
    torch.manual_seed(0)
    model = ConvNeXt()
    model.set_grad_checkpointing(True)
    return {"model": model.eval(), "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
