"""Smoke tests: the real parts the suites rely on (Docker Engine, PostgreSQL) work here."""

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from jupyter_scriptforge.db.engine import make_engine


@pytest.mark.docker
def test_a_container_runs_and_prints(docker_client, busybox_image):
    output = docker_client.containers.run(
        busybox_image, ["echo", "hello from a container"], network_mode="none", remove=True
    )

    assert output.decode().strip() == "hello from a container"


@pytest.mark.docker
def test_a_container_has_no_network(docker_client, busybox_image):
    output = docker_client.containers.run(
        busybox_image, ["sh", "-c", "ls /sys/class/net"], network_mode="none", remove=True
    )

    assert output.decode().split() == ["lo"]


@pytest.mark.postgres
def test_a_table_round_trips_in_postgresql(postgres_url):
    engine = make_engine(postgres_url)
    table = Table(
        "smoke", MetaData(), Column("id", Integer, primary_key=True), Column("text", String)
    )
    try:
        table.create(engine)
        with engine.begin() as connection:
            connection.execute(insert(table), [{"text": "ünïcode ✓"}, {"text": "second"}])
        with engine.connect() as connection:
            rows = connection.execute(select(table.c.text).order_by(table.c.id)).scalars().all()
        assert engine.dialect.name == "postgresql"
        assert rows == ["ünïcode ✓", "second"]
    finally:
        table.drop(engine, checkfirst=True)
        engine.dispose()
