"""The demo programme: reproducible, within the programme's rules, with its history recorded."""

import datetime as dt
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q

from accountable.accounts.models import (
    OWNED_STATUSES,
    Account,
    Area,
    ExternalId,
    Ownership,
    ProgrammeStatusChange,
    Responsibility,
    TeamMember,
)
from accountable.demo.generator import DEMO_PASSWORD, demo_plan, demo_shape
from accountable.demo.services import demo_load, demo_reset, demo_state
from accountable.history.models import Event, Source
from accountable.people.models import User
from tests.factories import AccountFactory

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
SMALL = 60  # the smallest demo: the whole programme, fewer prospects

# The tests that load the demo share one worker, so that the module's demo loads only once.
pytestmark = pytest.mark.xdist_group("demo")


def programme_state() -> dict:
    """Everything the demo decides, by name (database ids differ from one load to the next)."""
    return {
        "accounts": sorted(
            Account.objects.values_list(
                "name", "parent__name", "programme_status", "tier", "country", "employees"
            )
        ),
        "external_ids": sorted(ExternalId.objects.values_list("account__name", "source", "value")),
        "people": sorted(
            User.objects.values_list(
                "username", "first_name", "last_name", "role", "position__slug", "manager__username"
            )
        ),
        "ownerships": sorted(
            Ownership.objects.values_list(
                "account__name", "user__username", "started_at", "ended_at", "cap_override_reason"
            )
        ),
        "status_changes": sorted(
            ProgrammeStatusChange.objects.values_list(
                "account__name", "from_status", "to_status", "at", "actor_name", "reason"
            )
        ),
        "team": sorted(
            TeamMember.objects.values_list(
                "account__name",
                "user__username",
                "position__slug",
                "kind",
                "allocation_pct",
                "responsibilities",
            )
        ),
        "raci": sorted(
            Responsibility.objects.values_list(
                "account__name", "member__user__username", "area", "role"
            )
        ),
        "history": sorted(
            Counter(
                (*row[:-1], json.dumps(row[-1], sort_keys=True))
                for row in Event.objects.values_list(
                    "object_type",
                    "object_repr",
                    "action",
                    "actor_name",
                    "source",
                    "reason",
                    "at",
                    "changes",
                )
            ).items()
        ),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, loaded once for the module's read-only tests (and rolled back after);
    its value is `programme_state()` right after loading."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # From an emptied database (ids start again at 1), like the tests that reload it.
            demo_reset()
            demo_load(plan=demo_plan(accounts=SMALL, seed=42, now=NOW))
            yield programme_state()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_same_seed_plans_the_same_company_and_another_seed_a_different_one():
    # given / when
    first = demo_plan(accounts=400, seed=42, now=NOW)
    again = demo_plan(accounts=400, seed=42, now=NOW)
    other = demo_plan(accounts=400, seed=7, now=NOW)

    # then
    assert first == again
    assert [a.name for a in first.accounts] != [a.name for a in other.accounts]
    assert len({a.name for a in first.accounts}) == 400
    assert len({value for a in first.accounts for _, value in a.external_ids}) == sum(
        len(a.external_ids) for a in first.accounts
    )


def test_the_small_demo_has_the_people_and_programme_the_readme_promises():
    # given / when
    plan = demo_plan(accounts=400, seed=42, now=NOW)

    # then
    usernames = {p.username for p in plan.people}
    assert {
        "director",
        "executive",
        "outsider",
        "kam1",
        "kam14",
        "member1",
        "member14",
    } <= usernames
    assert len(plan.people) == 31
    assert demo_shape(400).key_accounts == 12
    assert demo_shape(400).pilots == 4
    assert sum(1 for a in plan.accounts if a.parent is not None) > 100
    assert max(a.depth for a in plan.accounts) == 2


def test_the_benchmark_shape_has_200_kams_1000_teams_and_about_500_people():
    # when
    shape = demo_shape(100_000)

    # then
    assert (shape.kams, shape.teams) == (200, 1000)
    assert shape.kams + shape.members + 3 == 500
    assert shape.bulk is True


def test_a_demo_smaller_than_the_programme_is_refused():
    with pytest.raises(ValueError, match="at least 60 accounts"):
        demo_shape(59)


@pytest.mark.django_db
def test_loading_the_same_seed_again_gives_the_same_names_ids_and_history(demo):
    # given
    demo_reset()

    # when
    demo_load(plan=demo_plan(accounts=SMALL, seed=42, now=NOW))

    # then
    assert programme_state() == demo
    assert len(demo["accounts"]) == SMALL


@pytest.mark.django_db
def test_bulk_loading_writes_the_same_programme_and_history_as_the_services(demo):
    # given: the demo was loaded through the services; the benchmark's sizes load in bulk
    demo_reset()

    # when
    demo_load(plan=demo_plan(accounts=SMALL, seed=42, now=NOW), bulk=True)

    # then
    assert programme_state() == demo


@pytest.mark.django_db
def test_every_pilot_and_key_account_has_exactly_one_owner_within_the_cap(demo):
    # given
    director = User.objects.get(username="director")

    # when
    owned = Account.objects.filter(programme_status__in=OWNED_STATUSES).annotate(
        owners=Count("ownerships", filter=Q(ownerships__ended_at__isnull=True))
    )
    current = Ownership.objects.filter(
        ended_at__isnull=True, account__programme_status__in=OWNED_STATUSES
    )
    per_kam = Counter(current.values_list("user__username", flat=True))
    overrides = current.exclude(cap_override_reason="")

    # then
    assert owned.count() == 16
    assert {a.owners for a in owned} == {1}
    assert all(
        o.user.position is not None and o.user.position.can_own_accounts
        for o in current.select_related("user__position")
    )
    assert sorted(per_kam.values()) == [1] * 12 + [2, 2]
    assert overrides.count() == 2
    assert {o.cap_overridden_by for o in overrides} == {director}
    assert {o.user.username for o in overrides} == {
        kam for kam, count in per_kam.items() if count == 2
    }


@pytest.mark.django_db
def test_owned_accounts_have_a_team_with_one_accountable_per_area_and_named_logins(demo):
    # given
    kam1_account = Ownership.objects.get(user__username="kam1", ended_at__isnull=True).account

    # when
    accountable = Counter(
        Responsibility.objects.filter(
            role="A", account__programme_status__in=OWNED_STATUSES
        ).values_list("account_id", "area")
    )

    # then
    assert len(accountable) == 16 * len(Area.values)
    assert set(accountable.values()) == {1}
    assert kam1_account.programme_status == "key_account"
    assert TeamMember.objects.filter(account=kam1_account, user__username="member1").exists()
    assert not TeamMember.objects.filter(user__username="outsider").exists()
    assert TeamMember.objects.filter(kind="shared").exists()
    assert (
        not TeamMember.objects.values("user").annotate(total=Count("id")).filter(total=0).exists()
    )
    assert User.objects.get(username="kam1").check_password(DEMO_PASSWORD)
    assert User.objects.get(username="director").role == "director"
    assert User.objects.get(username="executive").role == "executive"


@pytest.mark.django_db
def test_the_demo_history_names_its_authors_reasons_and_dates_over_two_years(demo):
    # given
    transferred = Ownership.objects.filter(
        ended_at__isnull=False, account__programme_status="key_account"
    )

    # when
    events = Event.objects.all()
    status_events = events.filter(
        object_type="accounts.account", action="updated", changes__has_key="programme_status"
    )

    # then
    assert set(events.values_list("source", flat=True)) == {Source.DEMO}
    assert events.filter(object_type="accounts.account", action="created").count() == SMALL
    assert status_events.count() == ProgrammeStatusChange.objects.exclude(from_status="").count()
    assert set(status_events.values_list("actor__username", flat=True)) == {"director"}
    assert not status_events.filter(reason="").exists()
    assert transferred.count() == 3
    assert all(o.end_reason for o in transferred)
    oldest, newest = (
        min(events.values_list("at", flat=True)),
        max(events.values_list("at", flat=True)),
    )
    assert (NOW - oldest).days >= 730
    assert 0 < (NOW - newest).days < 60


@pytest.mark.django_db
def test_the_demo_command_does_nothing_when_the_demo_is_there_and_prints_the_logins(demo, capsys):
    # given
    accounts, events = Account.objects.count(), Event.objects.count()

    # when
    call_command("demo")

    # then
    out = capsys.readouterr().out
    assert "already loaded" in out
    assert f"Password for all of them: {DEMO_PASSWORD}" in out
    assert (Account.objects.count(), Event.objects.count()) == (accounts, events)
    assert demo_state() == "demo"


@pytest.mark.django_db
def test_the_demo_command_keeps_data_of_its_own_unless_told_to_reset(capsys):
    # given: a database of its own (emptied first: the module's demo may be loaded)
    demo_reset()
    AccountFactory(name="Our real customer")

    # when
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", "--size", str(SMALL))

    # then
    assert list(Account.objects.values_list("name", flat=True)) == ["Our real customer"]

    # when
    call_command("demo", "--size", str(SMALL), "--reset")

    # then
    assert Account.objects.count() == SMALL
    assert not Account.objects.filter(name="Our real customer").exists()
    assert f"Password for all of them: {DEMO_PASSWORD}" in capsys.readouterr().out


def test_the_demo_command_refuses_a_size_it_does_not_know():
    with pytest.raises(CommandError, match="small"):
        call_command("demo", "--size", "huge")


@pytest.mark.django_db
def test_each_pilot_and_key_account_has_an_org_chart_owners_and_two_years_of_activity(demo):
    from accountable.relationships.models import Interaction, RelationshipStrength, Stakeholder

    # given
    owned = Account.objects.filter(programme_status__in=OWNED_STATUSES)

    # then
    for account in owned:
        people = Stakeholder.objects.filter(account=account)
        assert 20 <= people.count() <= 300, account.name
        assert people.filter(reports_to__isnull=True).count() == 1, account.name
        assert people.filter(owners__is_primary=True).exists(), account.name
        days = Interaction.objects.filter(account=account).values_list("occurred_on", flat=True)
        assert (max(days) - min(days)).days > 365, account.name
    assert Interaction.objects.filter(insights__isnull=False).exists()
    assert RelationshipStrength.objects.filter(score__gt=0).exists()
    assert not Interaction.objects.filter(occurred_on__gt=NOW.date()).exists()
