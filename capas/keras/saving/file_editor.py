"""`KerasFileEditor`: inspect and edit the weights of a `.keras` or `.weights.h5` file, then resave.

The file is read as data through the same guarded readers as `load_model` (`_safe_zip` for
the archive, `_safe_h5` to validate every HDF5 object before a value is read); nothing in it
is executed, and no model is built. The weights become a nested dict in Keras 3's layout,
`{"layers": {"dense": {"0": kernel, "1": bias}}, "optimizer": {"0": ...}}` (each object's
`vars` group folded into it), which the methods edit and `save` writes back as a
`.weights.h5` file, atomically.
"""

import collections
import io
import os
import posixpath

import h5py
import numpy as np

from capas._file_utils import atomic_write
from capas.keras.saving import _safe_h5, _safe_zip, saving_lib
from capas.keras.saving._errors import InvalidModelFileError
from capas.keras._io_utils import print_msg


class KerasFileEditor:
    """Inspect, edit and resave the weights of a Keras 3 file.

    Useful to adapt an old weights file after changing a model: rename, delete or add
    objects (layers) and single weights, check the result against a model with `compare`,
    and write it with `save` (load it with `model.load_weights`).

    Args:
        filepath: a `.keras` archive or a `.weights.h5` file.

    Attributes:
        weights_dict: the weights as nested dicts of numpy arrays.
        object_metadata: `{"/layers/dense": {"name": "d1"}, ...}`, the attributes of the groups.
        config, metadata: the archive's `config.json` and `metadata.json` (None for `.weights.h5`).

    Differs from Keras: a bare object name is found when it occurs once anywhere (Keras 3.15
    miscounts occurrences and refuses most bare names); `compare` counts each weight once
    (Keras 3.15 counts some twice); the summary is plain text (no rich or HTML rendering);
    an object holding both weights and sub-objects keeps both.

    Example:

    >>> import os, tempfile
    >>> from capas import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> model.save_weights(path)
    >>> editor = keras.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
    Keras model file '...m.weights.h5'
    >>> sorted(editor.weights_dict["layers"]["dense"])
    ['0', '1']
    >>> editor.rename_object("layers/dense", "dense_old")
    >>> editor.compare(model)["status"]  # doctest: +ELLIPSIS
    Running comparison
    ...
    'error'
    """

    def __init__(self, filepath):
        filepath = os.fspath(filepath)
        self.filepath = filepath
        self.config = None
        self.metadata = None
        if filepath.endswith(".keras"):
            members = saving_lib._open_archive(filepath)
            self.config = saving_lib.parse_json(members[_safe_zip.CONFIG_NAME], filepath, "config.json")
            self.metadata = saving_lib.parse_json(members[_safe_zip.METADATA_NAME], filepath, "metadata.json")
            data = members.get(_safe_zip.WEIGHTS_NAME)
            if data is None:
                raise InvalidModelFileError(filepath, f"the archive holds no '{_safe_zip.WEIGHTS_NAME}'.")
        elif filepath.endswith(".weights.h5"):
            with open(filepath, "rb") as f:
                data = f.read()
        else:
            raise ValueError(
                f"Invalid filename: expected a `.keras` `.weights.h5` extension. Received: filepath={filepath}"
            )
        self.weights_dict, self.object_metadata = _read_weights(data, filepath)
        print_msg(f"Keras model file '{filepath}'")
        if self.metadata is not None:
            print_msg(
                f"Saved with Keras {self.metadata.get('keras_version')} - date: {self.metadata.get('date_saved')}"
            )

    # -- looking -------------------------------------------------------------------
    def summary(self):
        """Print the tree of objects and weights (shape and dtype of each)."""
        print_msg("Weights structure")
        for line in _tree_lines(self.weights_dict, self.object_metadata, "  ", ""):
            print_msg(line)

    def compare(self, reference_model):
        """List the differences between the file and `reference_model`'s weights.

        Args:
            reference_model: a model (built) whose weights the file should fit.

        Returns:
            `{"status": "success" or "error", "error_count": int, "match_count": int}`: the
            objects or weights present on one side only, or of another shape, are errors; the
            weights of equal shape are matches.
        """
        print_msg("Running comparison")
        reference, _ = _read_weights(saving_lib.weights_bytes(reference_model), "<reference model>")
        errors, matches = _compare(self.weights_dict, reference, "", "saved file", "reference model", set())
        reverse, _ = _compare(reference, self.weights_dict, "", "reference model", "saved file", set())
        errors += reverse
        print_msg("─────────────────────")
        if errors == 0:
            print_msg("Comparison successful: saved file is compatible with the reference model")
            print_msg(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print_msg(
                f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not compatible with "
                "the reference model"
            )
        return {"status": "success" if errors == 0 else "error", "error_count": errors, "match_count": matches}

    # -- editing -------------------------------------------------------------------
    def rename_object(self, object_name, new_name):
        """Rename an object (e.g. a layer), given by name (`"dense_2"`) or path (`"layers/dense_2"`).

        Args:
            object_name: the object's name, or its path.
            new_name: the new name (a leaf name, without `/`).
        """

        def rename(parent, name):
            parent[new_name] = parent.pop(name)

        self._edit(rename, object_name, new_name)

    def delete_object(self, object_name):
        """Remove an object (e.g. a layer), given by name or path."""
        self._edit(lambda parent, name: parent.pop(name), object_name)

    def add_object(self, object_path, weights):
        """Add an object at `object_path` (e.g. `"layers/dense_2"`) with `weights` (`{"0": array, ...}`)."""
        weights = _check_weights(weights)
        parts = object_path.split("/")
        parent = self.weights_dict
        for part in parts[:-1]:
            if not isinstance(parent.get(part), dict):
                raise ValueError(f"Path '{'/'.join(parts[:-1])}' not found in model.")
            parent = parent[part]
        parent[parts[-1]] = weights

    def delete_weight(self, object_name, weight_name):
        """Remove the weight `weight_name` (e.g. `"1"`) from an object given by name or path."""

        def delete(parent, name):
            if weight_name not in parent[name]:
                raise ValueError(
                    f"Weight {weight_name} not found in object {object_name}. "
                    f"Weights found: {list(parent[name].keys())}"
                )
            parent[name].pop(weight_name)

        self._edit(delete, object_name)

    def add_weights(self, object_name, weights):
        """Add (or replace) weights (`{"name": array}`) of an object given by name or path."""
        weights = _check_weights(weights)
        self._edit(lambda parent, name: parent[name].update(weights), object_name)

    def _edit(self, edit, source_name, target_name=None):
        if target_name is not None and "/" in target_name:
            raise ValueError(
                f"Argument `target_name` should be a leaf name, not a full path name. Received: target_name='{target_name}'"
            )
        if "/" in source_name:
            parts = source_name.split("/")
            parent = self.weights_dict
            for part in parts[:-1]:
                if not isinstance(parent.get(part), dict):
                    raise ValueError(f"Path '{source_name}' not found in model.")
                parent = parent[part]
            if parts[-1] not in parent:
                raise ValueError(f"Path '{source_name}' not found in model.")
            edit(parent, parts[-1])
            return
        places = list(_parents_holding(self.weights_dict, source_name, ""))
        if len(places) > 1:
            paths = [posixpath.join(path, source_name) for path, _ in places]
            raise ValueError(
                f"Name '{source_name}' occurs more than once in the model ({paths}); try passing a complete path"
            )
        if not places:
            raise ValueError(
                f"Source name '{source_name}' does not appear in the model. Use `editor.summary()` to list all objects."
            )
        edit(places[0][1], source_name)

    # -- writing -------------------------------------------------------------------
    def save(self, filepath):
        """Write the edited weights to `filepath` (a `.weights.h5` file), atomically.

        Each object's weights go to its `vars` group, as Keras 3 writes them, so
        `model.load_weights(filepath)` reads the file.
        """
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                f"Invalid `filepath` argument: expected a `.weights.h5` extension. Received: filepath={filepath}"
            )
        buffer = io.BytesIO()
        with h5py.File(buffer, "w", libver="earliest", track_order=False) as h5file:
            _write(self.weights_dict, h5file, "")
        with atomic_write(filepath, "wb") as f:
            f.write(buffer.getvalue())

    def resave_weights(self, filepath):
        """`save(filepath)`."""
        self.save(filepath)


