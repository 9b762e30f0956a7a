"""Every change to customer data is recorded, whatever made it: services, shell, admin, jobs."""

import pytest

from accountable.accounts.models import Account, ExternalId
from accountable.history.models import Event
from accountable.history.selectors import event_list_for_user
from accountable.history.services import audit_context

pytestmark = pytest.mark.django_db


def test_a_direct_save_from_the_shell_is_recorded_with_before_and_after(programme):
    # given an account changed with plain ORM calls, as someone would in `accountable shell`
    account = Account.objects.get(pk=programme.account.pk)
    account.industry = "Pharmaceuticals"
    # when it is saved outside any service
    account.save()
    # then an event records the change, attributed to the shell
    event = Event.objects.filter(account_id=account.pk).first()
    assert event is not None
    assert event.action == "updated"
    assert event.source == "shell"
    assert event.changes == {"industry": ["Chemicals", "Pharmaceuticals"]}
    assert event.actor is None
    assert event.actor_name.endswith("(shell)")


def test_a_save_that_changes_nothing_is_not_recorded(programme):
    before = Event.objects.count()
    Account.objects.get(pk=programme.account.pk).save()
    assert Event.objects.count() == before


def test_a_job_records_its_source_and_reason(programme):
    with audit_context(source="job", actor_label="nightly sync (job)", reason="CRM sync"):
        ExternalId.objects.create(account=programme.account, source="erp", value="E-77")
    event = Event.objects.filter(object_type="accounts.externalid").latest("id")
    assert (event.source, event.actor_name, event.reason) == (
        "job",
        "nightly sync (job)",
        "CRM sync",
    )
    assert event.changes["value"] == [None, "E-77"]
    assert event.account_id == programme.account.pk


def test_deletion_is_recorded_and_history_outlives_the_row(programme):
    ext = ExternalId.objects.get(account=programme.account, source="crm")
    ext_id = ext.pk
    ext.delete()
    event = Event.objects.filter(
        object_type="accounts.externalid", object_id=str(ext_id), action="deleted"
    ).get()
    assert event.changes["value"] == ["ACME-1", None]


def test_passwords_never_appear_in_history(programme):
    programme.member.set_password("a-new-secret-phrase")
    programme.member.save()
    event = Event.objects.filter(
        object_type="people.user", object_id=str(programme.member.pk)
    ).latest("id")
    assert event.changes["password"] == ["••••••", "••••••"]
    assert "a-new-secret-phrase" not in str(event.changes)


def test_outsider_reads_no_account_history(programme):
    assert (
        not event_list_for_user(user=programme.outsider).filter(account_id__isnull=False).exists()
    )


def test_member_reads_the_history_of_their_accounts_only(programme):
    accounts = set(
        event_list_for_user(user=programme.member)
        .exclude(account_id__isnull=True)
        .values_list("account_id", flat=True)
    )
    assert accounts == {programme.account.pk}


def test_executive_reads_all_history(programme):
    accounts = set(
        event_list_for_user(user=programme.executive)
        .exclude(account_id__isnull=True)
        .values_list("account_id", flat=True)
    )
    assert accounts == {programme.account.pk, programme.other_account.pk, programme.prospect.pk}
