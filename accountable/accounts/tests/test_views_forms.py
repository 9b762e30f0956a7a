"""The forms that change an account: who may use them (and that a refusal changes nothing),
what a successful post records, and how a service's refusal comes back to the user."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accountable.accounts import services
from accountable.accounts.models import (
    Account,
    ExternalId,
    Ownership,
    ProgrammeStatusChange,
    Responsibility,
    TeamMember,
)
from accountable.history.models import Event, Source
from accountable.programme.services import programme_settings_update


@dataclass
class Target:
    url: str
    data: dict


def profile_data(account: Account, **changes) -> dict:
    """A complete, valid profile form for `account` as it is now, with `changes` applied."""
    data = {
        "version": account.version,
        "name": account.name,
        "parent": account.parent_id or "",
        "industry": account.industry,
        "country": getattr(account.country, "code", ""),
        "region": account.region,
        "size_band": account.size_band,
        "employees": account.employees or "",
        "annual_revenue": account.annual_revenue or "",
        "website": account.website,
        "tier": account.tier,
        "business_model": account.business_model,
        "strategy": account.strategy,
        "core_values": account.core_values,
        "current_initiatives": account.current_initiatives,
        "culture": account.culture,
        "company_history": account.company_history,
        "decision_process": account.decision_process,
        "reason": "",
    }
    data.update(changes)
    return data


def targets(programme, account: Account) -> dict[str, Target]:
    """Every write form of `account`, each with input that a director's post would save."""
    member = (
        account.team_members.exclude(
            user__in=Ownership.objects.filter(account=account, ended_at__isnull=True).values("user")
        ).first()
        or account.team_members.first()
    )
    assert member is not None
    ext = account.external_ids.first() or ExternalId.objects.create(
        account=account, source="erp", value=f"E-{account.pk}"
    )

    def u(name, *args):
        return reverse(f"accounts:{name}", args=[account.pk, *args])

    return {
        "edit": Target(u("edit"), profile_data(account, name="Renamed Ltd")),
        "status": Target(u("status"), {"to_status": "exited", "reason": "Lost interest"}),
        "owner": Target(
            u("owner"),
            {
                "action": "transfer",
                "transfer-user": programme.outsider.pk,
                "transfer-reason": "Handover",
                "transfer-cap_override_reason": "Needed",
            },
        ),
        "team_add": Target(
            u("team_add"),
            {
                "user": programme.outsider.pk,
                "kind": "direct",
                "allocation_pct": 10,
                "responsibilities": "x",
            },
        ),
        "team_edit": Target(
            u("team_edit", member.pk),
            {
                "position": member.position_id,
                "kind": "shared",
                "allocation_pct": 55,
                "responsibilities": "More",
            },
        ),
        "team_raci": Target(u("team_raci", member.pk), {"raci-strategy": "R"}),
        "team_remove": Target(u("team_remove", member.pk), {"reason": "Left"}),
        "external_id_add": Target(u("external_id_add"), {"source": "erp", "value": "NEW-1"}),
        "external_id_remove": Target(u("external_id_remove", ext.pk), {"reason": "Wrong"}),
    }


FORMS = (
    "edit",
    "status",
    "owner",
    "team_add",
    "team_edit",
    "team_raci",
    "team_remove",
    "external_id_add",
    "external_id_remove",
)
DIRECTOR_ONLY = {"status", "owner"}


