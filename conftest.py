"""Fixed personas (Healthchecks style): a programme director, an executive, a KAM who owns the
account, a team member, an outsider, and the account they meet on."""

from dataclasses import dataclass

import pytest

from accountable.accounts import services as account_services
from accountable.accounts.models import Account
from accountable.people.models import User
from tests.factories import BusinessUnitFactory, KamFactory, UserFactory, position

PASSWORD = "correct-horse-battery"


@dataclass
class Programme:
    director: User
    executive: User
    kam: User
    member: User
    outsider: User
    other_kam: User
    account: Account  # a key account owned by `kam`, with `member` on its team
    other_account: Account  # a key account owned by `other_kam`; kam/member have no part in it
    prospect: Account  # an unowned prospect nobody but director/executive can see


@pytest.fixture
def programme(db) -> Programme:
    bu = BusinessUnitFactory.create(name="Industrial", code="IND")
    director = UserFactory.create(
        username="director", role=User.Role.DIRECTOR, first_name="Dana", last_name="Director"
    )
    executive = UserFactory.create(
        username="executive", role=User.Role.EXECUTIVE, first_name="Evan", last_name="Executive"
    )
    kam = KamFactory.create(username="kam1", first_name="Kim", last_name="Owner", business_unit=bu)
    other_kam = KamFactory.create(username="kam2", first_name="Kai", last_name="Other")
    member = UserFactory.create(
        username="member1",
        first_name="Mia",
        last_name="Member",
        position=position("sales-rep"),
        business_unit=bu,
    )
    outsider = UserFactory.create(
        username="outsider",
        first_name="Oscar",
        last_name="Outsider",
        position=position("sales-rep"),
    )
    account = account_services.account_create(
        actor=director,
        name="Acme Industries",
        industry="Chemicals",
        country="DE",
        programme_status="candidate",
        external_ids=[("crm", "ACME-1")],
    )
    account_services.account_change_status(
        account=account, actor=director, to_status="key_account", reason="Selected", owner=kam
    )
    account_services.team_member_add(
        account=account, user=member, actor=director, allocation_pct=20
    )
    other = account_services.account_create(
        actor=director, name="Globex", programme_status="candidate"
    )
    account_services.account_change_status(
        account=other, actor=director, to_status="pilot", reason="Pilot", owner=other_kam
    )
    prospect = account_services.account_create(actor=director, name="Initech")
    account.refresh_from_db()
    return Programme(
        director=director,
        executive=executive,
        kam=kam,
        member=member,
        outsider=outsider,
        other_kam=other_kam,
        account=account,
        other_account=other,
        prospect=prospect,
    )


@pytest.fixture
def login(client):
    """Sign a persona in: `login(user)` returns the client."""

    def _login(user: User):
        client.force_login(user)
        return client

    return _login
