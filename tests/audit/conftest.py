"""The payment tests' operator, residents and payment staff, for refusals of payment steps."""

from tests.allowances.conftest import (  # noqa: F401
    caseworker,
    centres,
    check_in,
    dk_operator,
    finance,
    single,
)
