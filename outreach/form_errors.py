"""A form's mistakes gathered at its top, each linking to the input to fix: the one way the
public reminder form and the staff forms say what is wrong (a long form's red text far below
the fold is an error nobody sees)."""

from __future__ import annotations

from django import forms


def error_summary(form: forms.Form) -> list[tuple[str, str]]:
    """Every error as (id of the input to fix, message), form-wide ones first with no id, then
    the fields' in the order the form shows them."""
    items = [("", str(error)) for error in form.non_field_errors()]
    for name in form.fields:
        errors = form.errors.get(name)
        if not errors:
            continue
        anchor = form[name].auto_id
        if isinstance(form.fields[name].widget, forms.RadioSelect):  # and tick-box lists
            anchor += "_0"  # the first choice: there is no single input to point at
        items += [(anchor, str(error)) for error in errors]
    return items
