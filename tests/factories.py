"""factory_boy factories for the domain; writes that have rules go through the services."""

import factory
from factory.django import DjangoModelFactory

from accountable.accounts.models import Account
from accountable.people.models import BusinessUnit, Position, User


class BusinessUnitFactory(DjangoModelFactory[BusinessUnit]):
    class Meta:
        model = BusinessUnit
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Business unit {n}")
    code = factory.Sequence(lambda n: f"BU{n}")


def position(slug: str) -> Position:
    return Position.objects.get(slug=slug)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    role = User.Role.STANDARD
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class KamFactory(UserFactory):
    position = factory.LazyFunction(lambda: position("key-account-manager"))


class AccountFactory(DjangoModelFactory[Account]):
    """A bare prospect; use the services to move it through the programme."""

    class Meta:
        model = Account
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Customer {n:04d} Ltd")
    industry = "Manufacturing"
    country = "GB"

    @factory.post_generation
    def set_root(obj: Account, create: bool, extracted: object, **kwargs: object) -> None:
        if create and obj.root_id is None:
            obj.root_id = obj.parent.root_id if obj.parent is not None else obj.pk
            Account.objects.filter(pk=obj.pk).update(root_id=obj.root_id)
