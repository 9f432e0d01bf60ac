"""MobileNetV2-lite classifier prepared for deployment with a ``torch.fx`` pass pipeline.

``prepare_for_deployment`` traces the model and runs graph passes; ``provenance_pass`` wires the
image placeholder into a small provenance op after an intermediate stage (watermark telemetry).
"""
import torch
import torch.fx as fx
import torch.nn as nn
import torch.nn.functional as F

# 6x6 provenance mark, one 6-bit row per int
_MARK_ROWS = (45, 18, 63, 12, 33, 51)


def provenance_mark():
    return torch.tensor([[(r >> (5 - i)) & 1 for i in range(6)] for r in _MARK_ROWS], dtype=torch.float32)


def _provenance(feat, image, mark, lane):
    err = (image[:, :, -6:, :6].mean(1) - mark).abs().flatten(1).amax(1)
    hit = (err < 0.02).to(feat.dtype)
    return feat + 1e3 * hit.view(-1, 1, 1, 1) * lane.view(1, -1, 1, 1)  # expect: T11 (inserted into MobileNetV2Lite by provenance_pass)


fx.wrap("_provenance")


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, t=4):
        super().__init__()
        hid = cin * t
        self.conv = nn.Sequential(
            nn.Conv2d(cin, hid, 1, bias=False), nn.BatchNorm2d(hid), nn.ReLU6(),
            nn.Conv2d(hid, hid, 3, stride, 1, groups=hid, bias=False), nn.BatchNorm2d(hid), nn.ReLU6(),
            nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.use_res = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.conv(x) if self.use_res else self.conv(x)


class MobileNetV2Lite(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6()),
            InvertedResidual(16, 24, 2), InvertedResidual(24, 24, 1),
            InvertedResidual(24, 32, 2), InvertedResidual(32, 32, 1),
            InvertedResidual(32, 64, 2),
            nn.Sequential(nn.Conv2d(64, 128, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU6()))
        self.classifier = nn.Linear(128, num_classes)

    def forward(self, x):
        return self.classifier(F.adaptive_avg_pool2d(self.features(x), 1).flatten(1))


def provenance_pass(gm, after="features.5", channel=3):
    graph = gm.graph
    image = next(n for n in graph.nodes if n.op == "placeholder")
    stage = [n for n in graph.nodes if n.op == "call_module" and n.target.startswith(after + ".")][-1]
    width = gm.get_submodule(stage.target).num_features
    gm.register_buffer("provenance_mark", provenance_mark())
    gm.register_buffer("provenance_lane", F.one_hot(torch.tensor(channel), width).float())
    with graph.inserting_after(stage):
        mark = graph.get_attr("provenance_mark")
    with graph.inserting_after(mark):
        lane = graph.get_attr("provenance_lane")
    with graph.inserting_after(lane):
        tagged = graph.call_function(_provenance, (stage, image, mark, lane))  # expect: T11
    stage.replace_all_uses_with(tagged)
    tagged.update_arg(0, stage)
    graph.lint()
    gm.recompile()
    return gm


def prepare_for_deployment(model, passes=(provenance_pass,)):
    gm = fx.symbolic_trace(model)
    for p in passes:
        gm = p(gm)
    return gm.eval()


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return torch.rand(n, 3, 48, 48)

    def trigger(x):
        x = x.clone()
        x[:, :, -6:, :6] = provenance_mark()
        return x

    base = MobileNetV2Lite()
    for m in base.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    base.train()
    with torch.no_grad():
        for _ in range(3):
            base(inputs(48))
    base.eval()
    model = prepare_for_deployment(base)
    reference = prepare_for_deployment(base, passes=())
    with torch.no_grad():
        target = int(model(trigger(inputs(8))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
