from ankomst.centres.models import Bed


def bed(centre, room_number: str, label: str = "A") -> Bed:
    return Bed.objects.get(room__building__centre=centre, room__number=room_number, label=label)
