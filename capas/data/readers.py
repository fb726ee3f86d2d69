"""Dataset classes over files: `TextLineDataset` and `CsvDataset` (TFRecord: `tfrecord.py`)."""

import capas.data.dataset as _ds
from capas.data._files import filenames_of, read_lines
from capas.data._structure import StringSpec, make_string


class TextLineDataset(_ds.Dataset):
    """The lines of one or more text files (without their line endings), read lazily.

    Args:
        filenames: a path, a list of paths, or a dataset of paths.
        compression_type: None/"" , "GZIP" or "ZLIB".
        buffer_size, num_parallel_reads: accepted; files are read in order.

    Example:

    >>> import capas as tf, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> _ = open(path, "w").write("one\\ntwo\\n")
    >>> list(tf.data.TextLineDataset(path).as_numpy_iterator())
    [b'one', b'two']
    """

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        paths = filenames_of(filenames, "TextLineDataset")

        def make_iter():
            for line in read_lines(paths, compression_type):
                yield make_string(line)

        super().__init__(make_iter, _ds.UNKNOWN_CARDINALITY, StringSpec([]))
