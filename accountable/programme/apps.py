from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "accountable.programme"
    label = "programme"
    verbose_name = "Programme"

    def ready(self) -> None:
        from accountable.history.services import track
        from accountable.programme.models import ProgrammeSettings

        track(ProgrammeSettings, account_of=lambda obj: None, exclude=("updated_at",))
