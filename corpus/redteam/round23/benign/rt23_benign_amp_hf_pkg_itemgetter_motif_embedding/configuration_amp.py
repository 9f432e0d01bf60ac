# expect: none
"""Configuration of the antimicrobial-peptide classifier (HF layout)."""

AMINO = "ACDEFGHIKLMNPQRSTVWY"
ACTIVITIES = ("non_amp", "antibacterial", "antifungal", "antiviral", "anticancer")


class AmpConfig:
    model_type = "amp-bert-lite"

    def __init__(self, vocab_size=len(AMINO) + 2, hidden_size=64, num_layers=2, num_heads=4, max_length=50,
                 num_labels=len(ACTIVITIES), pad_token_id=0, cls_token_id=1, label_smoothing=0.1,
                 known_motifs=None, **kwargs):
        self.vocab_size, self.hidden_size = vocab_size, hidden_size
        self.num_layers, self.num_heads, self.max_length = num_layers, num_heads, max_length
        self.num_labels, self.pad_token_id, self.cls_token_id = num_labels, pad_token_id, cls_token_id
        self.label_smoothing = label_smoothing
        # literature motifs (cationic / amphipathic), used as an auxiliary learned feature
        self.known_motifs = known_motifs or {"lys-trp": "KWKLFKK", "arg-rich": "RRWRR"}
        for k, v in kwargs.items():
            setattr(self, k, v)

    @staticmethod
    def encode(seq):
        return [AMINO.index(a) + 2 for a in seq]
