"""Ruche's URLs plus the benchmark's trivial view (bench/load/load_settings.py).

`/bench/trivial` answers "ok" through the whole middleware stack (session, authentication,
CSRF, locale, security headers, the login requirement): what any page costs before its own
view runs. The daily pages' throughput is given as a ratio to it.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ruche.urls import urlpatterns as ruche_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/trivial", trivial), *ruche_urlpatterns]
