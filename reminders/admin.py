"""Staff see counts and a delivery log, never a contact in full; nothing here is editable."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .enums import reason_label
from .models import Delivery, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, no change, no bulk actions (so no export of any kind)."""

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "kind",
        "meeting",
        "channel",
        "language",
        "status",
        "due_at",
        "sent_at",
        "attempts",
        "reason",
    ]
    list_filter = ["status", "kind", "channel", "language"]
    list_select_related = ["meeting"]
    date_hierarchy = "due_at"
    # Every field but the link to a subscription (and through it, a contact).
    fields = [
        "meeting",
        "kind",
        "revision",
        "channel",
        "language",
        "status",
        "due_at",
        "next_try_at",
        "claimed_at",
        "attempts",
        "provider_id",
        "reason",
        "sent_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("reason or last error"))
    def reason(self, obj: Delivery) -> str:
        """The translated reason, not the stored code ("number_stopped")."""
        return reason_label(obj.last_error) if obj.last_error else ""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["masked", "channel", "language", "scope", "status", "consent_at"]
    list_filter = ["status", "channel", "language"]
    fields = [
        "masked",
        "channel",
        "language",
        "scope",
        "status",
        "consent_at",
        "consent_page",
        "created_at",
        "confirmed_at",
    ]
    readonly_fields = fields
    # No search_fields: staff cannot look a person up by phone or email.

    @admin.display(description=_("contact"))
    def masked(self, obj: Subscription) -> str:
        return obj.masked_contact

    @admin.display(description=_("reminders for"))
    def scope(self, obj: Subscription) -> str:
        return str(obj.meeting) if obj.meeting_id else str(_("All upcoming meetings"))

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("meeting")
