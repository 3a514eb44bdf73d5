"""Deployment: the shared cache, sessions and media storage, the visitor's address behind a
proxy, and what visitors see when Redis or the media disk fails."""

import errno
import io
import os
import random
import subprocess
import sys
import time

import boto3
import environ
import pytest
import redis
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.urls import reverse
from moto import mock_aws
from PIL import Image

from cluster.settings.connections import cache_config
from cluster.settings.storage import media_sources, media_storage_config
from members.models import Company, ProfileRevision
from tests.members.factories import CompanyFactory, RepresentativeFactory, profile_data

from .services import closed_port, delete_own_keys, own_key_prefix, redis_url, requires_redis

pytestmark = pytest.mark.django_db


def noisy_jpeg(side=400):
    """A photo-like image: it stays large once re-encoded (about 150 kB)."""
    noise = random.Random(1).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), noise).save(buffer, format="JPEG", quality=95)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def files_under(root):
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    )


# --- Settings from the environment ---------------------------------------------------------


def environment(**variables):
    """Return a django-environ reader of these variables only, as a server would have them."""
    reader = environ.Env()
    reader.ENVIRON = variables
    return reader


def redis_caches(url, **kwargs):
    """Return CACHES for this REDIS_URL, parsed as the settings parse it."""
    return cache_config(environment(REDIS_URL=url).cache_url("REDIS_URL"), **kwargs)


def test_the_cache_is_local_memory_without_redis_url_and_redis_with_it():
    unset = environment().cache_url("REDIS_URL", default=None)
    assert cache_config(unset)["default"]["BACKEND"].endswith("LocMemCache")
    config = redis_caches("redis://cache.internal:6379/0", key_prefix="cite")["default"]
    assert config["BACKEND"] == "cluster.cache.RedisCache"
    assert config["LOCATION"] == "redis://cache.internal:6379/0"
    assert config["KEY_PREFIX"] == "cite"
    # A Redis outage costs at most a quarter of a second to connect, half to read.
    assert config["OPTIONS"] == {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 0.5,
    }


def test_a_password_tls_and_options_in_redis_url_reach_django_redis():
    config = redis_caches("rediss://:s3cret@cache.internal:6380/2?socket_timeout=2")["default"]
    assert config["BACKEND"] == "cluster.cache.RedisCache"
    assert config["LOCATION"] == "rediss://:s3cret@cache.internal:6380/2"
    assert config["OPTIONS"]["SOCKET_TIMEOUT"] == 2
    assert config["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_a_redis_url_that_names_another_cache_is_refused():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must be a redis://"):
        redis_caches("memcache://cache.internal:11211")


def test_media_is_on_the_local_disk_by_default_and_on_s3_when_a_bucket_is_named():
    assert media_storage_config(environment()) == {"BACKEND": "cluster.storage.FileSystemStorage"}
    assert media_sources(media_storage_config(environment())) == []
    s3 = media_storage_config(
        environment(
            CITE_S3_BUCKET="cite-media",
            CITE_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
            CITE_S3_REGION="fr-par",
            CITE_S3_ACCESS_KEY_ID="key",
            CITE_S3_SECRET_ACCESS_KEY="secret",
        )
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "cite-media"
    assert s3["OPTIONS"]["file_overwrite"] is False
    assert s3["OPTIONS"]["querystring_auth"] is False
    assert media_sources(s3) == ["https://s3.fr-par.scw.cloud", "https://*.s3.fr-par.scw.cloud"]
    cdn = media_storage_config(
        environment(CITE_S3_BUCKET="b", CITE_S3_CUSTOM_DOMAIN="media.pam.fr")
    )
    assert media_sources(cdn) == ["https://media.pam.fr"]


def test_production_settings_put_media_on_s3_allow_its_images_and_secure_every_cookie(
    settings,
):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_ALLOW")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cluster.settings.production",
        DJANGO_SECRET_KEY="x7Gq2" * 12,
        DJANGO_ALLOWED_HOSTS="cite.example.org",
        DATABASE_URL="postgres://cite@db.example.org:5432/cite",
        REDIS_URL="redis://cache.example.org:6379/0",
        CITE_S3_BUCKET="cite-media",
        CITE_S3_CUSTOM_DOMAIN="media.example.org",
    )
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['default']['BACKEND']); print(s.CACHES['default']['BACKEND']); "
        "print(s.SESSION_ENGINE); "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']); "
        "print([n for n in dir(s) if n.endswith(('COOKIE_SECURE', 'COOKIE_HTTPONLY')) "
        "and not getattr(s, n)])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    storage, cache_backend, sessions, img_src, insecure = result.stdout.splitlines()
    assert storage == "storages.backends.s3.S3Storage"
    assert cache_backend == "cluster.cache.RedisCache"
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert "https://media.example.org" in img_src
    assert insecure == "[]"  # every cookie is Secure and HttpOnly


