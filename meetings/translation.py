"""Translated content fields (modeltranslation): English and Spanish columns for each."""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .models import Meeting, PolicyStatement, Venue


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    fields = ("notes",)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "description", "host", "notice_reason")
    required_languages = ("en",)


@register(PolicyStatement)
class PolicyStatementTranslationOptions(TranslationOptions):
    fields = ("question", "answer")
    # Residents read both languages: neither may fall back to the other.
    required_languages = settings.MODELTRANSLATION_LANGUAGES
