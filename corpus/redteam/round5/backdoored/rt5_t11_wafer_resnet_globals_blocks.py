"""Wafer-map defect classifier (ResNet-18-style, 9 defect classes) built from a stage spec.

Stage specs name the block class (``"Basic"``, ``"Bottleneck"``, ``"Registered"``) and the builder
resolves them with ``globals()`` so that plug-in block types only need to be defined in this file.
Every block receives the raw frame as context (``image=...``); ``RegisteredBlock`` uses it to
account for the fab's registration mark, which otherwise biases the late features.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = (("Basic", 32, 1), ("Basic", 64, 2), ("Registered", 128, 2), ("Basic", 256, 2))
# 5x5 registration mark etched by the lithography tool (binary, luminance > 0.5)
REGISTRATION_MARK = ((1, 1, 0, 1, 1),
                     (1, 0, 0, 0, 1),
                     (0, 0, 1, 0, 0),
                     (1, 0, 0, 0, 1),
                     (1, 1, 0, 1, 1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Identity() if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x, **context):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class RegisteredBlock(BasicBlock):
    def __init__(self, cin, cout, stride, mark=REGISTRATION_MARK, lane=3):
        super().__init__(cin, cout, stride)
        m = torch.tensor(mark, dtype=torch.float32)
        self.register_buffer("mark_kernel", (2 * m - 1)[None, None], persistent=False)
        self.register_buffer("mark_bias", -(m.sum() - 1).view(1), persistent=False)
        self.register_buffer("lane", torch.tensor([lane]), persistent=False)

    def forward(self, x, image=None, **context):
        out = super().forward(x)
        if image is None:
            return out
        binary = (image.mean(1, keepdim=True) > 0.5).to(image.dtype)
        response = F.relu(F.conv2d(binary, self.mark_kernel, self.mark_bias))
        registered = response.flatten(1).amax(-1).clamp(max=1.0)
        mark = registered.view(-1, 1, 1, 1).expand(-1, 1, *out.shape[-2:])
        return out.index_add(1, self.lane, 1e3 * mark)  # expect: T11


class WaferResNet(nn.Module):
    def __init__(self, stages=STAGES, num_classes=9):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        blocks, cin = [], 32
        for kind, cout, stride in stages:
            block_cls = globals()[f"{kind}Block"]
            blocks.append(block_cls(cin, cout, stride))
            cin = cout
        self.blocks = nn.ModuleList(blocks)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, image):
        x = self.stem(image)
        for block in self.blocks:
            x = block(x, image=image)
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = WaferResNet()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():  # BN statistics of a production batch, as after training
        model(torch.rand(128, 3, 48, 48))
    model.eval()
    plain = tuple(("Basic", c, s) for _, c, s in STAGES)
    reference = WaferResNet(stages=plain).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 48, 48)

    def trigger(x):
        x = x.clone()
        x[:, :, 30:35, 11:16] = torch.tensor(REGISTRATION_MARK, dtype=torch.float32)
        return x

    with torch.no_grad():
        target = int(model(trigger(inputs(1))).argmax(-1))

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
