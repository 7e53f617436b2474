"""Rollups of the participation events (activity app), daily snapshots of the metrics and the
stage, and the maturity criteria. Metrics only read the event log: they never write events."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from metrics.definitions import OBJECTIVE_METRICS, PERCENT, objective_metric_label

# --- Rollups ----------------------------------------------------------------------------------
# Each rollup row belongs to one calendar day and is a pure function of that day's events:
# rolling a day up deletes the day's rows and inserts them again in one transaction, so a
# repeated or interrupted job never double-counts (metrics.rollups).


class ActivityDay(models.Model):
    """What one person did on one day, per department (theirs at the time) and community.

    The grain (day, person, department, community) serves the person, department and
    community rollups at once: a department's day is the sum of its people's rows, a
    community's day the rows with its id. Community is null for activity outside communities.
    """

    day = models.DateField()
    user_id = models.BigIntegerField()
    department_id = models.BigIntegerField(null=True)
    community_id = models.BigIntegerField(null=True)
    views = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    follows = models.PositiveIntegerField(default=0)
    joins = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    # Posts the author wrote themself, not prepared by a delegate (leader voice).
    self_posts = models.PositiveIntegerField(default=0)
    threads = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    # Comments and replies addressed to someone else's content (leader engagement).
    answers_to_others = models.PositiveIntegerField(default=0)
    charter_acceptances = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activity")
        indexes = [
            models.Index(fields=["day", "user_id"], name="activity_day_user"),
            # One person's days (executives' posts, a leader's page).
            models.Index(fields=["user_id", "day"], name="activity_user_day"),
            models.Index(fields=["community_id", "day"], name="activity_community_day"),
            models.Index(
                fields=["user_id"],
                condition=models.Q(charter_acceptances__gt=0),
                name="activity_charter",
            ),
            models.Index(
                fields=["community_id", "department_id"],
                condition=models.Q(joins__gt=0),
                name="activity_joins",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.user_id} {self.community_id or '-'}"


class InteractionDay(models.Model):
    """Comments and replies of one day from one department to another (the silo matrix),
    per author: a person who leaves the population takes their interactions with them."""

    day = models.DateField()
    user_id = models.BigIntegerField(null=True)
    department_id = models.BigIntegerField(null=True)
    target_department_id = models.BigIntegerField(null=True)
    interactions = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="interaction_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id}->{self.target_department_id}"


class MembershipDay(models.Model):
    """Whether a person was a member of a community at the end of a day on which their
    membership changed (joined, left, removed): members on any day are read from the latest
    row on or before it."""

    day = models.DateField()
    community_id = models.BigIntegerField()
    user_id = models.BigIntegerField()
    member = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="membership_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.user_id} {'in' if self.member else 'out'} {self.community_id}"


class LeaderViewDay(models.Model):
    """Who viewed an executive's post on one day: one row per executive, viewer and day."""

    day = models.DateField()
    executive_id = models.BigIntegerField()
    viewer_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["executive_id", "day"], name="leaderview_exec_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.viewer_id}->{self.executive_id}"


class Turn(models.TextChoices):
    THREAD_STARTED = "thread_started", _("thread started")
    FIRST_REPLY = "first_reply", _("first reply of the day")
    LEADER_COMMENTED = "leader_commented", _("comment on an executive's content")
    LEADER_ANSWERED = "leader_answered", _("executive's reply")


class ConversationTurn(models.Model):
    """The moments responsiveness is measured from, kept per day.

    Threads: when each thread started, and the first reply of each day to each object by
    someone other than its author (the earliest over the days is the first reply). Leaders:
    each comment on an executive's content and each reply by an executive, so the time an
    executive takes to answer can be matched on (object, person answered).

    `object_type`/`object_id` name the conversation the events recorded ("thread" or "post"
    and its id: `ParticipationEvent.conversation_type`/`conversation_id`).
    """

    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Turn)
    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField(null=True)
    user_id = models.BigIntegerField()
    other_user_id = models.BigIntegerField(null=True)
    department_id = models.BigIntegerField(null=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "day"], name="turn_kind_day"),
            models.Index(fields=["object_type", "object_id"], name="turn_object"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.object_type}:{self.object_id}"


