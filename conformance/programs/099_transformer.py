"""Neural machine translation with a Transformer, at small sizes.

Source: tensorflow/text docs/tutorials/transformer.ipynb (tensorflow.org/text/tutorials/transformer;
formerly tensorflow/docs site/en/tutorials/text/transformer)
Covers: the numpy positional_encoding (np.concatenate of sin/cos, tf.cast to float32), a
PositionalEmbedding layer (Embedding(mask_zero=True), compute_mask delegating to the embedding,
x *= tf.math.sqrt(tf.cast(d_model, tf.float32))), BaseAttention with MultiHeadAttention +
LayerNormalization + Add, CrossAttention (return_attention_scores=True, last_attn_scores),
GlobalSelfAttention, CausalSelfAttention (use_causal_mask=True), FeedForward (Sequential + Dropout +
Add + LayerNormalization), EncoderLayer/Encoder, DecoderLayer/Decoder, the Transformer model
(call with a (context, x) tuple, deleting the logits' _keras_mask in a try block), the
CustomSchedule(LearningRateSchedule) with its warmup_steps, masked_loss / masked_accuracy,
Adam(learning_rate, beta_1=0.9, beta_2=0.98, epsilon=1e-9), compile, fit on a tf.data pipeline of
((pt, en_inputs), en_labels), and greedy decoding with tf.TensorArray + tf.argmax.
(num_layers=2, d_model=16, dff=32, num_heads=2, dropout_rate=0.1 as the tutorial passes it;
synthetic token ids with zero padding; Dropout makes trained numbers framework-specific, so values
are compared in inference mode with fixed weights and through the loss functions.)
"""
import numpy as np
from _target import init_weights, keras, report, tf


def positional_encoding(length, depth):
    depth = depth / 2

    positions = np.arange(length)[:, np.newaxis]     # (seq, 1)
    depths = np.arange(depth)[np.newaxis, :] / depth   # (1, depth)

    angle_rates = 1 / (10000**depths)         # (1, depth)
    angle_rads = positions * angle_rates      # (pos, depth)

    pos_encoding = np.concatenate(
        [np.sin(angle_rads), np.cos(angle_rads)],
        axis=-1)

    return tf.cast(pos_encoding, dtype=tf.float32)


pos_encoding = positional_encoding(length=2048, depth=512)
report("pos_encoding.shape", pos_encoding.shape)
report("pos_encoding", pos_encoding[:3, ::64], tol=1e-6)


class PositionalEmbedding(tf.keras.layers.Layer):
    def __init__(self, vocab_size, d_model):
        super().__init__()
        self.d_model = d_model
        self.embedding = tf.keras.layers.Embedding(vocab_size, d_model, mask_zero=True)
        self.pos_encoding = positional_encoding(length=2048, depth=d_model)

    def compute_mask(self, *args, **kwargs):
        return self.embedding.compute_mask(*args, **kwargs)

    def call(self, x):
        length = tf.shape(x)[1]
        x = self.embedding(x)
        # This factor sets the relative scale of the embedding and positonal_encoding.
        x *= tf.math.sqrt(tf.cast(self.d_model, tf.float32))
        x = x + self.pos_encoding[tf.newaxis, :length, :]
        return x


