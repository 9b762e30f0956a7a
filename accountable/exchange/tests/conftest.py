from pathlib import Path

import pytest
from django.conf import settings

from accountable.people.models import User
from tests.factories import UserFactory

# The real public data sets, beside the project (see ../shared/data/README.md).
DATA = Path(settings.PROJECT_DIR).parent / "shared" / "data"


@pytest.fixture
def director(db) -> User:
    return UserFactory.create(username="director", role=User.Role.DIRECTOR)


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR
