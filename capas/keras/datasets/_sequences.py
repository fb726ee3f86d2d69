"""Word-index sequences (IMDB, Reuters): shift, filter and clip, as Keras does.

The work is vectorized over one flat array of all words (plus the length of
each sequence) instead of Keras's nested Python list comprehensions; the
result is the same: an object array of Python lists of ints.
"""

import itertools

import numpy as np


def flatten(seqs):
    """`(flat, lengths)`: all words of `seqs` in one int64 array, and each sequence's length."""
    lengths = np.fromiter((len(s) for s in seqs), dtype=np.int64, count=len(seqs))
    flat = np.fromiter(itertools.chain.from_iterable(seqs), dtype=np.int64, count=int(lengths.sum()))
    return flat, lengths


def shift(flat, lengths, start_char, index_from):
    """Add `index_from` to every word and put `start_char` (unless None) in front."""
    if index_from:
        flat = flat + index_from
    if start_char is None:
        return flat, lengths
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    flat = np.insert(flat, starts, start_char)
    return flat, lengths + 1


def keep_shorter_than(flat, lengths, labels, maxlen):
    """Drop the sequences of `maxlen` words or more (Keras keeps `len(x) < maxlen`)."""
    keep = lengths < maxlen
    return flat[np.repeat(keep, lengths)], lengths[keep], labels[keep]


def clip_vocabulary(flat, lengths, num_words, skip_top, oov_char):
    """Replace (or drop, when `oov_char` is None) words outside `[skip_top, num_words)`."""
    inside = (flat >= skip_top) & (flat < num_words)
    if oov_char is not None:
        return np.where(inside, flat, oov_char), lengths
    segment = np.repeat(np.arange(len(lengths)), lengths)
    return flat[inside], np.bincount(segment[inside], minlength=len(lengths)).astype(np.int64)


def to_object_array(flat, lengths):
    """A 1-D object array of Python lists (Keras's layout for ragged sequences)."""
    words = flat.tolist()
    out = np.empty(len(lengths), dtype=object)
    end = 0
    for i, n in enumerate(lengths.tolist()):
        out[i] = words[end : end + n]
        end += n
    return out
