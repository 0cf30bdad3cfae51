"""The MICIC content loaded from fixtures/ matches the reference facts."""
# ruff: noqa: E501  (the guideline titles are quoted whole)

import pytest

from guidelines.models import Guideline, Phase, Principle

pytestmark = pytest.mark.django_db

GUIDELINES = {
    1: ("preparedness", "Track information on conflicts and natural disasters, and potential impact on migrants"),
    2: ("preparedness", "Collect and share information on migrants, subject to privacy, confidentiality, and the security and safety of migrants"),
    3: ("preparedness", "Empower migrants to help themselves, their families, and communities during and in the aftermath of crises"),
    4: ("preparedness", "Incorporate migrants in prevention, preparedness, and emergency response systems"),
    5: ("preparedness", "Involve migrants in contingency planning and integrate their needs and capacities"),
    6: ("preparedness", "Communicate effectively with migrants"),
    7: ("preparedness", "Establish coordination agreements in advance to leverage strengths and foster trust"),
    8: ("preparedness", "Build capacity and learn lessons for emergency response and post-crisis action"),
    9: ("emergency", "Communicate widely, effectively, and often with migrants on evolving crises and how to access help"),
    10: ("emergency", "Facilitate migrants' ability to move to safety"),
    11: ("emergency", "Provide humanitarian assistance to migrants without discrimination"),
    12: ("emergency", "Establish clear referral procedures among stakeholders"),
    13: ("emergency", "Relocate and evacuate migrants when needed"),
    14: ("post-crisis", "Address migrants' immediate needs and support migrants to rebuild lives"),
    15: ("post-crisis", "Support migrants' host communities"),
}  # fmt: skip

PRINCIPLE_LABELS = [
    "Save lives",
    "Respect, protect, fulfill human rights",
    "Take responsibility: States",
    "Take responsibility: all others",
    "Be guided by humanitarian principles",
    "Empower migrants",
    "Communicate positively about migrants",
    "Act at all levels",
    "Cooperate",
    "Learn and innovate",
]


def test_three_phases_in_order():
    assert list(Phase.objects.values_list("slug", "name")) == [
        ("preparedness", "Crisis preparedness"),
        ("emergency", "Emergency response"),
        ("post-crisis", "Post-crisis action"),
    ]


def test_fifteen_guidelines_with_exact_titles_and_phases():
    actual = {g.number: (g.phase.slug, g.title) for g in Guideline.objects.select_related("phase")}
    assert actual == GUIDELINES


def test_every_guideline_has_a_summary_and_unique_slug():
    guidelines = list(Guideline.objects.all())
    assert all(g.summary for g in guidelines)
    assert len({g.slug for g in guidelines}) == 15


def test_ten_principles_numbered_with_short_labels():
    assert list(Principle.objects.values_list("number", "title")) == list(
        enumerate(PRINCIPLE_LABELS, start=1)
    )


def test_verified_principle_statements_are_exact():
    statements = dict(Principle.objects.values_list("number", "statement"))
    assert statements[1] == "First, save lives."
    assert statements[2] == (
        "As human beings, all migrants are entitled to human rights, "
        "regardless of their immigration status."
    )
    assert statements[3].startswith("States bear the primary responsibility to protect migrants")
    assert statements[4].startswith("Private sector actors, international organizations")


def test_unverified_principle_statements_stay_empty():
    """Principles 6–10: official wording not verified, so nothing is invented."""
    assert set(Principle.objects.filter(number__gte=6).values_list("statement", flat=True)) == {""}


def test_guideline_numbers_are_constrained():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Guideline.objects.create(
            number=16, slug="sixteen", title="Not a guideline", phase=Phase.objects.first()
        )
