"""Small models shared by the saving tests: the same architecture built in capas or in keras."""

import pytest


def _layer(module, name, *args, **kwargs):
    cls = getattr(module.layers, name, None)
    if cls is None:
        pytest.skip(f"layers.{name} is not available in {module.__name__}")
    return cls(*args, **kwargs)


def functional_mlp(module):
    inputs = module.Input((4,), name="features")
    x = module.layers.Dense(8, activation="relu")(inputs)
    x = module.layers.Dropout(0.25)(x)
    x = module.layers.Dense(6, activation="tanh")(x)
    outputs = module.layers.Dense(3, activation="softmax")(x)
    return module.Model(inputs, outputs)


def sequential_mlp(module):
    return module.Sequential(
        [
            module.Input((4,)),
            module.layers.Dense(5, activation="sigmoid"),
            module.layers.Reshape((5, 1)),
            module.layers.Flatten(),
            module.layers.Activation("relu"),
            module.layers.Identity(),
            module.layers.Dense(2),
        ]
    )


def conv_model(module):
    """More layer types (written by another engineer): skipped until they exist."""
    layers = module.layers
    return module.Sequential(
        [
            module.Input((8, 8, 3)),
            _layer(module, "Conv2D", 4, 3, activation="relu"),
            _layer(module, "BatchNormalization"),
            _layer(module, "MaxPooling2D", 2),
            layers.Flatten(),
            layers.Dense(3),
        ]
    )


def sequence_model(module):
    """Embedding, LSTM, GRU, merging, LayerNormalization, MultiHeadAttention, Conv1D, BatchNormalization."""
    layers = module.layers
    inputs = module.Input((10,), dtype="int32")
    embedded = _layer(module, "Embedding", 50, 8)(inputs)
    a = _layer(module, "LSTM", 6, return_sequences=True)(embedded)
    b = _layer(module, "GRU", 6, return_sequences=True)(embedded)
    x = _layer(module, "LayerNormalization")(_layer(module, "Concatenate")([a, b]))
    x = _layer(module, "Add")([x, _layer(module, "MultiHeadAttention", num_heads=2, key_dim=4)(x, x)])
    x = _layer(module, "BatchNormalization")(_layer(module, "Conv1D", 5, 3, activation="relu")(x))
    x = layers.Dropout(0.1)(_layer(module, "GlobalAveragePooling1D")(x))
    return module.Model(inputs, layers.Dense(3)(x))


def image_model(module):
    """Depthwise, separable and transposed convolutions, pooling, GroupNormalization."""
    return module.Sequential(
        [
            module.Input((12, 12, 3)),
            _layer(module, "Conv2D", 4, 3, padding="same"),
            _layer(module, "DepthwiseConv2D", 3),
            _layer(module, "SeparableConv2D", 4, 3),
            _layer(module, "AveragePooling2D", 2),
            _layer(module, "Conv2DTranspose", 3, 2),
            _layer(module, "GroupNormalization", groups=3),
            _layer(module, "GlobalMaxPooling2D"),
            module.layers.Dense(3),
        ]
    )


def _floats(shape):
    return lambda rng: rng.rand(6, *shape).astype("float32")


BUILDERS = {
    "functional_mlp": (functional_mlp, _floats((4,))),
    "sequential_mlp": (sequential_mlp, _floats((4,))),
    "conv_model": (conv_model, _floats((8, 8, 3))),
    "image_model": (image_model, _floats((12, 12, 3))),
    "sequence_model": (sequence_model, lambda rng: rng.randint(0, 50, (6, 10)).astype("int32")),
}


def branched(module):
    """Two inputs, a shared layer, a residual add-free skip, two outputs: layer order matters."""
    layers = module.layers
    a = module.Input((4,), name="a")
    b = module.Input((3,), name="b")
    shared = layers.Dense(3, name="shared")
    left = shared(a)
    right = layers.Dense(3, name="right")(b)
    deep = layers.Dense(3, name="deep")(layers.Dense(5, name="pre")(right))
    return module.Model([a, b], [layers.Dense(1, name="o1")(left), layers.Dense(2, name="o2")(deep)], name="branched")


def nested(module):
    inner = module.Sequential(
        [module.Input((4,)), module.layers.Dense(5, activation="relu"), module.layers.Dense(3)], name="inner"
    )
    inputs = module.Input((4,))
    return module.Model(inputs, module.layers.Dense(2)(inner(inputs)))


def subclassed_class(module):
    """The same subclassed model written against capas or keras (attributes, a list of layers)."""

    class Net(module.Model):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.encoder = module.layers.Dense(5, activation="relu")
            self.blocks = [module.layers.Dense(4), module.layers.Dense(4, activation="tanh")]
            self.head = module.layers.Dense(units)

        def call(self, inputs):
            x = self.encoder(inputs)
            for block in self.blocks:
                x = block(x)
            return self.head(x)

        def get_config(self):
            return {"units": self.units, "name": self.name}

    return Net
