"""Django's and django-axes' admin words, translated again in our own catalogue.

locale/ (LOCALE_PATHS) takes precedence over Django's catalogues, so an entry there replaces
Django's Spanish: the phrases Django 6.1 leaves in English ("Run", "Search …"), Spain Spanish
beside ours ("Añadir"), missing accents, and messages whose "El … fue agregado" clashes with
a feminine model name ("reunión"). django-axes ships no Spanish at all.

Nothing imports this module: it exists so `make messages` (makemessages) keeps these entries
in locale/. The admin's JavaScript words (the time zone note) live in djangojs.po, kept by hand.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext


def _admin() -> None:
    # django.contrib.admin: buttons, headings, search, filters, pagination.
    _("Django site admin")
    _("Django administration")
    _("Run")
    _("View")
    _("Thanks for spending some quality time with the web site today.")
    _("staff status")
    _("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.")
    _("Go")
    _("Search %(name)s")
    _("Filter by %(field_name)s")
    _("Pagination %(name)s")
    _("Pagination %(name)s entries")
    _("Clear all filters")
    _("Logout")
    _("Breadcrumbs")
    _("History")
    _("Remove from sorting")
    _("0 of %(cnt)s selected")
    _("Welcome,")
    _("Add")
    _("Add %s")
    _("Add %(name)s")
    _("Add link")
    _("Add another %(model)s")
    _("Save and add another")
    _("Select %s to change")
    _("Change selected %(model)s")
    _("View selected %(model)s")
    _("Delete selected %(verbose_name_plural)s")
    _("Addition")
    _("Added.")
    _("Deletion")
    _("Added {name} “{object}”.")
    _("Changed {fields}.")
    _("Changed {fields} for {name} “{object}”.")
    _("Deleted {name} “{object}”.")
    # Messages after saving: Django's "El {name} … agregado" is wrong for "reunión".
    _("The {name} “{obj}” was added successfully.")
    _("The {name} “{obj}” was added successfully. You may edit it again below.")
    _("The {name} “{obj}” was added successfully. You may add another {name} below.")
    _("The {name} “{obj}” was changed successfully.")
    _("The {name} “{obj}” was changed successfully. You may edit it again below.")
    _("The {name} “{obj}” was changed successfully. You may add another {name} below.")
    _("The %(name)s “%(obj)s” was deleted successfully.")
    _("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?")
    ngettext(
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
        1,
    )
    # Deleting.
    _("Are you sure?")
    _("Yes, I’m sure")
    _("No, take me back")
    _("Delete selected %(model)s")
    _(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the "
        "following related items will be deleted:"
    )
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the "
        "following protected related objects:"
    )
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    )
    _(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but "
        "your account doesn't have permission to delete the following types of objects:"
    )
    _(
        "Deleting the selected %(objects_name)s would require deleting the following "
        "protected related objects:"
    )
    _(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:"
    )
    _('The app "%s" could not be found.')
    # django.conf (forms).
    _("- Select an option -")
    _("No file was submitted.")
    _("The submitted file is empty.")


def _axes() -> None:
    # django-axes: the lockout records a superuser sees.
    _("access attempt")
    _("access attempts")
    _("access failure")
    _("access failures")
    _("access log")
    _("access logs")
    _("access attempt expiration")
    _("access attempt expirations")
    _("Access Attempt")
    _("Access lock out")
    _("Attempt Time")
    _("Expires At")
    _("Failed Logins")
    _("IP Address")
    _("Locked Out")
    _("Logout Time")
    _("Path")
    _("Username")
    _("User Agent")
    _("Not set")
    _("The time when access attempt expires and is no longer valid.")
    _("Clean up expired attempts")
