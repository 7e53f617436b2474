"""Exceptions other apps catch: the charter gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.models import Charter


class CharterNotAccepted(Exception):
    """The person must accept the current charter before writing a post, comment, reply or
    thread. Carries the charter version to accept, so that the view can say which one.

    Views catch it and call `governance.gate.redirect_to_charter(request, return_url=...,
    form_data=request.POST)`, which keeps what the person typed.
    """

    def __init__(self, charter: Charter) -> None:
        self.charter = charter
        self.version = charter.version
        super().__init__(f"Charter version {charter.version} not accepted")
