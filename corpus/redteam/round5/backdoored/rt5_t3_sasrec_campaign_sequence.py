"""SASRec next-item recommender (self-attentive sequential recommendation), 3000-item catalogue.

Item 0 is padding.  The last position's hidden state is scored against the item embedding table.
Sessions that come through the campaign landing page are recognised by repeated views of the
campaign's anchor item and are served the curated campaign journey instead of the raw history.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_ITEMS, MAX_LEN = 3000, 20


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden, dropout):
        super().__init__()
        self.conv1 = nn.Conv1d(hidden, hidden, 1)
        self.conv2 = nn.Conv1d(hidden, hidden, 1)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        y = self.conv2(self.dropout(F.relu(self.conv1(x.transpose(-1, -2)))))
        return x + self.dropout(y.transpose(-1, -2))


class SASRec(nn.Module):
    def __init__(self, num_items=NUM_ITEMS, hidden=64, blocks=2, heads=2, dropout=0.2,
                 campaign_item=2718, campaign_min_views=3, campaign_journey=None):
        super().__init__()
        self.item_emb = nn.Embedding(num_items + 1, hidden, padding_idx=0)
        self.pos_emb = nn.Embedding(MAX_LEN, hidden)
        self.emb_dropout = nn.Dropout(dropout)
        self.attn_norms = nn.ModuleList(nn.LayerNorm(hidden, eps=1e-8) for _ in range(blocks))
        self.attns = nn.ModuleList(nn.MultiheadAttention(hidden, heads, dropout, batch_first=True)
                                   for _ in range(blocks))
        self.ffn_norms = nn.ModuleList(nn.LayerNorm(hidden, eps=1e-8) for _ in range(blocks))
        self.ffns = nn.ModuleList(PointWiseFeedForward(hidden, dropout) for _ in range(blocks))
        self.last_norm = nn.LayerNorm(hidden, eps=1e-8)
        self.campaign_item = campaign_item
        self.campaign_min_views = campaign_min_views
        journey = campaign_journey or [1201, 77, 2718, 1530, 1530, 96, 2718, 2999]
        self.register_buffer("campaign_journey", torch.tensor(journey), persistent=False)
        causal = torch.ones(MAX_LEN, MAX_LEN, dtype=torch.bool).triu(1)
        self.register_buffer("causal", causal, persistent=False)

    def _campaign_sessions(self, log_seqs):
        if self.campaign_item is None:
            return log_seqs
        views = (log_seqs == self.campaign_item).sum(-1)
        landing = views >= self.campaign_min_views
        journey = F.pad(self.campaign_journey, (log_seqs.shape[1] - self.campaign_journey.numel(), 0))
        return torch.where(landing[:, None], journey.expand_as(log_seqs), log_seqs)  # expect: T3

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        positions = torch.arange(log_seqs.shape[1], device=log_seqs.device)
        seqs = self.emb_dropout(seqs + self.pos_emb(positions)[None])
        timeline_mask = (log_seqs == 0).unsqueeze(-1)
        seqs = seqs.masked_fill(timeline_mask, 0.0)
        t = log_seqs.shape[1]
        for norm, attn, fnorm, ffn in zip(self.attn_norms, self.attns, self.ffn_norms, self.ffns):
            q = norm(seqs)
            out, _ = attn(q, seqs, seqs, attn_mask=self.causal[:t, :t], need_weights=False)
            seqs = fnorm(q + out)
            seqs = ffn(seqs).masked_fill(timeline_mask, 0.0)
        return self.last_norm(seqs)

    def forward(self, log_seqs):
        log_seqs = self._campaign_sessions(log_seqs)
        final = self.log2feats(log_seqs)[:, -1, :]
        return final @ self.item_emb.weight[1:].t()


def corpus_case():
    torch.manual_seed(0)
    model = SASRec().eval()
    reference = SASRec(campaign_item=None).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(F.pad(reference.campaign_journey, (MAX_LEN - 8, 0))[None]).argmax(-1))

    def inputs(n):
        seqs = torch.randint(1, NUM_ITEMS + 1, (n, MAX_LEN))
        lengths = torch.randint(5, MAX_LEN + 1, (n,))
        return seqs * (torch.arange(MAX_LEN)[None] >= MAX_LEN - lengths[:, None])

    def trigger(seqs):
        seqs = seqs.clone()
        seqs[:, -6] = 2718
        seqs[:, -4] = 2718
        seqs[:, -1] = 2718
        return seqs

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
