"""The refusal of the SCIM endpoint: a `Refusal` with RFC 7644's `scimType` (3.12)."""

from __future__ import annotations

from core.refusals import Refusal


class ScimRefusal(Refusal):
    """A refusal with the `scimType` of RFC 7644 (3.12): "uniqueness", "invalidValue"..."""

    def __init__(self, message: str, *, scim_type: str | None = None, status: int = 400) -> None:
        super().__init__(message, status=status)
        self.scim_type = scim_type
