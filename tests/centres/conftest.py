import datetime as dt

import pytest

from ankomst.centres.models import Bed
from ankomst.people.models import Household


def bed(centre, room_number: str, label: str = "A") -> Bed:
    return Bed.objects.get(room__building__centre=centre, room__number=room_number, label=label)


@pytest.fixture
def family(make_person, operator):
    household = Household.objects.create(organisation=operator, reference="H-1")
    father = make_person(operator, "Khaled Haddad", born=dt.date(1985, 1, 1), household=household)
    mother = make_person(
        operator,
        "Reem Haddad",
        born=dt.date(1988, 1, 1),
        sex="F",
        household=household,
        relation="spouse",
    )
    child = make_person(
        operator, "Omar Haddad", born=dt.date(2018, 1, 1), household=household, relation="child"
    )
    return [father, mother, child]
