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


def all_community_ids() -> list[int]:
    model = _community_model()
    if model is not None:
        return list(model._base_manager.values_list("pk", flat=True))
    return list(
        ActivityDay.objects.filter(community_id__isnull=False)
        .values_list("community_id", flat=True)
        .distinct()
    )


def charter_timeline():
    """A function (as_of, accepted by events) -> (published, people who accepted), reading
    governance's charters and acceptances once for a run of many days (see charter_state)."""
    try:
        from governance.models import Charter, CharterAcceptance
    except ImportError:
        return lambda as_of, by_events: (bool(by_events), by_events)
    charters = list(
        Charter.objects.filter(published_at__isnull=False)
        .order_by("published_at", "version")
        .values_list("pk", "published_at")
    )
    acceptances: dict[int, list] = {}
    if charters:
        for charter_id, user_id, at in CharterAcceptance.objects.values_list(
            "charter_id", "user_id", "accepted_at"
        ):
            acceptances.setdefault(charter_id, []).append((user_id, at))

    def state(as_of, by_events: set[int]) -> tuple[bool, set[int]]:
        current = [pk for pk, published in charters if published <= as_of]
        if not current:
            return bool(by_events), by_events
        return True, {u for u, at in acceptances.get(current[-1], []) if at < as_of}

    return state
