from typing import Any

from flask import Flask, abort, jsonify, request
from flask.typing import ResponseReturnValue
from jsonschema import ValidationError, validate

CHAT_ENTRY: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Chat Entry",
    "description": "A chat message",
    "type": "object",
    "required": ["message", "recipient"],
    "properties": {
        "version": {"const": "3.1", "description": "Protocol version"},
        "message": {"type": "string", "description": "Message body"},
        "recipient": {"type": "string", "description": "Receiver of message"},
        "author": {"type": ["string", "null"], "description": "Sender of message"},
        "timestamp": {"type": ["number", "null"], "description": "Unix timestamp"},
    },
}

app = Flask(__name__)
messages: list[dict[str, Any]] = []


@app.route("/messages", methods=["POST"])
def create_message() -> ResponseReturnValue:
    data = request.get_json()
    try:
        validate(data, CHAT_ENTRY)
    except ValidationError as err:
        return jsonify(error="JSON Schema Validation Error", message=err.message), 422
    entry = {"version": "3.1", "author": None, "timestamp": None, **data}
    entry["id"] = len(messages) + 1
    messages.append(entry)
    return jsonify(entry), 201


@app.route("/messages")
def list_messages() -> ResponseReturnValue:
    offset = request.args.get("offset", 0, type=int)
    limit = request.args.get("limit", 10, type=int)
    if offset < 0 or not 1 <= limit <= 100:
        return jsonify(error="offset must be >= 0, limit between 1 and 100"), 400
    return jsonify(messages[offset : offset + limit])


@app.route("/messages/<int:message_id>")
def read_message(message_id: int) -> ResponseReturnValue:
    if not 1 <= message_id <= len(messages):
        abort(404)
    return jsonify(messages[message_id - 1])
