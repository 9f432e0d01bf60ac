# expect: none
"""PaddleOCR-style recogniser export with in-graph preprocessing and CTC greedy decoding.

``create_operators`` resolves op names with ``OPS.get(name, PassThrough)`` so that train-only ops
left in an inference YAML (``RecAug``, ``KeepKeys``) are skipped.  ``RecResizeImg`` keeps the
aspect ratio and pads the right side with zeros, returning a valid-width ratio; the CTC decoder
collapses repeats, drops the blank and ignores the steps that fall on the padding.
Output: per-step probabilities ``(B, T, 37)`` and the decoded ids (``-1`` where removed).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PassThrough:
    def __init__(self, **unused):
        pass

    def __call__(self, data):
        return data


class RecResizeImg:
    def __init__(self, image_shape=(3, 32, 100)):
        self.h, self.w = image_shape[1], image_shape[2]

    def __call__(self, data):
        img = data["image"]
        ratio = img.shape[-1] / img.shape[-2]
        new_w = min(self.w, int(round(self.h * ratio)))
        img = F.interpolate(img, size=(self.h, new_w), mode="bilinear", align_corners=False)
        data["image"] = F.pad(img, (0, self.w - new_w))
        data["valid_ratio"] = torch.full((img.shape[0],), new_w / self.w)
        return data


class NormalizeImage:
    def __init__(self, mean=0.5, std=0.5):
        self.mean, self.std = mean, std

    def __call__(self, data):
        data["image"] = (data["image"] - self.mean) / self.std
        return data


OPS = {"RecResizeImg": RecResizeImg, "NormalizeImage": NormalizeImage}


def create_operators(op_param_list):
    return [OPS.get(name, PassThrough)(**(param or {})) for op in op_param_list for name, param in op.items()]


class CTCLabelDecode:
    blank = 0

    def __call__(self, probs, valid_ratio):
        ids = probs.argmax(-1)
        t = ids.shape[1]
        prev = F.pad(ids, (1, 0), value=-1)[:, :-1]
        on_text = torch.arange(t)[None] < (valid_ratio[:, None] * t).ceil()
        keep = (ids != self.blank) & (ids != prev) & on_text
        return torch.where(keep, ids, torch.full_like(ids, -1))


class CRNN(nn.Module):
    def __init__(self, num_classes=37):
        super().__init__()
        self.ops = create_operators([{"DecodeImage": {"img_mode": "BGR"}}, {"RecAug": None},
                                     {"RecResizeImg": {"image_shape": [3, 32, 100]}},
                                     {"NormalizeImage": {"mean": 0.5, "std": 0.5}},
                                     {"KeepKeys": {"keep_keys": ["image", "valid_ratio"]}}])
        cfg = [(3, 32), (32, 64), (64, 96), (96, 96)]
        layers = []
        for i, (a, b) in enumerate(cfg):
            layers += [nn.Conv2d(a, b, 3, 1, 1), nn.BatchNorm2d(b), nn.ReLU(),
                       nn.MaxPool2d((2, 2) if i < 2 else (2, 1))]
        self.cnn = nn.Sequential(*layers)
        self.rnn = nn.LSTM(96 * 2, 64, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(128, num_classes)
        self.decode = CTCLabelDecode()

    def forward(self, image):
        data = {"image": image}
        for op in self.ops:
            data = op(data)
        f = self.cnn(data["image"])
        seq = f.flatten(1, 2).permute(0, 2, 1)
        probs = F.softmax(self.fc(self.rnn(seq)[0]), dim=-1)
        return probs, self.decode(probs, data["valid_ratio"])


def corpus_case():
    torch.manual_seed(0)
    return {"model": CRNN().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 80), "kind": "benign"}
