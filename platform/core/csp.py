"""The Content-Security-Policy of every response (django-csp 4; the policy is in settings,
"Content-Security-Policy" block).

One policy for Ruche's pages, strict: scripts only from Ruche's static files. Wagtail's admin
(`CSP_RELAXED_PREFIXES`) is Wagtail's own markup, which still writes inline scripts and styles:
on those paths only, `CSP_RELAXED_DIRECTIVES` replace the strict ones.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


def relaxed_path(path: str) -> bool:
    return path.startswith(tuple(settings.CSP_RELAXED_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and relaxed_path(request.path_info):
            parts.replace = {**settings.CSP_RELAXED_DIRECTIVES, **(parts.replace or {})}
        return parts
