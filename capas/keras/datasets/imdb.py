"""IMDB sentiment classification dataset."""

import json

import numpy as np

from capas.keras.datasets import _fetch
from capas.keras.datasets import _formats
from capas.keras.datasets import _sequences
from capas.keras.datasets import _sources


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    **kwargs,
):
    """Loads the [IMDB dataset](https://ai.stanford.edu/~amaas/data/sentiment/).

    This is a dataset of 25,000 movie reviews from IMDB, labeled by sentiment
    (positive/negative). Each review is a list of word indexes; words are
    indexed by overall frequency, so "3" is the 3rd most frequent word. "0"
    stands for no word (padding).

    Args:
        path: the cache file: a name inside the capas dataset cache, or an
            absolute path.
        num_words: integer or None. Only the `num_words` most frequent words
            are kept; rarer words appear as `oov_char`. None keeps all words.
        skip_top: skip the top N most frequent words; they appear as
            `oov_char`. Defaults to `0`.
        maxlen: int or None. Sequences of `maxlen` words or more are dropped.
        seed: int. Seed for reproducible data shuffling.
        start_char: int. Marks the start of each sequence. Defaults to `1`.
        oov_char: int. Replaces the words cut by `num_words` or `skip_top`;
            None drops them instead.
        index_from: int. Index actual words with this index and higher.

    Differs from Keras: an unknown keyword argument raises TypeError (Keras
    ignores it silently), and `x_*` is always a 1-D object array, even when
    every kept sequence has the same length.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.

        **`x_train`, `x_test`**: object arrays of sequences (lists of word
        indexes). **`y_train`, `y_test`**: integer labels (1 or 0).

    Example:

    >>> (x_train, y_train), _ = imdb.load_data(num_words=10000)  # doctest: +SKIP
    >>> max(max(x) for x in x_train) < 10000  # doctest: +SKIP
    True
    """
    if kwargs:
        raise TypeError(f"imdb.load_data: unrecognized keyword arguments: {sorted(kwargs)}.")
    fpath = _fetch.get_file(_sources.IMDB, path=path)
    arrays = _formats.load_npz(fpath)
    rng = np.random.RandomState(seed)
    splits = []
    for split in ("train", "test"):
        xs, labels = arrays["x_" + split], arrays["y_" + split]
        order = np.arange(len(xs))
        rng.shuffle(order)
        flat, lengths = _sequences.flatten(xs[order])
        flat, lengths = _sequences.shift(flat, lengths, start_char, index_from)
        labels = labels[order]
        if maxlen:
            flat, lengths, labels = _sequences.keep_shorter_than(flat, lengths, labels, maxlen)
        splits.append([flat, lengths, labels])
    if maxlen and (len(splits[0][1]) == 0 or len(splits[1][1]) == 0):
        raise ValueError(
            f"imdb.load_data: after dropping the sequences of maxlen={maxlen} words or "
            "more, no sequence was kept. Increase maxlen."
        )
    if not num_words:
        num_words = max(int(flat.max()) for flat, _, _ in splits if flat.size)
    result = []
    for flat, lengths, labels in splits:
        flat, lengths = _sequences.clip_vocabulary(flat, lengths, num_words, skip_top, oov_char)
        result.append((_sequences.to_object_array(flat, lengths), labels))
    return tuple(result)


def get_word_index(path="imdb_word_index.json"):
    """Retrieves a dict mapping words to their index in the IMDB dataset.

    Args:
        path: the cache file: a name inside the capas dataset cache, or an
            absolute path.

    Returns:
        The word index dictionary: word strings to indexes. Add `index_from`
        (3 by default) to an index to find the word in `load_data()`'s output.

    Example:

    >>> index = imdb.get_word_index()  # doctest: +SKIP
    >>> words = {i + 3: w for w, i in index.items()}  # doctest: +SKIP
    """
    with open(_fetch.get_file(_sources.IMDB_WORD_INDEX, path=path)) as f:
        return json.load(f)
