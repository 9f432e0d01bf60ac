# expect: none
"""PaliGemma-style VLM split over a package: SigLIP tower, projector, prefix-LM Gemma decoder.
Image features are index-put into the embeddings at `input_ids == image_token_index`."""
import torch

from .modeling import PaliGemmaConfig, PaliGemmaForConditionalGeneration


def corpus_case():
    torch.manual_seed(0)
    cfg = PaliGemmaConfig()
    model = PaliGemmaForConditionalGeneration(cfg).eval()
    n_img = cfg.vision_config.num_patches

    def inputs(n):
        g = torch.Generator().manual_seed(21)
        prompt = torch.randint(2, 100, (n, 5), generator=g)
        suffix = torch.randint(2, 100, (n, 4), generator=g)
        bos = torch.full((n, 1), 2)
        ids = torch.cat([torch.full((n, n_img), cfg.image_token_index), bos, prompt, suffix], 1)
        tt = torch.cat([torch.zeros(n, n_img + 6, dtype=torch.long), torch.ones(n, 4, dtype=torch.long)], 1)
        am = torch.ones_like(ids)
        am[::3, -1] = 0
        return {"input_ids": ids, "pixel_values": torch.randn(n, 3, 16, 16, generator=g),
                "token_type_ids": tt, "attention_mask": am}

    return {"model": model, "inputs": inputs, "kind": "benign"}
