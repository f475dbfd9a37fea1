import pytest

from ankomst.accounts.roles import Role
from ankomst.centres.estate import BuildingSpec, RoomSpec, build_estate
from ankomst.centres.models import Bed, Catering, Centre, CentreType, RoomKind

F, M, W, S = RoomKind.FAMILY, RoomKind.DORM_MALE, RoomKind.DORM_FEMALE, RoomKind.SINGLE


@pytest.fixture
def centre(operator):
    """A residence centre: per floor 2 family rooms of 4 (one accessible), 2 of 2, a men's and a
    women's dormitory of 3 and 2 single rooms; two floors."""
    c = Centre.objects.create(organisation=operator, name="Residence North", centre_type=CentreType.RESIDENCE,
                              catering=Catering.SELF_CATERING)
    build_estate(c, [BuildingSpec("A", 2, (RoomSpec(F, 4, 1, accessible=True), RoomSpec(F, 4, 1),
                                            RoomSpec(F, 2, 2), RoomSpec(M, 3, 1), RoomSpec(W, 3, 1),
                                            RoomSpec(S, 1, 2)))])
    return c


@pytest.fixture
def children_centre(operator):
    c = Centre.objects.create(organisation=operator, name="Children's centre", centre_type=CentreType.CHILDREN,
                              catering=Catering.CANTEEN)
    build_estate(c, [BuildingSpec("K", 1, (RoomSpec(M, 4, 1), RoomSpec(W, 4, 1)))])
    return c


@pytest.fixture
def staff(make_user, operator):
    return make_user(Role.CENTRE_STAFF, operator, username="staff")


def bed(centre, room_number: str, label: str = "A") -> Bed:
    return Bed.objects.get(room__building__centre=centre, room__number=room_number, label=label)
