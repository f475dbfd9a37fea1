"""Moving one member of a family away from the others breaks a rule and needs a reason."""

import pytest
from django.core.exceptions import ValidationError

from ankomst.centres import services
from ankomst.centres.models import Stay
from tests.centres.conftest import bed
from tests.centres.test_stays import place


def test_moving_one_member_of_a_family_to_another_room_asks_for_a_reason(staff, centre, family):
    place(staff, family, centre, "A002")  # the whole family in one family room
    father = family[0]
    with pytest.raises(ValidationError) as caught:
        services.transfer(
            user=staff, placements=[services.Placement(father, bed(centre, "A005", "A"))]
        )
    assert any("reason" in m for m in caught.value.messages)
    assert any("household" in m or "family" in m for m in caught.value.messages)
    assert Stay.objects.get(person=father, end__isnull=True).bed.room.number == "A002"


def test_with_a_reason_the_member_is_moved_and_the_override_audited(staff, centre, family):
    from ankomst.audit.models import AuditEvent

    place(staff, family, centre, "A002")
    father = family[0]
    [stay] = services.transfer(
        user=staff,
        placements=[services.Placement(father, bed(centre, "A005", "A"))],
        override_reason="Conflict in the family, agreed with the social worker",
    )
    assert stay.override_reason.startswith("Conflict")
    event = AuditEvent.objects.filter(action="change", object_type="centres.stay").latest("id")
    assert event.purpose.startswith("Conflict")


def test_moving_the_whole_family_together_needs_no_reason(staff, centre, family):
    place(staff, family, centre, "A002")
    stays = services.transfer(
        user=staff,
        placements=[
            services.Placement(p, bed(centre, "A001", chr(65 + i))) for i, p in enumerate(family)
        ],
    )
    assert len(stays) == 3


def test_the_transfer_page_asks_for_the_reason(client_of, staff, centre, family):
    place(staff, family, centre, "A002")
    father = family[0]
    response = client_of(staff).post(
        f"/centres/person/{father.pk}/transfer/?household=0",
        {f"bed_{father.pk}": bed(centre, "A005", "A").pk, "household": "0"},
    )
    assert response.status_code == 200
    assert "Give a reason to override the allocation rules." in response.content.decode()
