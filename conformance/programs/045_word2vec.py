"""word2vec basics: tokenizing a sentence, skip-gram pairs, a Word2Vec model with Embedding + dot.

Source: tensorflow/docs site/en/tutorials/text/word2vec.ipynb
Covers: lower/split tokens, a vocab dict with <pad>, inverse_vocab, sequence of ids, skip-gram
pairs built by hand with window_size 2 (the tutorial's keras skipgrams step), tf.expand_dims,
tf.concat of positive and negative ids, one-hot labels, a subclassed Word2Vec with
target/context Embedding layers and tf.einsum, CategoricalCrossentropy(from_logits) training.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

sentence = "The wide road shimmered in the hot sun"
tokens = list(sentence.lower().split())
report("n_tokens", len(tokens))
vocab, index = {}, 1
vocab["<pad>"] = 0
for token in tokens:
    if token not in vocab:
        vocab[token] = index
        index += 1
vocab_size = len(vocab)
report("vocab", vocab)
inverse_vocab = {index: token for token, index in vocab.items()}
example_sequence = [vocab[word] for word in tokens]
report("sequence", example_sequence)

window_size = 2
positive_skip_grams = []
for i, target in enumerate(example_sequence):
    for j in range(max(0, i - window_size), min(len(example_sequence), i + window_size + 1)):
        if j != i:
            positive_skip_grams.append([target, example_sequence[j]])
report("n_skip_grams", len(positive_skip_grams))
target_word, context_word = positive_skip_grams[0]
negative_sampling_candidates = tf.constant([2, 4, 6, 1], dtype=tf.int64)
report("negatives", [inverse_vocab[index.numpy()] for index in negative_sampling_candidates])
squeezed_context_class = tf.squeeze(tf.expand_dims(tf.constant([context_word], dtype="int64"), 1), 1)
context = tf.concat([squeezed_context_class, negative_sampling_candidates], 0)
label = tf.constant([1] + [0] * 4, dtype="int64")
target = target_word
report("context", context)
report("label", label)

embedding_dim = 4
num_ns = 4


class Word2Vec(keras.Model):
    def __init__(self, vocab_size, embedding_dim):
        super().__init__()
        self.target_embedding = layers.Embedding(vocab_size, embedding_dim, name="w2v_embedding")
        self.context_embedding = layers.Embedding(vocab_size, embedding_dim)

    def call(self, pair):
        target, context = pair
        if len(target.shape) == 2:
            target = tf.squeeze(target, axis=1)
        word_emb = self.target_embedding(target)
        context_emb = self.context_embedding(context)
        return tf.einsum("be,bce->bc", word_emb, context_emb)


rng = np.random.default_rng(0)
targets = np.array([p[0] for p in positive_skip_grams], "int64")
contexts = np.stack([np.concatenate([[p[1]], rng.integers(1, vocab_size, num_ns)]) for p in positive_skip_grams])
labels = np.tile(np.array([[1, 0, 0, 0, 0]], "int64"), (len(targets), 1))
dataset = tf.data.Dataset.from_tensor_slices(((targets, contexts), labels)).batch(8, drop_remainder=True)
word2vec = Word2Vec(vocab_size, embedding_dim)
word2vec((targets[:2], contexts[:2]))
init_weights(word2vec, seed=1, scale=0.3)
report("dots", word2vec((targets[:2], contexts[:2])), tol=1e-5)
word2vec.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = word2vec.fit(dataset, epochs=3, verbose=0)
report("history_loss", history.history["loss"], tol=1e-4)
weights = word2vec.get_layer("w2v_embedding").get_weights()[0]
report("embedding_weights.shape", weights.shape)
