"""The version of everyone's delegations, under which the composer is kept in the cache.

Who may write on whose blog (`blogs.permissions.delegated_executive_ids`) changes when an
executive names or removes a delegate: every save and deletion of a `Delegation` bumps this
version at once and on commit (`core.versions`); what a person is (an executive or not, their
name) is the people generation's. The composer of each person is kept under both.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from blogs.models import Delegation
from core.versions import bump_now_and_on_commit, read_versions
from people.generation import GENERATION_KEY

DELEGATIONS_KEY = "blogs:delegations:version"


def composer_versions() -> tuple[int, int]:
    found = read_versions([DELEGATIONS_KEY, GENERATION_KEY])
    return found[DELEGATIONS_KEY], found[GENERATION_KEY]


@receiver(post_save, sender=Delegation)
@receiver(post_delete, sender=Delegation)
def _delegation_changed(sender: Any, **kwargs: Any) -> None:
    bump_now_and_on_commit(DELEGATIONS_KEY)
