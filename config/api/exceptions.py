"""Errors as the API answers them: French messages, by field where there is one.

REST framework handles its own exceptions, Django's ``Http404`` and
``PermissionDenied``; the services raise Django's ``ValidationError`` (the pages show
it next to the field), which becomes a 400 with the same messages here, never a 500.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    return exception_handler(exc, context)


@csrf_exempt
def not_found(request):
    """An address under /api/ that names no resource (a wrong year, a typo), whatever the
    method: the API has no session, hence no CSRF token to check."""
    return JsonResponse({"detail": "Adresse inconnue dans l'API : voyez /api/docs."}, status=404)
