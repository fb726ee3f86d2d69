"""Nested structures (lists, tuples, dicts of tensors): flatten and map."""


def flatten(structure):
    """Flatten nested lists, tuples and dicts (dict values in insertion order)."""
    if isinstance(structure, (list, tuple)):
        out = []
        for item in structure:
            out.extend(flatten(item))
        return out
    if isinstance(structure, dict):
        out = []
        for item in structure.values():
            out.extend(flatten(item))
        return out
    return [structure]


def map_structure(fn, structure):
    """Apply `fn` to every leaf, keeping the structure (namedtuples included)."""
    if isinstance(structure, list):
        return [map_structure(fn, x) for x in structure]
    if isinstance(structure, tuple):
        items = [map_structure(fn, x) for x in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    return fn(structure)
