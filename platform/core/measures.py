"""What the platform measures, for the layers that may not import metrics.

The governance console shows the maturity stage metrics last computed next to what leaders
believe, but sits at metrics' own layer: it may not import it. Metrics registers a provider
from its `AppConfig.ready()`::

    from core.measures import StageMeasure, register_stage_provider
    register_stage_provider(latest_stage)  # () -> StageMeasure | None

and the console asks `current_stage()`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from django.utils.functional import Promise


class StageMeasure(NamedTuple):
    """The organisation's stage on the maturity scale as last measured.

    `rank` is its place on Forrester's scale, 0 (Dormant) to 4 (Empowered), so that a reader
    can compare it with its own stage list without matching translated labels."""

    label: str | Promise
    as_of: date
    rank: int


_PROVIDERS: list[Callable[[], StageMeasure | None]] = []


def register_stage_provider(provider: Callable[[], StageMeasure | None]) -> None:
    """Metrics registers the one provider (registering again replaces it: autoreload, tests)."""
    _PROVIDERS[:] = [provider]


def current_stage() -> StageMeasure | None:
    """The stage last measured, or None when metrics has not computed any day yet. A missing
    provider is a bug (metrics always registers one), not "nothing measured": it raises."""
    if not _PROVIDERS:
        raise LookupError("no maturity-stage provider registered (metrics app not ready)")
    return _PROVIDERS[0]()
