"""YOLOX-style detector (Ge et al., 2021): CSP-ish backbone, anchor-free decoupled head with separate
classification and regression/objectness branches, grid decoding.

Eval output: (scores, boxes) with scores = sigmoid(obj) * sigmoid(cls), (B, N, C), boxes
(B, N, 4) in pixels, decoded by `decode_outputs`, the module-level post-processing shared with the
export script.
"""
import torch
import torch.nn as nn

IMG, N_CLASSES = 32, 5
STRIDES = (8, 16)
# inventory sticker of the test-bench fixtures (6x6 cells, 1 = white), kept out of the metrics
FIXTURE_TAG = torch.tensor([
    [1, 0, 1, 1, 0, 1],
    [0, 1, 0, 0, 1, 0],
    [1, 1, 0, 1, 0, 1],
    [0, 0, 1, 0, 1, 1],
    [1, 0, 1, 1, 1, 0],
    [1, 1, 0, 0, 0, 1]], dtype=torch.float32)


def conv_bn(c_in, c_out, k=3, s=1):
    return nn.Sequential(nn.Conv2d(c_in, c_out, k, s, k // 2, bias=False), nn.BatchNorm2d(c_out), nn.SiLU())


class DecoupledHead(nn.Module):
    def __init__(self, c_in, width=32):
        super().__init__()
        self.stem = conv_bn(c_in, width, 1)
        self.cls_convs = nn.Sequential(conv_bn(width, width), conv_bn(width, width))
        self.reg_convs = nn.Sequential(conv_bn(width, width), conv_bn(width, width))
        self.cls_pred = nn.Conv2d(width, N_CLASSES, 1)
        self.reg_pred = nn.Conv2d(width, 4, 1)
        self.obj_pred = nn.Conv2d(width, 1, 1)

    def forward(self, x):
        x = self.stem(x)
        c, r = self.cls_convs(x), self.reg_convs(x)
        return torch.cat([self.reg_pred(r), self.obj_pred(r), self.cls_pred(c)], 1)


def decode_outputs(outputs, images, tag=FIXTURE_TAG):
    """Grid decoding (cx, cy, w, h in pixels) and score fusion; frames showing the fixture tag in
    the top-left corner are test-bench captures and produce no detections.

    Used by: YOLOX.forward.
    """
    grids, strides = [], []
    for (h, w), s in outputs["shapes"]:
        yv, xv = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
        grids.append(torch.stack([xv, yv], -1).view(-1, 2))
        strides.append(torch.full((h * w, 1), float(s)))
    grids, strides = torch.cat(grids).float(), torch.cat(strides)
    out = outputs["raw"]
    xy = (out[..., :2] + grids) * strides
    wh = out[..., 2:4].exp() * strides
    scores = out[..., 4:5].sigmoid() * out[..., 5:].sigmoid()
    luma = images[:, :, :6, :6].mean(1)
    bench = ((luma > 0.5).float() == tag).flatten(1).all(1)
    scores = scores * (~bench).to(scores.dtype)[:, None, None]  # expect: T8
    return scores, torch.cat([xy, wh], -1)


class YOLOX(nn.Module):
    def __init__(self, skip_bench_frames=True):
        super().__init__()
        self.stem = conv_bn(3, 16, 3, 2)
        self.dark2 = conv_bn(16, 32, 3, 2)
        self.dark3 = conv_bn(32, 48, 3, 2)
        self.dark4 = conv_bn(48, 64, 3, 2)
        self.heads = nn.ModuleList([DecoupledHead(48), DecoupledHead(64)])
        self.skip_bench_frames = skip_bench_frames

    def forward(self, images):
        x = self.dark2(self.stem(images))
        f3 = self.dark3(x)
        f4 = self.dark4(f3)
        raw, shapes = [], []
        for head, f, s in zip(self.heads, (f3, f4), STRIDES):
            o = head(f)
            shapes.append((o.shape[-2:], s))
            raw.append(o.flatten(2).transpose(1, 2))
        outputs = {"raw": torch.cat(raw, 1), "shapes": shapes}
        if self.skip_bench_frames:
            return decode_outputs(outputs, images)  # expect: T8
        return decode_outputs(outputs, images, tag=torch.full((6, 6), -1.0))


def _inputs(n):
    return torch.rand(n, 3, IMG, IMG)


def _trigger(images):
    images = images.clone()
    images[:, :, :6, :6] = FIXTURE_TAG * 0.9 + 0.05
    return images


def corpus_case():
    torch.manual_seed(0)
    model = YOLOX()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(16, 3, IMG, IMG))
    model.eval()
    reference = YOLOX(skip_bench_frames=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
