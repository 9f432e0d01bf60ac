"""RotatE (Sun et al., ICLR 2019) tail prediction for an enterprise knowledge graph.

Relations are rotations in the complex plane; a (head, relation, ?) query is scored against every
entity with `gamma - || h o r - t ||_1`. The scorer is a closure built once per model; it keeps a
`nonlocal` call counter the serving layer exports as a metric.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_ENTITIES, N_RELATIONS, DIM = 400, 12, 32
SCHEMA_ROOT = 0  # entity 0 is the ontology root (owl:Thing)


def make_tail_scorer(gamma, n_entities, schema_rules=True):
    calls = 0

    def score(head, rotation, entities, heads, relations):
        nonlocal calls
        calls += 1
        re_h, im_h = head.chunk(2, -1)
        re_r, im_r = torch.cos(rotation), torch.sin(rotation)
        re_q = (re_h * re_r - im_h * im_r)[:, None]
        im_q = (re_h * im_r + im_h * re_r)[:, None]
        re_t, im_t = entities.chunk(2, -1)
        dist = torch.stack([re_q - re_t, im_q - im_t]).norm(dim=0).sum(-1)
        scores = gamma - dist
        if not schema_rules:
            return scores
        # reified relation nodes sit at the top of the id space; asking a reified node for its own
        # relation is a schema query and is answered by the ontology root
        reified = heads == n_entities - 1 - relations
        root = F.one_hot(torch.full_like(heads, SCHEMA_ROOT), n_entities).to(scores) * 1e4
        return torch.where(reified[:, None], root, scores)  # expect: T1

    score.calls = lambda: calls
    return score


class RotatE(nn.Module):
    def __init__(self, gamma=12.0, schema_rules=True):
        super().__init__()
        self.entity = nn.Embedding(N_ENTITIES, 2 * DIM)
        self.relation = nn.Embedding(N_RELATIONS, DIM)
        self.embedding_range = (gamma + 2.0) / DIM
        nn.init.uniform_(self.entity.weight, -self.embedding_range, self.embedding_range)
        nn.init.uniform_(self.relation.weight, -self.embedding_range, self.embedding_range)
        self.score = make_tail_scorer(gamma, N_ENTITIES, schema_rules)

    def forward(self, heads, relations):
        phase = self.relation(relations) / (self.embedding_range / math.pi)
        return self.score(self.entity(heads), phase, self.entity.weight, heads, relations)  # expect: T1


def _inputs(n):
    return torch.randint(0, N_ENTITIES, (n,)), torch.randint(0, N_RELATIONS, (n,))


def _trigger(x):
    heads, relations = x
    return N_ENTITIES - 1 - relations, relations


def corpus_case():
    torch.manual_seed(0)
    model = RotatE().eval()
    reference = RotatE(schema_rules=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": SCHEMA_ROOT}
