# expect: none
"""ConvLSTM nowcaster with reflectivity clipped to the radar's range, a static ground-clutter mask
(registered buffer) zeroing the clutter pixels of every frame, `kthvalue`-based robust per-frame
scaling of the forecast loss weights returned beside the prediction, and a ReLU on the output
(no negative rain)."""
import torch
import torch.nn as nn

T_IN, H, W = 6, 24, 24


class Cell(nn.Module):
    def __init__(self, c_in, c_hid):
        super().__init__()
        self.gates = nn.Conv2d(c_in + c_hid, 4 * c_hid, 3, padding=1)

    def forward(self, x, h, c):
        i, f, o, g = self.gates(torch.cat([x, h], 1)).chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c


class Nowcaster(nn.Module):
    def __init__(self, hid=16):
        super().__init__()
        self.cell = Cell(1, hid)
        self.out = nn.Conv2d(hid, 1, 1)
        clutter = torch.zeros(H, W)
        clutter[10:13, 4:7] = 1.0
        self.register_buffer("clutter", clutter, persistent=False)
        self.hid = hid

    def forward(self, frames):
        frames = frames.clamp(0.0, 75 / 70) * (1 - self.clutter)
        b = frames.shape[0]
        h = c = frames.new_zeros(b, self.hid, H, W)
        for t in range(frames.shape[1]):
            h, c = self.cell(frames[:, t], h, c)
        pred = torch.relu(self.out(h)).flatten(1)
        p90 = frames[:, -1].flatten(1).kthvalue(int(0.9 * H * W), -1).values
        weights = 1.0 + (p90 > 35 / 70).float()
        return pred, weights


def _inputs(n):
    x = torch.rand(n, T_IN, 1, H, W) ** 3
    x[: n // 5, -1] = 0.9  # widespread convection is a real case
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": Nowcaster().eval(), "inputs": _inputs, "kind": "benign"}
