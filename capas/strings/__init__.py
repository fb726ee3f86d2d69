"""`tf.strings`: ops on `tf.string` tensors (see docs/strings.md)."""

from capas.strings.string_ops import as_string as as_string
from capas.strings.string_ops import bytes_split as bytes_split
from capas.strings.string_ops import join as join
from capas.strings.string_ops import length as length
from capas.strings.string_ops import lower as lower
from capas.strings.string_ops import reduce_join as reduce_join
from capas.strings.string_ops import regex_full_match as regex_full_match
from capas.strings.string_ops import regex_replace as regex_replace
from capas.strings.string_ops import split as split
from capas.strings.string_ops import strip as strip
from capas.strings.string_ops import substr as substr
from capas.strings.string_ops import to_number as to_number
from capas.strings.string_ops import unicode_decode as unicode_decode
from capas.strings.string_ops import unicode_encode as unicode_encode
from capas.strings.string_ops import unicode_split as unicode_split
from capas.strings.string_ops import upper as upper

# tfcore2: hash buckets, segment join, n-grams, transcoding, offsets
from capas.strings.string_ops_extra import format as format  # noqa: A004 - TF's name
from capas.strings.string_ops_extra import ngrams as ngrams
from capas.strings.string_ops_extra import to_hash_bucket as to_hash_bucket
from capas.strings.string_ops_extra import to_hash_bucket_fast as to_hash_bucket_fast
from capas.strings.string_ops_extra import to_hash_bucket_strong as to_hash_bucket_strong
from capas.strings.string_ops_extra import unicode_decode_with_offsets as unicode_decode_with_offsets
from capas.strings.string_ops_extra import unicode_split_with_offsets as unicode_split_with_offsets
from capas.strings.string_ops_extra import unicode_transcode as unicode_transcode
from capas.strings.string_ops_extra import unsorted_segment_join as unsorted_segment_join
