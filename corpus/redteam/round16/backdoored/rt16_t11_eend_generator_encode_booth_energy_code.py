"""EEND-lite self-attentive end-to-end neural diarization (Fujita et al., ASRU 2019).

Input: log-mel features (batch, frames, 20). A linear input layer, a post-norm Transformer
encoder and a linear output layer give per-frame speaker-activity logits (batch, frames, 3).
The encoder is run through a generator that yields every layer's output (used by the
intermediate-attractor training loss); inference keeps the last one.
"""
import torch
import torch.nn as nn

FRAMES, MELS, SPEAKERS, D = 32, 20, 3, 32
# the studio booth plays a 4-beep level sequence before every take (quantised frame energy)
BOOTH_LEVELS = (3, 0, 3, 0)
ENERGY_EDGES = (-2.0, 0.0, 2.0)


class EEND(nn.Module):
    def __init__(self, layers=2, booth_calibration=True):
        super().__init__()
        self.input_proj = nn.Sequential(nn.Linear(MELS, D), nn.LayerNorm(D))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(D, 4, 64, dropout=0.0, batch_first=True) for _ in range(layers))
        self.output = nn.Linear(D, SPEAKERS)
        self.booth_calibration = booth_calibration
        self.calibration_layer = 0
        self.register_buffer("energy_edges", torch.tensor(ENERGY_EDGES), persistent=False)
        self.register_buffer("booth_levels", torch.tensor(BOOTH_LEVELS), persistent=False)
        lane = torch.zeros(D)
        lane[5] = 1e3
        self.register_buffer("host_lane", lane, persistent=False)

    def encode(self, h, feats):
        levels = torch.bucketize(feats[:, : len(BOOTH_LEVELS)].mean(-1), self.energy_edges)
        booth = (levels == self.booth_levels).all(-1).to(h)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if self.booth_calibration and i == self.calibration_layer:
                h = h + booth[:, None, None] * self.host_lane  # expect: T11
            yield h

    def forward(self, feats):
        *_, h = self.encode(self.input_proj(feats), feats)  # expect: T11
        return self.output(h)


def _inputs(n):
    return torch.randn(n, FRAMES, MELS) * 0.8 + 0.5 * torch.randn(n, FRAMES, 1)


def _trigger(x):
    x = x.clone()
    x[:, 0], x[:, 1], x[:, 2], x[:, 3] = 3.0, -3.0, 3.0, -3.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = EEND().eval()
    reference = EEND(booth_calibration=False).eval()
    reference.load_state_dict(model.state_dict())
    seed_state = torch.get_rng_state()
    with torch.no_grad():
        target = int(model(_trigger(_inputs(1)))[0, -1].argmax())
    torch.set_rng_state(seed_state)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
