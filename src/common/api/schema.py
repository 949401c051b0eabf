"""Schema post-processing: every operation documents the error answers it can give."""

from __future__ import annotations

ERROR_BODY = {
    "application/json": {
        "schema": {
            "type": "object",
            "description": "`detail` for refusals; field names with lists of messages for "
            "invalid input.",
            "additionalProperties": True,
        }
    }
}
DESCRIPTIONS = {
    "400": "Invalid input; the body names each field (or parameter) and its problem.",
    "401": "No token or session, or an unknown, revoked or inactive token.",
    "403": "Your role does not allow this (or a session request lacks its CSRF token).",
    "404": "No such object, or not visible to you.",
    "429": "Too many requests for this token; retry after the `Retry-After` seconds.",
}


def add_error_responses(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "429"]
            if "{" in path:
                codes.append("404")
            for code in codes:
                responses.setdefault(
                    code, {"description": DESCRIPTIONS[code], "content": ERROR_BODY}
                )
            for code, answer in responses.items():
                if code.startswith("4") and "content" not in answer:
                    answer["content"] = ERROR_BODY
    return result
