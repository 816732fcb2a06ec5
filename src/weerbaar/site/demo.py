"""The demo region, loaded app by app: each app offers its own demo data and this list puts
them in order (people first, then the rounds they answer, then what builds on the answers).
Every step is idempotent: loading twice changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from weerbaar.accounts.models import User
from weerbaar.assessments.demo import load_demo_rounds
from weerbaar.crisis.demo import load_demo_crisis
from weerbaar.dependencies.demo import load_demo_dependencies
from weerbaar.insights.demo import release_demo_capacity
from weerbaar.organisations.demo import COORDINATOR_EMAIL, REGION_CODE, DemoSignIn, load_demo
from weerbaar.organisations.models import Region
from weerbaar.scenarios.demo import load_demo_clients, load_demo_scenario
from weerbaar.scoring.demo import load_demo_norms


@dataclass(frozen=True)
class DemoStep:
    load: Callable[[Region, Any], Any]  # (region, coordinator) → something when it loaded
    done: str  # what the command says when it did (nothing when empty)


STEPS = (
    DemoStep(load_demo_norms, ""),  # silently: part of the region
    DemoStep(
        load_demo_rounds, "Demo rounds loaded: last year's (established) and this year's (open)."
    ),
    DemoStep(load_demo_dependencies, "Demo dependency register loaded."),
    DemoStep(
        release_demo_capacity, "Capacity figures of last year's round released to region readers."
    ),
    DemoStep(load_demo_clients, "Demo power-dependent clients at home recorded."),
    DemoStep(load_demo_scenario, "A saved scenario of the demo region: a regional exercise."),
    DemoStep(
        load_demo_crisis,
        "Demo crisis data loaded: 24/7 contacts, the region's numbers and a regional exercise.",
    ),
)


def load_demo_region(say: Callable[[str], None]) -> list[DemoSignIn]:
    """Load the demo region and everything in it; returns the demo sign-ins."""
    sign_ins = load_demo()
    region = Region.objects.get(code=REGION_CODE)
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    for step in STEPS:
        if step.load(region, coordinator) and step.done:
            say(step.done)
    return sign_ins
