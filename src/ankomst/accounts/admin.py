"""The Django admin, for superusers. Every change of an account or membership made here
goes into the audit log too, under the organisation concerned: a superuser who grants
themselves a role in an operator leaves a trace on that operator's audit page."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ankomst.audit.models import Action
from ankomst.audit.services import audit_record, diff_changes

from .models import Membership, Organisation, Unit, User

_MEMBERSHIP_FIELDS = ("organisation_id", "role", "unit_id", "active")


def _membership_state(membership: Membership) -> dict:
    return {field: getattr(membership, field) for field in _MEMBERSHIP_FIELDS}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]

    def _organisation_id(self, user: User) -> int | None:
        membership = user.memberships.order_by("pk").first() if user.pk else None
        return membership.organisation_id if membership else None

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            old = User.objects.filter(pk=obj.pk).values().first() or {}
            before = {field: old.get(field) for field in form.changed_data}
        super().save_model(request, obj, form, change)
        after = {field: getattr(obj, field, None) for field in form.changed_data}
        changes = diff_changes(before, after)
        for many in ("groups", "user_permissions"):
            if many in form.changed_data:
                changes[many] = ["…", [str(x) for x in form.cleaned_data.get(many, [])]]
        audit_record(
            user=request.user,
            action=Action.USER_ACCOUNT,
            obj=obj,
            organisation_id=self._organisation_id(obj),
            summary=f"{'Changed' if change else 'Created'} account {obj.username} in the admin",
            changes=changes,
            request=request,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        before = {m.pk: _membership_state(m) for m in Membership.objects.filter(user=form.instance)}
        super().save_formset(request, form, formset, change)
        username = form.instance.username
        for membership in formset.new_objects:
            self._audit_membership(
                request,
                membership.organisation_id,
                membership,
                f"Granted {membership.role} to {username} in the admin",
                diff_changes({}, _membership_state(membership)),
            )
        for membership, _fields in formset.changed_objects:
            self._audit_membership(
                request,
                membership.organisation_id,
                membership,
                f"Changed the membership of {username} in the admin",
                diff_changes(before.get(membership.pk, {}), _membership_state(membership)),
            )
        # A deleted object has lost its primary key: compare with what is left instead.
        remaining = set(Membership.objects.filter(user=form.instance).values_list("pk", flat=True))
        for pk in sorted(set(before) - remaining):
            state = before[pk]
            self._audit_membership(
                request,
                state["organisation_id"],
                None,
                f"Removed the membership {state['role']} of {username} in the admin",
                diff_changes(state, {}),
                object_id=pk,
            )

    def _audit_membership(self, request, organisation_id, membership, summary, changes, **kw):
        audit_record(
            user=request.user,
            action=Action.MEMBERSHIP,
            object_type="accounts.membership",
            object_id=kw.get("object_id") or membership.pk,
            organisation_id=organisation_id,
            summary=summary,
            changes=changes,
            request=request,
        )

    def delete_model(self, request, obj):
        organisation_id = self._organisation_id(obj)
        memberships = [str(m) for m in obj.memberships.all()]
        super().delete_model(request, obj)
        audit_record(
            user=request.user,
            action=Action.USER_ACCOUNT,
            object_type="accounts.user",
            organisation_id=organisation_id,
            summary=f"Deleted account {obj.username} in the admin ({'; '.join(memberships)})"[:300],
            request=request,
        )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            account = User.objects.filter(pk=id).first()
            if account is not None:
                audit_record(
                    user=request.user,
                    action=Action.PASSWORD_CHANGE,
                    obj=account,
                    organisation_id=self._organisation_id(account),
                    summary=f"Set the password of {account.username} in the admin",
                    request=request,
                )
        return response


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "municipality_code"]
    list_filter = ["kind", "country"]
    inlines = [UnitInline]
