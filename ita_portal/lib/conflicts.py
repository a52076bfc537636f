"""The one exception for a lost race: someone else changed the row first (work's submissions,
measures' documents). Raised after a conditional UPDATE matched nothing; nothing was done."""

from __future__ import annotations


class Conflict(Exception):
    """Someone else changed it first; nothing was done."""
