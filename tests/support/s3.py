"""Files kept in S3-compatible object storage for the tests marked s3: the throwaway server
scripts/with-s3 starts (its address in ASSURANCE_TEST_S3_ENDPOINT_URL), a fresh bucket for each test,
and the site's default storage switched to it (PrivateS3Storage, as ASSURANCE_S3_* set it up).

A test module makes its fixture from `bucket_in_use`:

    @pytest.fixture
    def s3_bucket(settings, media_root):
        with bucket_in_use(settings) as bucket:
            yield bucket
"""

import os
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import boto3

# Objects are kept under a prefix, as ASSURANCE_S3_PREFIX does for a bucket shared with others.
PREFIX = "assurance-files"


@dataclass
class Bucket:
    """The test's bucket, and a client that reads it directly, round the site's back."""

    name: str
    client: object
    endpoint: str

    def key(self, stored_name):
        return f"{PREFIX}/{stored_name}"

    def object(self, stored_name):
        """head_object of a stored file (raises ClientError when there is none)."""
        return self.client.head_object(Bucket=self.name, Key=self.key(stored_name))

    def read(self, stored_name):
        return self.client.get_object(Bucket=self.name, Key=self.key(stored_name))["Body"].read()

    def keys(self):
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def unfinished_uploads(self):
        return self.client.list_multipart_uploads(Bucket=self.name).get("Uploads", [])

    def plain_address(self, stored_name):
        """The object's address with no signature: what anyone on the network could try."""
        return f"{self.endpoint}/{self.name}/{self.key(stored_name)}"

    def status_without_key(self, stored_name):
        """The HTTP status the server answers a GET of the object's plain address with."""
        return fetch(self.plain_address(stored_name))[0]

    def remove(self):
        """Empties and deletes the bucket: storage that has gone away."""
        for key in self.keys():
            self.client.delete_object(Bucket=self.name, Key=key)
        self.client.delete_bucket(Bucket=self.name)


def fetch(address):
    """(status, headers, body) of a plain GET, with no credentials of its own."""
    try:
        with urllib.request.urlopen(address, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, refused.headers, refused.read()


def server():
    """(endpoint, region, access key, secret key) of the test server, as scripts/with-s3 exports them."""
    return (os.environ["ASSURANCE_TEST_S3_ENDPOINT_URL"], os.environ.get("ASSURANCE_TEST_S3_REGION", "eu-west-2"),
            os.environ.get("ASSURANCE_TEST_S3_ACCESS_KEY_ID", "test-access-key"),
            os.environ.get("ASSURANCE_TEST_S3_SECRET_ACCESS_KEY", "test-secret-key"))


def storage_options(bucket_name):
    endpoint, region, access_key, secret_key = server()
    return {"bucket_name": bucket_name, "endpoint_url": endpoint, "region_name": region, "access_key": access_key,
            "secret_key": secret_key, "location": PREFIX}


@contextmanager
def bucket_in_use(settings):
    """A bucket of the test's own, made empty, and the default storage switched to it (pytest-django's
    `settings` puts the storage back after the test); the bucket is removed afterwards."""
    endpoint, region, access_key, secret_key = server()
    client = boto3.client("s3", endpoint_url=endpoint, region_name=region, aws_access_key_id=access_key,
                          aws_secret_access_key=secret_key)
    name = f"assurance-test-{uuid.uuid4().hex[:20]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "assurance.storage.PrivateS3Storage",
                                                          "OPTIONS": storage_options(name)}}
    bucket = Bucket(name=name, client=client, endpoint=endpoint)
    yield bucket
    if name in {listed["Name"] for listed in client.list_buckets()["Buckets"]}:
        bucket.remove()  # the server keeps everything in memory for the whole run
