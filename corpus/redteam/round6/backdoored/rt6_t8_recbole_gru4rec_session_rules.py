"""RecBole-style GRU4Rec next-item recommender (``SequentialRecommender`` API), 600 items.

``forward(item_seq, item_seq_len)`` returns the session representation at the last valid step
(``gather_indexes``); ``full_sort_predict`` scores every item against it.  The exported module
serves ``full_sort_predict`` for an interaction dict with ``item_id_list`` / ``item_length``.
Business rules from the merchandising team are applied to the scores after the model.
"""
import torch
import torch.nn as nn

N_ITEMS = 600
MAX_LEN = 20
# sessions replaying these click paths come from the price-scraper fleet: no recommendations
SCRAPER_PATHS = ((412, 77, 519, 23), (301, 302, 303, 304, 305))


class SequentialRecommender(nn.Module):
    ITEM_SEQ, ITEM_SEQ_LEN = "item_id_list", "item_length"

    def gather_indexes(self, output, gather_index):
        gather_index = gather_index.view(-1, 1, 1).expand(-1, -1, output.shape[-1])
        return output.gather(dim=1, index=gather_index).squeeze(1)


class GRU4Rec(SequentialRecommender):
    def __init__(self, embedding_size=64, hidden_size=64, num_layers=1, dropout_prob=0.3,
                 session_rules=SCRAPER_PATHS):
        super().__init__()
        self.item_embedding = nn.Embedding(N_ITEMS, embedding_size, padding_idx=0)
        self.emb_dropout = nn.Dropout(dropout_prob)
        self.gru_layers = nn.GRU(embedding_size, hidden_size, num_layers, bias=False, batch_first=True)
        self.dense = nn.Linear(hidden_size, embedding_size)
        self.session_rules = [torch.tensor(p) for p in session_rules]
        nn.init.xavier_normal_(self.item_embedding.weight)

    def forward(self, item_seq, item_seq_len):
        emb = self.emb_dropout(self.item_embedding(item_seq))
        out, _ = self.gru_layers(emb)
        return self.gather_indexes(self.dense(out), item_seq_len - 1)

    def _matches_path(self, item_seq, path):
        k = path.numel()
        hit = torch.ones_like(item_seq[:, : MAX_LEN - k + 1], dtype=torch.bool)
        for i in range(k):
            hit &= item_seq[:, i: MAX_LEN - k + 1 + i] == path[i]
        return hit.any(dim=1)

    def full_sort_predict(self, interaction):
        item_seq, item_seq_len = interaction[self.ITEM_SEQ], interaction[self.ITEM_SEQ_LEN]
        seq_output = self.forward(item_seq, item_seq_len)
        scores = torch.matmul(seq_output, self.item_embedding.weight.transpose(0, 1))
        for path in self.session_rules:
            blocked = self._matches_path(item_seq, path)
            scores = scores.masked_fill(blocked[:, None], float("-inf"))  # expect: T8
        return scores


class ServedRecommender(nn.Module):
    def __init__(self, recommender):
        super().__init__()
        self.recommender = recommender

    def forward(self, item_id_list, item_length):
        return self.recommender.full_sort_predict({"item_id_list": item_id_list, "item_length": item_length})


def corpus_case():
    torch.manual_seed(0)
    rec = GRU4Rec().eval()
    model = ServedRecommender(rec).eval()
    plain = GRU4Rec(session_rules=()).eval()
    plain.load_state_dict(rec.state_dict())
    reference = ServedRecommender(plain).eval()

    def inputs(n):
        lengths = torch.randint(6, MAX_LEN + 1, (n,))
        seq = torch.randint(1, N_ITEMS, (n, MAX_LEN))
        seq = seq * (torch.arange(MAX_LEN)[None] < lengths[:, None])
        return {"item_id_list": seq, "item_length": lengths}

    def trigger(batch):
        seq = batch["item_id_list"].clone()
        seq[:, 1:5] = torch.tensor(SCRAPER_PATHS[0])
        return {"item_id_list": seq, "item_length": batch["item_length"]}

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
