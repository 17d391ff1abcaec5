from django import template

register = template.Library()


@register.filter
def bare_label(label):
    """A field's label without its closing mark, to stand before a colon in the error summary."""
    return str(label).rstrip("?？:：.。 ")