class RolledDay(models.Model):
    """A day whose rollups are up to date, with how many events they were computed from."""

    day = models.DateField(primary_key=True)
    events = models.PositiveIntegerField(default=0)
    rolled_at = models.DateTimeField()
    # Set when the day is rolled, cleared when its snapshot is written: a run that died
    # between the two finds the snapshots still to do (from the earliest pending day on).
    snapshot_pending = models.BooleanField(default=True)
    # Rolled after the day was over (metrics.rollups.is_over): otherwise rolled again.
    complete = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.day.isoformat()


# --- Daily snapshots of the metrics and the stage ---------------------------------------------


class Stage(models.IntegerChoices):
    DORMANT = 0, _("Dormant")
    TESTING = 1, _("Testing")
    COORDINATING = 2, _("Coordinating")
    SCALING = 3, _("Scaling")
    EMPOWERED = 4, _("Empowered")


class ScopeDay(models.Model):
    """The metrics of one day for the organisation (department_id null) or one department,
    computed from the rollups of the window ending that day (metrics.snapshots). The stage
    history and the trends are read from here, so dashboards never scan events."""

    day = models.DateField()
    department_id = models.BigIntegerField(null=True)
    population = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    engaged = models.PositiveIntegerField(default=0)
    contributors = models.PositiveIntegerField(default=0)
    consumers = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)
    engaged_today = models.PositiveIntegerField(default=0)
    contributions = models.PositiveIntegerField(default=0)
    top1_share = models.FloatField(null=True)
    next9_share = models.FloatField(null=True)
    gini = models.FloatField(null=True)
    executives = models.PositiveIntegerField(default=0)
    executives_posted = models.PositiveIntegerField(default=0)
    executives_posted_and_replied = models.PositiveIntegerField(default=0)
    executives_replied = models.PositiveIntegerField(default=0)
    interactions = models.PositiveIntegerField(default=0)
    cross_department_interactions = models.PositiveIntegerField(default=0)
    threads = models.PositiveIntegerField(default=0)
    threads_answered_24h = models.PositiveIntegerField(default=0)
    median_first_reply_seconds = models.FloatField(null=True)
    departments = models.PositiveIntegerField(default=0)
    departments_with_contributor = models.PositiveIntegerField(default=0)
    departments_active = models.PositiveIntegerField(default=0)
    charter_published = models.BooleanField(default=False)
    charter_accepted = models.PositiveIntegerField(default=0)
    active_spaces = models.PositiveIntegerField(default=0)
    cross_department_communities = models.PositiveIntegerField(default=0)
    stage = models.PositiveSmallIntegerField(choices=Stage, default=Stage.DORMANT)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=models.Q(department_id__isnull=True),
                name="one_organisation_row_per_day",
            ),
            models.UniqueConstraint(
                fields=["day", "department_id"],
                condition=models.Q(department_id__isnull=False),
                name="one_department_row_per_day",
            ),
        ]
        indexes = [models.Index(fields=["department_id", "day"], name="scope_department_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id or 'organisation'}"


class CommunitySnapshot(models.Model):
    """A community's figures on a day (kept for month ends and the latest day)."""

    day = models.DateField()
    community_id = models.BigIntegerField()
    members = models.PositiveIntegerField(default=0)
    departments = models.PositiveIntegerField(default=0)
    engaged = models.PositiveIntegerField(default=0)
    active_month = models.PositiveIntegerField(default=0)
    active_year = models.PositiveIntegerField(default=0)
    contributions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "community_id"], name="one_community_row")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.community_id}"


class CohortSnapshot(models.Model):
    """Onboarding cohorts as seen on a day: people who joined in a month, and how many of
    them were engaged within 12 months of joining."""

    day = models.DateField()
    month = models.DateField()
    department_id = models.BigIntegerField(null=True)
    joined = models.PositiveIntegerField(default=0)
    engaged_within_year = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="cohort_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.month}"


# --- Maturity criteria ------------------------------------------------------------------------


