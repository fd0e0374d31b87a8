"""Stream's error message wrapping: `<Operation> failed with error: "<detail>"`."""

from __future__ import annotations

from emulator.errors import InputError, TokenSignatureError, failed_with_error


def test_a_plain_detail_is_wrapped_in_quotes_as_stream_does():
    assert failed_with_error("UpdateApp", "sqs_url must be a valid URL") == \
        'UpdateApp failed with error: "sqs_url must be a valid URL"'
    body = InputError("count must be between 1 and 10000, got 0").body("TriggerEvents", "1ms")
    assert body["message"] == \
        'TriggerEvents failed with error: "count must be between 1 and 10000, got 0"'


def test_a_detail_that_quotes_a_value_is_still_wrapped_as_stream_wraps_it():
    detail = 'message.created_at: expected a timestamp, received string "notadate"'
    assert failed_with_error("TriggerEvents", detail) == \
        f'TriggerEvents failed with error: "{detail}"'
    signature = TokenSignatureError('JWTAuth error: signature is not valid. Make sure the token '
                                    'is created using the secret for API key "emulator-key"')
    message = signature.body("GetApp", "1ms")["message"]
    assert message.startswith('GetApp failed with error: "JWTAuth error: signature')
    assert message.endswith('API key "emulator-key""')


def test_without_an_operation_the_detail_is_the_message():
    assert InputError('"x" is unknown').body(None, "1ms")["message"] == '"x" is unknown'