def _read_weights(data, filepath):
    """The nested dict of the weights in HDF5 bytes `data`, and the groups' attributes."""
    with _safe_h5.open_h5(io.BytesIO(data), filepath) as h5file:
        _safe_h5.validate(h5file, filepath, len(data))
        metadata = {}
        return _read_group(h5file, "", filepath, metadata), metadata


def _read_group(group, path, filepath, metadata):
    """The weights under `group` as a nested dict; an object's `vars` group is folded into it.

    The attributes of a group that holds weights (Keras writes an object's name on its `vars`
    group) are recorded under the object's path, as Keras's editor records them.
    """
    out = collections.OrderedDict()
    for key in group.keys():
        child = group[key]
        if isinstance(child, h5py.Dataset):
            out[key] = _safe_h5.read_dataset(child, f"{path}/{key}", filepath)
            continue
        inner = path if key == "vars" else f"{path}/{key}"
        content = _read_group(child, inner, filepath, metadata)
        if not content:
            continue
        attrs = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in child.attrs.items()}
        if attrs:
            metadata[inner] = attrs
        if key == "vars":
            out.update(content)
        else:
            out[key] = content
    return out


def _write(weights, h5file, path):
    arrays = {k: v for k, v in weights.items() if not isinstance(v, dict)}
    if arrays:
        group = h5file.require_group(posixpath.join(path, "vars"))
        for name, value in arrays.items():
            group.create_dataset(name, data=np.asarray(value))
    for name, value in weights.items():
        if isinstance(value, dict) and value:
            _write(value, h5file, posixpath.join(path, name))


