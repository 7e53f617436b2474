"""ROI worksheet pages: parse, check through `roi.permissions`, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.exports import csv_response
from core.refusals import REFUSALS, form_refusal
from metrics.reports import latest_day
from roi import selectors
from roi.forms import PeriodForm, WorksheetForms
from roi.history import history_rows
from roi.permissions import access_worksheet
from roi.services import worksheet_version_save
from roi.worksheet import Sheet, build_sheet, csv_rows


def _sheet(request: HttpRequest) -> tuple[PeriodForm, Sheet | None]:
    """The period form, and the current worksheet for its periods when it is valid and a
    version exists."""
    access_worksheet(request.user)
    form = PeriodForm.for_request(request.GET, latest_day())
    version = selectors.version_current()
    if not form.is_valid() or version is None:
        return form, None
    return form, build_sheet(version, form.spans())


def worksheet(request: HttpRequest) -> HttpResponse:
    form, sheet = _sheet(request)
    return render(request, "roi/worksheet.html", {"form": form, "sheet": sheet})


def printable(request: HttpRequest) -> HttpResponse:
    form, sheet = _sheet(request)
    return render(request, "roi/print.html", {"form": form, "sheet": sheet})


def export_csv(request: HttpRequest) -> HttpResponse:
    _form, sheet = _sheet(request)
    if sheet is None:
        raise Http404
    header, rows = csv_rows(sheet)
    return csv_response(filename="ruche-roi-worksheet.csv", header=header, rows=rows)


def edit(request: HttpRequest) -> HttpResponse:
    access_worksheet(request.user)
    current = selectors.version_current()
    forms = WorksheetForms(request.POST or None, current)
    if request.method == "POST":
        try:
            if forms.is_valid():
                data = forms.assumptions.cleaned_data
                version = worksheet_version_save(
                    actor=request.user,  # type: ignore[arg-type]
                    assumptions=data,
                    lines=forms.lines(),
                    note=data.get("note", ""),
                )
                messages.success(
                    request, _("Version %(n)d of the worksheet was saved.") % {"n": version.number}
                )
                return redirect("roi:worksheet")
        except REFUSALS as error:
            if (own := form_refusal(request, forms.assumptions, error)) is not None:
                return own
        messages.error(request, _("The worksheet was not saved: the current version stays."))
    return render(request, "roi/edit.html", {"forms": forms, "current": current})


def history(request: HttpRequest) -> HttpResponse:
    access_worksheet(request.user)
    return render(request, "roi/history.html", {"rows": history_rows(selectors.version_history())})
