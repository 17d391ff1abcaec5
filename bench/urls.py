"""The site's URLs plus the minimal page the others are compared with (`make bench` only)."""

from django.urls import path

from bench.views import ceiling
from culturecenter.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("bench/ceiling/", ceiling, name="bench_ceiling")]
