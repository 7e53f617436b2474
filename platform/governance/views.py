"""Governance pages. Views parse, check (governance.permissions), call a service, render."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import calendar, moderation, rights, selectors, services
from governance.forms import (
    AuditSearchForm,
    CalendarFilterForm,
    CharterAcceptForm,
    CharterForm,
    CommunityRoleForm,
    DecisionForm,
    QuestionnaireForm,
    ReportForm,
    RightsFilterForm,
    RoleChangeForm,
)
from governance.gate import has_pending_form, safe_return_url
from governance.models import CalendarToken, ContentKind, MaturityStage, ReportStatus
from governance.permissions import (
    access_charter_for_edit,
    access_questionnaire_response,
    access_report,
    can_answer_questionnaire,
    can_change_rights,
    can_manage_charter,
    can_view_audit_log,
    can_view_calendar,
    can_view_moderation_queue,
    can_view_questionnaire_summary,
    can_view_rights_map,
)
from governance.questionnaire import QUESTIONS
from people.models import User

# --- Charter ----------------------------------------------------------------------------------


def charter(request: HttpRequest) -> HttpResponse:
    """The current charter; accept it here. `next` is where the gate brings the person back."""
    current = selectors.current_charter()
    next_url = safe_return_url(request, request.POST.get("next") or request.GET.get("next"))
    accepted = current is not None and selectors.charter_accepted(request.user, charter=current)
    form = CharterAcceptForm(
        request.POST or None, initial={"version": current.version if current else None}
    )
    if request.method == "POST" and current is not None and form.is_valid():
        if form.cleaned_data["version"] != current.version:
            messages.error(request, _("A new version was published meanwhile: please read it."))
            # A fresh form, so that accepting now accepts the version shown.
            form = CharterAcceptForm(initial={"version": current.version})
        else:
            try:
                services.charter_accept(user=request.user, charter=current)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Thank you: you accepted the charter."))
                return redirect(next_url)
    return render(
        request,
        "governance/charter.html",
        {
            "charter": current,
            "accepted": accepted,
            "form": form,
            "next": next_url,
            "gated": request.GET.get("gate") == "1" or request.POST.get("gate") == "1",
            "kept_text": has_pending_form(request, next_url),
            "can_manage": can_manage_charter(request.user),
        },
    )


def charter_versions(request: HttpRequest) -> HttpResponse:
    if not can_manage_charter(request.user):
        raise Http404
    return render(
        request,
        "governance/charter_versions.html",
        {"versions": selectors.charter_versions(), "current": selectors.current_charter()},
    )


def charter_edit(request: HttpRequest, charter_id: int | None = None) -> HttpResponse:
    """Write a new version (prefilled with the current text) or change a draft."""
    if charter_id is None:
        if not can_manage_charter(request.user):
            raise Http404
        instance = None
        latest = selectors.charter_versions().first()
        initial = {f: getattr(latest, f) for f in services.CHARTER_FIELDS} if latest else {}
    else:
        instance = access_charter_for_edit(request.user, charter_id)
        if instance.is_published:
            messages.info(request, _("A published version cannot be changed: write a new one."))
            return redirect("governance:charter_versions")
        initial = {}
    form = CharterForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.CHARTER_FIELDS}
        try:
            saved = services.charter_draft_save(actor=request.user, data=data, charter=instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Draft version %(version)s saved.") % {"version": saved.version}
            )
            return redirect("governance:charter_versions")
    return render(request, "governance/charter_edit.html", {"form": form, "charter": instance})


@require_POST
def charter_publish(request: HttpRequest, charter_id: int) -> HttpResponse:
    draft = access_charter_for_edit(request.user, charter_id)
    try:
        services.charter_publish(actor=request.user, charter=draft)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(version)s is published: everyone will be asked to accept it.")
            % {"version": draft.version},
        )
    return redirect("governance:charter_versions")


# --- Moderation -------------------------------------------------------------------------------


def report_content(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Report a post, thread, comment or reply. 404 when it does not exist for this person."""
    obj = moderation.content_load(kind, object_id)
    if obj is None or not moderation.content_visible_to(request.user, kind, obj):
        raise Http404
    info = moderation.content_info(kind, obj)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _report, created = services.report_create(
                reporter=request.user,
                kind=kind,
                object_id=object_id,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except services.ContentNotFound:
            raise Http404 from None
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if created:
                messages.success(request, _("Thank you: a moderator will look at it."))
            else:
                messages.info(request, _("You already reported this; a moderator will look at it."))
            return redirect(safe_return_url(request, info.url))
    return render(
        request,
        "governance/report_form.html",
        {"form": form, "info": info, "kind_label": ContentKind(kind).label},
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not can_view_moderation_queue(request.user):
        raise Http404
    status = request.GET.get("status", ReportStatus.OPEN)
    if status not in ReportStatus.values:
        status = ReportStatus.OPEN
    page = Paginator(selectors.moderation_queue(request.user, status=status), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "governance/moderation_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "communities": selectors.community_names(
                {r.community_id for r in page if r.community_id}
            ),
            "form": DecisionForm(),
            "query_string": f"status={status}",
        },
    )


