"""Generated documentation stays in sync with the code."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_name_tables_are_up_to_date():
    result = subprocess.run(
        [sys.executable, "scripts/gen_name_tables.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
