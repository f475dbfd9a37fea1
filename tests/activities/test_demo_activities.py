"""The demo week of activities, contracts and concerns."""

from ankomst.accounts.models import User
from ankomst.activities.models import Activity, Attendance, Enrolment, ResidenceContract, Session
from ankomst.activities.selectors import adults_without_contract
from ankomst.casework.models import Concern
from ankomst.casework.selectors import concern_list
from ankomst.demo.activities import create_activities_demo


def _counts():
    return (
        Activity.objects.count(),
        Session.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
        ResidenceContract.objects.count(),
        Concern.objects.count(),
    )


def test_it_builds_a_week_and_runs_only_once(demo, demo_snapshot):
    # create_demo called create_activities_demo
    assert Session.objects.filter(teacher__username="teacher").exists()
    today = demo_snapshot.built_on  # not the clock's: the suite may run past midnight
    assert Session.objects.filter(date=today).exists() or today.weekday() >= 5
    assert Enrolment.objects.filter(activity__name="Dansk modul 1").count() == 30
    assert ResidenceContract.objects.count() > 0
    staff = User.objects.get(username="staff")
    assert concern_list(staff)[0].overdue == 1
    assert adults_without_contract(staff)
    counts = _counts()
    assert not create_activities_demo().created
    assert counts == _counts()


def _clear():
    Activity.objects.all().delete()
    Concern.objects.all().delete()
    ResidenceContract.objects.all().delete()


def test_it_is_deterministic(demo):
    _clear()
    assert create_activities_demo(seed=5).created
    first = sorted(Enrolment.objects.values_list("activity__name", "person__name_latin"))
    _clear()
    create_activities_demo(seed=5)
    assert first == sorted(Enrolment.objects.values_list("activity__name", "person__name_latin"))
