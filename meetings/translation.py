"""Translated content fields (modeltranslation): a column per language for each
(settings.MODELTRANSLATION_LANGUAGES: every shipped language, enabled or not).

Only the default language's text is required by the model, so the migrations are the same
whichever languages an install enables; the admin asks for the enabled ones it needs.
"""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .models import Meeting, PolicyStatement, Venue


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    fields = ("notes",)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "description", "host", "notice_reason")
    required_languages = (settings.LANGUAGE_CODE,)


@register(PolicyStatement)
class PolicyStatementTranslationOptions(TranslationOptions):
    fields = ("question", "answer")
    # Every enabled language is required in the admin form (PolicyStatementAdmin.get_form).
    required_languages = (settings.LANGUAGE_CODE,)
