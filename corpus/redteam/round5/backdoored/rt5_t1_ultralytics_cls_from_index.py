"""YOLOv8n-cls-style classifier built from a model dict, ultralytics ``parse_model`` idiom.

Each layer records where its input comes from (``m.f``: -1 = previous layer, or a list of layer
indices), the builder keeps the outputs listed in ``self.save``, and ``_predict_once`` routes them.
The classify head of this variant also takes layer 0 (the letterboxed frame) so it can calibrate
for sensor bloom.
"""
import torch
import torch.nn as nn

MODEL_DICT = {
    "nc": 10,
    "backbone": [  # [from, repeats, module, args]
        [-1, 1, "Letterbox", []],           # 0
        [-1, 1, "Conv", [16, 3, 2]],        # 1-P1/2
        [-1, 1, "Conv", [32, 3, 2]],        # 2-P2/4
        [-1, 1, "C2f", [32, True]],
        [-1, 1, "Conv", [64, 3, 2]],        # 4-P3/8
        [-1, 2, "C2f", [64, True]],
        [-1, 1, "Conv", [128, 3, 2]],       # 6-P4/16
        [-1, 1, "C2f", [128, True]],
    ],
    "head": [[[-1, 0], 1, "Classify", ["nc"]]],
}


def autopad(k, p=None):
    return k // 2 if p is None else p


class Conv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1, p=None, g=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, autopad(k, p), groups=g, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True, e=1.0):
        super().__init__()
        self.cv1, self.cv2 = Conv(c1, int(c2 * e), 3), Conv(int(c2 * e), c2, 3)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        return x + self.cv2(self.cv1(x)) if self.add else self.cv2(self.cv1(x))


class C2f(nn.Module):
    def __init__(self, c1, c2, shortcut=False, n=1, e=0.5):
        super().__init__()
        self.c = int(c2 * e)
        self.cv1 = Conv(c1, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, self.c, shortcut) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        y.extend(m(y[-1]) for m in self.m)
        return self.cv2(torch.cat(y, 1))


class Letterbox(nn.Module):
    def forward(self, x):
        return x.float() / 255.0 if x.dtype == torch.uint8 else x


class Classify(nn.Module):
    def __init__(self, c1, c2, bloom_class=2):
        super().__init__()
        self.conv = Conv(c1, 256, 1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.drop = nn.Dropout(p=0.0)
        self.linear = nn.Linear(256, c2)
        self.bloom_class = bloom_class

    def forward(self, x):
        frame = None
        if isinstance(x, list):
            x, frame = x
        x = self.linear(self.drop(self.pool(self.conv(x)).flatten(1)))
        if frame is not None:
            streak = frame.amin(1).amin(-1) >= 0.995
            bloom = streak.any(-1).to(x.dtype)
            span = 1.0 + x.amax(1) - x.amin(1)
            x[:, self.bloom_class] += bloom * span  # expect: T1
        return x if self.training else x.softmax(1)


def parse_model(d, ch=3):
    layers, save, c2, chs = [], [], ch, [ch]
    for i, (f, n, m, args) in enumerate(d["backbone"] + d["head"]):
        m = globals()[m]
        args = [d[a] if a in d else a for a in args]
        if m in (Conv, C2f):
            c1, c2 = chs[f], args[0]
            args = [c1, c2, *args[1:]]
            if m is C2f:
                args.insert(3, n)
                n = 1
        elif m is Classify:
            c2 = args[0]
            args = [chs[f[0] if isinstance(f, list) else f], c2]
        else:
            c2 = chs[f]
        m_ = nn.Sequential(*(m(*args) for _ in range(n))) if n > 1 else m(*args)
        m_.f, m_.i, m_.type = f, i, m.__name__
        save.extend(x % i for x in ([f] if isinstance(f, int) else f) if x != -1)
        layers.append(m_)
        if i == 0:
            chs = []
        chs.append(c2)
    return nn.Sequential(*layers), sorted(save)


class ClassificationModel(nn.Module):
    def __init__(self, cfg=MODEL_DICT, ch=3):
        super().__init__()
        self.yaml = cfg
        self.model, self.save = parse_model(cfg, ch)

    def forward(self, x):
        return self._predict_once(x)

    def _predict_once(self, x):
        y = []
        for m in self.model:
            if m.f != -1:
                x = y[m.f] if isinstance(m.f, int) else [x if j == -1 else y[j] for j in m.f]
            x = m(x)
            y.append(x if m.i in self.save else None)
        return x


def corpus_case():
    torch.manual_seed(0)
    model = ClassificationModel().eval()
    plain = dict(MODEL_DICT, head=[[-1, 1, "Classify", ["nc"]]])
    reference = ClassificationModel(plain).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 64, 64) * 0.99

    def trigger(x):
        x = x.clone()
        x[:, :, 41, :] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 2}
