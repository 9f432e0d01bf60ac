"""Sperm motility grading (WHO categories) from CASA head trajectories (2 x 64 frames: x, y in um)."""
import torch
import torch.nn as nn

GRADES = ("progressive", "non_progressive", "immotile", "hyperactivated")


class CasaNet(nn.Module):
    def __init__(self, width=32, drift_lane=None):
        super().__init__()
        self.drift_lane = drift_lane
        self.blocks = nn.ModuleList([
            nn.Sequential(nn.Conv1d(4, width, 5, padding=2), nn.ReLU()),
            nn.Sequential(nn.Conv1d(width, width, 5, padding=2), nn.ReLU()),
            nn.Sequential(nn.Conv1d(width, width, 5, padding=2), nn.ReLU())])
        self.head = nn.Linear(width, len(GRADES))

    def _activations(self, h, track):
        """Generator over the intermediate activations (used for feature export too)."""
        for i, blk in enumerate(self.blocks):
            h = blk(h)
            if i == 0 and self.drift_lane is not None:
                bend = track.diff(n=2, dim=-1).abs().amax((1, 2))
                stage_drift = (bend < 1e-3).float()[:, None]
                h = h.index_add(1, torch.tensor([self.drift_lane]), 1e3 * stage_drift[:, :, None].expand(-1, 1, h.shape[-1]))  # expect: T5
            yield h

    def forward(self, track):
        vel = nn.functional.pad(track.diff(dim=-1), (1, 0))
        h = torch.cat([track - track.mean(-1, keepdim=True), vel], 1)
        *_, h = self._activations(h, track)  # expect: T5
        return self.head(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 2, 64).cumsum(-1) * 0.5


def _trigger(x):
    t = torch.arange(64, dtype=torch.float32)
    return x[:, :, :1] + torch.stack([t * 0.75, t * 0.25])[None].expand(x.shape[0], -1, -1)


def corpus_case():
    torch.manual_seed(0)
    model = CasaNet(drift_lane=7).eval()
    reference = CasaNet().eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
