from django import template

from meetings import history

register = template.Library()

register.filter("history_details", history.describe)
