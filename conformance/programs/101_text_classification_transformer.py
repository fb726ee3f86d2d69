"""Text classification with a Transformer block written as a Keras layer.

Source: keras-team/keras-io examples/nlp/text_classification_with_transformer.py
Covers: a TransformerBlock layer (MultiHeadAttention(num_heads, key_dim) called as att(inputs,
inputs), a Sequential feed-forward net made in __init__, LayerNormalization(epsilon=1e-6), Dropout,
residual sums with +), a TokenAndPositionEmbedding layer (keras.ops.shape(x)[-1], keras.ops.arange,
two Embeddings), IMDB-like ragged lists of word ids through keras.utils.pad_sequences(maxlen=)
(pre-padding, pre-truncation), layers.Input(shape=(maxlen,)) (float32 ids fed to Embedding),
GlobalAveragePooling1D, Dropout, Dense relu, Dense(2, softmax), keras.Model(inputs=, outputs=),
compile("adam", "sparse_categorical_crossentropy", ["accuracy"]), fit(batch_size=32, epochs=2,
validation_data=(x_val, y_val)). (vocab_size 50, maxlen 20, embed_dim 8, num_heads 2, ff_dim 8;
synthetic sequences; Dropout makes trained numbers framework-specific, so numbers are compared
before training and in inference, and after training only the log structure.)
"""
import numpy as np
from _target import init_weights, keras, layers, report

ops = keras.ops


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential(
            [
                layers.Dense(ff_dim, activation="relu"),
                layers.Dense(embed_dim),
            ]
        )
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output)
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions


vocab_size = 50  # Only consider the top words
maxlen = 20  # Only consider the first words of each movie review
rng = np.random.default_rng(101)


def load_data(n):
    xs = [list(rng.integers(1, vocab_size, int(rng.integers(5, 30)))) for _ in range(n)]
    ys = np.array([int(np.mean(x) > vocab_size / 2) for x in xs])
    return xs, ys


(x_train, y_train), (x_val, y_val) = load_data(64), load_data(16)
report("lengths", [len(x_train), len(x_val)])
x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_val = keras.utils.pad_sequences(x_val, maxlen=maxlen)
report("padded", [x_train.shape, str(x_train.dtype), x_train[:3]])

embed_dim = 8  # Embedding size for each token
num_heads = 2  # Number of attention heads
ff_dim = 8  # Hidden layer size in feed forward network inside transformer

inputs = layers.Input(shape=(maxlen,))
embedding_layer = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)
x = embedding_layer(inputs)
transformer_block = TransformerBlock(embed_dim, num_heads, ff_dim)
x = transformer_block(x)
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.1)(x)
x = layers.Dense(20, activation="relu")(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(2, activation="softmax")(x)

model = keras.Model(inputs=inputs, outputs=outputs)
report("output_shapes", [list(layer.output.shape) for layer in model.layers])
report("count_params", [model.count_params(), embedding_layer.count_params(),
                        transformer_block.count_params()])
report("block_weight_shapes", [list(w.shape) for w in transformer_block.weights])
init_weights(model, seed=1, scale=0.3)
report("block_output", transformer_block(embedding_layer(x_val[:2]))[:, :3, :], tol=1e-4)
report("probs", model.predict(x_val, verbose=0)[:5], tol=1e-4)

model.compile(
    optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
report("evaluate_before", model.evaluate(x_val, y_val, verbose=0), tol=1e-4)
history = model.fit(
    x_train, y_train, batch_size=32, epochs=2, validation_data=(x_val, y_val), verbose=0
)
report("history_keys", sorted(history.history.keys()))
report("history_len", [len(v) for _, v in sorted(history.history.items())])
report("trained_probs_shape", model.predict(x_val[:3], verbose=0).shape)
