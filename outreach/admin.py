"""Users and groups in the staff member's language: Django stores permission names in English
when it migrates ("Can add meeting"), so the permission lists are labelled here instead."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Django's four default permissions, by the codename's first word.
ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """ "Reuniones | Puede agregar reunión" rather than "meetings | meeting | Can add meeting"."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    app = capfirst(model._meta.app_config.verbose_name)
    action = permission.codename.partition("_")[0]
    if action in ACTIONS:
        return f"{app} | {ACTIONS[action] % {'model': model._meta.verbose_name}}"
    return f"{app} | {permission.name}"


class TranslatedPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in {"permissions", "user_permissions"} and field is not None:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class TranslatedGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    pass


@admin.register(User)
class TranslatedUserAdmin(TranslatedPermissionsMixin, UserAdmin):
    pass
