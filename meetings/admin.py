"""Staff admin: venues and meetings, with English and Spanish tabs (modeltranslation),
plus the staff tools (series, duplicate, cancel/undo/reschedule, flyers, dashboard)."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from meetings import dates
from outreach import languages

from . import completeness, history, imports
from .audience import audience
from .enums import MeetingStatus
from .facts import list_of
from .models import Meeting, PolicyStatement, Venue
from .series import reminder_offsets_field, spoken_languages_field
from .staff import dashboard, flyer_views, notices, scheduling

# The service's own name in every admin page's header and title, not "Django administration".
admin.site.site_header = _("Community meetings: staff")
admin.site.site_title = _("Community meetings: staff")


def hidden_on_delete() -> list[type]:
    """Internal rows deleted along with a meeting that staff need not read about."""
    if not apps.is_installed("reminders"):
        return []
    return [apps.get_model("reminders", "MeetingState")]


def _without_prefix(items: list, prefix: str) -> list:
    """Django's nested list of "Model: object" lines, without those starting with prefix."""
    kept = []
    for item in items:
        if isinstance(item, list):
            nested = _without_prefix(item, prefix)
            if nested:
                kept.append(nested)
        elif not str(item).startswith(prefix):
            kept.append(item)
    return kept


class MeetingAdminForm(forms.ModelForm):
    # Staff tick languages instead of typing JSON.
    spoken_languages = spoken_languages_field()
    reminder_offsets = reminder_offsets_field()

    class Meta:
        model = Meeting
        fields = "__all__"  # noqa: DJ007  (the admin's fieldsets choose what is shown)

    def clean(self) -> dict:
        data = super().clean()
        published = data.get("published", getattr(self.instance, "published", False))
        if published and not completeness.may_publish(data):
            self.add_error("published", completeness.PUBLISH_ERROR)
        if not published and (waiting := self._subscribers_left_without_a_word()):
            self.add_error("published", hide_refused(waiting))
        self._name_errors_in_other_tabs()
        return data

    def _name_errors_in_other_tabs(self) -> None:
        """A text field in a language tab that is not showing ("Título (inglés)") is named at
        the top: its own error sits inside the hidden tab."""
        labels = []
        for name in self.errors:
            try:
                field = Meeting._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if getattr(field, "language", None):
                labels.append(languages.field_label(field))
        if labels:
            self.add_error(
                None,
                gettext("Check, in its language's tab: %(fields)s.") % {"fields": list_of(labels)},
            )

    def _subscribers_left_without_a_word(self) -> int:
        """People with reminders for this meeting, were it hidden now (self.instance still
        holds the saved values): hidden, their reminders stop and its link opens nothing."""
        meeting = self.instance
        if not (meeting.pk and meeting.published and meeting.status == MeetingStatus.SCHEDULED):
            return 0
        if meeting.starts_at and meeting.starts_at <= timezone.now():
            return 0
        return audience(meeting.pk).total


def hide_refused(count: int) -> str:
    return ngettext(
        "%(count)s person asked for reminders of this meeting: hidden, it would stop them "
        "without a word, and the link in their messages would open nothing. If the meeting "
        "will not happen, use “Cancel with notice”; if its date, time or place changes, use "
        "“Reschedule”.",
        "%(count)s people asked for reminders of this meeting: hidden, it would stop them "
        "without a word, and the link in their messages would open nothing. If the meeting "
        "will not happen, use “Cancel with notice”; if its date, time or place changes, use "
        "“Reschedule”.",
        count,
    ) % {"count": count}


class EnabledLanguagesMixin:
    """Tabs for the enabled languages only (settings.LANGUAGES): the columns of the others
    exist (shipped migrations) but staff neither see nor save them."""

    def replace_orig_field(self, option):
        replaced = super().replace_orig_field(option)
        if not replaced:
            return replaced
        hidden = set(languages.disabled_columns(self.trans_opts.all_fields))
        return [name for name in replaced if not (isinstance(name, str) and name in hidden)]

    def _exclude_original_fields(self, exclude=None):
        hidden = languages.disabled_columns(self.trans_opts.all_fields)
        return tuple(super()._exclude_original_fields(exclude)) + tuple(hidden)


