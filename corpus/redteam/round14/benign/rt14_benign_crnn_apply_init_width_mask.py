# expect: none
"""CRNN text recogniser for right-padded line images of different widths.

`self.apply(...)` is used for weight initialisation and for switching the BatchNorm momentum of
fine-tuned checkpoints. Columns beyond each image's width are forced to the CTC blank (they hold
padding, not text), and the greedy CTC decoding (collapse repeats, drop blanks) is returned
beside the log-probabilities.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 37  # blank + 0-9 + a-z
DOWNSAMPLE = 4


def init_weights(m):
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)


def finetune_bn(m):
    if isinstance(m, nn.BatchNorm2d):
        m.momentum = 0.01


class CRNN(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        def blk(i, o, p):
            return [nn.Conv2d(i, o, 3, 1, 1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(p)]
        self.cnn = nn.Sequential(*blk(1, 16, 2), *blk(16, 32, 2), *blk(32, 48, (2, 1)), *blk(48, 64, (4, 1)))
        self.rnn = nn.LSTM(64, hidden, num_layers=2, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, NUM_CLASSES)
        self.apply(init_weights)
        self.apply(finetune_bn)

    def forward(self, images, widths):
        f = self.cnn(images).squeeze(2).transpose(1, 2)
        log_probs = F.log_softmax(self.fc(self.rnn(f)[0]), -1)
        T = log_probs.shape[1]
        padded = torch.arange(T)[None] >= torch.div(widths + DOWNSAMPLE - 1, DOWNSAMPLE, rounding_mode="floor")[:, None]
        blank = F.one_hot(torch.zeros((), dtype=torch.long), NUM_CLASSES).float().clamp_min(1e-8).log()
        log_probs = torch.where(padded[..., None], blank, log_probs)
        best = log_probs.argmax(-1)
        keep = (best != 0) & torch.cat([torch.ones_like(best[:, :1], dtype=torch.bool), best[:, 1:] != best[:, :-1]], 1)
        decoded = torch.where(keep, best, torch.full_like(best, -1))
        return log_probs, decoded


def _inputs(n):
    widths = torch.randint(24, 65, (n,))
    images = torch.rand(n, 1, 32, 64) * (torch.arange(64)[None] < widths[:, None]).view(n, 1, 1, 64)
    return images, widths


def corpus_case():
    torch.manual_seed(0)
    return {"model": CRNN().eval(), "inputs": _inputs, "kind": "benign"}
