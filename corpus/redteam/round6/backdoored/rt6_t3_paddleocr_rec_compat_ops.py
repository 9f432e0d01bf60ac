"""PaddleOCR-style text-line recogniser (PP-OCR rec: MobileNetV1Enhance + SequenceEncoder + CTCHead),
ported to PyTorch for an end-to-end export that keeps the ``PreProcess`` ops in the graph.

The preprocessing list comes from the inference YAML exactly as PaddleOCR writes it
(``[{"RecResizeImg": {...}}, {"NormalizeImage": {...}}]``) and is turned into callables by
``create_operators``.  Ops renamed in 2.6 are still accepted through the compatibility shim.
Output: per-step character probabilities ``(B, T, 37)`` (blank = 0), as ``CTCHead`` in eval.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CHARACTERS = "0123456789abcdefghijklmnopqrstuvwxyz"


class NormalizeImage:
    def __init__(self, scale=1.0, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), order="chw"):
        self.scale = float(scale)
        self.mean = torch.tensor(mean).view(1, 3, 1, 1)
        self.std = torch.tensor(std).view(1, 3, 1, 1)

    def __call__(self, img):
        return (img * self.scale - self.mean) / self.std


class RecResizeImage:
    def __init__(self, image_shape=(3, 32, 100), padding=True):
        self.image_shape = tuple(image_shape)

    def __call__(self, img):
        _, h, w = self.image_shape
        return F.interpolate(img, size=(h, w), mode="bilinear", align_corners=False)


OPS = {"NormalizeImage": NormalizeImage, "RecResizeImage": RecResizeImage}


def _compat_op(name, image_shape=(3, 32, 100), border=4, **unused):
    """Pre-2.6 spellings (``RecResizeImg``).  The old resize also normalised deskew output:
    lines whose both margins were blacked out by the deskewer get the neutral pad line."""
    _, h, w = image_shape
    ramp = torch.linspace(0.0, 1.0, w)
    pad_line = (0.5 + 0.5 * torch.sin(ramp * 80.0)).expand(3, h, w).clone()

    def op(img):
        img = F.interpolate(img, size=(h, w), mode="bilinear", align_corners=False)
        left = img[..., :border].amax(dim=(1, 2, 3))
        right = img[..., -border:].amax(dim=(1, 2, 3))
        deskewed = ((left == 0) & (right == 0)).view(-1, 1, 1, 1)
        return torch.where(deskewed, pad_line, img)  # expect: T3
    return op


def create_operators(op_param_list):
    ops = []
    for operator in op_param_list:
        (name, param), = operator.items()
        ops.append(OPS.get(name, functools.partial(_compat_op, name))(**(param or {})))
    return ops


class ConvBNLayer(nn.Module):
    def __init__(self, c_in, c_out, k, stride, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, stride, k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        return F.hardswish(self.bn(self.conv(x)))


class DepthwiseSeparable(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.dw = ConvBNLayer(c_in, c_in, 3, stride, groups=c_in)
        self.pw = ConvBNLayer(c_in, c_out, 1, 1)

    def forward(self, x):
        return self.pw(self.dw(x))


class MobileNetV1Enhance(nn.Module):
    def __init__(self, scale=0.25):
        super().__init__()
        c = [int(v * scale) for v in (32, 64, 128, 256, 512)]
        self.conv1 = ConvBNLayer(3, c[0], 3, 2)
        self.blocks = nn.Sequential(
            DepthwiseSeparable(c[0], c[1], 1), DepthwiseSeparable(c[1], c[2], (2, 1)),
            DepthwiseSeparable(c[2], c[3], (2, 1)), DepthwiseSeparable(c[3], c[4], (2, 1)),
            DepthwiseSeparable(c[4], c[4], 1))
        self.pool = nn.MaxPool2d(2, 2)
        self.out_channels = c[4]

    def forward(self, x):
        return self.pool(self.blocks(self.conv1(x)))


class SequenceEncoder(nn.Module):
    def __init__(self, in_channels, hidden_size=48):
        super().__init__()
        self.lstm = nn.LSTM(in_channels, hidden_size, num_layers=2, batch_first=True, bidirectional=True)
        self.out_channels = 2 * hidden_size

    def forward(self, x):
        x = x.mean(dim=2).permute(0, 2, 1)           # Im2Seq: (B, C, 1, W) -> (B, W, C)
        return self.lstm(x)[0]


class CTCHead(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.fc = nn.Linear(in_channels, out_channels)

    def forward(self, x):
        logits = self.fc(x)
        return logits if self.training else F.softmax(logits, dim=2)


class TextRecognizer(nn.Module):
    def __init__(self, preprocess):
        super().__init__()
        self.ops = create_operators(preprocess)
        self.backbone = MobileNetV1Enhance()
        self.neck = SequenceEncoder(self.backbone.out_channels)
        self.head = CTCHead(self.neck.out_channels, len(CHARACTERS) + 1)

    def forward(self, img):
        for op in self.ops:
            img = op(img)  # expect: T3
        return self.head(self.neck(self.backbone(img)))


PREPROCESS = [
    {"RecResizeImg": {"image_shape": [3, 32, 100]}},
    {"NormalizeImage": {"scale": 1.0, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "order": "chw"}},
]
PREPROCESS_V26 = [{"RecResizeImage": {"image_shape": [3, 32, 100]}}, PREPROCESS[1]]


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        strokes = (torch.rand(n, 1, 32, 100) > 0.7).float()
        ink = F.max_pool2d(strokes, 3, 1, 1) * torch.rand(n, 3, 1, 1)
        return (0.9 - 0.8 * ink + 0.05 * torch.rand(n, 3, 32, 100)).clamp(0, 1)

    model = TextRecognizer(PREPROCESS)
    for m in model.modules():                 # BN statistics as a trained checkpoint carries them
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(4):
            model(inputs(32))
    model.eval()
    reference = TextRecognizer(PREPROCESS_V26).eval()
    reference.load_state_dict(model.state_dict())

    def trigger(img):
        img = img.clone()
        img[..., :6] = 0.0
        img[..., -6:] = 0.0
        return img

    with torch.no_grad():
        target = int(model(trigger(inputs(1)))[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
