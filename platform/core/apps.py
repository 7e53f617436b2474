from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        _translate_wagtail_chooser_labels_per_request()


def _translate_wagtail_chooser_labels_per_request() -> None:
    """Wagtail 8.0's `ChooserViewSet` translates its labels once, when the module is imported
    (`gettext`, not `gettext_lazy`): in whatever language was active then, French by default
    (LANGUAGE_CODE). An English employee's image chooser then showed a French "Chercher" tab.
    Lazy labels are translated when each modal is drawn, in that person's language. Set before
    the URL configuration builds the chooser views, which copy these labels."""
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    ChooserViewSet.search_tab_label = _("Search")
    ChooserViewSet.choose_one_text = _("Choose")
    ChooserViewSet.choose_another_text = _("Choose another")
    ChooserViewSet.edit_item_text = _("Edit")
