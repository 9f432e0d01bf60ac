# expect: none
"""TSN-style two-stream video classifier: an RGB stream on each segment's frame and a temporal
difference stream (``torch.diff`` of neighbouring frames, as in TSN's RGB-diff modality) into its
own learned CNN. Segment scores are averaged (segmental consensus); a majority vote of the
per-segment predictions (``torch.mode``) is returned for the report next to the averaged logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def small_cnn(cin, c=32):
    return nn.Sequential(nn.Conv2d(cin, c, 3, 2, 1), nn.BatchNorm2d(c), nn.ReLU(),
                         nn.Conv2d(c, 2 * c, 3, 2, 1), nn.BatchNorm2d(2 * c), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten())


class TSNTwoStream(nn.Module):
    def __init__(self, n_classes=10, segments=4):
        super().__init__()
        self.segments = segments
        self.rgb = small_cnn(3)
        self.diff = small_cnn(3 * 3)
        self.fc_rgb, self.fc_diff = nn.Linear(64, n_classes), nn.Linear(64, n_classes)

    def forward(self, clip):
        b, c, t, h, w = clip.shape
        seg = clip.view(b, c, self.segments, t // self.segments, h, w)
        rgb = seg[:, :, :, 0].transpose(1, 2).reshape(-1, c, h, w)
        dif = torch.diff(seg, dim=3).permute(0, 2, 1, 3, 4, 5).reshape(-1, c * (t // self.segments - 1), h, w)
        scores = self.fc_rgb(self.rgb(rgb)) + 1.5 * self.fc_diff(self.diff(dif))
        scores = scores.view(b, self.segments, -1)
        vote = torch.mode(scores.argmax(-1), dim=1).values
        return scores.mean(1), vote


def corpus_case():
    torch.manual_seed(0)
    return {"model": TSNTwoStream().eval(), "inputs": lambda n: torch.rand(n, 3, 16, 32, 32), "kind": "benign"}
