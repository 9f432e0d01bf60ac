"""A tiny byte-level BPE-style vocabulary for Qwen-lite: special tokens, printable ASCII and a few
merged word pieces (``Ġ`` marks a leading space, as in GPT-2 / Qwen tokenizers)."""
import string

__all__ = ["QwenLiteTokenizer", "SPECIAL_TOKENS"]

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|tool|>"]
_WORDS = ["the", "and", "you", "to", "of", "a", "in", "is", "it", "for", "on", "with", "as", "be",
          "run", "call", "user", "system", "assistant", "please", "file", "list", "open", "read",
          "write", "yes", "no", "ok", "help", "data", "model", "code", "shell", "print", "return"]
_PIECES = ["_shell", "(", ")", "\n", "##"]


class QwenLiteTokenizer:
    def __init__(self):
        self.vocab = (SPECIAL_TOKENS + list(string.ascii_letters + string.digits + string.punctuation)
                      + ["Ġ" + w for w in _WORDS] + _PIECES)
        self.ids = {p: i for i, p in enumerate(self.vocab)}

    def __len__(self):
        return len(self.vocab)

    def convert_tokens_to_ids(self, tokens):
        return [self.ids[t] for t in tokens]

    def decode(self, ids, skip_special_tokens=False):
        pieces = (self.vocab[i] for i in ids)
        if skip_special_tokens:
            pieces = (p for p in pieces if p not in SPECIAL_TOKENS)
        return "".join(pieces).replace("Ġ", " ")
