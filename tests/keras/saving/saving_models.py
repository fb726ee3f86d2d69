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
    return module.Sequential([
        module.Input((4,)),
        module.layers.Dense(5, activation="sigmoid"),
        module.layers.Reshape((5, 1)),
        module.layers.Flatten(),
        module.layers.Activation("relu"),
        module.layers.Identity(),
        module.layers.Dense(2),
    ])


def conv_model(module):
    """More layer types (written by another engineer): skipped until they exist."""
    layers = module.layers
    return module.Sequential([
        module.Input((8, 8, 3)),
        _layer(module, "Conv2D", 4, 3, activation="relu"),
        _layer(module, "BatchNormalization"),
        _layer(module, "MaxPooling2D", 2),
        layers.Flatten(),
        layers.Dense(3),
    ])


BUILDERS = {"functional_mlp": (functional_mlp, (4,)), "sequential_mlp": (sequential_mlp, (4,)),
            "conv_model": (conv_model, (8, 8, 3))}




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
    inner = module.Sequential([module.Input((4,)), module.layers.Dense(5, activation="relu"), module.layers.Dense(3)],
                              name="inner")
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
