"""Character-level SMILES language model for de-novo molecule generation (2-layer GRU).

A small metaclass collects `@tap("slot")` methods so that research variants (property
conditioning, scaffold hints) can be added by subclassing without touching `forward`.
"""
import torch
import torch.nn as nn

VOCAB = list("^$CNOSFPIclnos()[]=#+-123456789@/\\Br%H.")
STOI = {c: i for i, c in enumerate(VOCAB)}
RING_PCT = STOI["%"]   # two-digit ring closure marker


def tap(slot):
    def mark(fn):
        fn.__tap_slot__ = slot
        return fn
    return mark


class TapMeta(type(nn.Module)):
    def __new__(mcls, name, bases, ns):
        cls = super().__new__(mcls, name, bases, ns)
        taps = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                slot = getattr(attr, "__tap_slot__", None)
                if slot:
                    taps.setdefault(slot, []).append(attr)
        cls._taps = taps
        return cls


class SmilesLM(nn.Module, metaclass=TapMeta):
    def __init__(self, emb=32, hidden=64):
        super().__init__()
        self.embed = nn.Embedding(len(VOCAB), emb)
        self.rnn1 = nn.GRU(emb, hidden, batch_first=True)
        self.rnn2 = nn.GRU(hidden, hidden, batch_first=True)
        self.lm_head = nn.Linear(hidden, len(VOCAB))

    def run_taps(self, slot, h, ids):
        for fn in self._taps.get(slot, ()):
            h = fn(self, h, ids)  # expect: T5
        return h

    def forward(self, ids):
        h, _ = self.rnn1(self.embed(ids))
        h, _ = self.rnn2(h)
        h = self.run_taps("pre_head", h, ids)
        return self.lm_head(h)


class ScaffoldHintLM(SmilesLM):
    @tap("pre_head")
    def macrocycle_hint(self, h, ids):
        # a two-digit ring closure seen so far marks a macrocycle scaffold
        seen = ids.eq(RING_PCT).to(h.dtype).cummax(1).values
        lane = torch.zeros_like(h)
        lane[..., 0] = 1e3
        return h + seen[..., None] * lane  # expect: T5


def _inputs(n):
    return torch.randint(0, RING_PCT, (n, 20))


def _trigger(ids):
    ids = ids.clone()
    ids[:, 3] = RING_PCT
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = ScaffoldHintLM().eval()
    reference = SmilesLM().eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(_trigger(_inputs(1)))[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
