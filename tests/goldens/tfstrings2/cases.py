"""The tf.strings ops of tfcore2 run unchanged by TensorFlow (record.py) and capas (tests/strings/test_string_ops_extra.py)."""

import numpy as np


def _py(x):
    if hasattr(x, "to_list"):
        return _py(x.to_list())
    if hasattr(x, "numpy"):
        x = x.numpy()
    if isinstance(x, np.ndarray):
        return _py(x.tolist())
    if isinstance(x, bytes):
        return "b:" + x.decode("latin-1")
    if isinstance(x, (list, tuple)):
        return [_py(v) for v in x]
    if isinstance(x, np.generic):
        return _py(x.item())
    return x


WORDS = ["Hello", "TensorFlow", "2.x", "", "a", "ab", "abcdefgh", "abcdefghi", "héllo wörld", "x" * 40, "17"]


def hashing(tf):
    words = tf.constant(WORDS)
    return {
        "fast_3": _py(tf.strings.to_hash_bucket_fast(tf.constant(["Hello", "TensorFlow", "2.x"]), 3)),
        "fast": _py(tf.strings.to_hash_bucket_fast(words, 1000003)),
        "strong": _py(tf.strings.to_hash_bucket_strong(words, 1000003, key=[123, 456])),
        "legacy": _py(tf.strings.to_hash_bucket(words, 1000003)),
        "legacy_2d": _py(tf.strings.to_hash_bucket(tf.constant([["a", "b"], ["c", "d"]]), 7)),
    }


def segments(tf):
    return {
        "join": _py(
            tf.strings.unsorted_segment_join(
                tf.constant(["a", "b", "c", "d"]), tf.constant([1, 0, 1, 3]), 4, separator=":"
            )
        ),
        "join_2d": _py(
            tf.strings.unsorted_segment_join(
                tf.constant([["a", "b"], ["c", "d"], ["e", "f"]]), tf.constant([0, 1, 0]), 2
            )
        ),
    }


def ngram_cases(tf):
    tokens = tf.constant(["a", "b", "c", "d"])
    batch = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
    ragged = tf.ragged.constant([["a", "b", "c"], ["d"], []])
    return {
        "bigrams": _py(tf.strings.ngrams(tokens, 2)),
        "trigrams_sep": _py(tf.strings.ngrams(tokens, 3, separator="_")),
        "widths": _py(tf.strings.ngrams(tokens, [1, 3])),
        "padded": _py(tf.strings.ngrams(tokens, 3, pad_values="#")),
        "padded_pair": _py(tf.strings.ngrams(tokens, 3, pad_values=("<s>", "</s>"), padding_width=1)),
        "batch": _py(tf.strings.ngrams(batch, 2)),
        "ragged": _py(tf.strings.ngrams(ragged, 2)),
        "ragged_short": _py(tf.strings.ngrams(ragged, 2, preserve_short_sequences=True)),
        "too_wide": _py(tf.strings.ngrams(tokens, 5)),
        "too_wide_short": _py(tf.strings.ngrams(tokens, 5, preserve_short_sequences=True)),
    }


def unicode_cases(tf):
    text = tf.constant(["héllo", "€a", "", "\x01b"])
    values, offsets = tf.strings.unicode_decode_with_offsets(text, "UTF-8")
    chars, char_offsets = tf.strings.unicode_split_with_offsets(text, "UTF-8")
    scalar_values, scalar_offsets = tf.strings.unicode_decode_with_offsets(tf.constant("añb"), "UTF-8")
    return {
        "decode_values": _py(values),
        "decode_offsets": _py(offsets),
        "split_chars": _py(chars),
        "split_offsets": _py(char_offsets),
        "scalar": [_py(scalar_values), _py(scalar_offsets)],
        "to_utf16": _py(tf.strings.unicode_transcode(text, "UTF-8", "UTF-16-BE")),
        "from_latin1": _py(tf.strings.unicode_transcode(tf.constant([b"caf\xe9"]), "ISO-8859-1", "UTF-8")),
        "bad_utf8": _py(tf.strings.unicode_transcode(tf.constant([b"a\xffb"]), "UTF-8", "UTF-8")),
        "bad_utf8_char": _py(
            tf.strings.unicode_transcode(tf.constant([b"a\xffb"]), "UTF-8", "UTF-8", replacement_char=63)
        ),
        "control": _py(tf.strings.unicode_transcode(text, "UTF-8", "UTF-8", replace_control_characters=True)),
    }


def format_cases(tf):
    f = tf.strings.format
    return {
        "mixed": _py(f("{} | {}", (tf.constant([1, 2, 3]), tf.constant(2.5)))),
        "matrix": _py(f("x={}", tf.constant([[1.5, 2.0], [3.25, -4.0]]))),
        "long": _py(f("{}", tf.range(10))),
        "long_rows": _py(f("{}", tf.reshape(tf.range(40), [5, 8]))),
        "many_rows": _py(f("{}", tf.reshape(tf.range(14), [7, 2]))),
        "cube": _py(f("{}", tf.reshape(tf.range(24), [2, 3, 4]))),
        "cube_summarized": _py(f("{}", tf.reshape(tf.range(28), [7, 2, 2]), summarize=1)),
        "strings": _py(f("{}", tf.constant(["a", "bc"]))),
        "scalar_string": _py(f("{}", tf.constant("hi"))),
        "bools": _py(f("{}", tf.constant([True, False]))),
        "floats": [
            _py(f("{}", tf.constant(v)))
            for v in (0.1, 1e-7, 123456789.0, -0.0, float("-inf"), float("nan"), 1e20, 2.0, 1.0 / 3.0)
        ],
        "float64": _py(f("{}", tf.constant([1.0 / 3.0, 0.1, 2.5], tf.float64))),
        "placeholder": _py(f("<>-<>", (tf.constant(1), tf.constant(2)), placeholder="<>")),
        "summarize_2": _py(f("{}", tf.range(10), summarize=2)),
        "summarize_all": _py(f("{}", tf.range(10), summarize=-1)),
        "python_values": _py(f("a{}b{}c", ["x", 5])),
        "empty": _py(f("{}", tf.zeros([0]))),
        "int64": _py(f("{}", tf.constant([3, -4], tf.int64))),
    }


CASES = {
    "format": format_cases,
    "hashing": hashing,
    "segments": segments,
    "ngrams": ngram_cases,
    "unicode": unicode_cases,
}
