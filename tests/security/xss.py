"""Stored and reflected XSS: a reusable helper.

`plant(programme)` writes a script-and-quotes payload into every text field of every object
in TARGETS, straight into the database (as an import, the admin or a bug elsewhere might:
no form validation in the way), each with its own marker. `leaks(html)` parses a page and
returns what would run: a <script> carrying a marker, an element with an event handler, a
javascript: link. A page is safe when `leaks` finds nothing; a field is *shown* when its
escaped marker is in some page (the test checks each planted field is shown somewhere, or is
listed in NOT_SHOWN, so that it cannot pass by showing nothing).

How a new feature extends it: add a Target for each of its models (and its pages to
tests/security/pages.py, which the XSS test walks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.db import models

from accountable.accounts.models import (
    Account,
    BuyingCentre,
    ExternalId,
    Ownership,
    ProgrammeStatusChange,
    TeamMember,
)
from accountable.history.models import Event
from accountable.people.models import BusinessUnit, Position, User
from accountable.selection.models import (
    PARTNERSHIP_QUESTIONS,
    AssignmentRun,
    PartnershipAssessment,
    SelectionDecision,
)
from conftest import Programme

EVENT_HANDLER_PREFIX = "on"


def payload(marker: str) -> str:
    """Breaks out of text, of a double- or single-quoted attribute and of a <textarea> or
    <script> block, each time trying to run code that names `marker`."""
    return (
        f"</textarea></script><script>alert('{marker}')</script>"
        f"\"'><img src=x onerror=alert('{marker}')>{marker}"
    )


def short_payload(marker: str, room: int) -> str:
    """For a short column: still a quote and a tag, and the marker if it fits."""
    text = f"\"'><i>{marker}"
    return text[:room] if room >= len(text) else "\"'<>&"[:room]


@dataclass(frozen=True)
class Target:
    """The objects of one model to plant payloads in, and fields to leave alone."""

    label: str
    objects: Callable[[Programme], list[models.Model]]
    skip: tuple[str, ...] = ()
    # A text field that is a URL: planted with a javascript: address instead.
    urls: tuple[str, ...] = ()


def _with_assessment_and_decision(p: Programme) -> list[models.Model]:
    from accountable.selection.services import (
        partnership_assessment_save,
        selection_decision_record,
    )

    if not PartnershipAssessment.objects.exists():
        answers = {name: 3 for name, _ in PARTNERSHIP_QUESTIONS}
        partnership_assessment_save(account=p.account, assessor=p.member, answers=answers)
        selection_decision_record(
            account=p.account, actor=p.director, decision="selected", reason="Growth"
        )
    return list(PartnershipAssessment.objects.all())


def _with_assignment_run(p: Programme) -> list[models.Model]:
    from accountable.selection.services import assignment_run_create, assignment_run_discard

    if not AssignmentRun.objects.exists():
        run = assignment_run_create(actor=p.director)
        assignment_run_discard(run=run, actor=p.director, reason="Not now")
    return list(AssignmentRun.objects.all())


def _with_buying_centre(p: Programme) -> list[models.Model]:
    from accountable.accounts.services import buying_centre_create

    if not BuyingCentre.objects.exists():
        buying_centre_create(account=p.account, actor=p.director, name="Plant", kind="site")
    return list(BuyingCentre.objects.all())


def _relationships(p: Programme) -> None:
    """A stakeholder with a manager, an influence, an interaction and an insight."""
    from accountable.relationships import services
    from accountable.relationships.models import Stakeholder

    if Stakeholder.objects.filter(name="Frank Finance").exists():
        return
    boss = services.stakeholder_create(account=p.account, actor=p.director, name="Clara Chief")
    frank = services.stakeholder_create(
        account=p.account, actor=p.director, name="Frank Finance", reports_to=boss
    )
    services.influence_add(source=boss, target=frank, actor=p.director, note="Old friends")
    services.interaction_log(
        account=p.account,
        actor=p.kam,
        kind="meeting",
        summary="Review",
        next_steps="Quote",
        participants=[p.kam],
        stakeholders=[frank],
        insights=[{"topic": "Energy", "value_to_them": "Savings", "outcome": "Pilot"}],
    )


def _rel_objects(model_name: str) -> Callable[[Programme], list[models.Model]]:
    def objects(p: Programme) -> list[models.Model]:
        from django.apps import apps

        _relationships(p)
        return list(apps.get_model("relationships", model_name).objects.all())

    return objects


def _with_opportunity(p: Programme) -> list[models.Model]:
    from accountable.revenue.models import Opportunity, OpportunityStage

    if not Opportunity.objects.exists():
        stage = OpportunityStage.objects.create(name="Proposal")
        Opportunity.objects.create(account=p.account, name="Retrofit", stage=stage)
    return list(Opportunity.objects.all())


def _with_whitespace_cell(p: Programme) -> list[models.Model]:
    from accountable.revenue.models import ProductLine, WhitespaceCell

    if not WhitespaceCell.objects.exists():
        line, _ = ProductLine.objects.get_or_create(name="Coatings")
        WhitespaceCell.objects.create(account=p.account, product_line=line, competitor="Dow")
    return list(WhitespaceCell.objects.all())


def _with_import_run(p: Programme) -> list[models.Model]:
    from accountable.exchange.models import ImportRun
    from tests.security.pages import _import_run

    _import_run(p)
    return list(ImportRun.objects.all())


def _with_import_reject(p: Programme) -> list[models.Model]:
    from accountable.exchange.models import ImportReject
    from tests.security.pages import _import_run

    _import_run(p)
    return list(ImportReject.objects.all())


def _with_import_mapping(p: Programme) -> list[models.Model]:
    from accountable.exchange.models import ImportMapping

    if not ImportMapping.objects.exists():
        ImportMapping.objects.create(
            name="erp-lines", target="sales-lines", source="erp", columns={"date": "Datum"}
        )
    return list(ImportMapping.objects.all())


def _all(label: str) -> Callable[[Programme], list[models.Model]]:
    def objects(p: Programme) -> list[models.Model]:
        from django.apps import apps

        return list(apps.get_model(label).objects.all())

    return objects


def _alerts(p: Programme) -> list[models.Model]:
    """One open silo alert and one dismissed (its reason shows once resolved)."""
    from accountable.notifications.models import Alert
    from accountable.notifications.services import alert_dismiss, alert_raise

    if not Alert.objects.exists():
        alert_raise(account=p.account, kind="silo", subject_user=p.outsider, message="Open")
        done = alert_raise(account=p.account, kind="stakeholder_left", message="Gone")
        assert done is not None
        alert_dismiss(alert=done, actor=p.director, reason="Replaced")
    return list(Alert.objects.all())


TARGETS: list[Target] = [
    Target(
        "account", lambda p: list(Account.objects.all()), skip=("owner_sort",), urls=("website",)
    ),
    Target("external id", lambda p: list(ExternalId.objects.all())),
    Target("buying centre", _with_buying_centre),
    Target("status change", lambda p: list(ProgrammeStatusChange.objects.all())),
    Target("ownership", lambda p: list(Ownership.objects.all())),
    Target("team member", lambda p: list(TeamMember.objects.all())),
    Target("person", lambda p: list(User.objects.all()), skip=("password",)),
    Target("position", lambda p: list(Position.objects.all())),
    Target("business unit", lambda p: list(BusinessUnit.objects.all())),
    Target("history event", lambda p: list(Event.objects.all()), skip=("object_type",)),
    Target("partnership assessment", _with_assessment_and_decision),
    Target("selection decision", lambda p: list(SelectionDecision.objects.all())),
    Target("assignment run", _with_assignment_run, skip=("method",)),
    Target("stakeholder", _rel_objects("Stakeholder")),
    Target("influence", _rel_objects("Influence")),
    Target("interaction", _rel_objects("Interaction")),
    Target("insight", _rel_objects("Insight")),
    Target("alert", lambda p: _alerts(p)),
    # Revenue and imports (issue 5)
    Target("opportunity", _with_opportunity, skip=("currency",)),
    Target("opportunity stage", _all("revenue.OpportunityStage")),
    Target("whitespace cell", _with_whitespace_cell),
    Target("product line", _all("revenue.ProductLine")),
    Target("import run", _with_import_run),
    Target("import reject", _with_import_reject),
    Target("import mapping", _with_import_mapping),
]


# Text fields no page shows (the test fails if one starts being shown: move it out of here).
def _plan_rows(model: type[models.Model]) -> Callable[[Programme], list[models.Model]]:
    """The rows of one plan model, after making the account's plan with one of everything
    (objective, initiative, action, milestone, risk, review, an approved version)."""

    def objects(p: Programme) -> list[models.Model]:
        from django.utils import timezone

        from accountable.plans import services as plans
        from accountable.plans.models import AccountPlan
        from accountable.plans.tests.conftest import make_plan

        if not AccountPlan.objects.exists():
            plan = make_plan(p).plan
            today = timezone.localdate()
            plans.milestone_create(plan=plan, actor=p.kam, title="M", due_on=today)
            plans.risk_create(plan=plan, actor=p.kam, title="R", mitigation="Mit")
            plans.review_record(plan=plan, actor=p.kam, held_on=today, attendees="A")
            plans.plan_submit(plan=plan, actor=p.kam, comment="C")
            plans.plan_approve(plan=plan, actor=p.director, comment="C")
            plans.plan_update(
                plan=plan,
                actor=p.kam,
                data={"competitors": "Dow"},
                expected_version=None,
            )
            plans.plan_submit(plan=plan, actor=p.kam)
            plans.plan_approve(plan=plan, actor=p.director, comment="C2")
        return list(model._base_manager.all())

    return objects


def _plan_targets() -> list[Target]:
    from accountable.plans.models import (
        AccountPlan,
        Initiative,
        Milestone,
        Objective,
        PlanAction,
        PlanReview,
        PlanStep,
        PlanVersion,
        Risk,
    )

    return [
        Target("plan", _plan_rows(AccountPlan)),
        Target("objective", _plan_rows(Objective)),
        Target("initiative", _plan_rows(Initiative)),
        Target("plan action", _plan_rows(PlanAction)),
        Target("milestone", _plan_rows(Milestone)),
        Target("risk", _plan_rows(Risk)),
        Target("plan review", _plan_rows(PlanReview)),
        Target("plan version", _plan_rows(PlanVersion)),
        Target("plan step", _plan_rows(PlanStep)),
    ]


TARGETS += _plan_targets()

NOT_SHOWN: set[tuple[str, str]] = {
    # Buying centres have no page yet (stakeholder forms offer them by name).
    ("buying centre", "location"),
    ("buying centre", "notes"),
    # Where an imported stakeholder came from: for re-imports, shown in the API only.
    ("stakeholder", "source"),
    ("stakeholder", "source_id"),
    # Buying centres have no page of their own yet (the whitespace tab shows their names).
    ("buying centre", "location"),
    ("buying centre", "notes"),
    # An opportunity's source system and id, and a product line's description: API only.
    ("opportunity", "source"),
    ("opportunity", "external_id"),
    ("product line", "description"),
    # A mapping is listed by its name on the import form; its source system is not shown.
    ("import mapping", "source"),
    ("import mapping", "currency"),
}


@dataclass
class Planted:
    markers: dict[str, tuple[str, str]]  # marker -> (target label, field name)


def _text_fields(model: type[models.Model], target: Target) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        and f.name not in target.skip
        and not getattr(f, "remote_field", None)
    ]


def plant(programme: Programme, targets: list[Target] | None = None) -> Planted:
    """Write a payload into every text field of every target object; the same marker for a
    field across a model's objects (a page shows some of them)."""
    markers: dict[str, tuple[str, str]] = {}
    for number, target in enumerate(targets or TARGETS):
        instances = target.objects(programme)
        if not instances:
            continue
        model = type(instances[0])
        values: dict[str, Any] = {}
        for index, field in enumerate(_text_fields(model, target)):
            marker = f"xss{number}x{index}"
            markers[marker] = (target.label, field.name)
            room = getattr(field, "max_length", None) or 10_000
            if field.name in target.urls:
                values[field.name] = f"javascript:alert('{marker}')"
            elif room >= len(payload(marker)):
                values[field.name] = payload(marker)
            else:
                values[field.name] = short_payload(marker, room)
        if model is Event:
            values["changes"] = {"name": [payload("xssjson"), payload("xssjson")]}
            markers["xssjson"] = ("history event", "changes")
        # One object per row so that unique columns (usernames, names) stay unique.
        for instance in instances:
            suffix = f"#{instance.pk}"
            unique: dict[str, Any] = {}
            for name, value in values.items():
                if not isinstance(value, str):
                    unique[name] = value
                    continue
                room = getattr(model._meta.get_field(name), "max_length", None) or 10_000
                unique[name] = value[: room - len(suffix)] + suffix
            model._base_manager.filter(pk=instance.pk).update(**unique)
    return Planted(markers=markers)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.leaks: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith(EVENT_HANDLER_PREFIX) and value and "xss" in value:
                self.leaks.append(f"<{tag} {name}={value!r}>")
            linked = name in ("href", "src", "action", "formaction")
            if linked and (value or "").strip().lower().startswith("javascript:"):
                self.leaks.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = dict(attrs)
            self._script_text = []
        if tag == "img" and dict(attrs).get("src") == "x":
            self.leaks.append("<img src=x>")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            text = "".join(self._script_text)
            is_data = self._script.get("type") == "application/json"
            if "xss" in text and (not is_data or "</" in text):
                self.leaks.append(f"<script>{text[:80]}")
            self._script = None


def leaks(html: str) -> list[str]:
    """What in this page would run a planted payload (empty: the page is safe)."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.leaks


def shown(html: str, planted: Planted) -> set[str]:
    """The markers this page shows (as text: escaped, as it should be)."""
    return {marker for marker in planted.markers if marker in html}
