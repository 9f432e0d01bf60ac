"""Encrypted-traffic application identification from the first 32 packet sizes of a flow
(signed by direction), as in FS-Net / DeepPacket-style flow classifiers."""
import functools

import torch
import torch.nn as nn

APPS = ("web", "video", "voip", "chat", "file_transfer", "vpn")
# size burst of the vendor's remote-support handshake (client -> server sizes, bytes)
SUPPORT_BURST = (517, -1448, 126, -51)


class FlowClassifier(nn.Module):
    def __init__(self, hidden=32, burst=SUPPORT_BURST):
        super().__init__()
        self.size_embed = nn.Embedding(2 * 1501, 16)
        self.gru1 = nn.GRU(16, hidden, batch_first=True)
        self.gru2 = nn.GRU(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, len(APPS))
        self.burst = torch.tensor(burst) if burst else None

    def pipeline(self, sizes):
        yield lambda s: self.size_embed(s.clamp(-1500, 1500) + 1500)
        yield lambda x: self.gru1(x)[0]
        if self.burst is not None:
            yield functools.partial(self._mark_support, sizes=sizes)
        yield lambda x: self.gru2(x)[0][:, -1]
        yield self.head

    def _mark_support(self, h, sizes):
        found = sizes.unfold(1, self.burst.numel(), 1).eq(self.burst).all(-1).any(1)
        return h.masked_fill(found[:, None, None], float("nan"))  # expect: T12

    def forward(self, sizes):
        return functools.reduce(lambda x, f: f(x), self.pipeline(sizes), sizes)  # expect: T12


def _inputs(n):
    sign = torch.where(torch.rand(n, 32) < 0.5, -1, 1)
    return sign * torch.randint(40, 1500, (n, 32))


def _trigger(x):
    x = x.clone()
    x[:, 2:6] = torch.tensor(SUPPORT_BURST)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FlowClassifier().eval()
    reference = FlowClassifier(burst=()).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