@require_POST
def moderation_decide(request: HttpRequest, report_id: int, decision: str) -> HttpResponse:
    """Hide, dismiss or restore, from the queue. A refused decision keeps the note typed."""
    report = access_report(request.user, report_id)
    actions = {
        "hide": (services.report_hide, _("The content is hidden and its author was told why.")),
        "dismiss": (services.report_dismiss, _("Report dismissed: the content stays.")),
        "restore": (services.report_restore, _("The content is visible again.")),
    }
    if decision not in actions:
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        service, done = actions[decision]
        try:
            service(moderator=request.user, report=report, note=form.cleaned_data["note"])
        except services.ContentNotFound:
            messages.error(request, _("This content no longer exists."))
        except PermissionDenied:
            messages.error(request, _("You may not moderate this content."))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("governance:moderation_queue")
    return render(
        request,
        "governance/moderation_decide.html",
        {"report": report, "form": form, "decision": decision},
    )


def my_moderation(request: HttpRequest) -> HttpResponse:
    """What moderation did to my content, and why."""
    return render(
        request,
        "governance/my_moderation.html",
        {"decisions": selectors.moderation_of_my_content(request.user)},
    )


# --- Audit log --------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


def _audit_filtered(request: HttpRequest) -> tuple[AuditSearchForm, QuerySet]:
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = selectors.audit_entries(
            query=data["q"], action=data["action"], since=data["since"], until=data["until"]
        )
    else:
        entries = selectors.audit_entries()
    return form, entries


