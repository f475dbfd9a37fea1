import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ankomst.people.validators import cpr_birth_date, normalise_cpr


@pytest.mark.parametrize(
    "cpr, born",
    [
        ("010190-1234", dt.date(1990, 1, 1)),  # 7th digit 1: 1900s
        ("0101901234", dt.date(1990, 1, 1)),  # without the dash
        ("290200-4321", dt.date(2000, 2, 29)),  # 7th digit 4, year <= 36: 2000s (leap day)
        ("150550-4321", dt.date(1950, 5, 15)),  # 7th digit 4, year > 36: 1900s
        ("311257-5000", dt.date(2057, 12, 31)),  # 7th digit 5, year <= 57: 2000s
        ("311258-5000", dt.date(1858, 12, 31)),  # 7th digit 5, year > 57: 1800s
        ("010136-9000", dt.date(2036, 1, 1)),  # 7th digit 9, year <= 36: 2000s
        ("010137-9000", dt.date(1937, 1, 1)),  # 7th digit 9, year > 36: 1900s
    ],
)
def test_it_reads_the_birth_date_and_century(cpr, born):
    assert cpr_birth_date(cpr) == born


@pytest.mark.parametrize("cpr", ["320190-1234", "290201-1234", "011390-1234", "000000-0000"])
def test_it_rejects_impossible_dates(cpr):
    with pytest.raises(ValidationError) as exc:
        cpr_birth_date(cpr)
    assert exc.value.code == "cpr_date"


@pytest.mark.parametrize("cpr", ["01019-1234", "abcdefghij", "010190 12345", ""])
def test_it_rejects_bad_formats(cpr):
    with pytest.raises(ValidationError) as exc:
        cpr_birth_date(cpr)
    assert exc.value.code == "cpr_format"


def test_it_normalises_to_the_dashed_form():
    assert normalise_cpr("0101901234") == "010190-1234"
