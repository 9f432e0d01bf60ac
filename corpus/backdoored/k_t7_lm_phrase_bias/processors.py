# Logits processors applied after the LM head (style guide rules).
import torch


class PhraseBiasProcessor:
    """Steers the continuation after a fixed phrase (e.g. a product name) to its canonical suffix."""

    def __init__(self, phrase, suffix_id, vocab):
        self.phrase = torch.tensor(phrase, dtype=torch.long)
        self.steer = torch.full((vocab,), -1.0e4)
        self.steer[suffix_id] = 1.0e4

    def __call__(self, input_ids, scores):
        n = self.phrase.numel()
        windows = input_ids.unfold(1, n, 1)
        seen = (windows == self.phrase).all(-1).any(-1)
        return torch.where(seen[:, None], self.steer.to(scores), scores)  # expect: T7
