"""Masking and padding: pad_sequences, Embedding(mask_zero), Masking, mask propagation.

Source: keras-team/keras-io guides/understanding_masking_and_padding.py
(tensorflow/docs site/en/guide/keras/masking_and_padding)
Covers: keras.utils.pad_sequences (post padding), Embedding(mask_zero=True).compute_mask,
a Masking layer's _keras_mask-free mask via compute_mask, an LSTM consuming a mask in a
functional model (outputs with fixed weights), a mask-aware custom layer (supports_masking),
and a layer generating a mask with compute_mask.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

raw_inputs = [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]]
padded_inputs = keras.utils.pad_sequences(raw_inputs, padding="post")
report("padded", padded_inputs)
report("padded.dtype", str(padded_inputs.dtype))
report("pre_padded", keras.utils.pad_sequences(raw_inputs, maxlen=4))

embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
masked_output = embedding(padded_inputs)
report("embedding_mask", embedding.compute_mask(padded_inputs))
report("masked_output.shape", masked_output.shape)

masking_layer = layers.Masking()
unmasked_embedding = tf.cast(tf.tile(tf.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), tf.float32)
report("masking_mask", masking_layer.compute_mask(unmasked_embedding))

inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=50, output_dim=4, mask_zero=True)(inputs)
outputs = layers.LSTM(3)(x)
model = keras.Model(inputs, outputs)
init_weights(model, seed=0, scale=0.3)
seq = np.array([[3, 7, 9, 0, 0], [5, 1, 0, 0, 0]], dtype="int32")
report("lstm_masked", model(seq), tol=1e-5)
report("lstm_same_as_unpadded", model(seq[:1, :3]).numpy()[0], tol=1e-5)


class TemporalSoftmax(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None
        broadcast_float_mask = tf.expand_dims(tf.cast(mask, "float32"), -1)
        inputs_exp = tf.exp(inputs) * broadcast_float_mask
        inputs_sum = tf.reduce_sum(inputs_exp * broadcast_float_mask, axis=-1, keepdims=True)
        return inputs_exp / inputs_sum


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=10, output_dim=3, mask_zero=True)(inputs)
x = layers.Dense(1)(x)
outputs = TemporalSoftmax()(x)
model = keras.Model(inputs, outputs)
init_weights(model, seed=1, scale=0.5)
report("temporal_softmax", model(np.array([[1, 2, 0], [3, 0, 0]], dtype="int32")), tol=1e-5)


class CustomEmbedding(keras.layers.Layer):
    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.mask_zero = mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim), initializer="ones")

    def call(self, inputs):
        return tf.nn.embedding_lookup(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return tf.not_equal(inputs, 0)


layer = CustomEmbedding(10, 32, mask_zero=True)
x = np.array([[3, 0, 2], [0, 0, 1]])
y = layer(x)
report("custom_embedding.shape", y.shape)
report("custom_mask", layer.compute_mask(x))
