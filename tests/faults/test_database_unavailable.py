"""The database goes away for a moment during a save: the user is told nothing was saved, keeps what they typed,
and nothing is half-written.

On PostgreSQL the server really ends the connection (``pg_terminate_backend`` from a second connection, just before
the packet row is written); on SQLite the statement fails as it does when the database file becomes unreadable.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

from packets.models import Packet, PacketChange
from tests.builders import make_packet
from tests.parole_wizard.pages import form_values, open_step, step_url, submit_step

TYPED = "X9Q7734521"


def _terminate(backend_pid: int) -> None:
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend_pid])


def _lose_the_database_when_the_packet_is_written() -> tuple[Callable[..., Any], list[str]]:
    fired: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if not fired and 'UPDATE "PACKETS_PACKET"' in sql.upper():
            fired.append(sql)
            if connection.vendor == "postgresql":
                _terminate(context["connection"].connection.info.backend_pid)
            else:
                raise OperationalError("disk I/O error")
        return execute(sql, params, many, context)

    return wrapper, fired


@pytest.mark.django_db(transaction=True)
def test_a_save_while_the_database_is_unreachable_saves_nothing_and_keeps_the_answers(
    client: Client, user: Any
) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Marisol Quintero-Vidal"})
    revision, changes = packet.revision, PacketChange.objects.filter(packet=packet).count()
    client.force_login(user)
    _response, page = open_step(client, packet, "beneficiary")
    wrapper, fired = _lose_the_database_when_the_packet_is_written()

    with connection.execute_wrapper(wrapper):
        response = submit_step(client, packet, "beneficiary", {"passport_number": TYPED}, page=page)

    assert fired, "the save never reached the packet row"
    assert response.status_code == 503
    assert "could not be reached, so nothing was saved" in response.content.decode()
    assert form_values(response)["beneficiary-passport_number"] == TYPED
    saved = Packet.objects.get(pk=packet.pk)
    assert saved.revision == revision
    assert saved.data["beneficiary"]["passport_number"] == ""
    assert PacketChange.objects.filter(packet=packet).count() == changes
    # The answers are also kept as the step's draft: leaving and coming back shows them, marked as not saved…
    again = client.get(step_url(packet, "beneficiary"))
    assert form_values(again)["beneficiary-passport_number"] == TYPED
    assert "not saved yet" in again.content.decode()
    # …and saving once the database is back stores them.
    assert submit_step(client, packet, "beneficiary", page=form_values(again)).status_code == 302
    assert Packet.objects.get(pk=packet.pk).data["beneficiary"]["passport_number"] == TYPED
