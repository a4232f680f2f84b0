"""Class join codes: 6 characters without look-alikes, a URL students can reach, a QR code."""
from __future__ import annotations

import re

import segno

from app import classes, codes


def open_class(client, network: dict, **kwargs) -> dict:
    response = client.post(f"/api/networks/{network['id']}/class", **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_class_has_a_short_code_a_join_url_and_its_qr_code(client, network):
    joined = open_class(client, network)
    assert re.fullmatch(f"[{codes.ALPHABET}]{{6}}", joined["code"])
    assert not set("0O1IL5S8B2ZUV") & set(codes.ALPHABET)
    assert joined["url"] == f"http://testserver/j/{joined['code']}"
    assert joined["qr_svg"] == segno.make(joined["url"], error="m").svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff")
    assert joined["qr_svg"].startswith("<svg") and "viewBox" in joined["qr_svg"]
    assert joined["followers"] == 0 and joined["reachable"] is True
    assert open_class(client, network)["code"] == joined["code"]  # opening again: the same class
    assert client.get(f"/api/networks/{network['id']}/class").json() == joined


def test_a_join_code_opens_the_follower_page_until_the_class_ends(client, network):
    code = open_class(client, network)["code"]
    with client.without_keys():
        assert client.get(f"/api/classes/{code.lower()}").json() == {"code": code, "network_id": network["id"]}
        page = client.get(f"/j/{code}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert client.delete(f"/api/networks/{network['id']}/class").status_code == 204
    gone = client.get(f"/api/classes/{code}")
    assert gone.status_code == 404
    assert gone.json()["detail"] == (f"no class with code {code!r}: check the code on the teacher's screen; "
                                     f"the class may have ended")
    assert client.get(f"/j/{code}").status_code == 404


def test_deleting_the_network_ends_its_class(client, network):
    code = open_class(client, network)["code"]
    client.delete(f"/api/networks/{network['id']}")
    assert client.get(f"/api/classes/{code}").status_code == 404


def test_the_followers_are_counted(client, network):
    open_class(client, network)
    url = f"/api/networks/{network['id']}/live"
    with client.websocket_connect(url), client.websocket_connect(url, follower=True) as a, \
            client.websocket_connect(url, follower=True) as b:
        a.receive_json(), b.receive_json()
        assert client.get(f"/api/networks/{network['id']}/class").json()["followers"] == 2


def test_on_every_interface_the_url_uses_the_lan_address(client, network, monkeypatch):
    monkeypatch.setattr(classes, "lan_addresses", lambda: ["192.168.1.23"])
    client.app.state.bind_host = "0.0.0.0"
    joined = open_class(client, network, headers={"host": "127.0.0.1:8000"})
    assert joined["url"] == f"http://192.168.1.23:8000/j/{joined['code']}" and joined["reachable"] is True
    on_lan = open_class(client, network, headers={"host": "10.0.0.7:8000"})  # the teacher's own LAN address
    assert on_lan["url"] == f"http://10.0.0.7:8000/j/{joined['code']}"


def test_bound_to_loopback_the_url_says_students_cannot_reach_it(client, network):
    client.app.state.bind_host = "127.0.0.1"
    joined = open_class(client, network, headers={"host": "localhost:8000"})
    assert joined["url"] == f"http://localhost:8000/j/{joined['code']}" and joined["reachable"] is False
    assert "restart it with --host 0.0.0.0" in joined["note"]


def test_lan_addresses_are_never_loopback():
    assert all(not address.startswith("127.") for address in classes.lan_addresses())


def test_unknown_join_codes_are_404(client):
    assert client.get("/api/classes/AAAAAA").status_code == 404
    assert client.get("/api/classes/0O1IL5").status_code == 404
    assert client.get("/j/AAAAAA").status_code == 404
    with client.without_keys():
        assert client.get("/api/networks/AAAAAAAAAAAAAAAAAAAAAA/class").status_code == 404
