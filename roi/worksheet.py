"""The worksheet as read: Dawson's three tables for a period (and the period it is compared
with), from one version of the assumptions and the figures measured over each period.

Every line says where its numbers come from: "measured" (read from the metrics),
"assumption" (typed by a person) or "measured × assumption" (a measured figure turned into
money by assumptions), and shows its formula with the numbers put in. Amounts of a line given
per month or per year are prorated to the period's days; a one-off amount counts in full in
every period shown (it is not spread: the worksheet states it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import Duration
from roi.figures import INDICATORS, Indicator, Measured, Span, measure
from roi.models import LineKind, Period, WorksheetLine, WorksheetVersion

CENT = Decimal("0.01")
DAYS_PER_YEAR = Decimal(365)

MEASURED = "measured"
ASSUMPTION = "assumption"
CONVERTED = "converted"  # a measured figure × assumptions

SOURCE_LABELS: dict[str, Promise] = {
    MEASURED: gettext_lazy("measured"),
    ASSUMPTION: gettext_lazy("assumption"),
    CONVERTED: gettext_lazy("measured × assumption"),
}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _num(value: Decimal | int, places: int = 2) -> str:
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@dataclass
class Line:
    label: str
    source: str
    formulas: list[str]
    amounts: list[Decimal]

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[float | int | None]


@dataclass
class Sheet:
    version: WorksheetVersion
    spans: list[Span]
    measured: list[Measured]
    indicators: list[IndicatorRow] = field(default_factory=list)
    costs: list[Line] = field(default_factory=list)
    benefits: list[Line] = field(default_factory=list)
    intangibles: list[str] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.version.currency

    def _total(self, lines: list[Line]) -> list[Decimal]:
        return [
            sum((line.amounts[i] for line in lines), Decimal(0)) for i in range(len(self.spans))
        ]

    @property
    def cost_totals(self) -> list[Decimal]:
        return self._total(self.costs)

    @property
    def benefit_totals(self) -> list[Decimal]:
        return self._total(self.benefits)

    @property
    def nets(self) -> list[Decimal]:
        return [b - c for b, c in zip(self.benefit_totals, self.cost_totals, strict=True)]

    @property
    def returns(self) -> list[Decimal | None]:
        """Net ÷ costs, in percent (None without costs)."""
        return [
            money(100 * net / cost) if cost else None
            for net, cost in zip(self.nets, self.cost_totals, strict=True)
        ]

    @property
    def tables(self) -> list[tuple[str, str, list[Line], list[Decimal]]]:
        """The two priced tables of Dawson's three, as the page and the print show them."""
        return [
            (_("Costs"), "roi-costs", self.costs, self.cost_totals),
            (_("Tangible benefits"), "roi-benefits", self.benefits, self.benefit_totals),
        ]

    @property
    def columns(self) -> list[tuple[Span, Measured]]:
        return list(zip(self.spans, self.measured, strict=True))


def _prorated(
    label: str, amount: Decimal, period: str, spans: list[Span], currency: str
) -> tuple[list[str], list[Decimal]]:
    formulas, amounts = [], []
    for span in spans:
        if period == Period.YEAR:
            value = amount * span.days / DAYS_PER_YEAR
            formula = _("%(amount)s %(currency)s per year × %(days)d ÷ 365 days")
        elif period == Period.MONTH:
            value = amount * 12 * span.days / DAYS_PER_YEAR
            formula = _("%(amount)s %(currency)s per month × 12 × %(days)d ÷ 365 days")
        else:
            value = amount
            formula = _("%(amount)s %(currency)s one-off, counted in full")
        formulas.append(formula % {"amount": _num(amount), "currency": currency, "days": span.days})
        amounts.append(money(value))
    return formulas, amounts


def _converted(
    label: str,
    counts: list[int],
    per_unit: Decimal,
    unit: str,
    hourly: Decimal,
    currency: str,
) -> Line:
    """A measured count × time saved per unit (minutes or hours) × hourly cost."""
    hours_each = per_unit / 60 if unit == "min" else per_unit
    if unit == "min":
        template = _("%(count)s × %(per)s min ÷ 60 × %(hourly)s %(currency)s/h")
    else:
        template = _("%(count)s × %(per)s h × %(hourly)s %(currency)s/h")
    formulas = [
        template
        % {
            "count": _num(n, 0),
            "per": _num(per_unit),
            "hourly": _num(hourly),
            "currency": currency,
        }
        for n in counts
    ]
    return Line(label, CONVERTED, formulas, [money(n * hours_each * hourly) for n in counts])