# --- Media on S3 -------------------------------------------------------------------------


@pytest.fixture
def s3_media(settings):
    """Media in an S3 bucket (moto's in-memory S3 server stands in for the provider)."""
    with mock_aws():
        boto3.client("s3", region_name="eu-west-3").create_bucket(
            Bucket="cite-media", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": media_storage_config(
                environment(
                    CITE_S3_BUCKET="cite-media",
                    CITE_S3_REGION="eu-west-3",
                    CITE_S3_ACCESS_KEY_ID="testing",
                    CITE_S3_SECRET_ACCESS_KEY="testing",
                )
            ),
        }
        yield boto3.client("s3", region_name="eu-west-3")


def test_a_logo_uploaded_by_a_representative_lands_in_the_s3_bucket(
    client, settings, s3_media, png_bytes
):
    settings.CITE_MODERATE_PROFILES = False
    cache.clear()
    representative = RepresentativeFactory(role="admin", company__trade_name="Stravvel")
    company = representative.company
    client.force_login(representative.user)
    response = client.post(
        reverse("members:my-profile", args=[company.slug]),
        profile_data(company, new_logo=ContentFile(png_bytes, name="stravvel.png")),
    )
    assert response.status_code == 302
    company.refresh_from_db()
    stored = s3_media.get_object(Bucket="cite-media", Key=company.logo.name)["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (64, 48)
    client.logout()
    page = client.get(company.get_absolute_url()).text
    # The thumbnail was made from the bucket's copy and is served from the bucket.
    assert "https://cite-media.s3.amazonaws.com/thumbs/large/logos/" in page
    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket="cite-media")["Contents"]]
    assert any(key.startswith("thumbs/") for key in keys)


# --- Redis: shared cache and sessions ------------------------------------------------------


class OwnKeys:
    """The test's Redis server, seen through the test's own key prefix."""

    def __init__(self, server, prefix):
        self.server, self.prefix = server, prefix

    def own_keys(self):
        return self.server.keys(self.prefix + "*")

    def lose_them(self):
        """Delete our keys, as a Redis restart without persistence would."""
        return delete_own_keys(self.server, self.prefix)


@pytest.fixture
def redis_cache(settings):
    prefix = own_key_prefix("deployment")
    settings.CACHES = redis_caches(redis_url(), key_prefix=prefix)
    own = OwnKeys(redis.Redis.from_url(redis_url()), prefix)
    yield own
    own.lose_them()


@requires_redis
def test_public_pages_are_cached_in_redis_and_an_edit_shows_at_once(client, redis_cache):
    company = CompanyFactory(trade_name="Mind & Go", description_fr="La DataCup.")
    first = client.get(company.get_absolute_url())
    second = client.get(company.get_absolute_url())
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert any(b"public-page" in key for key in redis_cache.own_keys())
    company.description_fr = "La DataCup, une box de données hors ligne."
    company.save()
    third = client.get(company.get_absolute_url())
    assert third["X-Cache"] == "miss"
    assert "une box de données hors ligne" in third.text


