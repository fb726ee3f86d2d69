"""keras.export: Keras 3's `ExportArchive` (TensorFlow SavedModel endpoints); see its docstring."""

from capas.keras.export.export_archive import ExportArchive as ExportArchive
