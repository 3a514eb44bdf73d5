"""The Redis cache backend: django-redis, whose ``clear()`` deletes Cité's own keys only.

django-redis clears with FLUSHDB, which empties the whole Redis database: whatever another
site, another test run or another worker's prefix keeps there goes too. Here ``clear()``
deletes the keys under this cache's KEY_PREFIX (every version), and nothing else.
"""

from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.cache import omit_exception
from django_redis.client.default import glob_escape


class RedisCache(DjangoRedisCache):
    @omit_exception
    def clear(self):
        """Delete the keys under this cache's prefix, never the rest of the database."""
        server = self.client.get_client(write=True)
        pattern = glob_escape(self.key_prefix) + ":*"
        pipeline = server.pipeline()
        for key in server.scan_iter(match=pattern, count=500):
            pipeline.delete(key)
        pipeline.execute()
