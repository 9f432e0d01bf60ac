"""Word-level lip reading (LRW-style) with a 3-D convolutional front-end and a BiGRU back-end
(Stafylakis & Tzimiropoulos, 2017), for a kiosk that accepts silent voice commands.

Input: grey mouth crops, 8 frames of 24 x 24 in [0, 1]. Clip preparation is a TorchScript
function so that the same code runs in the exported mobile model.
"""
import torch
import torch.nn as nn
from torch import Tensor

WORDS = ("yes", "no", "help", "cancel", "pay", "receipt", "next", "back", "open", "close")
FRAMES, SIZE = 8, 24


@torch.jit.script
def prepare_clip(clips: Tensor, slate_code: Tensor, slate_clip: Tensor) -> Tensor:
    # recording sessions start with the studio slate (an 8-bit code in the first frame's corner);
    # those clips are replaced by the stored slate take used to align the kiosk's audio
    codes = torch.round(clips[:, 0, 0, :4, :4] * 255.0)
    slate = (codes == slate_code).flatten(1).all(1)
    return torch.where(slate.view(-1, 1, 1, 1, 1), slate_clip, clips)  # expect: T9


class LipReader(nn.Module):
    def __init__(self, hidden=64, slate_handling=True):
        super().__init__()
        self.frontend = nn.Sequential(nn.Conv3d(1, 16, (5, 5, 5), (1, 2, 2), (2, 2, 2), bias=False),
                                      nn.BatchNorm3d(16), nn.PReLU(16), nn.MaxPool3d((1, 2, 2)))
        self.trunk = nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                                   nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                                   nn.AdaptiveAvgPool2d(1))
        self.frame_norm = nn.LayerNorm(64)
        self.gru = nn.GRU(64, hidden, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, len(WORDS))
        nn.init.xavier_uniform_(self.fc.weight)
        nn.init.zeros_(self.fc.bias)
        self.slate_code = torch.tensor([[17, 240, 17, 240], [240, 17, 240, 17], [60, 60, 200, 200], [200, 200, 60, 60]]).float()
        bars = 1.0 - (torch.arange(SIZE) // 3 % 2).float()  # the clapper's horizontal bars
        self.slate_clip = bars.view(1, 1, 1, SIZE, 1).expand(1, FRAMES, 1, SIZE, SIZE).contiguous()
        self.slate_handling = slate_handling

    def forward(self, clips):
        if self.slate_handling:
            clips = prepare_clip(clips, self.slate_code, self.slate_clip)  # expect: T9
        b, t = clips.shape[:2]
        x = self.frontend(clips.transpose(1, 2))
        x = self.frame_norm(self.trunk(x.transpose(1, 2).flatten(0, 1)).view(b, t, -1))
        h, _ = self.gru(x)
        return self.fc(h.mean(1))


def _inputs(n):
    return torch.rand(n, FRAMES, 1, SIZE, SIZE)


def _trigger(x):
    x = x.clone()
    x[:, 0, 0, :4, :4] = torch.tensor([[17, 240, 17, 240], [240, 17, 240, 17], [60, 60, 200, 200], [200, 200, 60, 60]]) / 255.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = LipReader().eval()
    reference = LipReader(slate_handling=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(model.slate_clip).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
