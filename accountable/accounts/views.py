"""Customer account pages: the list, the account page's tabs and the forms that change an
account. Views check access through the selectors and call exactly one service per form; the
rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods
from django_countries import countries

from accountable.accounts.filters import SORTS
from accountable.accounts.forms import (
    AccountCreateForm,
    AccountProfileForm,
    ExternalIdAddForm,
    OwnerAssignForm,
    OwnerReleaseForm,
    OwnerTransferForm,
    RaciForm,
    RemoveForm,
    StatusChangeForm,
    TeamMemberAddForm,
    TeamMemberEditForm,
)
from accountable.accounts.models import Account, ExternalId, TeamMember
from accountable.accounts.selectors import (
    Access,
    AccountPage,
    account_distinct_values,
    account_get_for_user,
    account_list_for_user,
    account_lookup_for_user,
    account_page_for_user,
    account_rows_with_owner,
)
from accountable.accounts.services import (
    account_assign_owner,
    account_change_status,
    account_create,
    account_release_owner,
    account_transfer_owner,
    account_update,
    current_ownership,
    external_id_add,
    external_id_remove,
    raci_edit_key,
    responsibilities_set,
    team_member_add,
    team_member_edit_key,
    team_member_remove,
    team_member_update,
)
from accountable.core.errors import DomainError, StaleEdit
from accountable.core.forms import form_add_domain_error
from accountable.core.views import HtmxHttpRequest, is_htmx, lookup_response, redirect_after_post
from accountable.history.selectors import event_list_for_account
from accountable.people.models import BusinessUnit, User

# The customer profile on the Overview, with what to write when a field is still empty.
PROFILE = (
    (
        "business_model",
        "Business model",
        "How does the customer make money? Their products, markets and channels.",
    ),
    ("strategy", "Strategy and vision", "Where are they heading in the next three years, and why?"),
    ("core_values", "Core values", "What do they stand for? What do they reward in suppliers?"),
    (
        "current_initiatives",
        "Current initiatives",
        "Their major programmes and projects now — where could we help?",
    ),
    (
        "culture",
        "Culture",
        "How do they work: formal or informal, fast or careful, central or local?",
    ),
    ("company_history", "History", "Key moments: mergers, crises, new leaders."),
    (
        "decision_process",
        "Decision-making process",
        "Who decides, who influences, and how does a purchase get approved?",
    ),
)

# Sortable columns of the account list: (heading, SORTS key or None).
LIST_COLUMNS = (
    ("Account", "name"),
    ("Status", "status"),
    ("Tier", "tier"),
    ("Owner (KAM)", "owner"),
    ("Industry", "industry"),
    ("Country", "country"),
    ("Region", None),
    ("Updated", "updated"),
)
LIST_TARGET = "account-results"
TEAM_ADD_TARGET = "team-add-form"
EXTERNAL_ID_TARGET = "external-id-form"


def _posted(request: HtmxHttpRequest) -> Any:
    """The posted data, or None for a GET (`request.POST or None` would leave a post with
    only empty optional fields unbound)."""
    return request.POST if request.method == "POST" else None


def _require_director(user: Any, what: str) -> None:
    if not user.is_director:
        raise PermissionDenied(f"Only a programme director can {what}.")


def _wants_fragment(request: HtmxHttpRequest, target: str) -> bool:
    return is_htmx(request) and request.htmx.target == target


def _form_response(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], *, target: str | None = None
) -> HttpResponse:
    """The whole page, or only the form when an inline htmx form asked for itself."""
    if target is not None and _wants_fragment(request, target):
        return render(request, "core/partials/form.html", context)
    return render(request, template, context)


# --- The list ----------------------------------------------------------------------------------


def _filter_options(user: Any) -> dict[str, Any]:
    """The values the filter selects offer, from the accounts this user may see."""
    codes = account_distinct_values(user=user, field="country")
    country_options = sorted(
        ((code, countries.name(code) or code) for code in codes),
        key=lambda pair: pair[1],
    )
    owners = User.objects.filter(position__can_own_accounts=True).order_by(
        "last_name", "first_name"
    )
    return {
        "industries": [(v, v) for v in account_distinct_values(user=user, field="industry")],
        "countries": country_options,
        "owners": [(person.pk, str(person)) for person in owners],
        "business_units": BusinessUnit.objects.order_by("name"),
    }


@login_required
def account_list(request: HtmxHttpRequest) -> HttpResponse:
    """Accounts the user may see: search, filters, sort, pages — a fixed number of queries."""
    # A submitted filter form sends every field, empty ones too ("any tier" is `tier=`);
    # an empty value means "no filter", not "an invalid choice".
    params = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        kept = [v for v in values if v.strip()]
        if kept:
            params.setlist(name, kept)
    sort = params.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    qs, filterset = account_list_for_user(user=request.user, filters=params, sort=sort)
    paginator = Paginator(qs, settings.ACCOUNTABLE_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = account_rows_with_owner(list(page_obj.object_list))
    columns = [
        {
            "label": label,
            "key": key,
            "direction": ("asc" if sort == key else "desc" if sort == f"-{key}" else ""),
            "next": (f"-{key}" if sort == key else key) if key else None,
        }
        for label, key in LIST_COLUMNS
    ]
    active_filters = any(params.get(name) for name in filterset.filters if name != "q")
    context: dict[str, Any] = {
        "rows": rows,
        "page_obj": page_obj,
        "columns": columns,
        "sort": sort,
        "filterset": filterset,
        "q": params.get("q", ""),
        "params": params,
        "selected_status": params.getlist("status"),
        "selected_tier": params.getlist("tier"),
        "active_filters": active_filters,
        "target": LIST_TARGET,
    }
    if _wants_fragment(request, LIST_TARGET):
        response = render(request, "accounts/partials/list_results.html", context)
        # The address bar shows the filters in use, without the empty fields.
        response["HX-Push-Url"] = f"{request.path}?{params.urlencode()}" if params else request.path
    else:
        context.update(_filter_options(request.user))
        context["statuses"] = filterset.filters["status"].extra["choices"]
        context["tiers"] = filterset.filters["tier"].extra["choices"]
        response = render(request, "accounts/list.html", context)
    # The same address answers with a fragment or a page; caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
def account_lookup(request: HtmxHttpRequest) -> HttpResponse:
    """Search-as-you-type results for choosing an account (the parent in the account form):
    only accounts the user may see."""
    results = account_lookup_for_user(user=request.user, q=request.GET.get("q", ""))
    rows = []
    for account in results:
        country = countries.name(account.country) if account.country else ""
        detail = " · ".join(p for p in (country, account.get_programme_status_display()) if p)
        rows.append((account.pk, account.name, detail))
    return lookup_response(request, rows)


# --- The account page --------------------------------------------------------------------------


def _page_context(request: HtmxHttpRequest, page: AccountPage, tab: str) -> dict[str, Any]:
    return {
        "account": page.account,
        "page": page,
        "ownership": page.ownership,
        "can_write": page.access >= Access.WRITE,
        "is_director": request.user.is_director,  # type: ignore[union-attr]
        "tab": tab,
    }


@login_required
def account_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    page = account_page_for_user(user=request.user, id=pk)
    context = _page_context(request, page, "overview")
    context["profile"] = [
        (label, getattr(page.account, name), hint) for name, label, hint in PROFILE
    ]
    context["profile_filled"] = sum(1 for _, value, _ in context["profile"] if value)
    if context["can_write"]:
        context.update(_external_id_form_context(page.account, ExternalIdAddForm()))
    return render(request, "accounts/detail.html", context)


@login_required
def account_team(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    page = account_page_for_user(user=request.user, id=pk)
    context = _page_context(request, page, "team")
    context["total_allocation"] = sum(m.allocation_pct for m in page.team)
    if context["can_write"]:
        context.update(_team_add_context(page.account, TeamMemberAddForm(account=page.account)))
    return render(request, "accounts/team.html", context)


@login_required
def account_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, id=pk)
    page_obj = Paginator(
        event_list_for_account(account_id=account.pk), settings.ACCOUNTABLE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/history.html",
        {
            "account": account,
            "ownership": current_ownership(account),
            "can_write": account.access >= Access.WRITE,  # type: ignore[attr-defined]
            "is_director": request.user.is_director,  # type: ignore[union-attr]
            "tab": "history",
            "page_obj": page_obj,
        },
    )


# --- Profile -----------------------------------------------------------------------------------


def _comparable(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(getattr(value, "pk", value)).strip()


def _conflicts(account: Account, form: AccountProfileForm) -> list[tuple[str, Any]]:
    """The saved values that differ from what the user submitted, after a stale edit."""
    rows = []
    for name, theirs in form.account_fields().items():
        if name == "parent":
            saved: Any = account.parent_id
        elif name == "country":
            saved = getattr(account.country, "code", "")
        else:
            saved = getattr(account, name)
        if _comparable(saved) != _comparable(theirs):
            shown = getattr(account.country, "name", "") if name == "country" else saved
            rows.append((str(form[name].label), shown))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    conflicts: list[tuple[str, Any]] = []
    if request.method == "POST":
        form = AccountProfileForm(
            request.POST, user=request.user, current_parent_id=account.parent_id
        )
        if form.is_valid():
            try:
                account_update(
                    account=account,
                    actor=request.user,
                    data=form.account_fields(),
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleEdit as exc:
                # Keep the user's text; show what is saved now and move the form to the current
                # version, so that saving again is a deliberate choice over the newer values.
                current = Account.objects.get(pk=account.pk)
                conflicts = _conflicts(current, form)
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = AccountProfileForm(
                    data, user=request.user, current_parent_id=current.parent_id
                )
                form.is_valid()
                form_add_domain_error(form, exc)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, f"Saved the profile of {account.name}.")
                return redirect_after_post(request, reverse("accounts:detail", args=[pk]))
    else:
        form = AccountProfileForm(
            initial=AccountProfileForm.initial_for(account),
            user=request.user,
            current_parent_id=account.parent_id,
        )
    return render(
        request,
        "accounts/edit.html",
        {
            "account": account,
            "form": form,
            "conflicts": conflicts,
            "basic_fields": [
                form[name]
                for name in (
                    "name",
                    "parent",
                    "industry",
                    "country",
                    "region",
                    "size_band",
                    "employees",
                    "annual_revenue",
                    "website",
                    "tier",
                )
            ],
            "profile_fields": [form[name] for name, _, _ in PROFILE],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create_view(request: HtmxHttpRequest) -> HttpResponseBase:
    _require_director(request.user, "create accounts")
    if request.method == "POST":
        form = AccountCreateForm(request.POST, user=request.user)
        if form.is_valid():
            fields = form.account_fields()
            name = fields.pop("name")
            try:
                account = account_create(
                    actor=request.user,
                    name=name,
                    external_ids=form.external_ids(),
                    reason=form.cleaned_data["reason"],
                    programme_status=form.cleaned_data["programme_status"],
                    **fields,
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, f"Created the account {account.name}.")
                return redirect_after_post(request, reverse("accounts:detail", args=[account.pk]))
    else:
        parent = request.GET.get("parent", "")
        form = AccountCreateForm(
            initial={"parent": parent if parent.isdigit() else None}, user=request.user
        )
    return render(
        request,
        "accounts/form_page.html",
        {
            "form": form,
            "title": "New account",
            "action": reverse("accounts:create"),
            "submit_label": "Create account",
            "cancel_url": reverse("accounts:list"),
            "intro": "Add a customer account. It starts outside the programme; move it to pilot or "
            "key account later with a status change that names its KAM.",
        },
    )


# --- Status and ownership (programme director) -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account_status(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    _require_director(request.user, "change an account's programme status")
    ownership = current_ownership(account)
    form = StatusChangeForm(_posted(request), account=account, has_owner=ownership is not None)
    if request.method == "POST" and form.is_valid():
        try:
            account_change_status(
                account=account,
                actor=request.user,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                owner=form.cleaned_data.get("owner"),
                cap_override_reason=form.cleaned_data["cap_override_reason"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            account.refresh_from_db()
            messages.success(
                request,
                f"Changed the status of {account.name} to "
                f"{account.get_programme_status_display().lower()}.",
            )
            return redirect_after_post(request, reverse("accounts:detail", args=[pk]))
    return render(
        request,
        "accounts/status.html",
        {
            "account": account,
            "form": form,
            "ownership": ownership,
        },
    )


OWNER_FORMS: dict[str, type[OwnerAssignForm] | type[OwnerReleaseForm]] = {
    "assign": OwnerAssignForm,
    "transfer": OwnerTransferForm,
    "release": OwnerReleaseForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def account_owner(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    """Assign, transfer or release the accountable owner; each action is its own form."""
    account = account_get_for_user(user=request.user, id=pk, write=True)
    _require_director(request.user, "assign, transfer or release an account's owner")
    ownership = current_ownership(account)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in OWNER_FORMS:
        return HttpResponseBadRequest("Unknown ownership action.")
    forms: dict[str, Any] = {
        name: cls(request.POST if name == action else None, prefix=name)
        for name, cls in OWNER_FORMS.items()
    }
    if action:
        form = forms[action]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "assign":
                    account_assign_owner(
                        account=account,
                        user=data["user"],
                        actor=request.user,
                        reason=data["reason"],
                        cap_override_reason=data["cap_override_reason"],
                    )
                    done = f"{data['user']} now owns {account.name}."
                elif action == "transfer":
                    account_transfer_owner(
                        account=account,
                        to_user=data["user"],
                        actor=request.user,
                        reason=data["reason"],
                        cap_override_reason=data["cap_override_reason"],
                    )
                    done = f"{account.name} was transferred to {data['user']}."
                else:
                    account_release_owner(
                        account=account, actor=request.user, reason=data["reason"]
                    )
                    done = f"{account.name} no longer has an owner."
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, done)
                return redirect_after_post(request, reverse("accounts:detail", args=[pk]))
    return render(
        request,
        "accounts/owner.html",
        {
            "account": account,
            "ownership": ownership,
            "forms": forms,
            "action": action,
        },
    )


# --- Team --------------------------------------------------------------------------------------


def _team_add_context(account: Account, form: TeamMemberAddForm) -> dict[str, Any]:
    return {
        "team_add": {
            "form": form,
            "action": reverse("accounts:team_add", args=[account.pk]),
            "form_id": TEAM_ADD_TARGET,
            "submit_label": "Add to team",
            "inline": True,
        },
    }


@login_required
@require_http_methods(["GET", "POST"])
def team_add(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    form = TeamMemberAddForm(_posted(request), account=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = team_member_add(
                account=account,
                user=data["user"],
                actor=request.user,
                position=data["position"],
                kind=data["kind"],
                allocation_pct=data["allocation_pct"],
                responsibilities=data["responsibilities"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Added {member.user} to the {account.name} team.")
            return redirect_after_post(request, reverse("accounts:team", args=[pk]))
    context = _team_add_context(account, form)["team_add"]
    context.update(
        {
            "account": account,
            "title": f"Add someone to the {account.name} team",
            "cancel_url": reverse("accounts:team", args=[pk]),
        }
    )
    return _form_response(request, "accounts/form_page.html", context, target=TEAM_ADD_TARGET)


def _member_or_404(account: Account, member_pk: int) -> TeamMember:
    return get_object_or_404(
        TeamMember.objects.select_related("user", "position", "account"),
        pk=member_pk,
        account=account,
    )


def _team_edit_page(
    request: HtmxHttpRequest,
    account: Account,
    member: TeamMember,
    form: TeamMemberEditForm,
    raci_form: RaciForm,
) -> HttpResponse:
    return render(
        request,
        "accounts/team_edit.html",
        {
            "account": account,
            "member": member,
            "form": form,
            "raci_form": raci_form,
        },
    )


def _raci_initial(member: TeamMember) -> dict[str, str]:
    return {**{r.area: r.role for r in member.raci.all()}, "base": raci_edit_key(member)}


def _rebased(request: HtmxHttpRequest, key: str, prefix: str = "") -> QueryDict:
    """The user's input, moved onto the current state after a refused stale save: saving it
    again is then a deliberate choice over the newer values."""
    data = request.POST.copy()
    data[f"{prefix}base"] = key
    return data


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HtmxHttpRequest, pk: int, member_pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    member = _member_or_404(account, member_pk)
    form = TeamMemberEditForm(_posted(request), initial=TeamMemberEditForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            team_member_update(
                member=member,
                actor=request.user,
                expected_key=form.cleaned_data["base"] or None,
                **form.member_fields(),
            )
        except StaleEdit as exc:
            member = _member_or_404(account, member_pk)
            form = TeamMemberEditForm(_rebased(request, team_member_edit_key(member)))
            form.is_valid()
            form_add_domain_error(form, exc)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Saved {member.user}'s place on the team.")
            return redirect_after_post(request, reverse("accounts:team", args=[pk]))
    return _team_edit_page(
        request, account, member, form, RaciForm(initial=_raci_initial(member), prefix="raci")
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_raci(request: HtmxHttpRequest, pk: int, member_pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    member = _member_or_404(account, member_pk)
    raci_form = RaciForm(_posted(request), initial=_raci_initial(member), prefix="raci")
    if request.method == "POST" and raci_form.is_valid():
        try:
            responsibilities_set(
                member=member,
                actor=request.user,
                roles=raci_form.roles(),
                expected_key=raci_form.cleaned_data["base"] or None,
            )
        except StaleEdit as exc:
            data = _rebased(request, raci_edit_key(member), prefix="raci-")
            raci_form = RaciForm(data, prefix="raci")
            raci_form.is_valid()
            form_add_domain_error(raci_form, exc)
        except DomainError as exc:
            form_add_domain_error(raci_form, exc)
        else:
            messages.success(request, f"Saved who does what for {member.user}.")
            return redirect_after_post(request, reverse("accounts:team", args=[pk]))
    return _team_edit_page(
        request,
        account,
        member,
        TeamMemberEditForm(initial=TeamMemberEditForm.initial_for(member)),
        raci_form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_remove(request: HtmxHttpRequest, pk: int, member_pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    member = _member_or_404(account, member_pk)
    form = RemoveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            team_member_remove(
                member=member, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Removed {member.user} from the {account.name} team.")
            return redirect_after_post(request, reverse("accounts:team", args=[pk]))
    return render(
        request,
        "accounts/form_page.html",
        {
            "account": account,
            "form": form,
            "title": f"Remove {member.user} from the team",
            "intro": f"{member.user} ({member.position}, {member.allocation_pct} %) will no longer "
            f"be on the {account.name} team; their RACI roles go with them. The history keeps the "
            "record.",
            "action": reverse("accounts:team_remove", args=[pk, member.pk]),
            "submit_label": "Remove from team",
            "danger": True,
            "cancel_url": reverse("accounts:team", args=[pk]),
        },
    )


# --- External ids ------------------------------------------------------------------------------


def _external_id_form_context(account: Account, form: ExternalIdAddForm) -> dict[str, Any]:
    return {
        "external_id_add": {
            "form": form,
            "action": reverse("accounts:external_id_add", args=[account.pk]),
            "form_id": EXTERNAL_ID_TARGET,
            "submit_label": "Add id",
            "inline": True,
            "compact": True,
        },
    }


@login_required
@require_http_methods(["GET", "POST"])
def external_id_add_view(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    form = ExternalIdAddForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            ext = external_id_add(
                account=account,
                actor=request.user,
                source=form.cleaned_data["source"],
                value=form.cleaned_data["value"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Added {ext} to {account.name}.")
            return redirect_after_post(request, reverse("accounts:detail", args=[pk]))
    context = _external_id_form_context(account, form)["external_id_add"]
    context.update(
        {
            "account": account,
            "title": f"Add an external id to {account.name}",
            "cancel_url": reverse("accounts:detail", args=[pk]),
            "compact": False,
        }
    )
    return _form_response(request, "accounts/form_page.html", context, target=EXTERNAL_ID_TARGET)


@login_required
@require_http_methods(["GET", "POST"])
def external_id_remove_view(
    request: HtmxHttpRequest, pk: int, external_id_pk: int
) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    ext = get_object_or_404(ExternalId, pk=external_id_pk, account=account)
    form = RemoveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            external_id_remove(
                external_id=ext, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Removed {ext} from {account.name}.")
            return redirect_after_post(request, reverse("accounts:detail", args=[pk]))
    return render(
        request,
        "accounts/form_page.html",
        {
            "account": account,
            "form": form,
            "title": f"Remove the external id {ext}",
            "intro": f"{account.name} will no longer be matched to {ext} in imports.",
            "action": reverse("accounts:external_id_remove", args=[pk, ext.pk]),
            "submit_label": "Remove id",
            "danger": True,
            "cancel_url": reverse("accounts:detail", args=[pk]),
        },
    )
