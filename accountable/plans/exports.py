"""The plan as a printable PDF (ReportLab) and as a workbook (openpyxl), built from the same
`PlanPage` the Plan tab shows. The customer-facing PDF leaves out what is ours only: risks,
weaknesses, threats, competitors and our reading of their organisation."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from accountable.core.spreadsheets import workbook_make_safe
from accountable.plans.models import INTERNAL_SECTIONS
from accountable.plans.selectors import PlanPage

STANDING_COLOURS = {
    "on_track": colors.HexColor("#198754"),
    "achieved": colors.HexColor("#0d6efd"),
    "at_risk": colors.HexColor("#fd7e14"),
    "off_track": colors.HexColor("#dc3545"),
}


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: escaped (ReportLab reads markup), line breaks kept."""
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _progress_chart(page: PlanPage) -> Drawing:
    """Objective progress as horizontal bars (at most the first 25, to stay on a page)."""
    rows = page.objectives[:25]
    height = 30 + 14 * len(rows)
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 60 * mm, 15
    chart.width, chart.height = 100 * mm, height - 25
    chart.data = [[row.progress.percent for row in reversed(rows)]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.categoryAxis.categoryNames = [row.objective.title[:40] for row in reversed(rows)]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#0d6efd")
    drawing.add(chart)
    return drawing


def plan_pdf(
    page: PlanPage, *, account_name: str, team: list[tuple[str, str]], customer_facing: bool
) -> bytes:
    """The plan as a PDF; `team` is our side's (name, role) for the organisation summary."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9, leading=11)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9)
    plan = page.plan
    story: list[Any] = [
        Paragraph(escape(plan.title), styles["Title"]),
        _p(
            f"{account_name} · {plan.period_start:%d %b %Y} – {plan.period_end:%d %b %Y}"  # noqa: RUF001
            + (
                ""
                if customer_facing
                else f" · {plan.get_status_display()} · next review {plan.next_review_on:%d %b %Y}"
                f" · {page.completeness.percent}% complete"
            ),
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    if customer_facing:
        story.append(_p("Joint plan: prepared for planning together with the customer.", small))
    for name, heading, _, text in page.sections:
        if customer_facing and name in INTERNAL_SECTIONS:
            continue
        story.append(
            KeepTogether([Paragraph(escape(heading), styles["Heading3"]), _p(text or "—", body)])
        )
    story.append(Paragraph("Objectives", styles["Heading2"]))
    if page.objectives:
        rows: list[list[Any]] = [
            ["Objective", "Metric", "Baseline", "Target", "Now", "Due", "Type", "Progress"]
        ]
        for row in page.objectives:
            o = row.objective
            rows.append(
                [
                    _p(o.title, small),
                    _p(f"{o.metric} ({o.unit})" if o.unit else o.metric, small),
                    str(o.baseline),
                    str(o.target),
                    "" if o.current is None else str(o.current),
                    f"{o.due_on:%d %b %Y}",
                    o.get_indicator_display().split()[0],
                    f"{row.progress.percent}% {row.progress.standing_label}",
                ]
            )
        story.append(
            _table(rows, [38 * mm, 30 * mm, 16 * mm, 16 * mm, 14 * mm, 20 * mm, 11 * mm, 27 * mm])
        )
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph("Progress by objective (%)", styles["Heading4"]))
        story.append(_progress_chart(page))
        story.append(Paragraph("Initiatives and actions", styles["Heading2"]))
        actions: list[list[Any]] = [["Objective / initiative", "Action", "Owner", "Due", "Status"]]
        for row in page.objectives:
            for initiative, _, group in row.initiatives:
                for action in group:
                    status = action.get_status_display()
                    if getattr(action, "overdue", False):
                        status += " (overdue)"
                    actions.append(
                        [
                            _p(f"{row.objective.title} / {initiative.title}", small),
                            _p(action.title, small),
                            _p(str(action.owner), small),
                            f"{action.due_on:%d %b %Y}",
                            status,
                        ]
                    )
        if len(actions) > 1:
            story.append(_table(actions, [55 * mm, 50 * mm, 30 * mm, 20 * mm, 25 * mm]))
    else:
        story.append(_p("No objectives yet.", body))
    if page.milestones:
        story.append(Paragraph("Milestones", styles["Heading2"]))
        story.append(
            _table(
                [["Milestone", "Date", "Reached"]]
                + [
                    [
                        _p(m.title, small),
                        f"{m.due_on:%d %b %Y}",
                        f"{m.reached_on:%d %b %Y}" if m.reached_on else "",
                    ]
                    for m in page.milestones
                ],
                [100 * mm, 30 * mm, 30 * mm],
            )
        )
    story.append(Paragraph("Who works with you", styles["Heading2"]))
    story.append(
        _table(
            [["Name", "Role"]] + [[_p(n, small), _p(r, small)] for n, r in team],
            [70 * mm, 90 * mm],
        )
    )
    if not customer_facing and page.risks:
        story.append(Paragraph("Risks", styles["Heading2"]))
        story.append(
            _table(
                [["Risk", "Severity", "Likelihood", "Owner", "Mitigation"]]
                + [
                    [
                        _p(r.title, small),
                        r.get_severity_display(),
                        r.get_likelihood_display(),
                        _p(str(r.owner or ""), small),
                        _p(r.mitigation, small),
                    ]
                    for r in page.risks
                ],
                [40 * mm, 17 * mm, 18 * mm, 30 * mm, 75 * mm],
            )
        )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=plan.title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    document.build(story)
    return buffer.getvalue()


def plan_xlsx(page: PlanPage) -> bytes:
    """Objectives, initiatives and actions, one sheet each, with ids that tie the rows."""
    book = Workbook()
    bold = Font(bold=True)
    overdue_fill = PatternFill("solid", fgColor="F8D7DA")
    objectives = book.active
    assert objectives is not None
    objectives.title = "Objectives"
    objectives.append(
        [
            "Id",
            "Objective",
            "Metric",
            "Unit",
            "Baseline",
            "Target",
            "Current",
            "Due",
            "Indicator",
            "Progress %",
            "Standing",
        ]
    )
    initiatives = book.create_sheet("Initiatives")
    initiatives.append(["Id", "Objective id", "Objective", "Initiative", "Owner", "Progress %"])
    actions = book.create_sheet("Actions")
    actions.append(
        ["Id", "Initiative id", "Initiative", "Action", "Owner", "Due", "Status", "Overdue"]
    )
    for row in page.objectives:
        o = row.objective
        objectives.append(
            [
                o.pk,
                o.title,
                o.metric,
                o.unit,
                float(o.baseline),
                float(o.target),
                None if o.current is None else float(o.current),
                o.due_on,
                o.get_indicator_display(),
                row.progress.percent,
                row.progress.standing_label,
            ]
        )
        for initiative, share, group in row.initiatives:
            initiatives.append(
                [
                    initiative.pk,
                    o.pk,
                    o.title,
                    initiative.title,
                    str(initiative.owner or ""),
                    None if share is None else round(share * 100),
                ]
            )
            for action in group:
                overdue = bool(getattr(action, "overdue", False))
                actions.append(
                    [
                        action.pk,
                        initiative.pk,
                        initiative.title,
                        action.title,
                        str(action.owner),
                        action.due_on,
                        action.get_status_display(),
                        "yes" if overdue else "",
                    ]
                )
                if overdue:
                    for cell in actions[actions.max_row]:
                        cell.fill = overdue_fill
    for sheet in (objectives, initiatives, actions):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    workbook_make_safe(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
