from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from accountable.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Browsers ask for /favicon.ico whatever the page says. The hashed name is looked up when
    # asked, not at import: `check` and `migrate` run before collectstatic on a fresh install.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("core/favicon.svg"), permanent=True),
    ),
]
