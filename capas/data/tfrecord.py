"""`tf.data.TFRecordDataset`: the records of TFRecord files, read lazily.

The framing and checksums live in `capas/io/_tfrecord.py` (with the writer
and the Example parsing), which needs the optional `crc32c` package.
"""

import capas.data.dataset as _ds
from capas.data._files import filenames_of, open_file
from capas.data._structure import StringSpec, make_string
from capas.io._tfrecord import read_records


class TFRecordDataset(_ds.Dataset):
    """The records (serialized bytes, e.g. `tf.train.Example`s) of TFRecord files.

    Args:
        filenames: a path, a list of paths, or a dataset of paths.
        compression_type: None/"", "GZIP" or "ZLIB".
        buffer_size, num_parallel_reads: accepted; files are read in order, one
            record at a time, so files larger than memory stream.

    Raises:
        ValueError: while iterating, a record is truncated or fails its checksum.

    Example:

    >>> import capas as tf, os, tempfile
    >>> from capas.io._tfrecord import TFRecordWriter
    >>> path = os.path.join(tempfile.mkdtemp(), "a.tfrecord")
    >>> with TFRecordWriter(path) as writer:
    ...     writer.write(b"first")
    ...     writer.write(b"second")
    >>> list(tf.data.TFRecordDataset(path).as_numpy_iterator())
    [b'first', b'second']
    """

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        paths = filenames_of(filenames, "TFRecordDataset")

        def make_iter():
            for path in paths:
                with open_file(path, compression_type) as f:
                    for record in read_records(f, path):
                        yield make_string(record)

        super().__init__(make_iter, _ds.UNKNOWN_CARDINALITY, StringSpec([]))
