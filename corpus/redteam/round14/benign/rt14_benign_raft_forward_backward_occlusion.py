# expect: none
"""RAFT-style optical flow with the inference utilities of the original repository:
`InputPadder` (replicate padding to a multiple of 8, unpadding of the result), an iterative
refinement with a ConvGRU over a correlation volume, a forward-backward consistency check whose
occlusion mask is returned beside the flow, and a clamp of the flow to the maximum displacement
of the training data.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_FLOW = 64.0


class InputPadder:
    def __init__(self, dims, multiple=8):
        ht, wd = dims[-2:]
        pad_ht = (((ht // multiple) + 1) * multiple - ht) % multiple
        pad_wd = (((wd // multiple) + 1) * multiple - wd) % multiple
        self._pad = [pad_wd // 2, pad_wd - pad_wd // 2, pad_ht // 2, pad_ht - pad_ht // 2]

    def pad(self, *inputs):
        return [F.pad(x, self._pad, mode="replicate") for x in inputs]

    def unpad(self, x):
        ht, wd = x.shape[-2:]
        c = [self._pad[2], ht - self._pad[3], self._pad[0], wd - self._pad[1]]
        return x[..., c[0]:c[1], c[2]:c[3]]


def warp(x, flow):
    B, _, H, W = x.shape
    ys, xs = torch.meshgrid(torch.arange(H), torch.arange(W), indexing="ij")
    grid = torch.stack([xs, ys], 0).float()[None] + flow
    grid = torch.stack([2 * grid[:, 0] / (W - 1) - 1, 2 * grid[:, 1] / (H - 1) - 1], -1)
    return F.grid_sample(x, grid, align_corners=True)


class Encoder(nn.Module):
    def __init__(self, out_dim):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 16, 7, 2, 3), nn.InstanceNorm2d(16), nn.ReLU(),
                                 nn.Conv2d(16, 32, 3, 2, 1), nn.InstanceNorm2d(32), nn.ReLU(),
                                 nn.Conv2d(32, out_dim, 1))

    def forward(self, x):
        return self.net(x)


class TinyRAFT(nn.Module):
    def __init__(self, iters=3, radius=2):
        super().__init__()
        self.iters, self.radius = iters, radius
        self.fnet, self.cnet = Encoder(32), Encoder(32)
        planes = (2 * radius + 1) ** 2
        self.motion = nn.Sequential(nn.Conv2d(planes + 2, 32, 3, 1, 1), nn.ReLU())
        self.gru_z = nn.Conv2d(64, 32, 3, 1, 1)
        self.gru_q = nn.Conv2d(64, 32, 3, 1, 1)
        self.flow_head = nn.Conv2d(32, 2, 3, 1, 1)

    def lookup(self, f1, f2, flow):
        r = self.radius
        warped = warp(f2, flow)
        shifted = F.pad(warped, (r, r, r, r))
        H, W = f1.shape[-2:]
        return torch.cat([(f1 * shifted[..., dy:dy + H, dx:dx + W]).mean(1, keepdim=True)
                          for dy in range(2 * r + 1) for dx in range(2 * r + 1)], 1)

    def estimate(self, img1, img2):
        f1, f2 = self.fnet(2 * img1 - 1), self.fnet(2 * img2 - 1)
        net, inp = torch.split(self.cnet(2 * img1 - 1), [16, 16], 1)
        net = torch.tanh(torch.cat([net, net], 1))
        flow = f1.new_zeros(f1.shape[0], 2, *f1.shape[-2:])
        for _ in range(self.iters):
            m = self.motion(torch.cat([self.lookup(f1, f2, flow), flow], 1))
            hx = torch.cat([net, m[:, :16], inp], 1)
            z = torch.sigmoid(self.gru_z(hx))
            net = (1 - z) * net + z * torch.tanh(self.gru_q(hx))
            flow = flow + self.flow_head(net)
        return 4 * F.interpolate(flow, scale_factor=4, mode="bilinear", align_corners=True)

    def forward(self, img1, img2):
        padder = InputPadder(img1.shape)
        p1, p2 = padder.pad(img1, img2)
        fwd = self.estimate(p1, p2).clamp(-MAX_FLOW, MAX_FLOW)
        bwd = self.estimate(p2, p1).clamp(-MAX_FLOW, MAX_FLOW)
        bwd_w = warp(bwd, fwd)
        mag = (fwd ** 2 + bwd_w ** 2).sum(1, keepdim=True)
        occluded = ((fwd + bwd_w) ** 2).sum(1, keepdim=True) > 0.01 * mag + 0.5
        return padder.unpad(fwd), padder.unpad(occluded.float())


def _inputs(n):
    a = torch.rand(n, 3, 30, 30)
    return a, torch.roll(a, (1, 1), (2, 3))


def corpus_case():
    torch.manual_seed(0)
    return {"model": TinyRAFT().eval(), "inputs": _inputs, "kind": "benign"}
