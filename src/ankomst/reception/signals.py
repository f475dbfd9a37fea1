"""A granted case phase naming a municipality announces the household's arrival there.

The centres app knows nothing of the reception; the reception listens for the phase. The
announcement runs in the phase's transaction: both are saved, or neither.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from ankomst.centres.models import CasePhase

from . import calendar
from .services import announce_from_phase


@receiver(post_save, sender=CasePhase, dispatch_uid="reception_announce_from_phase")
def phase_saved(sender, instance: CasePhase, created: bool, raw: bool = False, **kwargs):
    if raw or instance.phase != "granted" or instance.municipality_id is None:
        return
    rule_date = calendar.handover_date(instance.start)
    if instance.handover_date is None or instance.handover_date > rule_date:
        # The operator sees when the resident leaves: the rule's date unless agreed earlier.
        instance.handover_date = rule_date
        CasePhase.objects.filter(pk=instance.pk).update(handover_date=instance.handover_date)
    announce_from_phase(instance)
