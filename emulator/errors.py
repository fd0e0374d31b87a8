"""One exception root; every error leaves the HTTP layer as Stream's APIError body.

Codes and HTTP statuses are Stream's documented API error codes (4 input, 5 auth, 9 rate
limit, 16 not found, 17 not allowed, 22 payload too big, 40/41/43 token problems).
"""

from __future__ import annotations

from typing import Any

MORE_INFO = "https://getstream.io/chat/docs/api_errors_response"


class StreamError(Exception):
    """Root of every error the emulator reports to a client."""

    code = -1
    status = 500

    def __init__(self, detail: str, *, exception_fields: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.exception_fields = exception_fields

    def body(self, operation: str | None, duration: str) -> dict[str, Any]:
        message = failed_with_error(operation, self.detail) if operation else self.detail
        body: dict[str, Any] = {
            "code": self.code,
            "message": message,
            "StatusCode": self.status,
            "duration": duration,
            "more_info": MORE_INFO,
            "details": [],
        }
        if self.exception_fields:
            body["exception_fields"] = self.exception_fields
        return body


def failed_with_error(operation: str, detail: str) -> str:
    """Stream's `<Operation> failed with error: "<detail>"`, always wrapped as Stream wraps it
    (consumers match on that prefix), even when the detail ends in a quote of its own
    (`…API key "k""` then ends in two: Stream's own messages do the same)."""
    return f'{operation} failed with error: "{detail}"'


class InputError(StreamError):
    code, status = 4, 400


class AccessKeyError(StreamError):
    code, status = 2, 401


class AuthenticationError(StreamError):
    code, status = 5, 401


class TokenExpiredError(StreamError):
    code, status = 40, 401


class TokenNotValidYetError(StreamError):
    code, status = 41, 401


class TokenSignatureError(StreamError):
    code, status = 43, 401


class NotAllowedError(StreamError):
    code, status = 17, 403


class DoesNotExistError(StreamError):
    code, status = 16, 404


class MethodNotAllowedError(StreamError):
    # Stream's table has no 405 row; code 4 (input error) is the closest meaning.
    code, status = 4, 405


class PayloadTooBigError(StreamError):
    code, status = 22, 413


class RateLimitError(StreamError):
    code, status = 9, 429


class InternalError(StreamError):
    code, status = -1, 500


class SqsEndpointError(InternalError):
    """The SQS endpoint did not answer a set-up call (an external one that is down, a wrong
    URL): `run` and `simulate --standalone` say so in one line instead of a traceback."""
