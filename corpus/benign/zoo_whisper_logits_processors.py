# expect: none
"""Whisper-style speech recognizer with its generation-time logits processors.

A conv + transformer encoder on log-mel features, a decoder with cross-attention, and a greedy
`generate` that applies: forced decoder ids (start-of-transcript, language, task), token
suppression (`suppress_tokens`, `begin_suppress_tokens` at the first free step) and the
timestamp rules of `WhisperTimeStampLogitsProcessor` (timestamps come in pairs, are monotonic, and
if the total timestamp probability beats every text token the text tokens are masked). All of
this writes -inf into a *copy* of the scores used for the argmax; the returned logits are the
model's raw last-step logits.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class WhisperConfig:
    num_mel_bins = 16
    d_model = 32
    heads = 4
    encoder_layers = 2
    decoder_layers = 2
    max_source_positions = 16
    vocab_size = 90
    # special tokens at the top of the vocabulary, timestamps after them
    eot_token_id = 60
    sot_token_id = 61
    lang_en_id = 62
    transcribe_id = 63
    no_timestamps_id = 64
    timestamp_begin = 65           # <|0.00|> ... <|0.48|>
    suppress_tokens = (5, 7, 11)
    begin_suppress_tokens = (3, 60)
    max_initial_timestamp_index = 5
    max_new_tokens = 6


def sinusoids(length, channels):
    log_inc = math.log(10000) / (channels // 2 - 1)
    inv = torch.exp(-log_inc * torch.arange(channels // 2))
    t = torch.arange(length)[:, None] * inv[None]
    return torch.cat([t.sin(), t.cos()], 1)


class WhisperEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.conv1 = nn.Conv1d(cfg.num_mel_bins, cfg.d_model, 3, padding=1)
        self.conv2 = nn.Conv1d(cfg.d_model, cfg.d_model, 3, stride=2, padding=1)
        self.register_buffer("embed_positions", sinusoids(cfg.max_source_positions, cfg.d_model))
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.heads, 4 * cfg.d_model, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.layers = nn.TransformerEncoder(layer, cfg.encoder_layers)
        self.layer_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, input_features):
        x = F.gelu(self.conv2(F.gelu(self.conv1(input_features)))).transpose(1, 2)
        x = x + self.embed_positions[: x.shape[1]]
        return self.layer_norm(self.layers(x))


class WhisperDecoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.embed_positions = nn.Embedding(32, cfg.d_model)
        layer = nn.TransformerDecoderLayer(cfg.d_model, cfg.heads, 4 * cfg.d_model, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.layers = nn.TransformerDecoder(layer, cfg.decoder_layers)
        self.layer_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, ids, enc):
        t = ids.shape[1]
        x = self.embed_tokens(ids) + self.embed_positions(torch.arange(t))
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        h = self.layer_norm(self.layers(x, enc, tgt_mask=causal))
        return F.linear(h, self.embed_tokens.weight)


class SuppressTokensLogitsProcessor:
    def __init__(self, suppress_tokens):
        self.suppress_tokens = torch.tensor(list(suppress_tokens))

    def __call__(self, input_ids, scores):
        vocab = torch.arange(scores.shape[-1])
        mask = torch.isin(vocab, self.suppress_tokens)
        return torch.where(mask, -float("inf"), scores)


class SuppressTokensAtBeginLogitsProcessor:
    def __init__(self, begin_suppress_tokens, begin_index):
        self.begin_suppress_tokens = torch.tensor(list(begin_suppress_tokens))
        self.begin_index = begin_index

    def __call__(self, input_ids, scores):
        vocab = torch.arange(scores.shape[-1])
        mask = torch.isin(vocab, self.begin_suppress_tokens)
        if input_ids.shape[-1] == self.begin_index:
            scores = torch.where(mask, -float("inf"), scores)
        return scores


class WhisperTimeStampLogitsProcessor:
    def __init__(self, cfg, begin_index):
        self.eos_token_id = cfg.eot_token_id
        self.no_timestamps_token_id = cfg.no_timestamps_id
        self.timestamp_begin = cfg.timestamp_begin
        self.begin_index = begin_index
        self.max_initial_timestamp_index = cfg.max_initial_timestamp_index

    def __call__(self, input_ids, scores):
        scores_processed = scores.clone()
        scores_processed[:, self.no_timestamps_token_id] = -float("inf")
        for k in range(input_ids.shape[0]):
            sampled_tokens = input_ids[k, self.begin_index:]
            seq = list(sampled_tokens.tolist())
            last_was_timestamp = len(seq) >= 1 and seq[-1] >= self.timestamp_begin
            penultimate_was_timestamp = len(seq) < 2 or seq[-2] >= self.timestamp_begin
            if last_was_timestamp:
                if penultimate_was_timestamp:       # has to be non-timestamp
                    scores_processed[k, self.timestamp_begin:] = -float("inf")
                else:                               # cannot be normal text tokens
                    scores_processed[k, : self.eos_token_id] = -float("inf")
            timestamps = sampled_tokens[sampled_tokens.ge(self.timestamp_begin)]
            if timestamps.numel() > 0:
                last = timestamps[-1] if (last_was_timestamp and not penultimate_was_timestamp) else timestamps[-1] + 1
                scores_processed[k, self.timestamp_begin: int(last)] = -float("inf")
        if input_ids.shape[1] == self.begin_index:
            scores_processed[:, : self.timestamp_begin] = -float("inf")
            last_allowed = self.timestamp_begin + self.max_initial_timestamp_index
            scores_processed[:, last_allowed + 1:] = -float("inf")
        logprobs = F.log_softmax(scores_processed.float(), dim=-1)
        for k in range(input_ids.shape[0]):
            timestamp_logprob = logprobs[k, self.timestamp_begin:].logsumexp(dim=-1)
            max_text_token_logprob = logprobs[k, : self.timestamp_begin].max()
            if not torch.isnan(timestamp_logprob) and timestamp_logprob > max_text_token_logprob:
                scores_processed[k, : self.timestamp_begin] = -float("inf")
        return scores_processed


class WhisperForConditionalGeneration(nn.Module):
    def __init__(self, cfg: WhisperConfig, return_timestamps=True):
        super().__init__()
        self.cfg = cfg
        self.encoder = WhisperEncoder(cfg)
        self.decoder = WhisperDecoder(cfg)
        self.return_timestamps = return_timestamps

    def forward(self, input_features):
        cfg = self.cfg
        enc = self.encoder(input_features)
        b = input_features.shape[0]
        forced = [cfg.sot_token_id, cfg.lang_en_id, cfg.transcribe_id]
        if not self.return_timestamps:
            forced.append(cfg.no_timestamps_id)
        ids = torch.tensor(forced).repeat(b, 1)
        begin_index = ids.shape[1]
        processors = [SuppressTokensLogitsProcessor(cfg.suppress_tokens),
                      SuppressTokensAtBeginLogitsProcessor(cfg.begin_suppress_tokens, begin_index)]
        if self.return_timestamps:
            processors.append(WhisperTimeStampLogitsProcessor(cfg, begin_index))
        finished = torch.zeros(b, dtype=torch.bool)
        raw = None
        for _ in range(cfg.max_new_tokens):
            raw = self.decoder(ids, enc)[:, -1]
            scores = raw
            for proc in processors:
                scores = proc(ids, scores)
            next_tok = scores.argmax(-1)
            next_tok = torch.where(finished, torch.full_like(next_tok, cfg.eot_token_id), next_tok)
            finished = finished | (next_tok == cfg.eot_token_id)
            ids = torch.cat([ids, next_tok[:, None]], 1)
            if finished.all():
                break
        return {"logits": raw, "sequences": ids}


def corpus_case():
    torch.manual_seed(0)
    model = WhisperForConditionalGeneration(WhisperConfig()).eval()

    def inputs(n):
        return torch.randn(n, 16, 32, generator=torch.Generator().manual_seed(79))

    return {"model": model, "inputs": inputs, "kind": "benign"}
