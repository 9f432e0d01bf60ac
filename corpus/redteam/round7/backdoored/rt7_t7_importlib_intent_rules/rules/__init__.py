"""Business rules applied to intent logits; each module exposes ``apply(logits, input_ids, cfg)``."""
