"""The plan's objectives, initiatives and actions as markup, written in Python.

A plan of 40 objectives and 400 actions rendered through Django's templates (an include, two
URL reversals, a CSRF field and a select per action) took ~400 ms; the same markup written
here takes a few milliseconds (issue #4's target: the plan page's p95 ≤ 100 ms). Every value
from the database is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accountable.plans.models import ActionStatus, PlanAction
from accountable.plans.selectors import PlanPage

register = template.Library()

# The status options, built once (TextChoices.choices builds its list at every call).
STATUS_OPTIONS = [(value, escape(str(label))) for value, label in ActionStatus.choices]
STATUS_LABELS = dict(STATUS_OPTIONS)
SENTINEL = 987654321


def _url_maker(name: str, account_id: int) -> Any:
    """`pk -> URL` for one account's rows, reversing once instead of once per row."""
    head, tail = reverse(name, args=[account_id, SENTINEL]).split(str(SENTINEL))
    return lambda pk: f"{head}{pk}{tail}"


STANDING_CLASSES = {
    "on_track": "text-bg-success",
    "achieved": "text-bg-primary",
    "at_risk": "text-bg-warning",
    "off_track": "text-bg-danger",
}


def _day(value: Any) -> str:
    return f"{value.day} {value:%b %Y}"


def action_row(
    action: PlanAction,
    *,
    account_id: int,
    can_update: bool,
    csrf: str,
    error: str = "",
    status_url: Any = None,
) -> str:
    """One action's table row; its status form swaps the row through HTMX."""
    overdue = bool(getattr(action, "overdue", False))
    title = escape(action.title)
    css = ' class="table-danger"' if overdue else ""
    parts = [
        f'<tr id="action-{action.pk}"{css} data-testid="action-row">',
        f"<td>{title}",
        ' <span class="badge text-bg-danger" data-testid="overdue">Overdue</span>'
        if overdue
        else "",
        f"</td><td>{escape(str(action.owner))}</td>",
        f'<td class="text-nowrap">{_day(action.due_on)}</td><td>',
    ]
    if can_update:
        url = (status_url or _url_maker("plans:action_status", account_id))(action.pk)
        options = "".join(
            f'<option value="{value}"{" selected" if value == action.status else ""}>'
            f"{label}</option>"
            for value, label in STATUS_OPTIONS
        )
        parts.append(
            f'<form method="post" action="{url}" hx-post="{url}" hx-target="#action-{action.pk}"'
            ' hx-swap="outerHTML" class="d-flex gap-1 no-print">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf)}">'
            f'<label class="visually-hidden" for="status-{action.pk}">Status of {title}</label>'
            f'<select class="form-select form-select-sm" name="status" id="status-{action.pk}">'
            f"{options}</select>"
            '<button type="submit" class="btn btn-sm btn-outline-primary">Set</button></form>'
        )
        if error:
            parts.append(f'<div class="invalid-feedback d-block">{escape(error)}</div>')
    else:
        parts.append(STATUS_LABELS.get(action.status, escape(action.status)))
    parts.append("</td></tr>")
    return "".join(parts)


@register.simple_tag
def plan_objectives(
    page: PlanPage, account_id: int, can_write: bool, csrf: Any, user_id: int
) -> SafeString:
    """Every objective with its progress, its initiatives and their actions. A reader who
    owns an action may change its status; writers may change every one."""
    csrf = str(csrf)
    status_url = _url_maker("plans:action_status", account_id)
    edit_url = _url_maker("plans:objective_edit", account_id)
    initiative_url = _url_maker("plans:initiative_add", account_id)
    action_url = _url_maker("plans:action_add", account_id)
    out: list[str] = []
    for row in page.objectives:
        o, p = row.objective, row.progress
        unit = f" {escape(o.unit)}" if o.unit else ""
        now = f", now {o.current}" if o.current is not None else ""
        title = escape(o.title)
        out.append(
            '<article class="mb-4" data-testid="objective">'
            '<div class="d-flex flex-wrap gap-2 align-items-baseline">'
            f'<h4 class="h6 mb-0">{title}</h4>'
            f'<span class="badge {STANDING_CLASSES[p.standing]}" data-testid="standing">'
            f"{p.standing_label}</span>"
            f'<span class="small text-muted">{escape(o.get_indicator_display())} · '
            f"{escape(o.metric)}: {o.baseline} → {o.target}{unit}{now} · due {_day(o.due_on)}"
            "</span>"
        )
        if can_write:
            edit, add = edit_url(o.pk), initiative_url(o.pk)
            out.append(
                f'<span class="ms-auto no-print"><a class="btn btn-sm btn-link py-0" '
                f'href="{edit}">Edit</a><a class="btn btn-sm btn-link py-0" href="{add}">'
                "Add an initiative</a></span>"
            )
        out.append(
            '</div><div class="d-flex align-items-center gap-2 my-1">'
            f'<progress class="flex-grow-1" max="100" value="{p.percent}" '
            f'aria-label="Progress of {title}">{p.percent}%</progress>'
            f'<span class="small" data-testid="objective-progress">{p.percent}%</span></div>'
        )
        if not row.initiatives:
            out.append('<p class="small text-muted ms-3 mb-0">No initiatives yet.</p>')
        for initiative, share, actions in row.initiatives:
            owner = (
                f' <span class="text-muted fw-normal">· {escape(str(initiative.owner))}</span>'
                if initiative.owner_id
                else ""
            )
            done = (
                f' <span class="text-muted fw-normal">· {round(share * 100)}% done</span>'
                if share is not None
                else ""
            )
            out.append(
                f'<div class="ms-3 mt-2"><div class="small fw-semibold">'
                f"{escape(initiative.title)}{owner}{done}</div>"
                + (
                    f'<div class="small text-muted">{escape(initiative.description)}</div>'
                    if initiative.description
                    else ""
                )
                + '<table class="table table-sm table-dense mb-1"><thead class="visually-hidden">'
                '<tr><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due'
                '</th><th scope="col">Status</th></tr></thead><tbody>'
            )
            for action in actions:
                out.append(
                    action_row(
                        action,
                        account_id=account_id,
                        can_update=can_write or action.owner_id == user_id,
                        csrf=csrf,
                        status_url=status_url,
                    )
                )
            out.append("</tbody></table>")
            if can_write:
                add_url = action_url(initiative.pk)
                out.append(
                    '<details class="no-print"><summary class="small">Add an action</summary>'
                    f'<div class="mt-2" hx-get="{add_url}" hx-trigger="toggle from:closest '
                    'details once" hx-target="this" hx-swap="innerHTML">'
                    f'<a href="{add_url}">Open the form</a></div></details>'
                )
            out.append("</div>")
        out.append("</article>")
    return mark_safe("".join(out))  # every database value above is escaped
