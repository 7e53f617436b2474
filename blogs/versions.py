"""The versions of everyone's delegations and follows, and what is kept under them.

Who may write on whose blog (`blogs.permissions.delegated_executive_ids`) changes when an
executive names or removes a delegate: every save and deletion of a `Delegation` bumps its
version at once and on commit (`core.versions`); who follows whom, every save and deletion
of a `Follow`. What a person is (an executive or not, their name) is the people generation's.
The composer of each person and the article of a post page are kept under them, and each
person's delegations too (asked on every post page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from blogs.models import Delegation, Follow
from core.versions import bump_now_and_on_commit, kept_under, read_versions, usual_version
from people.generation import GENERATION_KEY

DELEGATIONS_KEY = usual_version("blogs:delegations:version")
FOLLOWS_KEY = usual_version("blogs:follows:version")
DELEGATED_SECONDS = 60 * 60


def composer_versions() -> tuple[int, int]:
    found = read_versions([DELEGATIONS_KEY, GENERATION_KEY])
    return found[DELEGATIONS_KEY], found[GENERATION_KEY]


def reader_versions() -> tuple[int, int, int]:
    """(delegations, follows, people): what a post page shows of its reader's relations."""
    found = read_versions([DELEGATIONS_KEY, FOLLOWS_KEY, GENERATION_KEY])
    return found[DELEGATIONS_KEY], found[FOLLOWS_KEY], found[GENERATION_KEY]


def delegated_ids(user_id: int, read: Callable[[], set[int]]) -> set[int]:
    """`read()` (the executives who named this person their delegate), kept under the
    delegations' version and the people generation (an executive who stops being one)."""
    ids, _stamp = kept_under(
        f"blogs:delegated:{user_id}",
        [DELEGATIONS_KEY, GENERATION_KEY],
        lambda: sorted(read()),
        seconds=DELEGATED_SECONDS,
    )
    return set(ids)


@receiver(post_save, sender=Delegation)
@receiver(post_delete, sender=Delegation)
def _delegation_changed(sender: Any, **kwargs: Any) -> None:
    bump_now_and_on_commit(DELEGATIONS_KEY)


@receiver(post_save, sender=Follow)
@receiver(post_delete, sender=Follow)
def _follow_changed(sender: Any, **kwargs: Any) -> None:
    bump_now_and_on_commit(FOLLOWS_KEY)
