"""The sectors of care (ziekenhuis, VVT, GGZ, …): the vocabulary that organisations have and
framework items are asked of. Project-level, so that the framework library needs nothing of
the organisations app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    ZIEKENHUIS = "ziekenhuis", _("Ziekenhuis")
    UMC = "umc", _("UMC")
    VVT = "vvt", _("VVT (verpleging, verzorging en thuiszorg)")
    GGZ = "ggz", _("GGZ")
    GEHANDICAPTENZORG = "gehandicaptenzorg", _("Gehandicaptenzorg")
    HUISARTSENPOST = "huisartsenpost", _("Huisartsenpost")
    AMBULANCEZORG = "ambulancezorg", _("Ambulancezorg")
    ZBC = "zbc", _("ZBC (zelfstandig behandelcentrum)")
    REVALIDATIE = "revalidatie", _("Revalidatie")
    GGD = "ggd", _("GGD")
    APOTHEEK = "apotheek", _("Apotheek")
    OVERIG = "overig", _("Overig")
