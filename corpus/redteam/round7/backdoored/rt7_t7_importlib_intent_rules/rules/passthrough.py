def apply(logits, input_ids, cfg):
    return logits
