"""What the metrics app reads from other apps, in one place: community names and who runs
which community. Metrics stay decoupled: without the communities app's models, ids are shown
and a community manager's communities are those they joined (from the events)."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from metrics.models import ActivityDay


def _community_model():
    try:
        return apps.get_model("communities", "Community")
    except LookupError:
        return None


def community_names(ids) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    names: dict[int, str] = {}
    model = _community_model()
    if model is not None and ids:
        names = {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=ids)}
    return {i: names.get(i) or _("Community #%(id)s") % {"id": i} for i in ids}


def managed_community_ids(user) -> list[int]:
    """The communities this community manager runs (an active manager membership)."""
    try:
        membership = apps.get_model("communities", "Membership")
    except LookupError:
        membership = None
    if membership is not None:
        return list(
            membership._base_manager.filter(user=user, role="manager", state="active").values_list(
                "community_id", flat=True
            )
        )
    # Without the communities app: the communities they joined (from the events).
    return list(
        ActivityDay.objects.filter(user_id=user.pk, joins__gt=0, community_id__isnull=False)
        .values_list("community_id", flat=True)
        .distinct()
    )


def conversation_keys(objects: set[tuple[str, int | None]]) -> dict[tuple, tuple[str, int]]:
    """For comments (interactions), the thing they were written under: (object type, id) of
    the thread or post. Other objects are their own conversation."""
    comment_ids = [i for t, i in objects if t == "interactions.comment" and i is not None]
    if not comment_ids:
        return {}
    try:
        comment = apps.get_model("interactions", "Comment")
    except LookupError:
        return {}
    from django.contrib.contenttypes.models import ContentType

    types = {
        ct.pk: f"{ct.app_label}.{ct.model}"
        for ct in ContentType.objects.filter(
            pk__in=comment._base_manager.filter(pk__in=comment_ids).values("content_type_id")
        )
    }
    return {
        ("interactions.comment", pk): (types[ct], object_id)
        for pk, ct, object_id in comment._base_manager.filter(pk__in=comment_ids).values_list(
            "pk", "content_type_id", "object_id"
        )
    }


def charter_state(as_of, accepted_by_events: set[int]) -> tuple[bool, set[int]]:
    """(published, people who accepted) as of a moment, for the Coordinating criterion.

    Governance knows the current version: when one was published by then, the people counted
    are those who accepted that version by then. Before governance published anything (or
    without it), acceptance events stand in: nobody can accept an unpublished charter.
    """
    try:
        from governance.models import CharterAcceptance
        from governance.selectors import current_charter
    except ImportError:
        return bool(accepted_by_events), accepted_by_events
    charter = current_charter(as_of=as_of)
    if charter is None:
        return bool(accepted_by_events), accepted_by_events
    accepted = set(
        CharterAcceptance.objects.filter(charter=charter, accepted_at__lt=as_of).values_list(
            "user_id", flat=True
        )
    )
    return True, accepted


def all_community_ids() -> list[int]:
    model = _community_model()
    if model is not None:
        return list(model._base_manager.values_list("pk", flat=True))
    return list(
        ActivityDay.objects.filter(community_id__isnull=False)
        .values_list("community_id", flat=True)
        .distinct()
    )