def _check_weights(weights):
    if not isinstance(weights, dict):
        raise ValueError(
            "Argument `weights` should be a dict where keys are weight names (usually '0', '1', etc.) "
            f"and values are NumPy arrays. Received: type(weights)={type(weights)}"
        )
    return {str(k): np.asarray(v) for k, v in weights.items()}


def _parents_holding(weights, name, path):
    """`(path, dict)` for every dict of the tree that holds `name` as a key."""
    if name in weights:
        yield path, weights
    for key, value in weights.items():
        if isinstance(value, dict):
            yield from _parents_holding(value, name, posixpath.join(path, key))


def _compare(target, reference, path, target_name, reference_name, checked):
    """(errors, matches) of `target` against `reference`; prints each difference once."""
    errors = matches = 0
    for key, ref in reference.items():
        inner = f"{path}/{key}"
        if inner in checked:
            continue
        if key not in target:
            errors += 1
            checked.add(inner)
            kind = "Object" if isinstance(ref, dict) else "Weight"
            print_msg(f"...{kind} {inner} present in {reference_name}, missing from {target_name}")
            if isinstance(ref, dict):
                print_msg(f"    In {reference_name}, {inner} contains the following keys: {list(ref.keys())}")
        elif isinstance(ref, dict):
            if not isinstance(target[key], dict):
                errors += 1
                checked.add(inner)
                print_msg(f"...{inner} is an object in {reference_name} but a weight in {target_name}")
                continue
            sub_errors, sub_matches = _compare(target[key], ref, inner, target_name, reference_name, checked)
            errors += sub_errors
            matches += sub_matches
        elif isinstance(target[key], dict) or np.shape(target[key]) != np.shape(ref):
            errors += 1
            checked.add(inner)
            found = "an object" if isinstance(target[key], dict) else f"shape={np.shape(target[key])}"
            print_msg(
                f"...Weight shape mismatch for {inner}\n    In {reference_name}: shape={np.shape(ref)}\n"
                f"    In {target_name}: {found}"
            )
        else:
            matches += 1
    return errors, matches


def _tree_lines(weights, metadata, prefix, path):
    items = list(weights.items())
    for i, (key, value) in enumerate(items):
        last = i == len(items) - 1
        connector = "└─ " if last else "├─ "
        inner = f"{path}/{key}"
        if isinstance(value, dict):
            name = metadata.get(inner, {}).get("name")
            yield f"{prefix}{connector}{key}" + (f" ('{name}')" if name else "")
            yield from _tree_lines(value, metadata, prefix + ("    " if last else "│   "), inner)
        else:
            yield f"{prefix}{connector}{key}: shape={np.shape(value)}, dtype={np.asarray(value).dtype}"
