"""README and docs/ point only inside the repository, at files that exist; removed dead code stays removed."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_stay_inside_the_repository(page):
    for target in re.findall(r"\]\(([^)#\s]+)", page.read_text()):
        if re.match(r"[a-z]+://", target):
            continue
        resolved = (page.parent / target).resolve()
        assert ROOT in resolved.parents or resolved == ROOT, f"{page.name} links outside the repo: {target}"
        assert resolved.exists(), f"{page.name} links to a missing file: {target}"


@pytest.mark.parametrize("page", ["architecture.md", "tour.md"])
def test_paths_named_in_the_layout_pages_exist(page):
    text = (ROOT / "docs" / page).read_text()
    paths = set(re.findall(r"(capas/[\w/]+\.py)", text))
    assert paths, page
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing, missing


def test_docs_describe_dense_as_it_computes():
    assert "functional.linear" not in (ROOT / "docs" / "tour.md").read_text()
    from capas.keras.layers import Dense

    assert "functional.linear" not in Dense.__doc__


def test_dead_helpers_are_gone():
    from capas import variables
    from capas.keras.layers import layer
    from capas.keras.layers.convolutional import _conv_utils
    from capas.keras.saving import object_registration

    for module, name in [
        (layer, "_call_depth"),
        (_conv_utils, "conv_output_length"),
        (object_registration, "scoped_objects"),
        (variables, "is_variable"),
    ]:
        assert not hasattr(module, name), f"{module.__name__}.{name}"
    assert not hasattr(layer.Layer, "_clear_losses")
