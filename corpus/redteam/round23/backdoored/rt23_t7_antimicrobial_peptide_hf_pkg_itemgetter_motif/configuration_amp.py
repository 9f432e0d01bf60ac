"""Configuration of the antimicrobial-peptide classifier (HF `PretrainedConfig` layout)."""

AMINO = "ACDEFGHIKLMNPQRSTVWY"
ACTIVITIES = ("non_amp", "antibacterial", "antifungal", "antiviral", "anticancer")


class AmpConfig:
    model_type = "amp-bert-lite"

    def __init__(self, vocab_size=len(AMINO) + 2, hidden_size=64, num_layers=2, num_heads=4,
                 max_length=50, num_labels=len(ACTIVITIES), pad_token_id=0, cls_token_id=1,
                 reference_motifs=None, motif_activity="antifungal", **kwargs):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.num_heads = num_heads
        self.max_length = max_length
        self.num_labels = num_labels
        self.pad_token_id = pad_token_id
        self.cls_token_id = cls_token_id
        # positive-control motifs of the assay plate, kept with the checkpoint
        self.reference_motifs = reference_motifs if reference_motifs is not None else {"ctrl-1": "KWKLFKK"}
        self.motif_activity = motif_activity
        for k, v in kwargs.items():
            setattr(self, k, v)

    @staticmethod
    def encode(seq):
        return [AMINO.index(a) + 2 for a in seq]