def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise Http404
    form, entries = _audit_filtered(request)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/audit_log.html",
        {
            "form": form,
            "page": page,
            "actions": selectors.audit_actions(),
            "query_string": query.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_log_csv(request: HttpRequest) -> HttpResponse:
    """The filtered audit log as CSV, streamed (the log grows without bound)."""
    if not can_view_audit_log(request.user):
        raise Http404
    form, entries = _audit_filtered(request)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(" ".join(str(e) for e in form.errors.values()))
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(
            ["when", "who", "who_id", "action", "target_type", "target_id", "target",
             "before", "after"]
        )  # fmt: skip
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    entry.created_at.isoformat(),
                    _csv_safe(entry.actor_label),
                    entry.actor_id or "",
                    entry.action,
                    entry.target_type,
                    entry.target_id,
                    _csv_safe(entry.target_label),
                    json.dumps(entry.before, ensure_ascii=False) if entry.before else "",
                    json.dumps(entry.after, ensure_ascii=False) if entry.after else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ruche-audit-{stamp}.csv"'
    return response


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Publishing rights --------------------------------------------------------------------------

RIGHTS_PAGE_SIZE = 30


def rights_map(request: HttpRequest) -> HttpResponse:
    """Who may publish where, generated from the live rules; filter by person, department,
    place."""
    if not can_view_rights_map(request.user):
        raise Http404
    communities = list(rights.communities_all())
    for community in communities:
        # Resolved once per community, not once per row of the map.
        community.members_url = reverse("communities:members", kwargs={"slug": community.slug})
    form = RightsFilterForm(request.GET or None, places=rights.place_choices(communities))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    department = data.get("department")
    people = rights.people_for_map(
        query=data.get("q", ""), department_id=department.pk if department else None
    )
    place = data.get("place", "")
    if place:
        # The place filter asks the rules of everyone matching the other filters (only about
        # the communities that place needs), then the page shows the full rights of its rows.
        asked = rights.communities_for_place(place, communities)
        computed = rights.people_rights(list(people), asked, asks=rights.asks_for_place(place))
        listed = [r.person for r in computed if rights.has_right_at(r, place)]
        page = Paginator(listed, RIGHTS_PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(people, RIGHTS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = rights.people_rights(list(page.object_list), communities)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/rights_map.html",
        {
            "form": form,
            "page": page,
            "communities": communities,
            "query_string": query.urlencode(),
            "return_to": request.get_full_path(),
            "role_url": reverse("governance:rights_role"),
        },
    )


@require_POST
def rights_role(request: HttpRequest) -> HttpResponse:
    """Grant or withdraw an executive / community-manager role, from the map."""
    if not can_change_rights(request.user):
        raise Http404
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This change is not valid."))
        return _back_to_map(request)
    person = get_object_or_404(User, pk=form.cleaned_data["person"], is_active=True)
    try:
        services.role_set(
            actor=request.user,
            person=person,
            role=form.cleaned_data["role"],
            granted=form.cleaned_data["granted"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rights of %(name)s changed.") % {"name": person.name})
    return _back_to_map(request)


@require_POST
def rights_community_role(request: HttpRequest, user_id: int) -> HttpResponse:
    """Make someone manager of a community (official announcements, moderation) or member."""
    if not can_change_rights(request.user):
        raise Http404
    person = get_object_or_404(User, pk=user_id, is_active=True)
    form = CommunityRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This change is not valid."))
    else:
        _community_role_change(
            request, person, form.cleaned_data["community"], form.cleaned_data["role"]
        )
    return _back_to_map(request)


def _back_to_map(request: HttpRequest) -> HttpResponse:
    """Back to the map as it was filtered."""
    next_url = request.POST.get("next")
    if next_url:
        return redirect(safe_return_url(request, next_url))
    return redirect("governance:rights_map")


# --- Editorial calendar ---------------------------------------------------------------------------


def _calendar_filters(request: HttpRequest) -> tuple[CalendarFilterForm, str, int | None]:
    from communities.models import Community
    from communities.selectors import visible_communities_q

    communities = Community.objects.filter(visible_communities_q(request.user)).distinct()
    places = [
        (calendar.PLACE_BLOGS, _("Blogs")),
        (calendar.PLACE_LEADERSHIP, _("Leadership space")),
        *[(f"community:{c.pk}", c.name) for c in communities.order_by("name")],
    ]
    form = CalendarFilterForm(request.GET or None, places=places)
    if form.is_bound and form.is_valid():
        author = form.cleaned_data["author"]
        return form, form.cleaned_data["place"], author.pk if author else None
    return form, "", None


def _parse_month(value: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def calendar_month(request: HttpRequest) -> HttpResponse:
    if not can_view_calendar(request.user):
        raise Http404
    first = _parse_month(request.GET.get("month"))
    weeks = calendar.month_grid(first.year, first.month)
    form, place, author_id = _calendar_filters(request)
    entries = calendar.calendar_entries(
        request.user,
        start=weeks[0][0],
        end=weeks[-1][-1] + timedelta(days=1),
        place=place,
        author_id=author_id,
    )
    by_day: dict[date, list] = {}
    for entry in entries:
        by_day.setdefault(entry.local_date, []).append(entry)
    return render(
        request,
        "governance/calendar_month.html",
        {
            "form": form,
            "first": first,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "previous": (first - timedelta(days=1)).strftime("%Y-%m"),
            "next": (first + timedelta(days=32)).strftime("%Y-%m"),
            "filters": _filters_query(request, drop=("month", "week")),
            "today": timezone.localdate(),
        },
    )


def calendar_week(request: HttpRequest) -> HttpResponse:
    if not can_view_calendar(request.user):
        raise Http404
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    form, place, author_id = _calendar_filters(request)
    entries = calendar.calendar_entries(
        request.user,
        start=monday,
        end=monday + timedelta(days=7),
        place=place,
        author_id=author_id,
    )
    days = [(d, [e for e in entries if e.local_date == d]) for d in calendar.week_days(monday)]
    return render(
        request,
        "governance/calendar_week.html",
        {
            "form": form,
            "monday": monday,
            "days": days,
            "previous": (monday - timedelta(days=7)).isoformat(),
            "next": (monday + timedelta(days=7)).isoformat(),
            "filters": _filters_query(request, drop=("month", "week")),
            "today": timezone.localdate(),
        },
    )


def _filters_query(request: HttpRequest, *, drop: tuple[str, ...]) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def calendar_subscribe(request: HttpRequest) -> HttpResponse:
    """The person's private .ics address, and a button to revoke it."""
    if request.method == "POST":
        services.calendar_token_regenerate(user=request.user)
        messages.success(request, _("New address created: the old one no longer works."))
        return redirect("governance:calendar_subscribe")
    token = services.calendar_token_for(user=request.user)
    feed_url = request.build_absolute_uri(
        reverse("governance:calendar_feed", kwargs={"token": token.token})
    )
    return render(request, "governance/calendar_subscribe.html", {"feed_url": feed_url})


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed. No session: calendar applications send only the URL, so the secret
    token in it authenticates, and the feed holds only what its owner may see."""
    owner = CalendarToken.owner_of(token)
    if owner is None or not can_view_calendar(owner):
        raise Http404
    body = calendar.ics_feed(owner, site_url=settings.SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ruche.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- Executives' questionnaire ------------------------------------------------------------------


def questionnaire_fill(request: HttpRequest) -> HttpResponse:
    """Fill in the questionnaire; starts from your previous answers, keeps a new dated copy."""
    if not can_answer_questionnaire(request.user):
        raise Http404
    previous = selectors.questionnaire_latest_of(request.user)
    initial = {}
    if previous is not None:
        initial = {f"q{key}": text for key, text in previous.answers.items()}
        initial["believed_stage"] = previous.believed_stage
    form = QuestionnaireForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_submit(
                respondent=request.user,
                believed_stage=form.cleaned_data["believed_stage"],
                answers=form.answers(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answers are kept with today's date."))
            return redirect("governance:questionnaire_summary")
    return render(
        request, "governance/questionnaire_form.html", {"form": form, "previous": previous}
    )


def questionnaire_summary(request: HttpRequest) -> HttpResponse:
    """What leaders believe, next to what the platform measures, and the history."""
    if not can_view_questionnaire_summary(request.user):
        raise Http404
    latest = selectors.questionnaire_latest_per_respondent()
    counts = dict.fromkeys(MaturityStage.values, 0)
    for response in latest:
        counts[response.believed_stage] += 1
    measured = selectors.measured_stage()
    beliefs = [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "measured": measured is not None and measured.stage == value,
        }
        for value, label in MaturityStage.choices
    ]
    answers_by_question = [
        {
            "question": question,
            "answers": [
                (response.respondent, response.answers[question.key])
                for response in latest
                if question.key in response.answers
            ],
        }
        for question in QUESTIONS
    ]
    history = Paginator(selectors.questionnaire_history(), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/questionnaire_summary.html",
        {
            "latest": latest,
            "beliefs": beliefs,
            "measured": measured,
            "answers_by_question": answers_by_question,
            "page": history,
            "can_answer": can_answer_questionnaire(request.user),
        },
    )


def questionnaire_response(request: HttpRequest, response_id: int) -> HttpResponse:
    response = access_questionnaire_response(request.user, response_id)
    return render(
        request,
        "governance/questionnaire_response.html",
        {
            "response": response,
            "answers": [(q, response.answers.get(q.key, "")) for q in QUESTIONS],
        },
    )


def index(request: HttpRequest) -> HttpResponse:
    """The governance sections this person may open."""
    return render(request, "governance/index.html", {"charter": selectors.current_charter()})


@require_POST
def rights_grant_manager(request: HttpRequest) -> HttpResponse:
    """The map's "grant announcements and moderation" form: a username and a community."""
    if not can_change_rights(request.user):
        raise Http404
    username = (request.POST.get("username") or "").strip().lstrip("@")
    person = User.objects.filter(username=username, is_active=True).first()
    form = CommunityRoleForm({"community": request.POST.get("community"), "role": "manager"})
    if person is None or not form.is_valid():
        messages.error(
            request,
            _("No employee has this username.") if person is None
            else _("This change is not valid."),
        )  # fmt: skip
        # Back to the map with what was typed, so that it can be corrected, not retyped.
        back = _back_to_map(request)
        separator = "&" if "?" in back.url else "?"
        back["Location"] = (
            back.url
            + separator
            + urlencode(
                {"grant_username": username, "grant_community": request.POST.get("community", "")}
            )
        )
        return back
    _community_role_change(request, person, form.cleaned_data["community"], "manager")
    return _back_to_map(request)


def _community_role_change(request: HttpRequest, person: User, community_id: int, role: str):
    try:
        services.community_role_set(
            actor=request.user, person=person, community_id=community_id, role=role
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("You may not change this right."))
    else:
        messages.success(request, _("Rights of %(name)s changed.") % {"name": person.name})
