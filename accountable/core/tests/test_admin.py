"""The admin is for programme directors only and keeps the same rules and history."""

import pytest
from django.urls import reverse

from accountable.accounts.models import Account
from accountable.history.models import Event

pytestmark = pytest.mark.django_db

ADMIN_URLS = [
    "/admin/",
    "/admin/accounts/account/",
    "/admin/accounts/ownership/",
    "/admin/people/user/",
    "/admin/history/event/",
]


@pytest.mark.parametrize("persona", ["executive", "kam", "member", "outsider"])
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_only_directors_get_into_the_admin(programme, login, persona, url):
    response = login(getattr(programme, persona)).get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert response.request["PATH_INFO"] == reverse("login")


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_anonymous_is_sent_to_the_product_login(client, programme, url):
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert response.request["PATH_INFO"] == reverse("login")


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_director_gets_into_the_admin(programme, login, url):
    assert login(programme.director).get(url).status_code == 200


def test_non_director_post_to_the_admin_changes_nothing(programme, login):
    before = Event.objects.count()
    url = f"/admin/accounts/account/{programme.account.pk}/change/"
    response = login(programme.kam).post(url, {"name": "Hijacked"})
    assert response.status_code == 302
    assert Account.objects.get(pk=programme.account.pk).name == "Acme Industries"
    assert Event.objects.count() == before


def test_admin_edit_goes_through_the_service_and_is_recorded(programme, login):
    # given the director edits the account's industry in the admin
    client = login(programme.director)
    url = f"/admin/accounts/account/{programme.account.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "industry": "Specialty chemicals",
            "external_ids-TOTAL_FORMS": "1",
            "external_ids-INITIAL_FORMS": "1",
            "external_ids-MIN_NUM_FORMS": "0",
            "external_ids-MAX_NUM_FORMS": "1000",
            "external_ids-0-id": str(programme.account.external_ids.get().pk),
            "external_ids-0-account": str(programme.account.pk),
            "external_ids-0-source": "crm",
            "external_ids-0-value": "ACME-1",
        }
    )
    # when saved
    response = client.post(url, data)
    # then the change is stored, the version bumped, and history names the director and the admin
    assert response.status_code == 302, response.context and response.context["errors"]
    account = Account.objects.get(pk=programme.account.pk)
    assert account.industry == "Specialty chemicals"
    assert account.version == programme.account.version + 1
    event = Event.objects.filter(account_id=account.pk, object_type="accounts.account").latest("id")
    assert event.changes == {"industry": ["Chemicals", "Specialty chemicals"]}
    assert (event.actor, event.source) == (programme.director, "admin")


def test_ownership_cannot_be_edited_in_the_admin(programme, login):
    client = login(programme.director)
    ownership = programme.account.ownerships.get()
    response = client.post(
        f"/admin/accounts/ownership/{ownership.pk}/change/", {"user": programme.other_kam.pk}
    )
    assert response.status_code == 403
    assert programme.account.ownerships.get().user == programme.kam
