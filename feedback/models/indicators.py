"""What the awareness, participation and coverage rates are measured against."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from culturecenter.models import Village


class VillagePopulation(models.Model):
    """A village's resident population (常住人口), entered by staff, for registry coverage."""

    village = models.CharField(_("village"), max_length=20, choices=Village.choices, unique=True)
    population = models.PositiveIntegerField(_("resident population"))
    as_of = models.DateField(_("as of"), help_text=_("The date of the figure (e.g. the last census or 村委会 count)."))

    class Meta:
        verbose_name = _("village population")
        verbose_name_plural = _("village populations")
        ordering = ["village"]

    def __str__(self):
        return f"{self.get_village_display()} · {self.population}"
