from django.apps import AppConfig


class BenchConfig(AppConfig):
    """District-scale data and the benchmark (`make bench`); no models, no pages of its own."""

    name = "bench"
    verbose_name = "Benchmark"