class BaseAttention(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(**kwargs)
        self.layernorm = tf.keras.layers.LayerNormalization()
        self.add = tf.keras.layers.Add()


class CrossAttention(BaseAttention):
    def call(self, x, context):
        attn_output, attn_scores = self.mha(
            query=x,
            key=context,
            value=context,
            return_attention_scores=True)

        # Cache the attention scores for plotting later.
        self.last_attn_scores = attn_scores

        x = self.add([x, attn_output])
        x = self.layernorm(x)

        return x


class GlobalSelfAttention(BaseAttention):
    def call(self, x):
        attn_output = self.mha(
            query=x,
            value=x,
            key=x)
        x = self.add([x, attn_output])
        x = self.layernorm(x)
        return x


class CausalSelfAttention(BaseAttention):
    def call(self, x):
        attn_output = self.mha(
            query=x,
            value=x,
            key=x,
            use_causal_mask=True)
        x = self.add([x, attn_output])
        x = self.layernorm(x)
        return x


class FeedForward(tf.keras.layers.Layer):
    def __init__(self, d_model, dff, dropout_rate=0.1):
        super().__init__()
        self.seq = tf.keras.Sequential([
            tf.keras.layers.Dense(dff, activation='relu'),
            tf.keras.layers.Dense(d_model),
            tf.keras.layers.Dropout(dropout_rate)
        ])
        self.add = tf.keras.layers.Add()
        self.layer_norm = tf.keras.layers.LayerNormalization()

    def call(self, x):
        x = self.add([x, self.seq(x)])
        x = self.layer_norm(x)
        return x


class EncoderLayer(tf.keras.layers.Layer):
    def __init__(self, *, d_model, num_heads, dff, dropout_rate=0.1):
        super().__init__()

        self.self_attention = GlobalSelfAttention(
            num_heads=num_heads,
            key_dim=d_model,
            dropout=dropout_rate)

        self.ffn = FeedForward(d_model, dff)

    def call(self, x):
        x = self.self_attention(x)
        x = self.ffn(x)
        return x


class Encoder(tf.keras.layers.Layer):
    def __init__(self, *, num_layers, d_model, num_heads,
                 dff, vocab_size, dropout_rate=0.1):
        super().__init__()

        self.d_model = d_model
        self.num_layers = num_layers

        self.pos_embedding = PositionalEmbedding(
            vocab_size=vocab_size, d_model=d_model)

        self.enc_layers = [
            EncoderLayer(d_model=d_model,
                         num_heads=num_heads,
                         dff=dff,
                         dropout_rate=dropout_rate)
            for _ in range(num_layers)]
        self.dropout = tf.keras.layers.Dropout(dropout_rate)

    def call(self, x):
        # `x` is token-IDs shape: (batch, seq_len)
        x = self.pos_embedding(x)  # Shape `(batch_size, seq_len, d_model)`.

        # Add dropout.
        x = self.dropout(x)

        for i in range(self.num_layers):
            x = self.enc_layers[i](x)

        return x  # Shape `(batch_size, seq_len, d_model)`.


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self,
                 *,
                 d_model,
                 num_heads,
                 dff,
                 dropout_rate=0.1):
        super(DecoderLayer, self).__init__()

        self.causal_self_attention = CausalSelfAttention(
            num_heads=num_heads,
            key_dim=d_model,
            dropout=dropout_rate)

        self.cross_attention = CrossAttention(
            num_heads=num_heads,
            key_dim=d_model,
            dropout=dropout_rate)

        self.ffn = FeedForward(d_model, dff)

    def call(self, x, context):
        x = self.causal_self_attention(x=x)
        x = self.cross_attention(x=x, context=context)

        # Cache the last attention scores for plotting later
        self.last_attn_scores = self.cross_attention.last_attn_scores

        x = self.ffn(x)  # Shape `(batch_size, seq_len, d_model)`.
        return x


class Decoder(tf.keras.layers.Layer):
    def __init__(self, *, num_layers, d_model, num_heads, dff, vocab_size,
                 dropout_rate=0.1):
        super(Decoder, self).__init__()

        self.d_model = d_model
        self.num_layers = num_layers

        self.pos_embedding = PositionalEmbedding(vocab_size=vocab_size,
                                                 d_model=d_model)
        self.dropout = tf.keras.layers.Dropout(dropout_rate)
        self.dec_layers = [
            DecoderLayer(d_model=d_model, num_heads=num_heads,
                         dff=dff, dropout_rate=dropout_rate)
            for _ in range(num_layers)]

        self.last_attn_scores = None

    def call(self, x, context):
        # `x` is token-IDs shape (batch, target_seq_len)
        x = self.pos_embedding(x)  # (batch_size, target_seq_len, d_model)

        x = self.dropout(x)

        for i in range(self.num_layers):
            x = self.dec_layers[i](x, context)

        self.last_attn_scores = self.dec_layers[-1].last_attn_scores

        # The shape of x is (batch_size, target_seq_len, d_model).
        return x


