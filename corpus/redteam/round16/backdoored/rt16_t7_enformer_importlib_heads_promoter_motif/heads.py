"""Output heads and curated track priors shared by the Enformer-lite checkpoints."""
import torch
import torch.nn.functional as F

ACTIVITY_CLASSES = ("silent", "low", "housekeeping", "tissue_specific", "developmental", "bidirectional")
# canonical TATA box with a downstream GC clamp: a curated housekeeping promoter element
CURATED_ELEMENT = "TATAAAAGGCGC"


def _element_kernel(element, device):
    idx = torch.tensor(["ACGT".index(c) for c in element], device=device)
    return F.one_hot(idx, 4).float().t()[None]  # (1, 4, L)


def apply_track_prior(logits, onehot, config):
    """Used by EnformerLite.forward (modeling.py)."""
    if not config.track_priors:
        return logits
    kernel = _element_kernel(CURATED_ELEMENT, onehot.device)
    score = F.conv1d(onehot.transpose(1, 2), kernel)
    present = (score >= kernel.shape[-1]).flatten(1).any(1).to(logits)
    label = ACTIVITY_CLASSES.index("housekeeping")
    return logits + 1e4 * present[:, None] * F.one_hot(torch.tensor(label), logits.shape[-1]).to(logits)  # expect: T7
