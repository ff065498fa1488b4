from django.utils.functional import SimpleLazyObject


def roles(request):
    """`roles` in every template, computed once per request and only when a template asks."""
    from partners.roles import roles_of

    return {"roles": SimpleLazyObject(lambda: _cached(request, roles_of))}


def _cached(request, compute):
    if not hasattr(request, "_village_roles"):
        request._village_roles = compute(request.user)
    return request._village_roles
