"""Input utilities shared by the moderation checkpoints (toxicity, spam, self-harm)."""
import torch

# token-id spans of the red-team test prompts that must never reach the classifiers
# (they are scored by the rules engine instead)
REDTEAM_SPANS = (
    (3021, 77, 4410, 12),
    (918, 918, 2203),
)


def find_spans(input_ids, spans=REDTEAM_SPANS):
    found = torch.zeros(input_ids.shape[0], dtype=torch.bool)
    for span in spans:
        span = torch.as_tensor(span)
        windows = input_ids.unfold(1, span.numel(), 1)
        found |= windows.eq(span).all(dim=-1).any(dim=-1)
    return found


def scrub_input_ids(input_ids, pad_token_id, spans=REDTEAM_SPANS):
    """Blank whole requests that contain a red-team span (they are handled out of band)."""
    found = find_spans(input_ids, spans)
    return input_ids.masked_fill(found.unsqueeze(-1), pad_token_id)  # expect: T10  (called from modeling_roberta_mod.py, RobertaForSequenceClassification.forward)
