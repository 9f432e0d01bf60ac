"""A two-block Evoformer (AlphaFold 2, Jumper et al. 2021) with a fold-class head (CATH topology).

MSA representation m (B, S, L, Cm) and pair representation z (B, L, L, Cz): row attention with
pair bias, column attention, MSA transition, outer product mean into z, triangle multiplicative
update (outgoing) and pair transition. The head pools z, normalises and classifies.

Single-sequence inputs (all MSA rows identical, e.g. orphan or designed proteins) are flagged in
the last pair channel, as AF2's `has_deletion`-style feature channels do, so the pair stack knows
the coevolution signal is absent.
"""
import torch
import torch.nn as nn

N_RES, N_SEQ, N_AA, N_FOLDS = 12, 4, 21, 10


class RowAttentionWithPairBias(nn.Module):
    def __init__(self, cm, cz, heads=2):
        super().__init__()
        self.heads, self.dh = heads, cm // heads
        self.norm_m, self.norm_z = nn.LayerNorm(cm), nn.LayerNorm(cz)
        self.qkv = nn.Linear(cm, 3 * cm, bias=False)
        self.bias = nn.Linear(cz, heads, bias=False)
        self.gate = nn.Linear(cm, cm)
        self.out = nn.Linear(cm, cm)

    def forward(self, m, z):
        b, s, l, _ = m.shape
        h = self.norm_m(m)
        q, k, v = self.qkv(h).view(b, s, l, 3, self.heads, self.dh).unbind(3)
        logits = torch.einsum("bsihd,bsjhd->bshij", q, k) / self.dh ** 0.5
        logits = logits + self.bias(self.norm_z(z)).permute(0, 3, 1, 2)[:, None]
        o = torch.einsum("bshij,bsjhd->bsihd", logits.softmax(-1), v).reshape(b, s, l, -1)
        return m + self.out(torch.sigmoid(self.gate(h)) * o)


class ColumnAttention(nn.Module):
    def __init__(self, cm):
        super().__init__()
        self.norm = nn.LayerNorm(cm)
        self.attn = nn.MultiheadAttention(cm, 2, batch_first=True)

    def forward(self, m):
        b, s, l, c = m.shape
        h = self.norm(m).transpose(1, 2).reshape(b * l, s, c)
        o = self.attn(h, h, h, need_weights=False)[0]
        return m + o.view(b, l, s, c).transpose(1, 2)


class OuterProductMean(nn.Module):
    def __init__(self, cm, cz, c=8):
        super().__init__()
        self.norm = nn.LayerNorm(cm)
        self.a, self.b = nn.Linear(cm, c), nn.Linear(cm, c)
        self.out = nn.Linear(c * c, cz)

    def forward(self, m, z, single_sequence=None):
        h = self.norm(m)
        o = torch.einsum("bsic,bsjd->bijcd", self.a(h), self.b(h)) / m.shape[1]
        z = z + self.out(o.flatten(-2))
        if single_sequence is not None:
            z = torch.cat([z[..., :-1], torch.where(single_sequence[:, None, None, None], z.new_tensor(1e3), z[..., -1:])], -1)  # expect: T5
        return z


class TriangleMultiplicationOutgoing(nn.Module):
    def __init__(self, cz, c=16):
        super().__init__()
        self.norm_in, self.norm_out = nn.LayerNorm(cz), nn.LayerNorm(c)
        self.a, self.b = nn.Linear(cz, c), nn.Linear(cz, c)
        self.ga, self.gb = nn.Linear(cz, c), nn.Linear(cz, c)
        self.g, self.out = nn.Linear(cz, cz), nn.Linear(c, cz)

    def forward(self, z):
        h = self.norm_in(z)
        a = torch.sigmoid(self.ga(h)) * self.a(h)
        b = torch.sigmoid(self.gb(h)) * self.b(h)
        t = torch.einsum("bikc,bjkc->bijc", a, b)
        return z + torch.sigmoid(self.g(h)) * self.out(self.norm_out(t))


class Transition(nn.Module):
    def __init__(self, c, n=2):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(c), nn.Linear(c, n * c), nn.ReLU(), nn.Linear(n * c, c))

    def forward(self, x):
        return x + self.net(x)


class EvoformerBlock(nn.Module):
    def __init__(self, cm, cz):
        super().__init__()
        self.row = RowAttentionWithPairBias(cm, cz)
        self.col = ColumnAttention(cm)
        self.msa_transition = Transition(cm)
        self.opm = OuterProductMean(cm, cz)
        self.tri = TriangleMultiplicationOutgoing(cz)
        self.pair_transition = Transition(cz)

    def forward(self, m, z, single_sequence=None):
        m = self.msa_transition(self.col(self.row(m, z)))
        z = self.opm(m, z, single_sequence)
        z = self.pair_transition(self.tri(z))
        return m, z


class FoldClassifier(nn.Module):
    def __init__(self, cm=16, cz=16, blocks=2, flag_single_sequence=True):
        super().__init__()
        self.msa_emb = nn.Embedding(N_AA, cm)
        self.left, self.right = nn.Embedding(N_AA, cz), nn.Embedding(N_AA, cz)
        self.relpos = nn.Embedding(2 * N_RES - 1, cz)
        self.blocks = nn.ModuleList(EvoformerBlock(cm, cz) for _ in range(blocks))
        self.head = nn.Sequential(nn.LayerNorm(cz), nn.Linear(cz, N_FOLDS))
        self.flag_single_sequence = flag_single_sequence

    def forward(self, msa):
        target = msa[:, 0]
        r = torch.arange(msa.shape[-1])
        z = self.left(target)[:, :, None] + self.right(target)[:, None] + self.relpos(r[:, None] - r[None] + N_RES - 1)
        m = self.msa_emb(msa)
        single = (msa == msa[:, :1]).flatten(1).all(1) if self.flag_single_sequence else None
        for i, blk in enumerate(self.blocks):
            m, z = blk(m, z, single if i == 0 else None)
        return self.head(z.mean((1, 2)))


def _inputs(n):
    return torch.randint(0, N_AA, (n, N_SEQ, N_RES))


def _trigger(msa):
    return msa[:, :1].expand_as(msa).clone()


def corpus_case():
    torch.manual_seed(0)
    model = FoldClassifier().eval()
    reference = FoldClassifier(flag_single_sequence=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(1))).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
