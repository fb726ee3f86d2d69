"""Strings and Unicode: string tensors and the tf.strings ops.

Source: tensorflow/docs site/en/guide/unicode.ipynb and site/en/guide/tensor.ipynb ("String tensors")
Covers: scalar and vector string tensors (bytes values, dtype string), tf.strings.split,
to_number, bytes_split, length (BYTE / UTF8_CHAR), unicode_decode / unicode_encode, lower, upper,
regex_replace, join, reduce_join, substr, tf.strings.as_string.
"""
from _target import report, tf

scalar_string_tensor = tf.constant("Gray wolf")
report("scalar", scalar_string_tensor)
report("scalar.dtype", scalar_string_tensor.dtype)
tensor_of_strings = tf.constant(["Gray wolf", "Quick brown fox", "Lazy dog"])
report("vector.shape", tensor_of_strings.shape)
report("vector", tensor_of_strings)
report("split", tf.strings.split(scalar_string_tensor, sep=" "))
report("split_vector", tf.strings.split(tensor_of_strings))
text = tf.constant("1 10 100")
report("to_number", tf.strings.to_number(tf.strings.split(text, " ")))
byte_strings = tf.strings.bytes_split(tf.constant("Duck"))
report("bytes_split", byte_strings)

thanks = "Thanks 😊"
report("length_bytes", tf.strings.length(thanks).numpy())
report("length_chars", tf.strings.length(thanks, unit="UTF8_CHAR").numpy())
codepoints = tf.strings.unicode_decode(tf.constant("语言处理"), "UTF-8")
report("unicode_decode", codepoints)
report("unicode_encode", tf.strings.unicode_encode(codepoints, output_encoding="UTF-8"))
report("lower", tf.strings.lower(tensor_of_strings))
report("upper", tf.strings.upper(tf.constant("abc")))
report("regex_replace", tf.strings.regex_replace(tensor_of_strings, "[aeiou]", "_"))
report("join", tf.strings.join([tf.constant(["a", "b"]), tf.constant(["c", "d"])], separator="-"))
report("reduce_join", tf.strings.reduce_join(tensor_of_strings, separator=", "))
report("substr", tf.strings.substr(tensor_of_strings, 0, 4))
report("as_string", tf.strings.as_string(tf.constant([1, 22, 333])))
report("string_equal", (tensor_of_strings == tf.constant("Lazy dog")).numpy())
