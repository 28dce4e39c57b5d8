"""{% fragment obj ... %}...{% endfragment %}: render once per language and content, then reuse.

Like Django's {% cache %}, but kept in this process and keyed by the *content* of the objects
named (outreach.fragments.revision), the active language and the tag's place in its template.
Everything the block shows must come from the objects named: a value read from elsewhere in the
context (a counter, the request) must be named too.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from outreach.fragments import fragments, revision

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, args: list[template.base.FilterExpression]):
        self.nodelist = nodelist
        self.args = args

    def render(self, context: template.Context) -> SafeString:
        values = [revision(arg.resolve(context)) for arg in self.args]
        # Where the block is (an edited template has new nodes: id() tells them apart).
        place = (self.origin.name, self.token.position, id(self))
        key = (place, get_language(), *values)
        return mark_safe(fragments.get_or_render(key, lambda: self.nodelist.render(context)))  # noqa: S308


@register.tag
def fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    """{% fragment meeting meeting.venue %}...{% endfragment %}"""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs the objects the block shows.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])
