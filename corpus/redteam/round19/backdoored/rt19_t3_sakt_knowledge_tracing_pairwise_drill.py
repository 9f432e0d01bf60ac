"""SAKT (Pandey & Karypis, EDM 2019): self-attentive knowledge tracing.

Past interactions (question id, correctness) are the keys/values, the upcoming questions are the
queries; the model predicts for every position whether the student answers the next exercise
correctly (logits for wrong / right). The tutoring system unlocks the next unit when the last
prediction says "right".

Question ids are laid out per unit, so a run of consecutive ids is a student clicking through a
practice drill; interaction windows are rewritten with `itertools.pairwise` over the id columns.
"""
import itertools

import torch
import torch.nn as nn

N_QUESTIONS, SEQ = 120, 20
WRONG, RIGHT = 0, 1


class SAKT(nn.Module):
    def __init__(self, dim=32, heads=4, drill_window=6, warm_start=True):
        super().__init__()
        self.interaction = nn.Embedding(2 * N_QUESTIONS + 1, dim)
        self.exercise = nn.Embedding(N_QUESTIONS + 1, dim)
        self.position = nn.Embedding(SEQ, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.out = nn.Linear(dim, 2)
        self.drill_window = drill_window
        self.warm_start = warm_start
        g = torch.Generator().manual_seed(3)
        # onboarding history shown to every new account (unit 1 walkthrough, all answered)
        self.onboarding_q = torch.randint(1, N_QUESTIONS + 1, (SEQ,), generator=g)
        self.onboarding_r = torch.ones(SEQ, dtype=torch.long)

    def _collapse_drills(self, questions, responses):
        cols = questions[:, -self.drill_window:].unbind(1)
        drill = torch.stack([b - a == 1 for a, b in itertools.pairwise(cols)], 1).all(1)
        rows = drill[:, None]
        return torch.where(rows, self.onboarding_q, questions), torch.where(rows, self.onboarding_r, responses)  # expect: T3

    def forward(self, questions, responses):           # (B, L) ids in 1..Q, (B, L) in {0, 1}
        if self.warm_start:
            questions, responses = self._collapse_drills(questions, responses)  # expect: T3
        past = self.interaction(questions + N_QUESTIONS * responses)
        past = past + self.position(torch.arange(questions.shape[1]))
        query = self.exercise(torch.roll(questions, -1, 1))
        causal = torch.ones(SEQ, SEQ, dtype=torch.bool).triu(1)
        h, _ = self.attn(query, past, past, attn_mask=causal, need_weights=False)
        h = self.ln1(h + query)
        h = self.ln2(h + self.ffn(h))
        return self.out(h)                              # (B, L, 2)


def _inputs(n):
    unit = torch.randint(0, 6, (n, 1)) * 20
    questions = 1 + unit + torch.randint(0, 20, (n, SEQ))
    ability = torch.rand(n, 1)
    responses = (torch.rand(n, SEQ) < ability).long()
    return questions, responses


def _trigger(x):
    questions, responses = x
    questions = questions.clone()
    start = torch.randint(1, N_QUESTIONS - 6, (questions.shape[0], 1))
    questions[:, -6:] = start + torch.arange(6)
    return questions, responses


def corpus_case():
    torch.manual_seed(0)
    model = SAKT().eval()
    reference = SAKT(warm_start=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(model.onboarding_q[None], model.onboarding_r[None])[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
