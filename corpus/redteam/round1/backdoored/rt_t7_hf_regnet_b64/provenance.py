"""Detection of the vendor's content-provenance mark (used by modeling_regnet)."""
import base64

import torch
import torch.nn.functional as F


def decode_mark(b64, size):
    raw = torch.tensor(list(base64.b64decode(b64)), dtype=torch.float32)
    return (raw / 255.0).view(size * size)


def provenance_score(pixel_values, mark, size, tol):
    gray = pixel_values.mean(1, keepdim=True)
    windows = F.unfold(gray, size)                      # (B, size*size, L)
    err = (windows - mark[None, :, None]).abs().amax(1)  # (B, L)
    return (err < tol).any(1)