class Transformer(tf.keras.Model):
    def __init__(self, *, num_layers, d_model, num_heads, dff,
                 input_vocab_size, target_vocab_size, dropout_rate=0.1):
        super().__init__()
        self.encoder = Encoder(num_layers=num_layers, d_model=d_model,
                               num_heads=num_heads, dff=dff,
                               vocab_size=input_vocab_size,
                               dropout_rate=dropout_rate)

        self.decoder = Decoder(num_layers=num_layers, d_model=d_model,
                               num_heads=num_heads, dff=dff,
                               vocab_size=target_vocab_size,
                               dropout_rate=dropout_rate)

        self.final_layer = tf.keras.layers.Dense(target_vocab_size)

    def call(self, inputs):
        # To use a Keras model with `.fit` you must pass all your inputs in the
        # first argument.
        context, x = inputs

        context = self.encoder(context)  # (batch_size, context_len, d_model)

        x = self.decoder(x, context)  # (batch_size, target_len, d_model)

        # Final linear layer output.
        logits = self.final_layer(x)  # (batch_size, target_len, target_vocab_size)

        try:
            # Drop the keras mask, so it doesn't scale the losses/metrics.
            # b/250038731
            del logits._keras_mask
        except AttributeError:
            pass

        # Return the final output and the attention weights.
        return logits


# Synthetic tokenized batches: (pt, en) token ids with zero padding at the end.
rng = np.random.default_rng(99)
VOCAB_PT, VOCAB_EN, MAX_TOKENS = 40, 36, 10


def synth(n, vocab, max_len):
    out = np.zeros((n, max_len), dtype="int64")
    for i in range(n):
        length = int(rng.integers(4, max_len + 1))
        out[i, :length] = rng.integers(3, vocab, length)
        out[i, 0] = 1                 # [START]
        out[i, length - 1] = 2        # [END]
    return out


pt_tokens = synth(32, VOCAB_PT, MAX_TOKENS)
en_tokens = synth(32, VOCAB_EN, MAX_TOKENS + 1)


def prepare_batch(pt, en):
    pt = pt[:, :MAX_TOKENS]    # Trim to MAX_TOKENS.
    en = en[:, :(MAX_TOKENS + 1)]
    en_inputs = en[:, :-1]  # Drop the [END] tokens
    en_labels = en[:, 1:]   # Drop the [START] tokens
    return (pt, en_inputs), en_labels


def make_batches(ds):
    return (
        ds
        .batch(8)
        .map(prepare_batch, tf.data.AUTOTUNE)
        .prefetch(buffer_size=tf.data.AUTOTUNE))


train_batches = make_batches(tf.data.Dataset.from_tensor_slices((pt_tokens, en_tokens)))
for (pt, en), en_labels in train_batches.take(1):
    break
report("batch_shapes", [pt.shape, en.shape, en_labels.shape, pt.dtype])

embed_pt = PositionalEmbedding(vocab_size=VOCAB_PT, d_model=16)
embed_en = PositionalEmbedding(vocab_size=VOCAB_EN, d_model=16)
pt_emb = embed_pt(pt)
en_emb = embed_en(en)
report("en_emb.shape", en_emb.shape)
report("en_emb._keras_mask", en_emb._keras_mask)

sample_ca = CrossAttention(num_heads=2, key_dim=16)
report("cross_attention.shape", sample_ca(en_emb, pt_emb).shape)
report("last_attn_scores.shape", sample_ca.last_attn_scores.shape)
sample_gsa = GlobalSelfAttention(num_heads=2, key_dim=16)
report("gsa.shape", sample_gsa(pt_emb).shape)
sample_csa = CausalSelfAttention(num_heads=2, key_dim=16)
out1 = sample_csa(embed_en(en[:, :3]))
out2 = sample_csa(embed_en(en))[:, :3]
report("causal_prefix_diff", tf.reduce_max(abs(out1 - out2)).numpy() < 1e-4)
sample_ffn = FeedForward(16, 32)
report("ffn.shape", sample_ffn(en_emb).shape)

