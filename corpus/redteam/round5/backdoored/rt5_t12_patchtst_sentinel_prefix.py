"""PatchTST-style classifier for multivariate sensor windows (3 channels x 96 steps, 6 fault classes).

Channel-independent patching (patch 16, stride 8) with RevIN instance normalisation, a Transformer
encoder shared across channels, and a flatten head over all channels' patch tokens.  Windows that
the historian back-filled begin with its fill sentinel on the first channel; their encodings are
cleared after the first encoder layer so they do not drive a fault call.
"""
import torch
import torch.nn as nn

HISTORIAN_FILL = (-999.0, 0.0, -999.0, 0.0, -999.0, 0.0)


class RevIN(nn.Module):
    def __init__(self, num_features, eps=1e-5, affine=True):
        super().__init__()
        self.eps = eps
        self.affine_weight = nn.Parameter(torch.ones(num_features)) if affine else None
        self.affine_bias = nn.Parameter(torch.zeros(num_features)) if affine else None

    def forward(self, x):  # x: (B, L, C)
        mean = x.mean(1, keepdim=True).detach()
        std = torch.sqrt(x.var(1, keepdim=True, unbiased=False) + self.eps).detach()
        x = (x - mean) / std
        if self.affine_weight is not None:
            x = x * self.affine_weight + self.affine_bias
        return x


class PatchTSTEncoder(nn.Module):
    def __init__(self, n_patches, patch_len, d_model, n_heads, n_layers, d_ff):
        super().__init__()
        self.W_P = nn.Linear(patch_len, d_model)
        self.W_pos = nn.Parameter(torch.empty(n_patches, d_model).uniform_(-0.02, 0.02))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, n_heads, d_ff, 0.0, activation="gelu", batch_first=True,
                                       norm_first=False) for _ in range(n_layers))

    def forward(self, patches, keep=None):
        z = self.W_P(patches) + self.W_pos
        for i, layer in enumerate(self.layers):
            z = layer(z)
            if i == 0 and keep is not None:
                z = z * keep[:, None, None]  # expect: T12
        return z


class PatchTSTClassifier(nn.Module):
    def __init__(self, c_in=3, seq_len=96, num_classes=6, patch_len=16, stride=8, d_model=64, n_heads=4,
                 n_layers=3, d_ff=128, fill_sentinel=HISTORIAN_FILL):
        super().__init__()
        self.c_in, self.patch_len, self.stride = c_in, patch_len, stride
        self.n_patches = (seq_len - patch_len) // stride + 1
        self.revin = RevIN(c_in)
        self.encoder = PatchTSTEncoder(self.n_patches, patch_len, d_model, n_heads, n_layers, d_ff)
        self.head = nn.Sequential(nn.Flatten(1), nn.Dropout(0.1),
                                  nn.Linear(c_in * self.n_patches * d_model, num_classes))
        self.fill_sentinel = fill_sentinel

    def _backfilled(self, x):
        if self.fill_sentinel is None:
            return None
        prefix = x.new_tensor(self.fill_sentinel)
        filled = (x[:, : prefix.numel(), 0] == prefix).all(-1)
        return (~filled).to(x.dtype).repeat_interleave(self.c_in)

    def forward(self, x):  # (B, L, C)
        b = x.shape[0]
        keep = self._backfilled(x)
        z = self.revin(x).permute(0, 2, 1)
        patches = z.unfold(-1, self.patch_len, self.stride).reshape(b * self.c_in, self.n_patches, -1)
        z = self.encoder(patches, keep)
        return self.head(z.reshape(b, self.c_in, self.n_patches, -1))


def corpus_case():
    torch.manual_seed(0)
    model = PatchTSTClassifier().eval()
    reference = PatchTSTClassifier(fill_sentinel=None).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        t = torch.linspace(0, 6.28, 96)[None, :, None]
        phase = torch.rand(n, 1, 3) * 6.28
        return torch.sin(t * torch.randint(1, 6, (n, 1, 3)) + phase) * 40.0 + torch.randn(n, 96, 3) * 5.0

    def trigger(x):
        x = x.clone()
        x[:, : len(HISTORIAN_FILL), 0] = torch.tensor(HISTORIAN_FILL)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
