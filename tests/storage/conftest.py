"""A real S3 API server on loopback (moto's, in a thread of the test process) and the
production storage settings pointed at it.

Each test process (a pytest-xdist worker) starts its own server on a port the system
picks, and each test gets a bucket of its own: nothing is shared between tests, nothing
is mocked on the client's side (django-storages and boto3 talk HTTP to the server).
"""

import importlib.util
import logging
import os
import uuid
from pathlib import Path
from unittest import mock

import boto3
import pytest
from moto.server import ThreadedMotoServer

import config.settings

PREFIX = "iscg"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}
REGION = "eu-west-3"


def settings_run_with(environment: dict[str, str]):
    """config/settings.py run afresh with ``environment`` added: the settings a server
    started with those variables would have."""
    path = Path(config.settings.__file__)
    spec = importlib.util.spec_from_file_location("settings_under_test", path)
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, environment):
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    # The server's access log, one line a request at INFO: noise in a failing test's
    # output. A test that looks at the requests turns it on (caplog.at_level).
    access_log = logging.getLogger("werkzeug")
    level = access_log.level
    access_log.setLevel(logging.WARNING)
    yield f"http://{host}:{port}"
    access_log.setLevel(level)
    server.stop()


@pytest.fixture(scope="session")
def s3_storage_settings(s3_endpoint):
    """STORAGES["default"] as config/settings.py builds it from the S3_ variables."""
    production = settings_run_with(
        {
            "S3_BUCKET_NAME": "set-per-test",
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
            "S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
            "S3_PREFIX": PREFIX,
        }
    )
    return production.STORAGES["default"]


@pytest.fixture(scope="session")
def s3_client(s3_endpoint):
    """A client of the test's own, to look into the bucket as the provider's console would."""
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)


class Bucket:
    def __init__(self, client, name):
        self.client, self.name = client, name

    def object_keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def put(self, key: str, content: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=content)


@pytest.fixture
def bucket(settings, s3_client, s3_storage_settings):
    """A new empty bucket, and the uploads of the test stored in it. Django's
    setting_changed signal drops the storages built before and after the test."""
    name = f"iscg-{uuid.uuid4().hex}"
    s3_client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    options = {**s3_storage_settings["OPTIONS"], "bucket_name": name}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**s3_storage_settings, "OPTIONS": options},
    }
    return Bucket(s3_client, name)
