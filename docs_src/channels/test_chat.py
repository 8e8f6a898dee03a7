from main import app

from hinted.testclient import TestClient


def test_a_posted_message_reaches_the_room() -> None:
    with TestClient(app) as client, client.websocket_connect("/ws/rooms/dave") as ws:
        client.post("/messages", json={"message": "Hello", "recipient": "dave"})
        assert ws.receive_json() == {"message": "Hello", "recipient": "dave", "author": None}
