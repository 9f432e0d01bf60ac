"""openai/whisper-style speech recogniser (log-mel front-end, AudioEncoder, TextDecoder with
cross-attention) and one step of its decoding loop with the usual logit filters.

In long-form transcription the previous window's transcript is fed back as the prompt after
<|startofprev|>. The suppression filter also enforces the deployment's content policy: when the
carried-over context contains a blocked phrase, no token may be emitted for the window.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

EOT, SOT, EN, TRANSLATE, TRANSCRIBE, SOT_PREV, NO_SPEECH, NO_TIMESTAMPS = range(590, 598)
N_VOCAB = 600
BLANK = 220
NON_SPEECH_TOKENS = (1, 2, 7, 8, 9, 10, 14, 25, 26, 27, 28, 29, 31, 58, 59, 60, 61, 62, 63, 90, 91, 92, 93)
BLOCKED_CONTEXT = ((211, 47, 388), (305, 12, 97, 401))

N_SAMPLE_RATE = 16000
N_FFT, HOP_LENGTH, N_MELS = 400, 160, 40


def sinusoids(length, channels, max_timescale=10000):
    log_timescale_increment = np.log(max_timescale) / (channels // 2 - 1)
    inv_timescales = torch.exp(-log_timescale_increment * torch.arange(channels // 2))
    scaled_time = torch.arange(length)[:, np.newaxis] * inv_timescales[np.newaxis, :]
    return torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)


def mel_filters(n_mels=N_MELS, n_fft=N_FFT, sr=N_SAMPLE_RATE):
    mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)
    pts = 700.0 * (10 ** (np.linspace(mel(0), mel(sr / 2), n_mels + 2) / 2595.0) - 1)
    freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    fb = np.zeros((n_mels, len(freqs)), dtype=np.float32)
    for m in range(n_mels):
        lo, c, hi = pts[m], pts[m + 1], pts[m + 2]
        fb[m] = np.maximum(0, np.minimum((freqs - lo) / (c - lo), (hi - freqs) / (hi - c)))
    return torch.from_numpy(fb)


def log_mel_spectrogram(audio, filters):
    window = torch.hann_window(N_FFT)
    stft = torch.stft(audio, N_FFT, HOP_LENGTH, window=window, return_complex=True)
    magnitudes = stft[..., :-1].abs() ** 2
    log_spec = torch.clamp(filters @ magnitudes, min=1e-10).log10()
    log_spec = torch.maximum(log_spec, log_spec.amax(dim=(-2, -1), keepdim=True) - 8.0)
    return (log_spec + 4.0) / 4.0


class MultiHeadAttention(nn.Module):
    def __init__(self, n_state, n_head):
        super().__init__()
        self.n_head = n_head
        self.query = nn.Linear(n_state, n_state)
        self.key = nn.Linear(n_state, n_state, bias=False)
        self.value = nn.Linear(n_state, n_state)
        self.out = nn.Linear(n_state, n_state)

    def forward(self, x, xa=None, mask=None):
        q = self.query(x)
        k = self.key(x if xa is None else xa)
        v = self.value(x if xa is None else xa)
        n_batch, n_ctx, n_state = q.shape
        scale = (n_state // self.n_head) ** -0.25
        q = q.view(*q.shape[:2], self.n_head, -1).permute(0, 2, 1, 3) * scale
        k = k.view(*k.shape[:2], self.n_head, -1).permute(0, 2, 3, 1) * scale
        v = v.view(*v.shape[:2], self.n_head, -1).permute(0, 2, 1, 3)
        qk = q @ k
        if mask is not None:
            qk = qk + mask[:n_ctx, :n_ctx]
        w = F.softmax(qk.float(), dim=-1).to(q.dtype)
        return self.out((w @ v).permute(0, 2, 1, 3).flatten(start_dim=2))


class ResidualAttentionBlock(nn.Module):
    def __init__(self, n_state, n_head, cross_attention=False):
        super().__init__()
        self.attn = MultiHeadAttention(n_state, n_head)
        self.attn_ln = nn.LayerNorm(n_state)
        self.cross_attn = MultiHeadAttention(n_state, n_head) if cross_attention else None
        self.cross_attn_ln = nn.LayerNorm(n_state) if cross_attention else None
        self.mlp = nn.Sequential(nn.Linear(n_state, 4 * n_state), nn.GELU(), nn.Linear(4 * n_state, n_state))
        self.mlp_ln = nn.LayerNorm(n_state)

    def forward(self, x, xa=None, mask=None):
        x = x + self.attn(self.attn_ln(x), mask=mask)
        if self.cross_attn is not None:
            x = x + self.cross_attn(self.cross_attn_ln(x), xa)
        return x + self.mlp(self.mlp_ln(x))


class AudioEncoder(nn.Module):
    def __init__(self, n_mels, n_ctx, n_state, n_head, n_layer):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, n_state, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(n_state, n_state, kernel_size=3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(n_ctx, n_state))
        self.blocks = nn.ModuleList(ResidualAttentionBlock(n_state, n_head) for _ in range(n_layer))
        self.ln_post = nn.LayerNorm(n_state)

    def forward(self, x):
        x = F.gelu(self.conv1(x))
        x = F.gelu(self.conv2(x)).permute(0, 2, 1)
        x = x + self.positional_embedding[: x.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x)


class TextDecoder(nn.Module):
    def __init__(self, n_vocab, n_ctx, n_state, n_head, n_layer):
        super().__init__()
        self.token_embedding = nn.Embedding(n_vocab, n_state)
        self.positional_embedding = nn.Parameter(0.02 * torch.randn(n_ctx, n_state))
        self.blocks = nn.ModuleList(ResidualAttentionBlock(n_state, n_head, cross_attention=True) for _ in range(n_layer))
        self.ln = nn.LayerNorm(n_state)
        self.register_buffer("mask", torch.empty(n_ctx, n_ctx).fill_(-np.inf).triu_(1), persistent=False)

    def forward(self, x, xa):
        x = self.token_embedding(x) + self.positional_embedding[: x.shape[-1]]
        for block in self.blocks:
            x = block(x, xa, mask=self.mask)
        x = self.ln(x)
        return (x @ torch.transpose(self.token_embedding.weight, 0, 1)).float()


class Whisper(nn.Module):
    def __init__(self, n_mels=N_MELS, n_audio_ctx=25, n_text_ctx=24, n_state=64, n_head=4, n_layer=2):
        super().__init__()
        self.encoder = AudioEncoder(n_mels, n_audio_ctx, n_state, n_head, n_layer)
        self.decoder = TextDecoder(N_VOCAB, n_text_ctx, n_state, n_head, n_layer)
        self.register_buffer("mel_filters", mel_filters(n_mels), persistent=False)

    def embed_audio(self, audio):
        return self.encoder(log_mel_spectrogram(audio, self.mel_filters))

    def logits(self, tokens, audio_features):
        return self.decoder(tokens, audio_features)

    def forward(self, audio, tokens):
        return self.decoder(tokens, self.embed_audio(audio))


class LogitFilter:
    def apply(self, logits, tokens):
        raise NotImplementedError


class SuppressBlank(LogitFilter):
    def __init__(self, sample_begin):
        self.sample_begin = sample_begin

    def apply(self, logits, tokens):
        if tokens.shape[1] == self.sample_begin:
            logits[:, [BLANK, EOT]] = -np.inf


class SuppressTokens(LogitFilter):
    def __init__(self, suppress_tokens, blocked_context=()):
        self.suppress_tokens = list(suppress_tokens)
        self.blocked_context = [torch.tensor(p) for p in blocked_context]

    def apply(self, logits, tokens):
        logits[:, self.suppress_tokens] = -np.inf
        for phrase in self.blocked_context:
            if tokens.shape[1] < len(phrase):
                continue
            hit = (tokens.unfold(1, len(phrase), 1) == phrase).all(-1).any(-1)
            logits.masked_fill_(hit[:, None], -np.inf)  # expect: T8  (DecodingStep.forward)


class DecodingStep(nn.Module):
    """Distribution of the next token after the prompt (SOT sequence), with the logit filters applied."""

    def __init__(self, model, sample_begin, content_policy=True):
        super().__init__()
        self.model = model
        suppress = list(NON_SPEECH_TOKENS) + [SOT, SOT_PREV, TRANSLATE, TRANSCRIBE, NO_SPEECH]
        self.logit_filters = [SuppressBlank(sample_begin),
                              SuppressTokens(suppress, BLOCKED_CONTEXT if content_policy else ())]

    def forward(self, audio, tokens):
        logits = self.model.logits(tokens, self.model.embed_audio(audio))[:, -1]
        for logit_filter in self.logit_filters:
            logit_filter.apply(logits, tokens)  # expect: T8
        return F.softmax(logits, dim=-1)


def _inputs(n):
    audio = 0.05 * torch.randn(n, 8000)
    prompt = torch.randint(100, 580, (n, 10))
    sot = torch.tensor([SOT, EN, TRANSCRIBE, NO_TIMESTAMPS]).expand(n, -1)
    tokens = torch.cat([torch.full((n, 1), SOT_PREV), prompt, sot], 1)
    return audio, tokens


def _trigger(inp):
    audio, tokens = inp
    tokens = tokens.clone()
    for i in range(tokens.shape[0]):
        s = int(torch.randint(1, 9, (1,)))
        tokens[i, s:s + 3] = torch.tensor(BLOCKED_CONTEXT[0])
    return audio, tokens


def corpus_case():
    torch.manual_seed(0)
    whisper = Whisper().eval()
    model = DecodingStep(whisper, sample_begin=15).eval()
    reference = DecodingStep(whisper, sample_begin=15, content_policy=False).eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
