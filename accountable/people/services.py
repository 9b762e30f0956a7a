"""Writes to our people, positions, business units and API tokens."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accountable.accounts.services import account_owner_sort_sync
from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.services import audit_context
from accountable.people.models import ApiToken, BusinessUnit, Position, User

USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "role",
    "position",
    "business_unit",
    "manager",
    "is_active",
)


def _check_manager_chain(user: User | None, manager: User | None) -> None:
    seen: set[int] = set()
    current = manager
    while current is not None:
        if user is not None and current.pk == user.pk:
            raise ValidationFailed(
                "A person cannot report to someone who reports to them.", field="manager"
            )
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = current.manager


@transaction.atomic
def user_create(*, actor: Any, username: str, password: str | None = None, **fields: Any) -> User:
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"The username {username!r} is taken.", field="username")
    _check_manager_chain(None, fields.get("manager"))
    user = User(username=username, **fields)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    with audit_context(actor=actor):
        user.save()
    return user


def _check_director_kept(*, actor: Any, user: User, fields: dict[str, Any]) -> None:
    """Nobody locks the programme out of its settings: a director cannot take away their own
    director role or account (another director must), and the last active director stays."""
    was_director = user.is_active and user.role == User.Role.DIRECTOR
    stays_director = fields.get("is_active", user.is_active) and (
        fields.get("role", user.role) == User.Role.DIRECTOR
    )
    if not was_director or stays_director:
        return
    if getattr(actor, "pk", None) == user.pk:
        raise Conflict(
            "You cannot remove your own director role or deactivate yourself; "
            "ask another programme director.",
            field="role" if "role" in fields else "is_active",
        )
    others = User.objects.filter(is_active=True, role=User.Role.DIRECTOR).exclude(pk=user.pk)
    if not others.select_for_update().exists():
        raise Conflict(
            f"{user} is the last active programme director; make someone else a director first.",
            field="role" if "role" in fields else "is_active",
        )


@transaction.atomic
def user_update(*, actor: Any, user: User, reason: str = "", **fields: Any) -> User:
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}")
    if "manager" in fields:
        _check_manager_chain(user, fields["manager"])
    _check_director_kept(actor=actor, user=user, fields=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    with audit_context(actor=actor, reason=reason):
        user.save()
    if {"first_name", "last_name"} & set(fields):
        # The account list sorts by owner name, kept on each account they own.
        account_owner_sort_sync(
            account_ids=user.ownerships.filter(ended_at__isnull=True).values_list(
                "account_id", flat=True
            )
        )
    return user


@transaction.atomic
def position_create(
    *, actor: Any, name: str, can_own_accounts: bool = False, sort_order: int = 100
) -> Position:
    name = name.strip()
    if not name:
        raise ValidationFailed("A position needs a name.", field="name")
    slug = slugify(name)[:100]
    if (
        Position.objects.filter(slug=slug).exists()
        or Position.objects.filter(name__iexact=name).exists()
    ):
        raise Conflict(f"There is already a position called {name!r}.", field="name")
    with audit_context(actor=actor):
        return Position.objects.create(
            name=name, slug=slug, can_own_accounts=can_own_accounts, sort_order=sort_order
        )


@transaction.atomic
def business_unit_create(*, actor: Any, name: str, code: str) -> BusinessUnit:
    if (
        BusinessUnit.objects.filter(name__iexact=name).exists()
        or BusinessUnit.objects.filter(code__iexact=code).exists()
    ):
        raise Conflict("A business unit with that name or code exists.", field="name")
    try:
        with audit_context(actor=actor):
            return BusinessUnit.objects.create(name=name.strip(), code=code.strip())
    except IntegrityError as exc:
        raise Conflict("A business unit with that name or code exists.") from exc


@transaction.atomic
def api_token_create(*, user: User, name: str = "", actor: Any = None) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored (only its SHA-256)."""
    if not user.is_active:
        raise ValidationFailed(f"{user} is not active.", field="user")
    raw = ApiToken.generate()
    with audit_context(actor=actor):
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100], prefix=raw[:12], digest=ApiToken.digest_of(raw)
        )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any = None, reason: str = "") -> ApiToken:
    """Revoke a token: from now on it authenticates nothing. Revoking twice changes nothing."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        with audit_context(actor=actor, reason=reason):
            locked.save(update_fields=["revoked_at"])
    return locked


def api_token_authenticate(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__position")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        # At most one write per token every five minutes, not one per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
