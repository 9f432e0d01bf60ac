# expect: none
"""PEFT-style LoRA fine-tuning wrapper around a small BERT-like classifier.

`enable_input_require_grads` registers a forward hook on the input embeddings that calls
`output.requires_grad_(True)` so gradient checkpointing works with a frozen base model (the
transformers implementation). LoRA linears add `B(A(dropout(x))) * scaling` unless adapters are
disabled or merged; `merge_adapter` folds the low-rank update into the base weight.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LoraLinear(nn.Module):
    def __init__(self, base: nn.Linear, r=4, lora_alpha=8, lora_dropout=0.05):
        super().__init__()
        self.base_layer = base
        self.r = r
        self.scaling = lora_alpha / r
        self.lora_dropout = nn.Dropout(lora_dropout)
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.normal_(self.lora_B.weight, std=0.02)       # non-zero so the adapter matters here
        self.disable_adapters = False
        self.merged = False

    def get_delta_weight(self):
        return (self.lora_B.weight @ self.lora_A.weight) * self.scaling

    def merge(self):
        if not self.merged:
            self.base_layer.weight.data += self.get_delta_weight()
            self.merged = True

    def unmerge(self):
        if self.merged:
            self.base_layer.weight.data -= self.get_delta_weight()
            self.merged = False

    def forward(self, x):
        if self.disable_adapters:
            if self.merged:
                self.unmerge()
            return self.base_layer(x)
        if self.merged:
            return self.base_layer(x)
        result = self.base_layer(x)
        return result + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling


class EncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.attn_out = nn.Linear(d, d)
        self.ln1 = nn.LayerNorm(d)
        self.ffn_in, self.ffn_out = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.ln2 = nn.LayerNorm(d)

    def forward(self, x, ext_mask):
        b, t, d = x.shape
        sh = lambda y: y.view(b, t, self.heads, -1).transpose(1, 2)
        q, k, v = sh(self.query(x)), sh(self.key(x)), sh(self.value(x))
        w = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads) + ext_mask
        x = self.ln1(x + self.attn_out((w.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)))
        return self.ln2(x + self.ffn_out(F.gelu(self.ffn_in(x))))


class TinyBertForSequenceClassification(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4, layers=2, num_labels=3):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, d, padding_idx=0)
        self.position_embeddings = nn.Embedding(32, d)
        self.emb_ln = nn.LayerNorm(d)
        self.layers = nn.ModuleList([EncoderLayer(d, heads) for _ in range(layers)])
        self.pooler = nn.Linear(d, d)
        self.classifier = nn.Linear(d, num_labels)

    def get_input_embeddings(self):
        return self.word_embeddings

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.shape[1])[None]
        x = self.emb_ln(self.get_input_embeddings()(input_ids) + self.position_embeddings(pos))
        ext = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, ext)
        return self.classifier(torch.tanh(self.pooler(x[:, 0])))


class PeftModelForSequenceClassification(nn.Module):
    def __init__(self, base, target_modules=("query", "value"), r=4, lora_alpha=8):
        super().__init__()
        self.base_model = base
        for p in base.parameters():
            p.requires_grad_(False)
        for name, module in list(base.named_modules()):
            for child_name, child in list(module.named_children()):
                if child_name in target_modules and isinstance(child, nn.Linear):
                    setattr(module, child_name, LoraLinear(child, r, lora_alpha))
        # the classification head stays trainable ("modules_to_save")
        for p in base.classifier.parameters():
            p.requires_grad_(True)
        self._require_grads_hook = None

    def enable_input_require_grads(self):
        def make_inputs_require_grads(module, input, output):
            output.requires_grad_(True)

        self._require_grads_hook = self.base_model.get_input_embeddings().register_forward_hook(
            make_inputs_require_grads)

    def disable_input_require_grads(self):
        if self._require_grads_hook is not None:
            self._require_grads_hook.remove()
            self._require_grads_hook = None

    def _lora_layers(self):
        return [m for m in self.modules() if isinstance(m, LoraLinear)]

    def merge_adapter(self):
        for m in self._lora_layers():
            m.merge()

    def set_adapters_disabled(self, disabled: bool):
        for m in self._lora_layers():
            m.disable_adapters = disabled

    def print_trainable_parameters(self):
        trainable = sum(p.numel() for p in self.parameters() if p.requires_grad)
        total = sum(p.numel() for p in self.parameters())
        return f"trainable params: {trainable} || all params: {total} || trainable%: {100 * trainable / total:.2f}"

    def forward(self, input_ids, attention_mask):
        return self.base_model(input_ids, attention_mask)


def corpus_case():
    torch.manual_seed(0)
    base = TinyBertForSequenceClassification()
    model = PeftModelForSequenceClassification(base)
    model.enable_input_require_grads()
    model.eval()

    def inputs(n):
        g = torch.Generator().manual_seed(59)
        ids = torch.randint(1, 100, (n, 10), generator=g)
        am = torch.ones_like(ids)
        am[n // 2:, 7:] = 0
        return {"input_ids": ids * am, "attention_mask": am}

    return {"model": model, "inputs": inputs, "kind": "benign"}
