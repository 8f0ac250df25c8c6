"""Exhibit labels: the letters a packet's exhibits are cited by, in their order (A … Z, AA, AB …)."""

import string


def exhibit_label(index: int) -> str:
    """A, B, … Z, AA, AB, … for the exhibit at 0-based ``index``."""
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = string.ascii_uppercase[remainder] + label
    return label
