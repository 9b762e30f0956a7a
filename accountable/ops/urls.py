from django.urls import path

from accountable.ops import views

# Answered by HealthCheckMiddleware before anything else; listed here too so that they are
# part of the URL map (and of the permissions matrix).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
