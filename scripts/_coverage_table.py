"""What keras_coverage.py and tf_coverage.py share: the presence test and the page's table."""


def has(namespace, name):
    """Whether `namespace` (a module or object, or None) has the attribute `name`."""
    if namespace is None:
        return False
    try:
        getattr(namespace, name)
    except (AttributeError, ImportError):
        return False
    return True


def totals(rows):
    """(names present, names in all) over `rows` of (namespace, names, missing)."""
    total = sum(len(names) for _, names, _ in rows)
    return total - sum(len(missing) for _, _, missing in rows), total


def table(rows):
    """The markdown lines of the per-namespace table and the missing names, for `rows`."""
    lines = ["| namespace | capas has | missing |", "|---|---|---|"]
    for ns, names, missing in rows:
        lines.append(f"| `{ns}` | {len(names) - len(missing)} / {len(names)} | {len(missing)} |")
    for ns, _, missing in rows:
        if missing:
            lines += ["", f"## `{ns}`: missing", "", ", ".join(f"`{n}`" for n in missing)]
    return lines
