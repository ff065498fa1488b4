"""Form helpers shared by the apps' views."""

from django.core.exceptions import ValidationError


def add_action_errors(form, error: ValidationError | PermissionError) -> None:
    """Show what a business action refused on the form the user filled in, field by field where the
    error names a field of this form, so nothing typed is lost."""
    if isinstance(error, PermissionError):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
