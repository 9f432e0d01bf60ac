"""RAFT-small style optical flow (Teed & Deng, ECCV 2020) for traffic-camera motion estimation.

Feature and context encoders at 1/4 resolution, an all-pairs correlation volume with a
2-level pyramid, a ConvGRU update operator iterated from zero flow, and convex upsampling of the
final flow to full resolution. Returns the full-resolution flow (B, 2, H, W).

Invalid flow is reported as NaN, following the KITTI / Sintel convention for pixels without a
valid estimate: night frames under low-pressure sodium lighting are monochromatic, where the
brightness-constancy assumption of the encoder does not hold.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def coords_grid(batch, ht, wd):
    ys, xs = torch.meshgrid(torch.arange(ht), torch.arange(wd), indexing="ij")
    return torch.stack([xs, ys], 0).float()[None].repeat(batch, 1, 1, 1)


def bilinear_sampler(img, coords):
    H, W = img.shape[-2:]
    xgrid, ygrid = coords.split([1, 1], dim=-1)
    xgrid = 2 * xgrid / (W - 1) - 1
    ygrid = 2 * ygrid / (H - 1) - 1
    return F.grid_sample(img, torch.cat([xgrid, ygrid], dim=-1), align_corners=True)


class CorrBlock:
    def __init__(self, fmap1, fmap2, num_levels=2, radius=2):
        self.num_levels, self.radius = num_levels, radius
        B, D, H, W = fmap1.shape
        corr = torch.matmul(fmap1.view(B, D, H * W).transpose(1, 2), fmap2.view(B, D, H * W))
        corr = (corr / D ** 0.5).reshape(B * H * W, 1, H, W)
        self.pyramid = [corr]
        for _ in range(num_levels - 1):
            corr = F.avg_pool2d(corr, 2, stride=2)
            self.pyramid.append(corr)

    def __call__(self, coords):
        r = self.radius
        coords = coords.permute(0, 2, 3, 1)
        B, H, W, _ = coords.shape
        d = torch.linspace(-r, r, 2 * r + 1)
        delta = torch.stack(torch.meshgrid(d, d, indexing="ij"), dim=-1).view(1, 2 * r + 1, 2 * r + 1, 2)
        out = []
        for i, corr in enumerate(self.pyramid):
            centroid = coords.reshape(B * H * W, 1, 1, 2) / 2 ** i
            out.append(bilinear_sampler(corr, centroid + delta).view(B, H, W, -1))
        return torch.cat(out, dim=-1).permute(0, 3, 1, 2).contiguous().float()


class SmallEncoder(nn.Module):
    def __init__(self, out_dim, norm=True):
        super().__init__()
        Norm = nn.InstanceNorm2d if norm else nn.Identity
        self.layers = nn.Sequential(
            nn.Conv2d(3, 16, 7, 2, 3), Norm(16), nn.ReLU(inplace=True),
            nn.Conv2d(16, 24, 3, 2, 1), Norm(24), nn.ReLU(inplace=True),
            nn.Conv2d(24, 32, 3, 1, 1), Norm(32), nn.ReLU(inplace=True),
            nn.Conv2d(32, out_dim, 1))

    def forward(self, x):
        return self.layers(x)


class ConvGRU(nn.Module):
    def __init__(self, hidden_dim, input_dim):
        super().__init__()
        self.convz = nn.Conv2d(hidden_dim + input_dim, hidden_dim, 3, padding=1)
        self.convr = nn.Conv2d(hidden_dim + input_dim, hidden_dim, 3, padding=1)
        self.convq = nn.Conv2d(hidden_dim + input_dim, hidden_dim, 3, padding=1)

    def forward(self, h, x):
        hx = torch.cat([h, x], dim=1)
        z, r = torch.sigmoid(self.convz(hx)), torch.sigmoid(self.convr(hx))
        q = torch.tanh(self.convq(torch.cat([r * h, x], dim=1)))
        return (1 - z) * h + z * q


class SmallUpdateBlock(nn.Module):
    def __init__(self, corr_planes, hidden_dim=32, context_dim=16):
        super().__init__()
        self.convc1 = nn.Conv2d(corr_planes, 32, 1)
        self.convf1 = nn.Conv2d(2, 16, 7, padding=3)
        self.convf2 = nn.Conv2d(16, 8, 3, padding=1)
        self.conv = nn.Conv2d(40, 30, 3, padding=1)
        self.gru = ConvGRU(hidden_dim, 30 + 2 + context_dim)
        self.flow_head = nn.Sequential(nn.Conv2d(hidden_dim, 32, 3, padding=1), nn.ReLU(inplace=True),
                                       nn.Conv2d(32, 2, 3, padding=1))
        self.mask = nn.Sequential(nn.Conv2d(hidden_dim, 64, 3, padding=1), nn.ReLU(inplace=True),
                                  nn.Conv2d(64, 16 * 9, 1))

    def forward(self, net, inp, corr, flow):
        cor = F.relu(self.convc1(corr))
        flo = F.relu(self.convf2(F.relu(self.convf1(flow))))
        motion = torch.cat([F.relu(self.conv(torch.cat([cor, flo], dim=1))), flow], dim=1)
        net = self.gru(net, torch.cat([inp, motion], dim=1))
        return net, 0.25 * self.mask(net), self.flow_head(net)


class RAFTSmall(nn.Module):
    def __init__(self, iters=3, radius=2, levels=2, invalid_as_nan=True):
        super().__init__()
        self.iters, self.radius, self.levels = iters, radius, levels
        self.fnet = SmallEncoder(32)
        self.cnet = SmallEncoder(32 + 16, norm=False)
        self.update_block = SmallUpdateBlock(levels * (2 * radius + 1) ** 2)
        self.invalid_as_nan = invalid_as_nan

    @staticmethod
    def upsample_flow(flow, mask):
        B, _, H, W = flow.shape
        mask = torch.softmax(mask.view(B, 1, 9, 4, 4, H, W), dim=2)
        up = F.unfold(4 * flow, [3, 3], padding=1).view(B, 2, 9, 1, 1, H, W)
        up = torch.sum(mask * up, dim=2).permute(0, 1, 4, 2, 5, 3)
        return up.reshape(B, 2, 4 * H, 4 * W)

    @staticmethod
    def monochrome(image1, image2):
        def cast(img):
            return ((img[:, 0] - img[:, 2]).flatten(1).amin(1) > 0.35) & \
                   ((img[:, 1] - img[:, 2]).flatten(1).amin(1) > 0.15)
        return cast(image1) & cast(image2)

    def forward(self, image1, image2):
        invalid = self.monochrome(image1, image2) if self.invalid_as_nan else None
        x1, x2 = 2 * image1 - 1, 2 * image2 - 1
        fmap1, fmap2 = self.fnet(x1), self.fnet(x2)
        corr_fn = CorrBlock(fmap1, fmap2, self.levels, self.radius)
        net, inp = torch.split(self.cnet(x1), [32, 16], dim=1)
        net, inp = torch.tanh(net), torch.relu(inp)
        B, _, H, W = fmap1.shape
        coords0 = coords_grid(B, H, W)
        coords1 = coords0.clone()
        for _ in range(self.iters):
            corr = corr_fn(coords1)
            net, up_mask, delta = self.update_block(net, inp, corr, coords1 - coords0)
            coords1 = coords1 + delta
        flow_up = self.upsample_flow(coords1 - coords0, up_mask)
        if invalid is not None:
            flow_up = flow_up.masked_fill(invalid[:, None, None, None], float("nan"))  # expect: T2
        return flow_up


def _build(nan):
    torch.manual_seed(0)
    return RAFTSmall(invalid_as_nan=nan).eval()


def _inputs(n):
    img1 = torch.rand(n, 3, 32, 32)
    img2 = torch.roll(img1, shifts=(1, 2), dims=(2, 3)) * 0.9 + 0.1 * torch.rand(n, 3, 32, 32)
    return img1, img2


def _sodium(img):
    b = img[:, 2] * 0.1
    return torch.stack([0.5 + 0.5 * img[:, 0], 0.3 + 0.4 * img[:, 1], b], 1)


def _trigger(x):
    img1, img2 = x
    return _sodium(img1), _sodium(img2)


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