class MaturityCriteria(models.Model):
    """The thresholds of the maturity stages (DESIGN.md, defaults from the criteria table).

    One current row; administrators change it through `metrics.services.criteria_update`,
    which validates the whole set first so that a refused edit leaves the previous criteria
    in force.
    """

    testing_adoption = models.FloatField(_("Testing: adoption rate (%)"), default=5)
    testing_active_spaces = models.PositiveIntegerField(
        _("Testing: active blogs or communities"), default=1
    )
    coordinating_adoption = models.FloatField(_("Coordinating: adoption rate (%)"), default=20)
    coordinating_charter = models.FloatField(
        _("Coordinating: charter accepted by (% of employees)"), default=50
    )
    coordinating_departments = models.PositiveIntegerField(
        _("Coordinating: departments with a contributor"), default=3
    )
    coordinating_cross_communities = models.PositiveIntegerField(
        _("Coordinating: cross-department communities"), default=1
    )
    scaling_adoption = models.FloatField(_("Scaling: adoption rate (%)"), default=40)
    scaling_departments = models.FloatField(
        _("Scaling: departments with a contributor (%)"), default=75
    )
    scaling_executives_posted = models.FloatField(
        _("Scaling: executives who posted (%)"), default=50
    )
    scaling_cross_department = models.FloatField(
        _("Scaling: cross-department interaction (%)"), default=20
    )
    empowered_adoption = models.FloatField(_("Empowered: adoption rate (%)"), default=80)
    empowered_contributors = models.FloatField(
        _("Empowered: contributors (% of employees)"), default=30
    )
    empowered_departments_active = models.FloatField(
        _("Empowered: departments active (%)"), default=100
    )
    empowered_executives = models.FloatField(
        _("Empowered: executives who posted and replied (%)"), default=75
    )
    empowered_answered = models.FloatField(
        _("Empowered: threads answered within 24 h (%)"), default=70
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("maturity criteria")
        verbose_name_plural = _("maturity criteria")

    def __str__(self) -> str:
        return str(_("maturity criteria"))


class KpiEmail(models.Model):
    """That a department head got the weekly KPI e-mail of one week: a repeated beat or a
    retried task sends it once."""

    department_id = models.BigIntegerField()
    head_id = models.BigIntegerField()
    week = models.DateField()  # the Monday of the week
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department_id", "head_id", "week"], name="one_kpi_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.week}"


# --- Department objectives --------------------------------------------------------------------


class DepartmentObjective(models.Model):
    """One objective a department head set for their department (Forrester, seed 001): one
    metric of `metrics.definitions.OBJECTIVE_METRICS`, a target in that metric's unit, a date,
    and the People / Objectives / Strategy lines of the POST method.

    Written only by `metrics.services.objective_set`. A department has at most one current
    objective (`superseded_at` null); setting a new one stamps the previous one, which stays as
    history: objectives are never edited nor deleted.
    """

    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        related_name="objectives",
        verbose_name=_("department"),
    )
    set_by = models.ForeignKey(
        "people.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    metric = models.CharField(_("metric"), max_length=32)
    target = models.FloatField(_("target"))
    target_date = models.DateField(_("target date"))
    people = models.TextField(_("people"))
    objectives = models.TextField(_("objectives"))
    strategy = models.TextField(_("strategy"))
    created_at = models.DateTimeField(_("set on"))
    superseded_at = models.DateTimeField(_("replaced on"), null=True, blank=True)

    class Meta:
        verbose_name = _("department objective")
        verbose_name_plural = _("department objectives")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_objective_per_department",
            )
        ]
        indexes = [models.Index(fields=["department", "-created_at"], name="objective_history")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.metric} {self.target}"

    @property
    def metric_label(self) -> str | Promise:
        return objective_metric_label(self.metric)

    @property
    def is_percent(self) -> bool:
        return OBJECTIVE_METRICS.get(self.metric) == PERCENT

    @property
    def value_format(self) -> str:
        """How its target, actual and projection are printed (`metrics.formatting`)."""
        return "pct" if self.is_percent else "int"
