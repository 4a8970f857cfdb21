"""Counts written the way the real sites write them ("1,234,567", "54.2M")."""

from __future__ import annotations


def with_commas(value: int) -> str:
    return f"{value:,}"


def abbreviated(value: int, decimals: int = 1) -> str:
    """Spotify / Social Blade style "1.2M", "54.2K"; small numbers stay whole."""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(value) >= size:
            text = f"{value / size:.{decimals}f}".rstrip("0").rstrip(".")
            return text + suffix
    return str(value)


def abbreviated_if_exact(value: int) -> str:
    """The abbreviated form when it loses nothing (3-significant-figure counts), else commas."""
    for decimals in (0, 1, 2):
        text = abbreviated(value, decimals)
        if text[-1] in "KMB":
            size = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}[text[-1]]
            if round(float(text[:-1]) * size) == value:
                return text
    return with_commas(value)
