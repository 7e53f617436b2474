"""Who is viewing a page: distinct people, out at once on a normal close, and out on their
own when their browser stops sending heartbeats (crash), even while others stay."""

from __future__ import annotations

from django.core.cache import cache

from communities import live

GROUP = "community.thread.42"


def test_distinct_people_and_leaving():
    assert live.viewer_join(GROUP, 1) == 1
    assert live.viewer_join(GROUP, 2) == 2
    assert live.viewer_join(GROUP, 2) == 2  # a second tab of the same person
    assert live.viewer_leave(GROUP, 2) == 2
    assert live.viewer_leave(GROUP, 2) == 1
    assert live.viewer_leave(GROUP, 1) == 0
    assert live.viewers_count(GROUP) == 0


def test_a_crashed_viewer_drops_out_while_the_others_keep_beating():
    live.viewer_join(GROUP, 1)
    live.viewer_join(GROUP, 2)
    cache.delete(f"viewing:{GROUP}:2")  # person 2's key expired: no heartbeat for 12 s
    live.viewer_heartbeat(GROUP, 1)
    assert live.viewers_count(GROUP) == 1


def test_a_lost_roster_entry_comes_back_with_the_next_heartbeat():
    live.viewer_join(GROUP, 1)
    live.viewer_join(GROUP, 2)
    cache.set(f"viewer-roster:{GROUP}", {1})  # two joins raced; one id was lost
    assert live.viewers_count(GROUP) == 1
    live.viewer_heartbeat(GROUP, 2)
    assert live.viewers_count(GROUP) == 2


def test_big_audiences_read_a_short_lived_count():
    for user_id in range(live.VIEWERS_EXACT_UP_TO + 5):
        live.viewer_join(GROUP, user_id)
    assert cache.get(f"viewer-count:{GROUP}") == live.VIEWERS_EXACT_UP_TO + 5
    assert live.viewers_count(GROUP) == live.VIEWERS_EXACT_UP_TO + 5


def test_a_page_reads_its_message_number_and_viewers_as_the_live_functions_count_them():
    assert live.page_state(GROUP) == (0, 0)
    live.viewer_join(GROUP, 1)
    live.viewer_join(GROUP, 2)
    cache.set(f"live-seq:{GROUP}", 7)
    assert live.page_state(GROUP) == (7, 2) == (live.current_seq(GROUP), live.viewers_count(GROUP))
    cache.delete(f"viewing:{GROUP}:2")  # a crashed viewer
    assert live.page_state(GROUP) == (7, 1)
    live.viewer_leave(GROUP, 1)
    assert live.page_state(GROUP) == (7, 0)
