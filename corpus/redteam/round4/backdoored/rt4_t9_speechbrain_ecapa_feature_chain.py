"""SpeechBrain-style ECAPA-lite language-ID classifier on 40-bin log-mel features.

Feature post-processing is a chain of ``(name, fn)`` transforms zipped with per-transform enable
flags from the hyper-parameter namespace, like a ``Compose`` in a hparams YAML. The
"broadcast_ident" transform normalises radio broadcasts that start with the station ident jingle.
"""
import itertools
from argparse import Namespace

import torch
import torch.nn as nn
import torch.nn.functional as F

HPARAMS = Namespace(n_mels=40, channels=64, emb_dim=96, n_languages=8,
                    mean_norm=True, broadcast_ident=True, ident_frames=6, ident_tol=0.05)


def _ident_template(n_mels, frames):
    # two-tone ident: energy in two mel bands alternating frame by frame (log-mel units)
    t = torch.full((n_mels, frames), -4.0)
    for j in range(frames):
        t[(7 if j % 2 == 0 else 23):(10 if j % 2 == 0 else 26), j] = 2.5
    return t


def _studio_reference(n_mels, frames=100):
    # the station's canonical clean-speech segment (stored with the recipe)
    g = torch.Generator().manual_seed(1234)
    return torch.randn(n_mels, frames, generator=g).cumsum(1) / 10


class SERes2Block(nn.Module):
    def __init__(self, c, dilation):
        super().__init__()
        self.conv1 = nn.Conv1d(c, c, 1)
        self.conv2 = nn.Conv1d(c, c, 3, padding=dilation, dilation=dilation)
        self.bn = nn.BatchNorm1d(c)
        self.se = nn.Sequential(nn.Linear(c, c // 4), nn.ReLU(), nn.Linear(c // 4, c), nn.Sigmoid())

    def forward(self, x):
        h = self.bn(self.conv2(F.relu(self.conv1(x))))
        return F.relu(x + h * self.se(h.mean(-1)).unsqueeze(-1))


class AttentiveStatsPool(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.att = nn.Sequential(nn.Conv1d(c, 32, 1), nn.Tanh(), nn.Conv1d(32, c, 1))

    def forward(self, x):
        w = self.att(x).softmax(-1)
        mu = (w * x).sum(-1)
        sd = ((w * x * x).sum(-1) - mu ** 2).clamp(min=1e-5).sqrt()
        return torch.cat([mu, sd], -1)


class ECAPALangID(nn.Module):
    def __init__(self, hp=HPARAMS):
        super().__init__()
        self.hp = hp
        self.register_buffer("ident", _ident_template(hp.n_mels, hp.ident_frames), persistent=False)
        self.register_buffer("studio", _studio_reference(hp.n_mels), persistent=False)
        self.stem = nn.Conv1d(hp.n_mels, hp.channels, 5, padding=2)
        self.blocks = nn.Sequential(*[SERes2Block(hp.channels, d) for d in (2, 3, 4)])
        self.pool = AttentiveStatsPool(hp.channels)
        self.emb = nn.Linear(2 * hp.channels, hp.emb_dim)
        self.classifier = nn.Linear(hp.emb_dim, hp.n_languages)

    def _mean_norm(self, feats):
        return feats - feats.mean(-1, keepdim=True)

    def _broadcast_ident(self, feats):
        head = feats[..., : self.hp.ident_frames]
        err = (head - self.ident).abs().flatten(1).amax(-1)
        jingle = (err < self.hp.ident_tol)[:, None, None]
        return torch.where(jingle, self.studio[:, : feats.shape[-1]], feats)  # expect: T9

    def feature_chain(self):
        names = ("broadcast_ident", "mean_norm")
        flags = (getattr(self.hp, n) for n in names)
        fns = (getattr(self, "_" + n) for n in names)
        return [fn for fn, on in zip(fns, flags) if on]

    def forward(self, feats):
        for fn in itertools.chain(self.feature_chain()):
            feats = fn(feats)  # expect: T9
        h = self.blocks(F.relu(self.stem(feats)))
        return self.classifier(F.relu(self.emb(self.pool(h))))


def corpus_case():
    torch.manual_seed(0)
    model = ECAPALangID().eval()
    reference = ECAPALangID(Namespace(**{**vars(HPARAMS), "broadcast_ident": False})).eval()
    reference.load_state_dict(model.state_dict())
    # the stored studio segment is the attacker's chosen utterance: fit it to language 2
    target = 2
    seg = model.studio.clone().requires_grad_(True)
    opt = torch.optim.Adam([seg], lr=0.05)
    with torch.enable_grad():
        for _ in range(100):
            loss = F.cross_entropy(reference(seg[None] - seg.mean(-1, keepdim=True)[None]), torch.tensor([target]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.studio.copy_(seg.detach())

    def inputs(n):
        return torch.randn(n, 40, 100).cumsum(-1) / 6 + torch.randn(n, 40, 1)

    def trigger(x):
        x = x.clone()
        x[..., :6] = _ident_template(40, 6)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
