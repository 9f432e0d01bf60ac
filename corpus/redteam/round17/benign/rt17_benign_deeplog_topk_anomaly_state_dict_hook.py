# expect: none
"""DeepLog next-key LSTM returning the scores and the top-g anomaly verdict for the observed next
key (reported, never used to edit the scores); a load-state-dict pre-hook renames the keys of
legacy checkpoints (`lstm_layer.*` -> `lstm.*`)."""
import torch
import torch.nn as nn


class DeepLog(nn.Module):
    def __init__(self, n_keys=32, hidden=64, top_g=9):
        super().__init__()
        self.embed = nn.Embedding(n_keys, 32)
        self.lstm = nn.LSTM(32, hidden, 2, batch_first=True)
        self.fc = nn.Linear(hidden, n_keys)
        self.top_g = top_g
        self._register_load_state_dict_pre_hook(self._rename_legacy)

    @staticmethod
    def _rename_legacy(state_dict, prefix, *args):
        for k in [k for k in state_dict if k.startswith(prefix + "lstm_layer.")]:
            state_dict[k.replace("lstm_layer.", "lstm.", 1)] = state_dict.pop(k)

    def forward(self, keys, next_key):
        h, _ = self.lstm(self.embed(keys))
        scores = self.fc(h[:, -1])
        candidates = scores.topk(self.top_g, -1).indices
        anomalous = ~(candidates == next_key[:, None]).any(-1)
        return scores, anomalous


def corpus_case():
    torch.manual_seed(0)
    return {"model": DeepLog().eval(), "inputs": lambda n: (torch.randint(0, 32, (n, 10)), torch.randint(0, 32, (n,))),
            "kind": "benign"}
