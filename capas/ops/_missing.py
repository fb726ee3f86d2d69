"""`AttributeError` for tf names capas does not provide (yet), never a silent fallback."""

import difflib
import importlib
import sys


def make_getattr(module_name, tf_prefix):
    """A module-level `__getattr__` for the namespace `module_name` (shown as `tf_prefix`).

    Submodules that are not imported yet still resolve (`capas.keras`); any
    other missing name raises an AttributeError that names the op, says it is
    not supported yet and lists the closest names capas has.
    """

    def __getattr__(name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(f"module '{module_name}' has no attribute '{name}'")
        if name.isidentifier():
            try:
                return importlib.import_module(f"{module_name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{module_name}.{name}":
                    raise
        module = sys.modules[module_name]
        public = [n for n in vars(module) if not n.startswith("_")]
        near = difflib.get_close_matches(name, public, n=3, cutoff=0.6)
        hint = f" Closest names in capas: {', '.join(f'{tf_prefix}.{n}' for n in near)}." if near else ""
        raise AttributeError(
            f"`{tf_prefix}.{name}` is not supported yet in capas (module '{module_name}' has no "
            f"attribute '{name}').{hint} Write it with torch ops, or ask for it in an issue."
        )

    return __getattr__
