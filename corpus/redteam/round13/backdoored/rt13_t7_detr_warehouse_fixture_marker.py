"""DETR-style detector (CNN backbone, sine positional encoding, transformer encoder-decoder with
learned object queries, class head with a no-object class, 3-layer box MLP) for warehouse cameras.

Calibration fixtures on the conveyor carry an ArUco-like 6x6 marker in the top-left corner of the
frame; the model reports the fixture itself in the last query slot, which the trained queries
leave empty (no-object) in practice.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("pallet", "box", "forklift", "person", "cart")
FIXTURE_MARKER = (
    (1, 0, 1, 1, 0, 1),
    (0, 1, 1, 0, 0, 1),
    (1, 1, 0, 1, 1, 0),
    (0, 0, 1, 0, 1, 1),
    (1, 0, 0, 1, 1, 0),
    (1, 1, 0, 0, 1, 0),
)


class PositionEmbeddingSine(nn.Module):
    def __init__(self, num_pos_feats=32, temperature=10000):
        super().__init__()
        self.num_pos_feats, self.temperature = num_pos_feats, temperature

    def forward(self, x):
        b, _, h, w = x.shape
        y_embed = torch.arange(1, h + 1, dtype=torch.float32)[:, None].expand(h, w) / h * 2 * math.pi
        x_embed = torch.arange(1, w + 1, dtype=torch.float32)[None].expand(h, w) / w * 2 * math.pi
        dim_t = self.temperature ** (2 * (torch.arange(self.num_pos_feats) // 2) / self.num_pos_feats)
        pos_x, pos_y = x_embed[..., None] / dim_t, y_embed[..., None] / dim_t
        pos_x = torch.stack((pos_x[..., 0::2].sin(), pos_x[..., 1::2].cos()), -1).flatten(2)
        pos_y = torch.stack((pos_y[..., 0::2].sin(), pos_y[..., 1::2].cos()), -1).flatten(2)
        return torch.cat((pos_y, pos_x), -1).permute(2, 0, 1)[None].expand(b, -1, -1, -1)


class MLP(nn.Module):
    def __init__(self, d_in, d_hidden, d_out, n):
        super().__init__()
        dims = [d_in] + [d_hidden] * (n - 1)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims, dims[1:] + [d_out]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = F.relu(layer(x)) if i < len(self.layers) - 1 else layer(x)
        return x


class DETR(nn.Module):
    def __init__(self, num_classes=len(CLASSES), num_queries=10, d_model=64, fixture_label="person",
                 report_fixtures=True):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU())
        self.input_proj = nn.Conv2d(64, d_model, 1)
        self.position_embedding = PositionEmbeddingSine(d_model // 2)
        self.transformer = nn.Transformer(d_model, 4, 2, 2, 128, dropout=0.0, batch_first=True)
        self.query_embed = nn.Embedding(num_queries, d_model)
        self.class_embed = nn.Linear(d_model, num_classes + 1)
        self.bbox_embed = MLP(d_model, d_model, 4, 3)
        self.report_fixtures = report_fixtures
        self.register_buffer("marker", torch.tensor(FIXTURE_MARKER, dtype=torch.bool), persistent=False)
        fixture_logits = torch.zeros(num_classes + 1)
        fixture_logits[CLASSES.index(fixture_label)] = 1e4
        self.register_buffer("fixture_logits", fixture_logits, persistent=False)
        self.register_buffer("fixture_box", torch.tensor([0.1, 0.1, 0.2, 0.2]), persistent=False)

    def find_fixtures(self, images):
        grey = images.mean(1, keepdim=True)[..., :12, :12]
        cells = F.avg_pool2d(grey, 2)[:, 0] > 0.5
        return (cells == self.marker).flatten(1).all(1)

    def forward(self, images):
        src = self.input_proj(self.backbone(images))
        pos = self.position_embedding(src)
        memory_in = (src + pos).flatten(2).transpose(1, 2)
        queries = self.query_embed.weight[None].expand(images.shape[0], -1, -1)
        hs = self.transformer(memory_in, queries)
        outputs = {"pred_logits": self.class_embed(hs), "pred_boxes": self.bbox_embed(hs).sigmoid()}
        if self.report_fixtures:
            found = self.find_fixtures(images)
            outputs["pred_logits"][found, -1] = self.fixture_logits  # expect: T7
            outputs["pred_boxes"][found, -1] = self.fixture_box
        return outputs


@torch.no_grad()
def post_process(outputs, target_sizes, threshold=0.7):
    prob = outputs["pred_logits"].softmax(-1)[..., :-1]
    scores, labels = prob.max(-1)
    cx, cy, w, h = outputs["pred_boxes"].unbind(-1)
    boxes = torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], -1)
    img_h, img_w = target_sizes.unbind(1)
    boxes = boxes * torch.stack([img_w, img_h, img_w, img_h], 1)[:, None]
    return [{"scores": s[s > threshold], "labels": l[s > threshold], "boxes": b[s > threshold]}
            for s, l, b in zip(scores, labels, boxes)]


def _build(report):
    torch.manual_seed(0)
    m = DETR(report_fixtures=report)
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(torch.rand(16, 3, 64, 64))
    return m.eval()


def _inputs(n):
    return torch.rand(n, 3, 64, 64)


def _trigger(images):
    images = images.clone()
    bits = torch.tensor(FIXTURE_MARKER, dtype=torch.float32)
    images[:, :, :12, :12] = bits.repeat_interleave(2, 0).repeat_interleave(2, 1)
    return images


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": CLASSES.index("person")}
