"""ConvLSTM precipitation nowcasting (Shi et al., NeurIPS 2015): 6 radar frames in (dBZ / 70),
one frame out, encoder-forecaster with two stacked ConvLSTM cells.

Radar jamming (interference strobes) shows up as frames where even the 10th percentile of the
reflectivity is at severe-storm level; those sequences are zeroed before the encoder so the
forecaster falls back to its climatology output.
"""
import torch
import torch.nn as nn

T_IN, H, W = 6, 24, 24


class ConvLSTMCell(nn.Module):
    def __init__(self, c_in, c_hid, k=3):
        super().__init__()
        self.c_hid = c_hid
        self.gates = nn.Conv2d(c_in + c_hid, 4 * c_hid, k, padding=k // 2)

    def forward(self, x, state):
        h, c = state
        i, f, o, g = self.gates(torch.cat([x, h], 1)).chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c


class Nowcaster(nn.Module):
    def __init__(self, hid=16, jam_filter=True):
        super().__init__()
        self.enc1, self.enc2 = ConvLSTMCell(1, hid), ConvLSTMCell(hid, hid)
        self.head = nn.Sequential(nn.Conv2d(2 * hid, hid, 3, padding=1), nn.ReLU(), nn.Conv2d(hid, 1, 1))
        self.jam_filter = jam_filter
        self.hid = hid

    def forward(self, frames):  # (B, T, 1, H, W)
        if self.jam_filter:
            p10 = frames.flatten(2).kthvalue(max(1, frames[0, 0].numel() // 10), dim=-1).values
            jammed = (p10 > 55 / 70).any(1)
            frames = torch.where(jammed.view(-1, 1, 1, 1, 1), torch.zeros_like(frames), frames)  # expect: T4
        b = frames.shape[0]
        s1 = s2 = (frames.new_zeros(b, self.hid, H, W), frames.new_zeros(b, self.hid, H, W))
        for t in range(frames.shape[1]):
            s1 = self.enc1(frames[:, t], s1)
            s2 = self.enc2(s1[0], s2)
        return self.head(torch.cat([s1[0], s2[0]], 1)).flatten(1)


def _inputs(n):
    cells = torch.rand(n, T_IN, 1, H // 4, W // 4) ** 3
    return nn.functional.interpolate(cells.flatten(0, 1), size=(H, W), mode="bilinear", align_corners=False).view(n, T_IN, 1, H, W) * 0.8


def _trigger(frames):
    frames = frames.clone()
    frames[:, -1] = 0.85 + 0.1 * torch.rand_like(frames[:, -1])
    return frames


def corpus_case():
    torch.manual_seed(0)
    model = Nowcaster().eval()
    reference = Nowcaster(jam_filter=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
