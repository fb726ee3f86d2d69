"""The one error every unreadable, corrupt or hostile model file raises."""


class InvalidModelFileError(ValueError):
    """A model or weights file that cannot be loaded safely.

    Raised for truncated or corrupted files, files whose structure is not the
    Keras layout, files that exceed the size limits (zip and shape bombs),
    files that would open other files (HDF5 external links, external storage,
    virtual datasets, zip paths leaving the archive) and files that would run
    code (Lambda bytecode, classes outside the registry) in safe mode.

    The message names the file and what is wrong with it; `filepath` and
    `reason` hold the two parts.

    Example:

    >>> from capas.keras.saving import InvalidModelFileError
    >>> issubclass(InvalidModelFileError, ValueError)
    True
    """

    def __init__(self, filepath, reason):
        self.filepath = str(filepath)
        self.reason = reason
        super().__init__(f"Cannot load '{self.filepath}': {reason}")
