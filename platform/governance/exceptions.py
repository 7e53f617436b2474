"""The charter gate's refusal, which every writer may raise and every view answers the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from core.http import wants_json
from core.refusals import Forbidden
from governance.gate import redirect_to_charter

if TYPE_CHECKING:
    from governance.models import Charter


class CharterNotAccepted(Forbidden):
    """The person must accept the current charter before writing a post, comment, reply or
    thread. Carries the charter version to accept, so that the view can say which one.

    Its answer is its own (`response`): `core.refusals.answer_refusal` and `form_refusal`
    send the person to the charter, keeping what they typed (`governance.gate`), and the
    charter page brings them back to it; scripts get a JSON 403.
    """

    def __init__(self, charter: Charter, *, return_url: str | None = None) -> None:
        self.charter = charter
        self.version = charter.version
        self.return_url = return_url
        super().__init__(_("Accept the usage charter before you write."))

    def response(self, request: HttpRequest) -> HttpResponse:
        if wants_json(request):
            return JsonResponse({"ok": False, "errors": [str(self.message)]}, status=403)
        return redirect_to_charter(
            request,
            return_url=self.return_url or request.get_full_path(),
            form_data=request.POST,
        )