# --- Refusals: each asserts that nothing at all changed ---------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("form", FORMS)
def test_anonymous_is_sent_to_login_and_nothing_changes(client, programme, snapshot, form, method):
    # given
    target = targets(programme, programme.account)[form]
    before = snapshot()
    # when
    response = getattr(client, method)(target.url, target.data)
    # then
    assert response.status_code == 302
    assert response.url.startswith(f"/login/?next=/accounts/{programme.account.pk}/")
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("form", FORMS)
def test_outsider_gets_404_and_nothing_changes(login, programme, snapshot, form, method):
    # given
    target = targets(programme, programme.account)[form]
    before = snapshot()
    # when
    response = getattr(login(programme.outsider), method)(target.url, target.data)
    # then
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("form", FORMS)
def test_kam_gets_404_on_another_kams_account_and_nothing_changes(
    login, programme, snapshot, form, method
):
    # given
    target = targets(programme, programme.other_account)[form]
    before = snapshot()
    # when
    response = getattr(login(programme.kam), method)(target.url, target.data)
    # then
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["member", "executive"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("form", FORMS)
def test_readers_get_403_and_nothing_changes(login, programme, snapshot, persona, form, method):
    # given
    target = targets(programme, programme.account)[form]
    before = snapshot()
    # when
    response = getattr(login(getattr(programme, persona)), method)(target.url, target.data)
    # then
    assert response.status_code == 403
    assert "You can read this account but not change it." in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("form", sorted(DIRECTOR_ONLY))
def test_kam_may_not_change_status_or_owner_of_their_own_account(
    login, programme, snapshot, form, method
):
    # given
    target = targets(programme, programme.account)[form]
    before = snapshot()
    # when
    response = getattr(login(programme.kam), method)(target.url, target.data)
    # then
    assert response.status_code == 403
    assert "Only a programme director can" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("form", sorted(set(FORMS) - DIRECTOR_ONLY))
def test_kam_opens_every_form_of_their_own_account(login, programme, form):
    target = targets(programme, programme.account)[form]
    assert login(programme.kam).get(target.url).status_code == 200


@pytest.mark.parametrize("form", FORMS)
def test_director_opens_every_form(login, programme, form):
    target = targets(programme, programme.other_account)[form]
    assert login(programme.director).get(target.url).status_code == 200


@pytest.mark.parametrize("persona", ["kam", "member", "executive", "outsider"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_a_director_creates_accounts(login, programme, snapshot, persona, method):
    # given
    before = snapshot()
    # when
    response = getattr(login(getattr(programme, persona)), method)(
        reverse("accounts:create"), {"name": "Umbrella", "programme_status": "prospect"}
    )
    # then
    assert response.status_code == 403
    assert snapshot() == before


def test_anonymous_create_goes_to_login(client, programme, snapshot):
    before = snapshot()
    response = client.post(
        reverse("accounts:create"), {"name": "Umbrella", "programme_status": "prospect"}
    )
    assert response.status_code == 302
    assert response.url == "/login/?next=/accounts/new/"
    assert snapshot() == before


# --- Successful posts: the change and its history event with the actor ------------------------


def last_event(**filters) -> Event:
    return Event.objects.filter(**filters).latest("id")


@pytest.mark.parametrize("persona", ["kam", "director"])
def test_owner_or_director_saves_the_profile(login, programme, persona):
    # given
    actor = getattr(programme, persona)
    data = profile_data(
        programme.account, business_model="Resins for carmakers", reason="After the QBR"
    )
    # when
    response = login(actor).post(reverse("accounts:edit", args=[programme.account.pk]), data)
    # then
    assert response.status_code == 302
    assert response.url == f"/accounts/{programme.account.pk}/"
    account = Account.objects.get(pk=programme.account.pk)
    assert account.business_model == "Resins for carmakers"
    assert account.version == programme.account.version + 1
    event = last_event(object_type="accounts.account", object_id=str(account.pk))
    assert event.actor == actor
    assert event.source == Source.WEB
    assert event.changes == {"business_model": [None, "Resins for carmakers"]}
    assert event.reason == "After the QBR"


def test_saving_the_profile_shows_a_success_message(login, programme):
    data = profile_data(programme.account, culture="Engineering-led")
    response = login(programme.kam).post(
        reverse("accounts:edit", args=[programme.account.pk]), data, follow=True
    )
    assert "Saved the profile of Acme Industries." in response.content.decode()


def test_a_stale_edit_is_refused_with_a_clear_message_and_keeps_the_text(
    login, programme, snapshot
):
    # given: the KAM opened the form at version v; the director saved since
    stale = profile_data(programme.account, strategy="Grow in Asia by 2030")
    services.account_update(
        account=programme.account,
        actor=programme.director,
        data={"strategy": "Director's strategy"},
    )
    before = snapshot()
    # when
    response = login(programme.kam).post(
        reverse("accounts:edit", args=[programme.account.pk]), stale
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "was changed by someone else while you were editing" in body
    assert "Grow in Asia by 2030</textarea>" in body
    conflicts = body.split('data-testid="edit-conflicts"')[1].split("</dl>")[0]
    assert "Strategy and vision" in conflicts and "Director&#x27;s strategy" in conflicts
    assert f'name="version" value="{stale["version"] + 1}"' in body
    assert snapshot() == before


def test_after_a_stale_edit_saving_again_applies_the_users_version(login, programme):
    # given
    stale = profile_data(programme.account, strategy="Grow in Asia by 2030")
    services.account_update(
        account=programme.account,
        actor=programme.director,
        data={"strategy": "Director's strategy"},
    )
    client = login(programme.kam)
    client.post(reverse("accounts:edit", args=[programme.account.pk]), stale)
    # when: the user saves the form as shown again, at the current version
    stale["version"] += 1
    response = client.post(reverse("accounts:edit", args=[programme.account.pk]), stale)
    # then
    assert response.status_code == 302
    assert Account.objects.get(pk=programme.account.pk).strategy == "Grow in Asia by 2030"


def test_profile_edit_with_an_invalid_value_keeps_the_input(login, programme, snapshot):
    # given
    before = snapshot()
    data = profile_data(programme.account, name="", culture="Kept text")
    # when
    response = login(programme.kam).post(
        reverse("accounts:edit", args=[programme.account.pk]), data
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body
    assert "Kept text</textarea>" in body
    assert snapshot() == before


def test_an_account_cannot_become_its_own_ancestor(login, programme, snapshot):
    # given: a subsidiary of Acme
    child = services.account_create(
        actor=programme.director, name="Acme Kids", parent=programme.account
    )
    programme.account.refresh_from_db()
    before = snapshot()
    # when
    response = login(programme.director).post(
        reverse("accounts:edit", args=[programme.account.pk]),
        profile_data(programme.account, parent=child.pk),
    )
    # then
    assert "cannot be its own ancestor" in response.content.decode()
    assert snapshot() == before


def test_kam_cannot_choose_a_parent_they_may_not_see(login, programme, snapshot):
    before = snapshot()
    response = login(programme.kam).post(
        reverse("accounts:edit", args=[programme.account.pk]),
        profile_data(programme.account, parent=programme.other_account.pk),
    )
    assert "There is no account with that number that you can see." in response.content.decode()
    assert snapshot() == before


def test_director_changes_the_status_with_a_reason(login, programme):
    # when
    response = login(programme.director).post(
        reverse("accounts:status", args=[programme.account.pk]),
        {"to_status": "exited", "reason": "They chose a competitor"},
        follow=True,
    )
    # then
    assert "Changed the status of Acme Industries to exited." in response.content.decode()
    change = ProgrammeStatusChange.objects.filter(account=programme.account).latest("id")
    assert (change.from_status, change.to_status, change.reason, change.actor) == (
        "key_account",
        "exited",
        "They chose a competitor",
        programme.director,
    )
    event = last_event(object_type="accounts.account", object_id=str(programme.account.pk))
    assert event.actor == programme.director
    assert event.changes["programme_status"] == ["Key account", "Exited"]
    assert event.reason == "They chose a competitor"


def test_status_change_needs_a_reason(login, programme, snapshot):
    before = snapshot()
    response = login(programme.director).post(
        reverse("accounts:status", args=[programme.account.pk]), {"to_status": "exited"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert snapshot() == before


def test_status_form_offers_only_the_allowed_moves(login, programme):
    body = (
        login(programme.director)
        .get(reverse("accounts:status", args=[programme.prospect.pk]))
        .content.decode()
    )
    select = body.split('name="to_status"')[1].split("</select>")[0]
    assert '<option value="candidate">' in select and '<option value="exited">' in select
    assert "key_account" not in select and "pilot" not in select


def test_promotion_without_an_owner_is_refused_and_keeps_the_reason(login, programme, snapshot):
    # given
    candidate = services.account_create(
        actor=programme.director, name="Soylent", programme_status="candidate"
    )
    before = snapshot()
    # when
    response = login(programme.director).post(
        reverse("accounts:status", args=[candidate.pk]),
        {"to_status": "pilot", "reason": "Strong potential"},
    )
    # then
    body = response.content.decode()
    assert "A pilot must have an accountable owner: choose its KAM." in body
    assert "Strong potential</textarea>" in body
    assert snapshot() == before


def test_promotion_over_the_cap_is_refused_without_an_override(login, programme, snapshot):
    # given: kam already owns one key account; the cap is 1
    candidate = services.account_create(
        actor=programme.director, name="Soylent", programme_status="candidate"
    )
    before = snapshot()
    # when
    response = login(programme.director).post(
        reverse("accounts:status", args=[candidate.pk]),
        {"to_status": "pilot", "reason": "Potential", "owner": programme.kam.pk},
    )
    # then
    assert "the cap is 1 per KAM" in response.content.decode()
    assert snapshot() == before


def test_promotion_over_the_cap_with_an_override_records_it(login, programme):
    # given
    candidate = services.account_create(
        actor=programme.director, name="Soylent", programme_status="candidate"
    )
    # when
    response = login(programme.director).post(
        reverse("accounts:status", args=[candidate.pk]),
        {
            "to_status": "pilot",
            "reason": "Potential",
            "owner": programme.kam.pk,
            "cap_override_reason": "Same buying group as Acme",
        },
    )
    # then
    assert response.status_code == 302
    ownership = Ownership.objects.get(account=candidate, ended_at__isnull=True)
    assert (ownership.user, ownership.cap_override_reason, ownership.cap_overridden_by) == (
        programme.kam,
        "Same buying group as Acme",
        programme.director,
    )
    event = last_event(object_type="accounts.ownership", object_id=str(ownership.pk))
    assert event.actor == programme.director


def test_status_form_shows_each_kams_load(login, programme):
    candidate = services.account_create(
        actor=programme.director, name="Soylent", programme_status="candidate"
    )
    body = login(programme.director).get(reverse("accounts:status", args=[candidate.pk]))
    assert "Kim Owner — owns 1 pilot/key (cap 1)" in body.content.decode()


def test_a_second_owner_is_refused_with_a_clear_message(login, programme, snapshot):
    # given: Acme has an owner; a stale form posts an assignment
    before = snapshot()
    # when
    response = login(programme.director).post(
        reverse("accounts:owner", args=[programme.account.pk]),
        {"action": "assign", "assign-user": programme.other_kam.pk, "assign-reason": "Mine"},
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "Acme Industries already has an owner, Kim Owner. An account has exactly one "
        "accountable owner: transfer the ownership instead."
    ) in body
    assert snapshot() == before


def test_director_assigns_an_owner(login, programme):
    # when
    response = login(programme.director).post(
        reverse("accounts:owner", args=[programme.prospect.pk]),
        {"action": "assign", "assign-user": programme.other_kam.pk, "assign-reason": "Warm lead"},
    )
    # then
    assert response.status_code == 302
    ownership = Ownership.objects.get(account=programme.prospect, ended_at__isnull=True)
    assert (ownership.user, ownership.reason) == (programme.other_kam, "Warm lead")
    event = last_event(object_type="accounts.ownership", object_id=str(ownership.pk))
    assert (event.actor, event.action) == (programme.director, "created")


def test_transfer_needs_a_reason(login, programme, snapshot):
    before = snapshot()
    response = login(programme.director).post(
        reverse("accounts:owner", args=[programme.account.pk]),
        {"action": "transfer", "transfer-user": programme.other_kam.pk},
    )
    assert "This field is required." in response.content.decode()
    assert snapshot() == before


def test_transfer_over_the_cap_is_refused_without_an_override(login, programme, snapshot):
    # given: other_kam already owns Globex
    before = snapshot()
    # when
    response = login(programme.director).post(
        reverse("accounts:owner", args=[programme.account.pk]),
        {
            "action": "transfer",
            "transfer-user": programme.other_kam.pk,
            "transfer-reason": "Reorganisation",
        },
    )
    # then
    assert (
        "Kai Other already owns 1 pilot or key account; the cap is 1 per KAM."
        in response.content.decode()
    )
    assert snapshot() == before


def test_director_transfers_the_account_with_a_reason(login, programme):
    # given
    programme_settings_update(actor=programme.director, key_accounts_per_kam_cap=2)
    # when
    response = login(programme.director).post(
        reverse("accounts:owner", args=[programme.account.pk]),
        {
            "action": "transfer",
            "transfer-user": programme.other_kam.pk,
            "transfer-reason": "Reorganisation",
        },
    )
    # then
    assert response.status_code == 302
    current = Ownership.objects.get(account=programme.account, ended_at__isnull=True)
    previous = Ownership.objects.get(account=programme.account, user=programme.kam)
    assert current.user == programme.other_kam
    assert previous.end_reason == "Reorganisation"
    event = last_event(object_type="accounts.ownership", object_id=str(current.pk))
    assert (event.actor, event.reason) == (programme.director, "Reorganisation")


def test_release_of_a_key_account_is_not_offered(login, programme):
    body = (
        login(programme.director)
        .get(reverse("accounts:owner", args=[programme.account.pk]))
        .content.decode()
    )
    assert "must keep exactly one owner" in body
    assert 'name="action" value="release"' not in body


def test_release_of_a_key_account_is_refused_when_posted(login, programme, snapshot):
    before = snapshot()
    response = login(programme.director).post(
        reverse("accounts:owner", args=[programme.account.pk]),
        {"action": "release", "release-reason": "No longer needed"},
    )
    assert "must keep exactly one owner; transfer it instead." in response.content.decode()
    assert snapshot() == before


def test_director_releases_the_owner_of_a_prospect(login, programme):
    # given
    services.account_assign_owner(
        account=programme.prospect, user=programme.other_kam, actor=programme.director
    )
    # when
    response = login(programme.director).post(
        reverse("accounts:owner", args=[programme.prospect.pk]),
        {"action": "release", "release-reason": "Not pursuing"},
    )
    # then
    assert response.status_code == 302
    ownership = Ownership.objects.get(account=programme.prospect)
    assert ownership.ended_at is not None and ownership.end_reason == "Not pursuing"
    event = last_event(object_type="accounts.ownership", object_id=str(ownership.pk))
    assert (event.actor, event.action) == (programme.director, "updated")


def test_unknown_owner_action_is_a_bad_request(login, programme, snapshot):
    before = snapshot()
    response = login(programme.director).post(
        reverse("accounts:owner", args=[programme.account.pk]), {"action": "steal"}
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_kam_adds_someone_to_the_team(login, programme):
    # when
    response = login(programme.kam).post(
        reverse("accounts:team_add", args=[programme.account.pk]),
        {
            "user": programme.outsider.pk,
            "kind": "shared",
            "allocation_pct": 15,
            "responsibilities": "Logistics contact",
        },
    )
    # then
    assert response.status_code == 302
    assert response.url == f"/accounts/{programme.account.pk}/team/"
    member = TeamMember.objects.get(account=programme.account, user=programme.outsider)
    assert (member.kind, member.allocation_pct, member.responsibilities, member.position.slug) == (
        "shared",
        15,
        "Logistics contact",
        "sales-rep",
    )
    event = last_event(object_type="accounts.teammember", object_id=str(member.pk))
    assert (event.actor, event.action) == (programme.kam, "created")


def test_someone_already_on_the_team_cannot_be_added_again(login, programme, snapshot):
    # given
    before = snapshot()
    # when the KAM adds the member who is already on the team
    response = login(programme.kam).post(
        reverse("accounts:team_add", args=[programme.account.pk]),
        {
            "user": programme.member.pk,
            "position": programme.member.position_id,
            "kind": "direct",
            "allocation_pct": 10,
        },
    )
    # then the form says so and nothing changes
    assert "Choose an active person who is not on this team yet." in response.content.decode()
    assert snapshot() == before


def test_the_add_form_searches_people_rather_than_listing_everyone(login, programme):
    body = login(programme.kam).get(reverse("accounts:team_add", args=[programme.account.pk]))
    html = body.content.decode()
    assert 'type="number" name="user"' in html
    assert 'hx-get="/people/lookup/?for=id_user"' in html


def test_inline_team_add_with_an_error_swaps_only_the_form_and_keeps_the_input(
    login, programme, snapshot
):
    # given
    before = snapshot()
    # when
    response = login(programme.kam).post(
        reverse("accounts:team_add", args=[programme.account.pk]),
        {
            "user": programme.outsider.pk,
            "kind": "direct",
            "allocation_pct": 150,
            "responsibilities": "Kept",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="team-add-form",
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<form method="post"')
    assert "Ensure this value is less than or equal to 100." in body
    assert "Kept</textarea>" in body
    assert snapshot() == before


def test_inline_team_add_success_redirects_the_whole_page(login, programme):
    response = login(programme.kam).post(
        reverse("accounts:team_add", args=[programme.account.pk]),
        {"user": programme.outsider.pk, "kind": "direct", "allocation_pct": 5},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="team-add-form",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/{programme.account.pk}/team/"


def test_kam_edits_a_members_place_on_the_team(login, programme):
    # given
    member = TeamMember.objects.get(account=programme.account, user=programme.member)
    # when
    response = login(programme.kam).post(
        reverse("accounts:team_edit", args=[programme.account.pk, member.pk]),
        {
            "position": member.position_id,
            "kind": "shared",
            "allocation_pct": 40,
            "responsibilities": "Pricing desk",
        },
    )
    # then
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.kind, member.allocation_pct, member.responsibilities) == (
        "shared",
        40,
        "Pricing desk",
    )
    event = last_event(object_type="accounts.teammember", object_id=str(member.pk))
    assert event.actor == programme.kam
    assert event.changes["allocation_pct"] == [20, 40]


def test_kam_sets_raci_roles(login, programme):
    # given
    member = TeamMember.objects.get(account=programme.account, user=programme.member)
    # when
    response = login(programme.kam).post(
        reverse("accounts:team_raci", args=[programme.account.pk, member.pk]),
        {"raci-pricing": "A", "raci-service": "R"},
    )
    # then
    assert response.status_code == 302
    assert dict(member.raci.values_list("area", "role")) == {"pricing": "A", "service": "R"}
    event = last_event(object_type="accounts.responsibility")
    assert event.actor == programme.kam


def test_a_second_accountable_for_an_area_is_refused(login, programme, snapshot):
    # given
    owner_member = TeamMember.objects.get(account=programme.account, user=programme.kam)
    services.responsibilities_set(member=owner_member, actor=programme.kam, roles={"pricing": "A"})
    member = TeamMember.objects.get(account=programme.account, user=programme.member)
    before = snapshot()
    # when
    response = login(programme.kam).post(
        reverse("accounts:team_raci", args=[programme.account.pk, member.pk]),
        {"raci-pricing": "A", "raci-service": "C"},
    )
    # then
    body = response.content.decode()
    assert (
        "Kim Owner is already Accountable for pricing; there is one Accountable per area." in body
    )
    assert '<option value="C" selected>' in body  # the user's other choice is kept
    assert snapshot() == before


def test_raci_form_on_a_member_of_another_account_is_404(login, programme, snapshot):
    # given: a team member of Globex, addressed through Acme's URL
    other_member = programme.other_account.team_members.first()
    before = snapshot()
    # when
    response = login(programme.kam).post(
        reverse("accounts:team_raci", args=[programme.account.pk, other_member.pk]),
        {"raci-pricing": "R"},
    )
    # then
    assert response.status_code == 404
    assert snapshot() == before


def test_kam_removes_a_member(login, programme):
    # given
    member = TeamMember.objects.get(account=programme.account, user=programme.member)
    # when
    response = login(programme.kam).post(
        reverse("accounts:team_remove", args=[programme.account.pk, member.pk]),
        {"reason": "Moved to another region"},
    )
    # then
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    event = last_event(object_type="accounts.teammember", object_id=str(member.pk))
    assert (event.actor, event.action, event.reason) == (
        programme.kam,
        "deleted",
        "Moved to another region",
    )


def test_the_owner_cannot_be_removed_from_the_team(login, programme, snapshot):
    # given
    owner_member = TeamMember.objects.get(account=programme.account, user=programme.kam)
    before = snapshot()
    # when
    response = login(programme.director).post(
        reverse("accounts:team_remove", args=[programme.account.pk, owner_member.pk]), {}
    )
    # then
    assert "transfer the ownership first" in response.content.decode()
    assert snapshot() == before


def test_kam_adds_an_external_id(login, programme):
    # when
    response = login(programme.kam).post(
        reverse("accounts:external_id_add", args=[programme.account.pk]),
        {"source": "ERP", "value": " 4711 "},
    )
    # then
    assert response.status_code == 302
    ext = ExternalId.objects.get(account=programme.account, source="erp")
    assert ext.value == "4711"
    event = last_event(object_type="accounts.externalid", object_id=str(ext.pk))
    assert event.actor == programme.kam


def test_an_external_id_of_another_account_is_refused(login, programme, snapshot):
    # given: Globex already holds erp:G-1
    services.external_id_add(
        account=programme.other_account, actor=programme.director, source="erp", value="G-1"
    )
    before = snapshot()
    # when
    response = login(programme.kam).post(
        reverse("accounts:external_id_add", args=[programme.account.pk]),
        {"source": "erp", "value": "G-1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="external-id-form",
    )
    # then
    body = response.content.decode()
    assert "erp:G-1 already belongs to Globex." in body
    assert 'value="G-1"' in body
    assert snapshot() == before


def test_kam_removes_an_external_id(login, programme):
    # given
    ext = programme.account.external_ids.get()
    # when
    response = login(programme.kam).post(
        reverse("accounts:external_id_remove", args=[programme.account.pk, ext.pk]),
        {"reason": "Duplicate in the CRM"},
    )
    # then
    assert response.status_code == 302
    assert not ExternalId.objects.filter(pk=ext.pk).exists()
    event = last_event(object_type="accounts.externalid", object_id=str(ext.pk))
    assert (event.actor, event.action) == (programme.kam, "deleted")


def test_director_creates_an_account(login, programme):
    # when
    response = login(programme.director).post(
        reverse("accounts:create"),
        {
            "name": "Umbrella Corp",
            "programme_status": "candidate",
            "industry": "Pharma",
            "country": "GB",
            "parent": programme.account.pk,
            "external_source": "crm",
            "external_value": "UMB-1",
            "reason": "Spotted at a trade fair",
        },
    )
    # then
    account = Account.objects.get(name="Umbrella Corp")
    assert response.status_code == 302
    assert response.url == f"/accounts/{account.pk}/"
    assert (
        account.programme_status,
        account.industry,
        str(account.country),
        account.parent_id,
        account.root_id,
    ) == ("candidate", "Pharma", "GB", programme.account.pk, programme.account.root_id)
    assert account.external_ids.get().value == "UMB-1"
    event = last_event(object_type="accounts.account", object_id=str(account.pk))
    assert (event.actor, event.action, event.reason) == (
        programme.director,
        "created",
        "Spotted at a trade fair",
    )


def test_create_form_prefills_the_parent_for_a_subsidiary(login, programme):
    body = (
        login(programme.director)
        .get(reverse("accounts:create"), {"parent": programme.account.pk})
        .content.decode()
    )
    assert f'name="parent" value="{programme.account.pk}"' in body
    # and names it, with a search box to choose another by name
    assert "Now: Acme Industries" in body
    assert 'hx-get="/accounts/lookup/?for=id_parent"' in body


def test_create_refuses_half_an_external_id(login, programme, snapshot):
    before = snapshot()
    response = login(programme.director).post(
        reverse("accounts:create"),
        {"name": "Umbrella Corp", "programme_status": "prospect", "external_source": "crm"},
    )
    assert "Give both the source system and the id, or neither." in response.content.decode()
    assert snapshot() == before


def test_create_refuses_an_external_id_already_in_use(login, programme, snapshot):
    before = snapshot()
    response = login(programme.director).post(
        reverse("accounts:create"),
        {
            "name": "Umbrella Corp",
            "programme_status": "prospect",
            "external_source": "crm",
            "external_value": "ACME-1",
        },
    )
    assert response.status_code == 200
    assert "crm:ACME-1 already belongs to Acme Industries." in response.content.decode()
    assert snapshot() == before


def test_responsibility_rows_are_only_written_through_the_form(programme):
    # A guard for the snapshot helper: the fixture itself has no RACI rows.
    assert Responsibility.objects.count() == 0
