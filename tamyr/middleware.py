"""Response headers the project sets itself.

Django 5.2 has no Content-Security-Policy support of its own (it arrives in Django 6.0, which
needs Python 3.12), so a policy string from settings is sent on every response that lacks one.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