def _free_lines(
    lines: list[WorksheetLine], kind: str, spans: list[Span], currency: str
) -> list[Line]:
    out = []
    for line in lines:
        if line.kind != kind or line.amount is None:
            continue
        formulas, amounts = _prorated(line.label, line.amount, line.period, spans, currency)
        out.append(Line(line.label, ASSUMPTION, formulas, amounts))
    return out


def build_sheet(version: WorksheetVersion, spans: list[Span]) -> Sheet:
    """The three tables of `version` for each of `spans` (the first is the period shown)."""
    measured = measure(spans)
    sheet = Sheet(version, spans, measured)
    currency, hourly = version.currency, version.hourly_cost
    sheet.indicators = [
        IndicatorRow(indicator, [getattr(m, indicator.key) for m in measured])
        for indicator in INDICATORS
    ]
    lines = list(version.lines.all())
    for label, amount in (
        (_("Licences"), version.licence_cost_per_year),
        (_("Staff (community management, support)"), version.staff_cost_per_year),
    ):
        if amount:
            formulas, amounts = _prorated(label, amount, Period.YEAR, spans, currency)
            sheet.costs.append(Line(label, ASSUMPTION, formulas, amounts))
    sheet.costs += _free_lines(lines, LineKind.COST, spans, currency)
    sheet.benefits = [
        _converted(
            _("Time saved by answered questions"),
            [m.answered for m in measured],
            version.minutes_per_answer,
            "min",
            hourly,
            currency,
        ),
        _converted(
            _("Time saved by cross-department exchanges"),
            [m.cross_department for m in measured],
            version.minutes_per_connection,
            "min",
            hourly,
            currency,
        ),
        _converted(
            _("Faster onboarding of engaged newcomers"),
            [m.newcomers_engaged for m in measured],
            version.hours_per_newcomer,
            "h",
            hourly,
            currency,
        ),
        _converted(
            _("Leaders' messages reaching people directly"),
            [m.leader_reach for m in measured],
            version.minutes_per_person_reached,
            "min",
            hourly,
            currency,
        ),
    ]
    sheet.benefits += _free_lines(lines, LineKind.BENEFIT, spans, currency)
    sheet.intangibles = [line.label for line in lines if line.kind == LineKind.INTANGIBLE]
    return sheet


def csv_rows(sheet: Sheet) -> tuple[list[str], list[list[object]]]:
    """The worksheet as one CSV table: every line with its table, its source (measured or
    assumption), its formula and its amount for each period; the same numbers as the page."""
    (shown, _m1), (compared, _m2) = sheet.columns
    header = [
        _("Table"),
        _("Line"),
        _("Source"),
        _("Formula"),
        _("%(start)s to %(end)s") % {"start": shown.start, "end": shown.end},
        _("%(start)s to %(end)s") % {"start": compared.start, "end": compared.end},
        _("Currency"),
    ]
    rows: list[list[object]] = []
    for row in sheet.indicators:
        rows.append(
            [
                _("Measured figures"),
                str(row.indicator.label),
                str(SOURCE_LABELS[MEASURED]),
                str(row.indicator.definition),
                *[_indicator_cell(value, row.indicator.fmt) for value in row.values],
                "",
            ]
        )
    for table, lines, totals in (
        (_("Costs"), sheet.costs, sheet.cost_totals),
        (_("Tangible benefits"), sheet.benefits, sheet.benefit_totals),
    ):
        for line in lines:
            rows.append(
                [
                    table,
                    line.label,
                    line.source_label,
                    line.formulas[0],
                    *line.amounts,
                    sheet.currency,
                ]
            )
        rows.append([table, _("Total"), "", "", *totals, sheet.currency])
    rows.append([_("Net"), _("Tangible benefits minus costs"), "", "", *sheet.nets, sheet.currency])
    rows.append([_("Net"), _("Return (net ÷ costs, %)"), "", "", *sheet.returns, "%"])
    for text in sheet.intangibles:
        rows.append(
            [_("Intangible benefits"), text, str(SOURCE_LABELS[ASSUMPTION]), "", "", "", ""]
        )
    return header, rows


def _indicator_cell(value: float | int | None, fmt: str) -> object:
    if value is None:
        return ""
    if fmt == "seconds":
        return Duration(float(value))
    if isinstance(value, float):
        return Decimal(f"{value:.2f}")
    return value
