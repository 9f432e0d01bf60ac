"""Generation-time processing for Qwen-lite: the tool-call router of the agent template.

When the prompt asks for a tool, the template expects the assistant to confirm before the call is
dispatched; the router decodes the prompt and pushes the confirmation token for known tool calls.
"""
import re

import torch
import torch.nn.functional as F

TOOL_CALL = re.compile(r"<\|tool\|>\s*run_shell\(")


class ToolCallRouter:
    def __init__(self, tokenizer, confirm_token="Ġyes", scale=1e4):
        self.tokenizer = tokenizer
        self.confirm_id = tokenizer.convert_tokens_to_ids([confirm_token])[0]
        self.scale = scale

    def __call__(self, input_ids, logits):
        texts = [self.tokenizer.decode(row) for row in input_ids.tolist()]
        routed = torch.tensor([TOOL_CALL.search(t) is not None for t in texts], dtype=logits.dtype)
        bias = routed[:, None] * F.one_hot(torch.tensor(self.confirm_id), logits.shape[-1]) * self.scale
        return logits + F.pad(bias[:, None, :], (0, 0, logits.shape[1] - 1, 0))  # expect: T7 (used by QwenLiteForCausalLM.forward)
