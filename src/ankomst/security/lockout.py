"""Lock-out per account and per source address, with a limit for each.

django-axes counts failures per lock-out parameter and compares the largest count with
one limit. An account is locked after ``AXES_FAILURE_LIMIT`` failures; an address only
after ``LOCKOUT_ADDRESS_FAILURES``, as a whole asylum centre signs in from one public
address. The handler scales the address count onto the account's limit, so that axes'
single comparison applies both limits exactly.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # In the order of AXES_LOCKOUT_PARAMETERS: the username, then the address.
        by_account, by_address = (
            _failures(attempts) for attempts in self.get_user_attempts(request, credentials)
        )
        # by_address * limit // address_limit reaches limit exactly when by_address
        # reaches address_limit.
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.LOCKOUT_ADDRESS_FAILURES
        return max(by_account, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears the account's failures, not the whole address's:
        otherwise one colleague signing in would reset the count of a spraying attack."""
        by_account = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_account.delete()
        return count
