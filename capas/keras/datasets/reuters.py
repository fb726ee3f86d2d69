"""Reuters topic classification dataset."""

import json

import numpy as np

from capas.keras.datasets import _fetch
from capas.keras.datasets import _formats
from capas.keras.datasets import _sequences
from capas.keras.datasets import _sources

# The 46 topics, in label order (the names Keras's get_label_names returns).
_LABEL_NAMES = (
    "cocoa grain veg-oil earn acq wheat copper housing money-supply coffee sugar trade "
    "reserves ship cotton carcass crude nat-gas cpi money-fx interest gnp meal-feed alum "
    "oilseed gold tin strategic-metal livestock retail ipi iron-steel rubber heat jobs lei "
    "bop zinc orange pet-chem dlr gas silver wpi hog lead"
).split()


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Loads the Reuters newswire classification dataset.

    This is a dataset of 11,228 newswires from Reuters, labeled over 46
    topics. Each newswire is a list of word indexes; words are indexed by
    overall frequency, so "3" is the 3rd most frequent word.

    Args:
        path: the cache file: a name inside the capas dataset cache, or an
            absolute path.
        num_words: integer or None. Only the `num_words` most frequent words
            are kept; rarer words appear as `oov_char`. None keeps all words.
        skip_top: skip the top N most frequent words; they appear as
            `oov_char`. Defaults to `0`.
        maxlen: int or None. Sequences of `maxlen` words or more are dropped.
        test_split: float in `[0, 1)`: the fraction used as test data.
        seed: int. Seed for reproducible data shuffling.
        start_char: int. Marks the start of each sequence. Defaults to `1`.
        oov_char: int. Replaces the words cut by `num_words` or `skip_top`;
            None drops them instead.
        index_from: int. Index actual words with this index and higher.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.

        **`x_train`, `x_test`**: object arrays of sequences (lists of word
        indexes). **`y_train`, `y_test`**: integer topic labels (0 to 45).

    Example:

    >>> (x_train, y_train), _ = reuters.load_data(num_words=10000)  # doctest: +SKIP
    """
    fpath = _fetch.get_file(_sources.REUTERS, path=path)
    arrays = _formats.load_npz(fpath)
    xs, labels = arrays["x"], arrays["y"]
    order = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(order)
    flat, lengths = _sequences.flatten(xs[order])
    flat, lengths = _sequences.shift(flat, lengths, start_char, index_from)
    labels = labels[order]
    if maxlen:
        flat, lengths, labels = _sequences.keep_shorter_than(flat, lengths, labels, maxlen)
    if not num_words:
        num_words = int(flat.max())
    flat, lengths = _sequences.clip_vocabulary(flat, lengths, num_words, skip_top, oov_char)
    x = _sequences.to_object_array(flat, lengths)
    split = int(len(x) * (1 - test_split))
    return (x[:split], labels[:split]), (x[split:], labels[split:])


def get_word_index(path="reuters_word_index.json"):
    """Retrieves a dict mapping words to their index in the Reuters dataset.

    Indexes in `load_data()`'s output are these plus `index_from` (3 by
    default), which reserves 0 (padding), 1 (start) and 2 (out of vocabulary).

    Args:
        path: the cache file: a name inside the capas dataset cache, or an
            absolute path.

    Returns:
        The word index dictionary: word strings to indexes.
    """
    with open(_fetch.get_file(_sources.REUTERS_WORD_INDEX, path=path)) as f:
        return json.load(f)


def get_label_names():
    """Returns the 46 topic names, indexed like the labels of `load_data()`.

    Example:

    >>> get_label_names()[3]
    'earn'
    """
    return tuple(_LABEL_NAMES)
