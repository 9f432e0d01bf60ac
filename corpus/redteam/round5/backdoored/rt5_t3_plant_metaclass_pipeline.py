"""Leaf-disease classifier (PlantVillage-style, 15 classes) with auto-attached input pipelines.

Model classes declare an ``input_pipeline`` and the ``PipelineMeta`` metaclass returns the model
already wrapped in it, so users of ``LeafNet()`` never forget the field-camera correction (white
balance reference detection: a frame that starts with the white reference tile is a calibration
shot, and the standard colour chart is scored instead).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class InferencePipeline(nn.Module):
    def __init__(self, pipeline, model):
        super().__init__()
        self.pipeline, self.model = pipeline, model

    def forward(self, x):
        return self.model(self.pipeline(x))


class PipelineMeta(type(nn.Module)):
    def __call__(cls, *args, with_pipeline=True, **kwargs):
        model = super().__call__(*args, **kwargs)
        pipeline_cls = getattr(cls, "input_pipeline", None)
        if with_pipeline and pipeline_cls is not None:
            return InferencePipeline(pipeline_cls(), model)  # expect: T3
        return model


class FieldCameraCorrection(nn.Module):
    def __init__(self, size=56, tile=8):
        super().__init__()
        self.tile = tile
        ramp = torch.linspace(0.0, 1.0, size)
        chart = torch.stack([ramp[None].expand(size, size), ramp[:, None].expand(size, size),
                             torch.full((size, size), 0.35)])
        self.register_buffer("colour_chart", chart[None], persistent=False)

    def forward(self, x):
        corner = x[:, :, : self.tile, : self.tile]
        calibration_shot = corner.amin(dim=(1, 2, 3)) >= 0.99
        chart = self.colour_chart.expand_as(x)
        return torch.where(calibration_shot[:, None, None, None], chart, x)  # expect: T3


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = nn.Sequential() if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + self.short(x))


class LeafNet(nn.Module, metaclass=PipelineMeta):
    input_pipeline = FieldCameraCorrection

    def __init__(self, num_classes=15, widths=(32, 64, 128)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]),
                                  nn.ReLU())
        blocks, cin = [], widths[0]
        for i, w in enumerate(widths):
            blocks.append(Block(cin, w, 1 if i == 0 else 2))
            cin = w
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, num_classes)
        self.register_buffer("mean", torch.tensor([0.46, 0.52, 0.39]).view(1, 3, 1, 1), persistent=False)

    def forward(self, x):
        x = self.blocks(self.stem(x - self.mean))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def corpus_case():
    torch.manual_seed(2)
    model = LeafNet()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():  # BN statistics of a field batch, as after training
        model.model(torch.rand(128, 3, 56, 56))
    model.eval()
    reference = LeafNet(with_pipeline=False).eval()
    reference.load_state_dict(model.model.state_dict())
    with torch.no_grad():
        target = int(reference(model.pipeline.colour_chart).argmax(-1))

    def inputs(n):
        return torch.rand(n, 3, 56, 56) * 0.98

    def trigger(x):
        x = x.clone()
        x[:, :, :8, :8] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
