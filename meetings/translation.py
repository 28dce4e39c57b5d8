"""Translated content fields (modeltranslation): English and Spanish columns for each."""

from modeltranslation.translator import TranslationOptions, register

from .models import Meeting, Venue


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    fields = ("notes",)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "description", "host")
    required_languages = ("en",)
