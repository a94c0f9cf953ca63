from assurance.roles import roles_of


def navigation(request):
    """What the header needs to show the right links, without extra queries per link."""
    user = getattr(request, "user", None)
    roles = roles_of(user)
    return {"person_roles": roles, "is_network_admin": roles.is_network_admin}
