from django.contrib import admin

from .models import OperatorAccount, PayeeAccount


@admin.register(OperatorAccount)
class OperatorAccountAdmin(admin.ModelAdmin):
    list_display = ["organisation", "iban", "bic"]


@admin.register(PayeeAccount)
class PayeeAccountAdmin(admin.ModelAdmin):
    list_display = ["person", "bank_account", "bic", "updated_at"]
    raw_id_fields = ["person"]
