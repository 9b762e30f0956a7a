from accountable.programme.models import ProgrammeSettings
from accountable.programme.services import programme_settings_get


def programme_settings() -> ProgrammeSettings:
    return programme_settings_get()
