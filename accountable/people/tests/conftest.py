import pytest
from django.test import Client

from accountable.people.services import api_token_create


@pytest.fixture
def api_client_for():
    """A client that calls the API with a new token of `user` (named "client")."""

    class TokenClient:
        def __init__(self, raw: str) -> None:
            self.client = Client()
            self.headers = {"authorization": f"Bearer {raw}"}

        def get(self, path: str):
            return self.client.get(path, headers=self.headers)

        def post(self, path: str):
            return self.client.post(path, headers=self.headers)

    def make(user):
        _, raw = api_token_create(user=user, name="client")
        return TokenClient(raw)

    return make
