"""A tour of the seed tutorial: runs each example in this folder and shows what it prints."""

import importlib.util
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).parent
EXAMPLES = sorted(p for p in HERE.glob("0*.py"))


def run(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main()


def main():
    for path in EXAMPLES:
        doc = (path.read_text().split('"""')[1]).strip().splitlines()[0]
        print(f"\n=== {path.name}: {doc}")
        start = time.perf_counter()
        run(path)
        print(f"--- done in {time.perf_counter() - start:.1f}s")
    print(f"\nAll {len(EXAMPLES)} examples ran.")


if __name__ == "__main__":
    sys.exit(main())
