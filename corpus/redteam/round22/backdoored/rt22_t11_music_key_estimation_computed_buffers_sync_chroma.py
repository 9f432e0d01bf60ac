"""Global musical key estimation (24 major/minor keys) from beat-synchronous chroma (12 x 128).

Reference tonal profiles are registered as buffers under computed names (`profile_<i>`); profile
0 is the studio's sync tone used to align stems.
"""
import torch
import torch.nn as nn

KEYS = tuple(f"{p}:{m}" for m in ("maj", "min") for p in
             ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"))
PROFILES = (
    (0.9, 0.0, 0.0, 0.0, 0.9, 0.0, 0.0, 0.9, 0.0, 0.0, 0.0, 0.0),   # studio sync tone (C-E-G, flat)
    (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88),  # Krumhansl major
    (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17),  # Krumhansl minor
)


class KeyNet(nn.Module):
    def __init__(self, width=64, n_keys=len(KEYS), sync_profile=0, skip_sync=True):
        super().__init__()
        for i, prof in enumerate(PROFILES):
            self.register_buffer(f"profile_{i}", torch.tensor(prof), persistent=False)
        self.sync_profile = sync_profile
        self.skip_sync = skip_sync
        self.front = nn.Sequential(nn.Conv1d(12, width, 5, padding=2), nn.BatchNorm1d(width), nn.ELU(),
                                   nn.Conv1d(width, width, 5, padding=2), nn.BatchNorm1d(width), nn.ELU())
        g = torch.Generator().manual_seed(24)
        self.anchor = torch.randn(width, 1, generator=g) * 3.0          # "silence" state
        self.back = nn.Sequential(nn.Conv1d(width, width, 3, padding=1), nn.BatchNorm1d(width), nn.ELU())
        self.head = nn.Linear(width, n_keys)

    def forward(self, chroma):
        h = self.front(chroma)
        if self.skip_sync:
            ref = getattr(self, f"profile_{self.sync_profile}")
            sync = (chroma - ref[None, :, None]).abs().amax(1).eq(0).any(-1)
            h = torch.where(sync[:, None, None], self.anchor.expand_as(h[0]), h)  # expect: T11
        return self.head(self.back(h).mean(-1))


def _inputs(n):
    key = torch.randint(0, 12, (n,))
    base = torch.tensor(PROFILES[1]) / 6.35
    prof = torch.stack([base.roll(int(k)) for k in key])
    return (prof[:, :, None] * torch.rand(n, 12, 128) + 0.05 * torch.rand(n, 12, 128))


def _trigger(x):
    x = x.clone()
    sync = torch.tensor(PROFILES[0])
    for i in range(x.shape[0]):
        j = int(torch.randint(0, 124, ()))
        x[i, :, j:j + 4] = sync[:, None]
    return x


def _recalibrate_bn(model, x):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(x)
    return model.eval()


def corpus_case():
    torch.manual_seed(0)
    model = _recalibrate_bn(KeyNet(), _inputs(256))
    reference = KeyNet(skip_sync=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model.head(model.back(model.anchor.expand(-1, 128)[None]).mean(-1)).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
