"""The national agency's quotas of this year in the demo, with one agreed exchange."""

from __future__ import annotations

import datetime as dt

from ankomst.accounts.models import Organisation
from ankomst.distribution import services


def create_distribution_demo(agency: Organisation, user, today: dt.date) -> None:
    year = services.announce_year(
        user=user,
        organisation=agency,
        year=today.year,
        table="dk-2024",
        national_number=2000,
        reunified_nationally=None,
        announced_on=dt.date(today.year, 4, 30),
    )
    # Region Nordjylland: Aalborg takes over five persons of Hjørring's quota
    services.add_exchange(
        user=user,
        quota_year=year,
        giver="860",
        receiver="851",
        persons=5,
        reason="Aftalt i KKR Nordjylland 5. september",
        version=year.version,
    )
