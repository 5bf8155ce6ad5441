"""The LRU cache behind repeated searches and answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from retrieval.cache import LRUCache


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LRUCache[int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_size_zero_keeps_nothing() -> None:
    cache: LRUCache[int] = LRUCache(0)
    cache.put("a", 1)
    assert cache.get("a") is None
    assert len(cache) == 0


def test_concurrent_writers_never_exceed_the_size() -> None:
    cache: LRUCache[int] = LRUCache(50)

    def write(offset: int) -> None:
        for i in range(2000):
            cache.put((offset, i), i)
            cache.get((offset, i // 2))

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(write, n) for n in range(4)]:
            future.result()  # an exception in a writer fails the test
    assert len(cache) == 50
