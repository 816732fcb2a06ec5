"""Recording the power-dependent clients at home (per municipality and device) that the
scenarios count when the power goes. The organisation's admins and the region's
coordinators keep them (MANAGE); whoever sees the organisation's data sees them."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.models import audit_record
from weerbaar.organisations import access
from weerbaar.organisations.access import Level, NotAllowed
from weerbaar.organisations.models import Organisation

from .models import PowerDependentClients


class ClientsInvalid(ValueError):
    """Input that cannot be used (Dutch message); nothing was saved."""


def may_keep(user: Any, organisation: Organisation) -> bool:
    return access.can(user, organisation, Level.MANAGE)


@transaction.atomic
def clients_add(
    *, organisation: Organisation, by: Any, values: dict[str, Any]
) -> PowerDependentClients:
    """Add a group (``values`` as ``ClientsForm`` cleans them); a group for the same
    municipality and device is refused, never overwritten: remove it first."""
    if not may_keep(by, organisation):
        raise NotAllowed(_("Alleen de organisatiebeheerder en de regio houden dit bij."))
    municipality = " ".join(str(values["municipality"]).split())
    try:
        with transaction.atomic():
            group = PowerDependentClients.objects.create(
                organisation=organisation,
                municipality=municipality,
                device=values["device"],
                count=values["count"],
                battery_hours=values["battery_hours"],
                updated_by=by,
                updated_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ClientsInvalid(
            _("Voor %(place)s staat dit apparaat er al; verwijder het eerst om het te wijzigen.")
            % {"place": municipality}
        ) from exc
    audit_record(
        actor=by,
        action="clients.add",
        obj=group,
        organisation=organisation,
        new={
            "municipality": municipality,
            "device": group.device,
            "count": group.count,
            "battery_hours": str(group.battery_hours),
        },
    )
    return group


@transaction.atomic
def clients_remove(*, group: PowerDependentClients, by: Any) -> None:
    if not may_keep(by, group.organisation):
        raise NotAllowed(_("Alleen de organisatiebeheerder en de regio houden dit bij."))
    audit_record(
        actor=by,
        action="clients.remove",
        obj=group,
        organisation=group.organisation,
        old={"municipality": group.municipality, "device": group.device, "count": group.count},
    )
    group.delete()
