"""Load a golden folder's `cases.py` under a name of its own.

Each recorded area keeps its cases in `tests/goldens/<area>/cases.py`, run unchanged by the
TensorFlow recorder (as a script) and by the tests (through this loader). Importing them all as
`cases` would make the first one loaded shadow the others in one test process.
"""

import importlib.util
import pathlib
import sys


def load_cases(folder):
    folder = pathlib.Path(folder)
    name = f"_goldens_{folder.name}_cases"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, folder / "cases.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
