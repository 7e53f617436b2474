"""Erasing a person does not change the metrics of past days: the rollups computed again from
the pseudonymised log are the rollups computed before, row for row (the person's id
replaced by the placeholder's)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from metrics.models import (
    ActivityDay,
    CohortSnapshot,
    CommunitySnapshot,
    ConversationTurn,
    InteractionDay,
    LeaderViewDay,
    MembershipDay,
    ScopeDay,
)
from metrics.services import metrics_refresh
from privacy.services import person_erase
from tests.metrics.conftest import org  # noqa: F401  (the hand-computed organisation)

PERSON_COLUMNS = {"user_id", "other_user_id", "executive_id", "viewer_id"}
TABLES = (
    ActivityDay,
    InteractionDay,
    LeaderViewDay,
    ConversationTurn,
    MembershipDay,
    ScopeDay,
    CommunitySnapshot,
    CohortSnapshot,
)


def _rows(model, mapping=None):
    mapping = mapping or {}
    rows = []
    for row in model.objects.values():
        row.pop("id", None)
        for column in PERSON_COLUMNS & set(row):
            row[column] = mapping.get(row[column], row[column])
        rows.append(tuple(sorted((k, repr(v)) for k, v in row.items())))
    return sorted(rows)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["a1", "b1"])
def test_rollups_of_past_days_do_not_change(org, administrator, who):  # noqa: F811
    # a1 is the executive (posts read, answered: actor, target, leader reach); b1 answers.
    person = getattr(org, who)
    # Erasure comes after departure: the departed are out of the population either way.
    person.is_active = False
    person.save(update_fields=["is_active"])
    since, until = org.day - timedelta(days=45), org.day
    metrics_refresh(since=since, until=until)
    before = {model: _rows(model) for model in TABLES}
    assert before[ActivityDay] and before[LeaderViewDay] and before[ScopeDay]

    erasure = person_erase(actor=administrator, person=person)
    metrics_refresh(since=since, until=until)

    mapping = {person.pk: erasure.placeholder.pk}
    for model in TABLES:
        assert _rows(model) == sorted(_remap(before[model], mapping)), model.__name__


def _remap(rows, mapping):
    out = []
    for row in rows:
        fixed = []
        for key, value in row:
            if key in PERSON_COLUMNS:
                for old, new in mapping.items():
                    if value == repr(old):
                        value = repr(new)
            fixed.append((key, value))
        out.append(tuple(fixed))
    return out