@requires_redis
def test_a_session_lives_on_when_redis_loses_it(client, redis_cache):
    representative = RepresentativeFactory()
    client.force_login(representative.user)
    assert client.get(reverse("members:my-companies")).status_code == 200
    assert any(b"django.contrib.sessions" in key for key in redis_cache.own_keys())
    assert redis_cache.lose_them()  # a Redis restart without persistence
    assert client.get(reverse("members:my-companies")).status_code == 200


def test_the_site_keeps_serving_when_redis_is_down(client, settings):
    settings.CACHES = redis_caches(redis_url(0).replace("6379", str(closed_port())))
    company = CompanyFactory(trade_name="Alaxione")
    representative = RepresentativeFactory(company=company)
    pages = ["/", reverse("members:company-list"), company.get_absolute_url(), "/api/companies/"]
    started = time.perf_counter()
    for url in pages:
        assert client.get(url).status_code == 200, url
    # Logging in stores the session in the database when the cache is unreachable.
    response = client.post(
        reverse("login"), {"username": representative.user.username, "password": "s3cret-pass!"}
    )
    assert response.status_code == 302
    assert client.get(reverse("members:my-companies")).status_code == 200
    # The rate limit of applications cannot count: it lets the visitor through.
    assert client.post(reverse("members:join"), {}).status_code == 200
    assert time.perf_counter() - started < 10


# --- The visitor's address behind the reverse proxy ----------------------------------------


def test_behind_a_trusted_proxy_each_visitor_has_their_own_rate_limit(client, settings):
    settings.CITE_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CITE_APPLICATIONS_PER_HOUR = 2
    cache.clear()
    url = reverse("members:join")

    def apply(forwarded_for, remote="127.0.0.1"):
        return client.post(
            url, {}, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert [apply("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert apply("198.51.100.4") == 200
    # A visitor's own X-Forwarded-For is ignored: they cannot pick a fresh address.
    assert [apply(f"192.0.2.{n}", remote="203.0.113.99") for n in range(3)] == [200, 200, 429]
    # Nor can they prepend one to what the proxy appends.
    assert apply("192.0.2.200, 203.0.113.7") == 429


# --- A full or read-only media disk --------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """Mount a 64 kB file system (tmpfs) and yield a function that remounts it."""
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mountpoint)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root: " + mounted.stderr.decode())

    def remount(options):
        subprocess.run(["mount", "-o", f"remount,{options}", str(mountpoint)], check=True)

    yield mountpoint, remount
    subprocess.run(["umount", "--lazy", str(mountpoint)], check=True)


def fill(path):
    """Write to ``path`` until the file system is full."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 1024)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_logo_upload_on_a_failing_disk_is_refused_clearly_and_leaves_nothing(
    client, settings, small_disk, png_bytes, fault
):
    mountpoint, remount = small_disk
    settings.MEDIA_ROOT = mountpoint
    settings.CITE_MODERATE_PROFILES = True
    cache.clear()
    representative = RepresentativeFactory(role="admin", company__trade_name="Vroom")
    company = representative.company
    company.logo.save("vroom.png", ContentFile(png_bytes))  # before the disk fails
    before = files_under(mountpoint)
    if fault == "full":
        fill(mountpoint / "filler")
        before = files_under(mountpoint)
    else:
        remount("ro")
    client.force_login(representative.user)
    response = client.post(
        reverse("members:my-profile", args=[company.slug]),
        profile_data(company, description_fr="Nouveau texte.", new_logo=noisy_jpeg()),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["new_logo"][0].code == "storage"
    assert "The logo could not be stored: the server&#x27;s file storage is full" in response.text
    assert files_under(mountpoint) == before  # no partial file, no new file
    assert not ProfileRevision.objects.exists()  # and nothing half-saved
    assert Company.objects.get(pk=company.pk).description_fr == company.description_fr
    # The public page still shows, although its thumbnail cannot be written.
    client.logout()
    assert client.get(company.get_absolute_url()).status_code == 200
    assert files_under(mountpoint) == before
