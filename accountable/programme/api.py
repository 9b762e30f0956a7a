"""REST endpoints for the programme's settings."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from accountable.core.api_base import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyIn,
    director_required,
    omissible,
)
from accountable.programme.models import ProgrammeSettings
from accountable.programme.selectors import programme_settings
from accountable.programme.services import programme_settings_update

router = Router(tags=["programme"])


class ProgrammeSettingsOut(Schema):
    key_accounts_per_kam_cap: int = Field(
        description="Pilot and key accounts one KAM may own without a director's override."
    )
    updated_at: dt.datetime


class ProgrammeSettingsPatchIn(BodyIn):
    key_accounts_per_kam_cap: int = omissible(ge=1, le=32767)
    reason: str = Field("", max_length=2000)


@router.get(
    "/programme-settings",
    response={200: ProgrammeSettingsOut, **READ_ERRORS},
    summary="The programme's settings",
)
def programme_settings_detail(request: HttpRequest) -> ProgrammeSettings:
    return programme_settings()


@router.patch(
    "/programme-settings",
    response={200: ProgrammeSettingsOut, **WRITE_ERRORS},
    summary="Change the programme's settings",
)
def programme_settings_change(
    request: HttpRequest, payload: ProgrammeSettingsPatchIn
) -> ProgrammeSettings:
    """Programme directors only."""
    user = director_required(request, "change the programme settings")
    data = payload.model_dump(exclude_unset=True)
    if "key_accounts_per_kam_cap" not in data:
        return programme_settings()
    return programme_settings_update(
        actor=user, key_accounts_per_kam_cap=data["key_accounts_per_kam_cap"], reason=payload.reason
    )
