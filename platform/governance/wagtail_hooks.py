"""Deletions made in Wagtail's editor go to the audit log too.

A blog post deleted from the editor does not pass through blogs' services, so the hook records
it here, with who deleted it and what it was (DESIGN.md: the audit log keeps deletions).
"""

from __future__ import annotations

from typing import Any

from wagtail import hooks

from governance.services import audit_record


@hooks.register("after_delete_page")
def audit_page_deletion(request: Any, page: Any) -> None:
    from blogs.models import PostPage
    from blogs.services import post_audit_state

    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if not isinstance(specific, PostPage):
        return
    audit_record(
        actor=request.user,
        action="post.deleted",
        target=specific,
        before=post_audit_state(specific),
    )
