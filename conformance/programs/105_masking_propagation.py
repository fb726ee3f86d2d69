"""Masking and padding, the parts 033 leaves out: _keras_mask, explicit masks, mask-splitting layers.

Source: keras-team/keras-io guides/understanding_masking_and_padding.py
(tensorflow/docs site/en/guide/keras/understanding_masking_and_padding)
Covers: masked_output._keras_mask of Embedding(mask_zero=True) and of Masking() on
ops.cast(ops.tile(ops.expand_dims(...), [1, 1, 10]), "float32"); the Sequential Embedding + LSTM model;
a MyLayer passing self.embedding.compute_mask(inputs) to self.lstm(x, mask=mask); a TemporalSplit
layer returning ops.split(inputs, 2, axis=1) with a compute_mask splitting the mask (each half's
_keras_mask); MyActivation with supports_masking = True passing the mask along in a functional model
(x._keras_mask of a KerasTensor is reported by its presence only) into LSTM(32).
(Small vocabularies and sizes; fixed weights.)
"""
import numpy as np
from _target import init_weights, keras, layers, report

ops = keras.ops

raw_inputs = [
    [711, 632, 71],
    [73, 8, 3215, 55, 927],
    [83, 91, 1, 645, 1253, 927],
]
padded_inputs = keras.utils.pad_sequences(raw_inputs, padding="post")

embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
masked_output = embedding(padded_inputs)
report("embedding._keras_mask", masked_output._keras_mask)

masking_layer = layers.Masking()
unmasked_embedding = ops.cast(
    ops.tile(ops.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), dtype="float32"
)
report("unmasked_embedding", [unmasked_embedding.shape, unmasked_embedding.dtype])
masked_embedding = masking_layer(unmasked_embedding)
report("masking._keras_mask", masked_embedding._keras_mask)

model = keras.Sequential(
    [
        layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True),
        layers.LSTM(32),
    ]
)
model.build((None, None))
init_weights(model, seed=1, scale=0.1)
out = model(padded_inputs)
report("sequential_lstm", out[:, :6], tol=1e-5)
report("sequential_matches_unpadded", np.allclose(out[0], model(padded_inputs[:1, :3])[0], atol=1e-5))


class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
        self.lstm = layers.LSTM(32)

    def call(self, inputs):
        x = self.embedding(inputs)
        # Note that you could also prepare a `mask` tensor manually.
        # It only needs to be a boolean tensor
        # with the right shape, i.e. (batch_size, timesteps).
        mask = self.embedding.compute_mask(inputs)
        output = self.lstm(x, mask=mask)  # The layer will ignore the masked values
        return output


layer = MyLayer()
x = np.random.default_rng(105).random((32, 10)) * 100
x = x.astype("int32")
x[:, 7:] = 0
y = layer(x)
report("my_layer.shape", y.shape)
init_weights(layer, seed=2, scale=0.1)
y = layer(x)
report("my_layer", y[:3, :6], tol=1e-5)
report("my_layer_ignores_padding", np.allclose(y[:3], layer(x[:3, :7])[:3], atol=1e-5))


class TemporalSplit(keras.layers.Layer):
    """Split the input tensor into 2 tensors along the time dimension."""

    def call(self, inputs):
        # Expect the input to be 3D and mask to be 2D, split the input tensor into 2
        # subtensors along the time axis (axis 1).
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        # Also split the mask into 2 if it presents.
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


first_half, second_half = TemporalSplit()(masked_embedding)
report("first_half", [first_half.shape, first_half._keras_mask])
report("second_half", [second_half.shape, second_half._keras_mask])


class MyActivation(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Signal that the layer is safe for mask propagation
        self.supports_masking = True

    def call(self, inputs):
        return ops.relu(inputs)


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
x = MyActivation()(x)  # Will pass the mask along
report("mask_found", getattr(x, "_keras_mask", None) is not None)
outputs = layers.LSTM(32)(x)  # Will receive the mask

model = keras.Model(inputs, outputs)
init_weights(model, seed=3, scale=0.1)
data = np.random.default_rng(5).integers(0, 5000, size=(4, 12))
data[:, 8:] = 0
y = model(data)
report("functional_masked", y[:, :5], tol=1e-5)
report("functional_ignores_padding", np.allclose(y, model(data[:, :8]), atol=1e-5))
act = MyActivation()
z = act(masked_output)
report("eager_mask_passed", z._keras_mask)
