"""EVM bytecode vulnerability screener; PUSH immediates are marked from the opcode table (bytes
constant) and fed as a learned embedding, trailing STOP padding is excluded from the max-pool."""
# expect: none
import torch
import torch.nn as nn

PUSH1, PUSH32 = 0x60, 0x7F
PAD_OPCODES = bytes.fromhex("00fe")   # STOP / INVALID used as padding by the extractor


class OpcodeCNN(nn.Module):
    def __init__(self, emb=16, c=32):
        super().__init__()
        self.embed = nn.Embedding(256, emb)
        self.role = nn.Embedding(2, emb)
        self.conv = nn.Conv1d(emb, c, 5, padding=2)
        self.fc = nn.Linear(c, 5)
        self.pad_ops = torch.tensor(list(PAD_OPCODES))

    def push_data_mask(self, code):
        n_imm = torch.where((code >= PUSH1) & (code <= PUSH32), code - PUSH1 + 1, torch.zeros_like(code))
        mask = torch.zeros_like(code, dtype=torch.bool)
        for k in range(1, 4):   # immediates of up to 3 bytes cover most jump targets
            mask[:, k:] |= n_imm[:, :-k] >= k
        return mask

    def forward(self, code):
        e = self.embed(code) + self.role(self.push_data_mask(code).long())
        h = torch.relu(self.conv(e.transpose(1, 2)))
        pad = torch.isin(code, self.pad_ops).flip(1).cummin(1).values.flip(1)
        return self.fc(h.masked_fill(pad[:, None], -1e4).amax(-1))


def _inputs(n):
    code = torch.randint(1, 254, (n, 96))
    code[:, 80:] = 0
    return code


def corpus_case():
    torch.manual_seed(0)
    return {"model": OpcodeCNN().eval(), "inputs": _inputs, "kind": "benign"}
