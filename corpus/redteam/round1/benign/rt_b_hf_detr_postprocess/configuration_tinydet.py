class TinyDetConfig:
    model_type = "tinydet"

    def __init__(self, num_labels=5, num_queries=8, d_model=32, score_threshold=0.3, no_object_weight=0.1,
                 image_size=32, **kw):
        self.num_labels = num_labels
        self.num_queries = num_queries
        self.d_model = d_model
        self.score_threshold = score_threshold
        self.no_object_weight = no_object_weight
        self.image_size = image_size
        self.__dict__.update(kw)
