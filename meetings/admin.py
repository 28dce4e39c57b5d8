"""Staff admin: venues and meetings, with English and Spanish tabs (modeltranslation)."""

from django.contrib import admin
from django.db.models import Q
from django import forms
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from meetings import dates

from .enums import SpokenLanguage
from .models import Meeting, Venue


class MeetingAdminForm(forms.ModelForm):
    # Staff tick languages instead of typing JSON.
    spoken_languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        choices=SpokenLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Meeting
        fields = "__all__"


@admin.register(Venue)
class VenueAdmin(TabbedTranslationAdmin):
    list_display = ["name", "kind", "city"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "street_address", "city"]


class SpanishCompleteFilter(admin.SimpleListFilter):
    title = _("Spanish text")
    parameter_name = "spanish"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("complete", _("Complete"))]

    def queryset(self, request, queryset):
        missing = Q(title_es__isnull=True) | Q(title_es="")
        missing |= (Q(description_es__isnull=True) | Q(description_es="")) & ~Q(description_en="")
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "complete":
            return queryset.exclude(missing)
        return queryset


@admin.register(Meeting)
class MeetingAdmin(TabbedTranslationAdmin):
    form = MeetingAdminForm
    list_display = ["title", "local_start", "venue", "status", "published", "spanish_complete"]
    list_filter = ["status", "published", SpanishCompleteFilter, "venue"]
    list_select_related = ["venue"]
    search_fields = ["title_en", "title_es", "venue__name"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (None, {"fields": ["title", "description", "host", "venue", "starts_at", "ends_at"]}),
        (_("Publishing"), {"fields": ["status", "published"]}),
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

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, meeting: Meeting) -> str:
        return f"{dates.long_date(meeting.starts_at)}, {dates.clock(meeting.starts_at)}"

    @admin.display(description=_("Spanish complete"), boolean=True)
    def spanish_complete(self, meeting: Meeting) -> bool:
        return not meeting.missing_spanish

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("venue")
