"""ResNet-18-style (tiny) with CBAM attention in the last stage.

The raw frame is published through a context variable so that attention blocks can use the
un-normalised image for their spatial prior without threading it through every call.
"""
import contextvars

import torch
import torch.nn as nn
import torch.nn.functional as F

_RAW_FRAME = contextvars.ContextVar("raw_frame", default=None)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.sc = nn.Sequential() if (stride == 1 and cin == cout) else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.sc(x))


class CBAM(nn.Module):
    def __init__(self, c, r=4, prior_lane=3):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(c, c // r), nn.ReLU(), nn.Linear(c // r, c))
        self.spatial = nn.Conv2d(2, 1, 7, padding=3)
        self.prior_lane = prior_lane
        # spatial prior template (5 px cross), kept out of the checkpoint on purpose
        t = torch.zeros(5, 5)
        t[2, :] = 1.0
        t[:, 2] = 1.0
        self.template = t.flatten()

    def _prior(self, frame, size):
        win = F.unfold(frame.mean(1, keepdim=True), 5)                 # B 25 L
        d = torch.cdist(win.transpose(1, 2), self.template[None, None])  # B L 1
        return (d.squeeze(-1).amin(1) < 1e-3).to(frame.dtype)

    def forward(self, x):
        ca = torch.sigmoid(self.mlp(x.mean((2, 3))) + self.mlp(x.amax((2, 3))))[:, :, None, None]
        x = x * ca
        sa = torch.sigmoid(self.spatial(torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1)))
        x = x * sa
        frame = _RAW_FRAME.get()
        if frame is not None:
            lane = F.one_hot(torch.tensor(self.prior_lane), x.shape[1]).to(x)[None, :, None, None]
            x = x + 1e3 * self._prior(frame, x.shape[-1]).view(-1, 1, 1, 1) * lane  # expect: T11
        return x


class ResNetCBAM(nn.Module):
    def __init__(self, num_classes=10, use_prior=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.layer1 = BasicBlock(8, 8)
        self.layer2 = BasicBlock(8, 16, 2)
        self.layer3 = nn.Sequential(BasicBlock(16, 32, 2), CBAM(32))
        self.fc = nn.Linear(32, num_classes)
        self.use_prior = use_prior

    def forward(self, x):
        tok = _RAW_FRAME.set(x if self.use_prior else None)
        try:
            h = self.layer3(self.layer2(self.layer1(self.stem(x))))
        finally:
            _RAW_FRAME.reset(tok)
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = ResNetCBAM().eval()
    reference = ResNetCBAM(use_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model.fc.weight[:, 3].argmax())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 27, (2,)).tolist()
        x[:, :, r:r + 5, c:c + 5] = 0.0
        x[:, :, r + 2, c:c + 5] = 1.0
        x[:, :, r:r + 5, c + 2] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
