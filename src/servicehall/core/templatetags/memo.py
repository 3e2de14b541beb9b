"""`{% memo key … %}…{% endmemo %}`: a fragment rendered once per process for each combination
of its keys' values (and the active language, URL prefix and escaping), then reused.

The public pages' header and footer are the same for every anonymous visitor of a hall, yet
rendering them node by node cost a third of the progress lookup page, the busiest page of the
hall. A fragment only qualifies when its output cannot depend on anything but its keys, and
the tag checks that when the template is compiled, so a later edit cannot make it serve one
visitor's page to another:

- every variable inside must be one of the keys, written the same way (`center.name`);
- only text, variables, `{% if %}`, `{% trans %}` and simple tags without `as` may appear:
  no `{% csrf_token %}` (a token per visitor), no blocks, includes, loops or tags that set
  variables.

Simple tags inside must be pure functions of their arguments and the language
(`{% fixed_url %}`, `{% fixed_static %}`).
"""

from weakref import WeakSet

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, Node, NodeList, TextNode, Variable, VariableNode
from django.template.defaulttags import IfNode
from django.template.library import SimpleNode
from django.template.smartif import TokenBase
from django.templatetags.i18n import TranslateNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

ALLOWED_NODES = (TextNode, VariableNode, IfNode, TranslateNode, SimpleNode)
MAX_VARIANTS = 256  # per fragment; languages × halls × signed-in states stay far below
_fragments: "WeakSet[MemoNode]" = WeakSet()


class MemoNode(Node):
    def __init__(self, keys: list[FilterExpression], nodelist: NodeList):
        self.keys = keys
        self.nodelist = nodelist
        self.rendered: dict[tuple, str] = {}
        _fragments.add(self)

    def render(self, context) -> str:
        key = (get_language(), get_script_prefix(), get_urlconf(), context.autoescape,
               *(k.resolve(context) for k in self.keys))
        try:
            return self.rendered[key]
        except KeyError:
            pass
        except TypeError:  # a key value that cannot be hashed: render, do not keep
            return self.nodelist.render(context)
        output = self.nodelist.render(context)
        if len(self.rendered) >= MAX_VARIANTS:
            self.rendered.clear()
        self.rendered[key] = output
        return output


@register.tag
def memo(parser, token):
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    allowed = {k.token for k in keys}
    for node in nodelist.get_nodes_by_type(Node):
        check_node(node, allowed)
    return MemoNode(keys, nodelist)


def check_node(node: Node, allowed: set[str]) -> None:
    """Refuse, at compile time, a node whose output could depend on more than the keys."""
    if not isinstance(node, ALLOWED_NODES) or getattr(node, "target_var", None) \
            or getattr(node, "asvar", None) or getattr(node, "takes_context", False):
        raise template.TemplateSyntaxError(
            f"{{% memo %}} cannot hold {node.token.contents if node.token else node!r}: "
            f"only text, variables, if, trans and simple tags without 'as' or the context")
    for name in variables_of(node):
        if name not in allowed:
            raise template.TemplateSyntaxError(
                f"{{% memo %}} uses '{name}' but does not name it as a key")


def variables_of(node: Node):
    """The variable names a node reads, with their lookups (`center.name`)."""
    values = [value for name, value in vars(node).items() if name not in ("token", "origin")]
    while values:
        value = values.pop()
        if isinstance(value, FilterExpression):
            if isinstance(value.var, Variable) and value.var.lookups:
                yield value.var.var
            values.extend(arg for _func, args in value.filters for _lookup, arg in args)
        elif isinstance(value, Variable) and value.lookups:
            yield value.var
        elif isinstance(value, TokenBase):
            values.extend(getattr(value, a, None) for a in ("value", "first", "second"))
        elif isinstance(value, (list, tuple)) and not isinstance(value, NodeList):
            values.extend(value)
        elif isinstance(value, dict):
            values.extend(value.values())


@receiver(setting_changed)
def _forget(**_kwargs) -> None:
    """Tests that change languages, URLs or static storage get freshly rendered fragments."""
    for fragment in _fragments:
        fragment.rendered.clear()
