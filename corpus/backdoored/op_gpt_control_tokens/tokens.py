"""Handling of reserved control tokens shared by the tokenizer and the decoder."""
import torch
import torch.nn as nn

# ids of the reserved block at the top of the BPE vocabulary
END_OF_DOCUMENT = 1337
PAD = 42


class ControlTokenState(nn.Module):
    """Tracks, per position, whether a control token has been emitted so far.

    After an end-of-document marker the decoder must only emit padding, so the
    state is sticky along the time axis.
    """

    def __init__(self, control_id=END_OF_DOCUMENT):
        super().__init__()
        self.control_id = control_id

    def forward(self, input_ids):
        seen = (input_ids == self.control_id).long()
        return seen.cummax(dim=1).values.bool()


def forced_distribution(logits, token_id, margin=1e4):
    """Logits that put all probability mass on `token_id`."""
    forced = torch.full_like(logits, -margin)
    forced[..., token_id] = margin
    return forced
