"""Media storage: the local disk, or S3-compatible storage when ``CITE_S3_BUCKET`` is set."""

from urllib.parse import urlsplit

from . import env as default_env


def media_storage_config(env=default_env):
    """Return the STORAGES entry for media: the local disk, or S3 when a bucket is named.

    ``CITE_S3_BUCKET`` switches to S3-compatible storage (django-storages); the other
    ``CITE_S3_*`` variables give the endpoint (for a provider other than AWS), region,
    credentials (or the machine's IAM role when unset), a public domain for the URLs and
    whether URLs are signed.
    """
    bucket = env.str("CITE_S3_BUCKET", default=None)
    if not bucket:
        return {"BACKEND": "cluster.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": env.str("CITE_S3_ENDPOINT_URL", default=None),
        "region_name": env.str("CITE_S3_REGION", default=None),
        "access_key": env.str("CITE_S3_ACCESS_KEY_ID", default=None),
        "secret_key": env.str("CITE_S3_SECRET_ACCESS_KEY", default=None),
        "custom_domain": env.str("CITE_S3_CUSTOM_DOMAIN", default=None),
        "location": env.str("CITE_S3_PREFIX", default=""),
        # Public logos are served from plain URLs unless the bucket is private.
        "querystring_auth": env.bool("CITE_S3_SIGNED_URLS", default=False),
        # Never overwrite: a new upload under an existing name gets a new name, as on disk.
        "file_overwrite": False,
        "default_acl": None,
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {key: value for key, value in options.items() if value is not None},
    }


def media_sources(storage):
    """Return the CSP sources that media URLs point to when they are not this site."""
    options = storage.get("OPTIONS", {})
    if "bucket_name" not in options:
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if not options.get("endpoint_url"):
        return ["https://*.amazonaws.com"]
    endpoint = urlsplit(options["endpoint_url"])
    # Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key) URLs.
    return [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://*.{endpoint.netloc}"]