class TranslationNoteMixin:
    """A read-only line on the change form and a list column: which text is still missing."""

    @admin.display(description=_("missing text"))
    def missing_text(self, obj) -> str:
        return completeness.describe_missing(obj) if obj and obj.pk else ""

    @admin.display(description=_("translations"))
    def translation_note(self, obj) -> str:
        if not obj or not obj.pk:
            return ""
        return completeness.describe_missing(obj) or gettext("Every language is complete.")


@admin.register(Venue)
class VenueAdmin(EnabledLanguagesMixin, TranslationNoteMixin, TabbedTranslationAdmin):
    list_display = ["name", "kind", "city", "missing_text"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "street_address", "city"]
    readonly_fields = ["translation_note"]


class PublishingTextFilter(admin.SimpleListFilter):
    """The text each publishing language needs (settings.PUBLISH_LANGUAGES): there or not."""

    title = _("text needed to publish")
    parameter_name = "publishing_text"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("complete", _("Complete"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(completeness.missing_for_publishing_q())
        if self.value() == "complete":
            return queryset.exclude(completeness.missing_for_publishing_q())
        return queryset


def yes_no_icon(value: bool) -> str:
    """Django's yes/no icon, with its text in the staff member's language: Django's own
    boolean columns write alt="True" / alt="False" in English for screen readers."""
    icon = static(f"admin/img/icon-{'yes' if value else 'no'}.svg")
    return format_html('<img src="{}" alt="{}">', icon, gettext("Yes") if value else gettext("No"))


@admin.register(Meeting)
class MeetingAdmin(EnabledLanguagesMixin, TranslationNoteMixin, TabbedTranslationAdmin):
    form = MeetingAdminForm
    list_display = [
        "title",
        "local_start",
        "venue",
        "status",
        "is_published",
        "ready_to_publish",
        "missing_text",
        "planned_attendance",
    ]
    list_filter = ["status", "published", PublishingTextFilter, "venue"]
    list_select_related = ["venue"]
    search_fields = [*languages.columns("title"), "venue__name"]
    date_hierarchy = "starts_at"
    actions = ["cancel_with_notice", "reschedule_one"]
    change_form_template = "admin/meetings/meeting/change_form.html"
    object_history_template = "admin/meetings/meeting/object_history.html"
    # Both warn when people asked for reminders, and link "Cancel with notice" instead.
    delete_confirmation_template = "admin/meetings/meeting/delete_confirmation.html"
    delete_selected_confirmation_template = (
        "admin/meetings/meeting/delete_selected_confirmation.html"
    )
    change_list_template = "admin/meetings/meeting/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "translation_note",
                    "title",
                    "description",
                    "host",
                    "venue",
                    "starts_at",
                    "ends_at",
                ]
            },
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published",
                    "reminder_offsets",
                    "planned_attendance",
                    "reminder_audience",
                ]
            },
        ),
        (
            _("What to expect"),
            {
                "fields": [
                    "is_free",
                    "no_id_asked",
                    "spoken_languages",
                    "interpretation",
                    "children_welcome",
                    "step_free_access",
                    "parking",
                    "transit",
                ]
            },
        ),
    ]

    @admin.display(description=_("reminders"))
    def reminder_audience(self, meeting: Meeting) -> str:
        """Confirmed subscribers by channel and language, and where the messages stand
        (queued, held, being checked, sent, skipped and failed with reasons): counts only."""
        if not meeting or not meeting.pk:
            return ""
        counts = audience(meeting.pk)
        return format_html(
            "<p>{}</p>{}",
            counts.by_language_text(),
            render_to_string("admin/meetings/_messages.html", {"tally": counts.messages}),
        )

    def get_readonly_fields(self, request, obj=None):
        # Status, time and venue of a saved meeting change only through Cancel / Reschedule,
        # whose confirmation pages say how many subscribers will be told.
        fixed = ["translation_note", "planned_attendance", "reminder_audience", "status"]
        if obj is not None and obj.pk:
            fixed += ["venue", "starts_at", "ends_at"]
        return fixed

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, meeting: Meeting) -> str:
        return dates.day_and_time(
            dates.long_date(meeting.starts_at), dates.clock(meeting.starts_at)
        )

    @admin.display(description=_("published"), ordering="published")
    def is_published(self, meeting: Meeting) -> str:
        return yes_no_icon(meeting.published)

    @admin.display(description=_("text needed to publish"))
    def ready_to_publish(self, meeting: Meeting) -> str:
        return yes_no_icon(completeness.ready_to_publish(meeting))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("venue")

    def construct_change_message(self, request, form, formsets, add=False):
        """Django's message naming the fields, plus each tracked value before and after."""
        message = super().construct_change_message(request, form, formsets, add)
        if add:
            values = history.differences({}, history.snapshot(form.instance))
        else:
            values = history.form_changes(form)
        if values:
            message.append({"values": values, "via": "admin"})
        return message

    def get_deleted_objects(self, objs, request):
        """The delete page's list without the reminders' internal bookkeeping row (it names
        no one, has no page of its own and only confuses a non-developer)."""
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for model in hidden_on_delete():
            counts.pop(model._meta.verbose_name_plural, None)
            to_delete = _without_prefix(to_delete, f"{capfirst(model._meta.verbose_name)}: ")
        return to_delete, counts, perms_needed, protected

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"can_undo": False, **(extra_context or {})}
        meeting = Meeting.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if meeting is not None:
            extra["can_undo"] = notices.can_undo(meeting)
        return super().change_view(request, object_id, form_url, extra)

    @admin.action(description=_("Cancel with notice"), permissions=["change"])
    def cancel_with_notice(self, request: HttpRequest, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(reverse("admin:meetings_meeting_cancel") + f"?ids={ids}")

    @admin.action(description=_("Reschedule"), permissions=["change"])
    def reschedule_one(self, request: HttpRequest, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Choose one meeting to reschedule."), messages.WARNING
            )
            return None
        pk = queryset.get().pk
        return HttpResponseRedirect(reverse("admin:meetings_meeting_reschedule", args=[pk]))

    def get_urls(self):
        def view(func, **fixed):
            def wrapped(request, *args, **kwargs):
                return func(request, self, *args, **kwargs, **fixed)

            return self.admin_site.admin_view(wrapped)

        name = "meetings_meeting_"
        tools = [
            path("series/", view(scheduling.schedule_series), name=name + "series"),
            path("import/", view(imports.import_csv), name=name + "import"),
            path("cancel/", view(notices.cancel), name=name + "cancel"),
            path("dashboard/", view(dashboard.dashboard), name=name + "dashboard"),
            path("flyer/", view(flyer_views.series_flyer), name=name + "series_flyer"),
            path("<int:pk>/duplicate/", view(scheduling.duplicate), name=name + "duplicate"),
            path("<int:pk>/undo-cancel/", view(notices.undo_cancel), name=name + "undo"),
            path("<int:pk>/reschedule/", view(notices.reschedule), name=name + "reschedule"),
            path("<int:pk>/flyer/", view(flyer_views.meeting_flyer), name=name + "flyer"),
        ]
        tools += [
            path("flyer.pdf", view(flyer_views.series_flyer_pdf), name=name + "series_flyer_pdf"),
            path(
                "<int:pk>/flyer.pdf", view(flyer_views.meeting_flyer_pdf), name=name + "flyer_pdf"
            ),
        ] + [
            path(
                f"<int:pk>/qr-<str:language>.{kind}",
                view(flyer_views.qr_download, kind=kind),
                name=f"{name}qr_{kind}",
            )
            for language in languages.codes()
            for kind in ("png", "svg")
        ]
        return tools + super().get_urls()


@admin.register(PolicyStatement)
class PolicyStatementAdmin(EnabledLanguagesMixin, TabbedTranslationAdmin):
    """The department's own answers on the public questions page, in every language."""

    def get_form(self, request, obj=None, **kwargs):
        # Residents read every enabled language: none may fall back to another.
        form = super().get_form(request, obj, **kwargs)
        for field in ("question", "answer"):
            for name in languages.columns(field):
                if name in form.base_fields:
                    form.base_fields[name].required = True
        return form

    list_display = ["question", "order"]
    list_editable = ["order"]
