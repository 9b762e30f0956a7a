from django.contrib import admin
from django.urls import include, path

from accountable.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("accountable.accounts.urls")),
    path("accounts/", include("accountable.plans.urls")),
    path("people/", include("accountable.people.urls")),
    path("programme/", include("accountable.programme.urls")),
    path("selection/", include("accountable.selection.urls")),
    path("", include("accountable.relationships.urls")),
    path("notifications/", include("accountable.notifications.urls")),
    path("imports/", include("accountable.exchange.urls")),
    path("revenue/", include("accountable.revenue.urls")),
    path("", include("accountable.ops.urls")),
    path("", include("accountable.core.urls")),
]

handler400 = "accountable.core.views.bad_request"
handler403 = "accountable.core.views.permission_denied"
handler404 = "accountable.core.views.page_not_found"
handler500 = "accountable.core.views.server_error"
