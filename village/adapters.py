from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: an administrator or network coordinator invites people (DESIGN.md §10)."""

    def is_open_for_signup(self, request) -> bool:
        return False