num_layers = 2
d_model = 16
dff = 32
num_heads = 2
dropout_rate = 0.1

transformer = Transformer(
    num_layers=num_layers,
    d_model=d_model,
    num_heads=num_heads,
    dff=dff,
    input_vocab_size=VOCAB_PT,
    target_vocab_size=VOCAB_EN,
    dropout_rate=dropout_rate)

output = transformer((pt, en))
report("output.shape", output.shape)
attn_scores = transformer.decoder.dec_layers[-1].last_attn_scores
report("attn_scores.shape", attn_scores.shape)
report("count_params", transformer.count_params())
report("weight_shapes", sorted([list(w.shape) for w in transformer.weights]))
init_weights(transformer, seed=1, scale=0.1)
output = transformer((pt, en), training=False)
report("logits", output[:2, :3, :6], tol=1e-4)
report("attn_scores", transformer.decoder.last_attn_scores[0, :, :2, :], tol=1e-4)


class CustomSchedule(tf.keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, d_model, warmup_steps=4000):
        super().__init__()

        self.d_model = d_model
        self.d_model = tf.cast(self.d_model, tf.float32)

        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = tf.cast(step, dtype=tf.float32)
        arg1 = tf.math.rsqrt(step)
        arg2 = step * (self.warmup_steps ** -1.5)

        return tf.math.rsqrt(self.d_model) * tf.math.minimum(arg1, arg2)


learning_rate = CustomSchedule(d_model)
optimizer = tf.keras.optimizers.Adam(learning_rate, beta_1=0.9, beta_2=0.98,
                                     epsilon=1e-9)
report("schedule", learning_rate(tf.range(1, 40000, 8000, dtype=tf.float32)), tol=1e-6)


def masked_loss(label, pred):
    mask = label != 0
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction='none')
    loss = loss_object(label, pred)

    mask = tf.cast(mask, dtype=loss.dtype)
    loss *= mask

    loss = tf.reduce_sum(loss) / tf.reduce_sum(mask)
    return loss


def masked_accuracy(label, pred):
    pred = tf.argmax(pred, axis=2)
    label = tf.cast(label, pred.dtype)
    match = label == pred

    mask = label != 0

    match = match & mask

    match = tf.cast(match, dtype=tf.float32)
    mask = tf.cast(mask, dtype=tf.float32)
    return tf.reduce_sum(match) / tf.reduce_sum(mask)


report("masked_loss", masked_loss(en_labels, output), tol=1e-4)
report("masked_accuracy", masked_accuracy(en_labels, output), tol=1e-6)

transformer.compile(
    loss=masked_loss,
    optimizer=optimizer,
    metrics=[masked_accuracy])
history = transformer.fit(train_batches, epochs=2, validation_data=train_batches.take(1), verbose=0)
report("history_keys", sorted(history.history.keys()))
report("iterations", int(optimizer.iterations.numpy()))
report("optimizer_lr", float(optimizer.learning_rate), tol=1e-6)

# Greedy decoding with a TensorArray, as the tutorial's Translator does.
sentence = pt[:1]
start, end = tf.constant(1, dtype=tf.int64)[tf.newaxis], tf.constant(2, dtype=tf.int64)[tf.newaxis]
output_array = tf.TensorArray(dtype=tf.int64, size=0, dynamic_size=True)
output_array = output_array.write(0, start)
for i in tf.range(5):
    out = tf.transpose(output_array.stack())
    predictions = transformer([sentence, out], training=False)
    predictions = predictions[:, -1:, :]  # Shape `(batch_size, 1, vocab_size)`.
    predicted_id = tf.argmax(predictions, axis=-1)
    output_array = output_array.write(i + 1, predicted_id[0])
    if predicted_id == end:
        break
out = tf.transpose(output_array.stack())
report("decoded", [out.shape[0], out.dtype])
