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
    """The communities whose figures this community manager sees (aggregated)."""
    model = _community_model()
    if model is not None:
        for name in ("managers", "manager", "created_by"):
            try:
                model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - FieldDoesNotExist: try the next convention
                continue
            return list(model._base_manager.filter(**{name: user}).values_list("pk", flat=True))
    return list(
        ActivityDay.objects.filter(user_id=user.pk, joins__gt=0, community_id__isnull=False)
        .values_list("community_id", flat=True)
        .distinct()
    )
