"""Reading: post pages, disclosure, leader stats, follow buttons, search, home feed order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from search.indexing import reindex

from activity.models import ParticipationEvent, Verb
from blogs import services
from blogs.models import PostPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_post_page_records_one_view_for_the_author_reach(login, colleague, employee, post):
    client = login(colleague)
    assert client.get(post.url).status_code == 200
    assert client.get(post.url).status_code == 200
    views = ParticipationEvent.objects.filter(verb=Verb.VIEWED, object_id=post.pk)
    assert views.count() == 1
    assert views.get().target_user_id == employee.pk


def test_drafts_and_hidden_posts_are_not_found(login, colleague, employee, post):
    draft = services.post_create(actor=employee, title="Pas prêt", body="...")
    client = login(colleague)
    assert client.get(f"{post.get_parent().url}pas-pret/").status_code == 404
    assert draft.url is None or client.get(draft.url).status_code == 404
    PostPage.objects.filter(pk=post.pk).update(hidden_at=timezone.now())
    assert client.get(post.url).status_code == 404


def test_unpublished_post_is_gone_for_readers(login, colleague, employee, post):
    url = post.url
    services.post_unpublish(actor=employee, post=post)
    assert login(colleague).get(url).status_code == 404


def test_prepared_by_a_delegate_is_disclosed(login, colleague, executive, delegate):
    draft = services.post_create(
        actor=delegate,
        blog=services.blog_ensure(actor=delegate, person=executive),
        title="Notre cap",
        body="Texte préparé.",
    )
    post = services.post_publish(actor=executive, post=draft)
    body = login(colleague).get(post.url).content.decode()
    assert 'data-testid="prepared-with"' in body
    assert "Paul Durand" in body


def test_own_post_is_not_disclosed_as_prepared(login, colleague, post):
    assert b"prepared-with" not in login(colleague).get(post.url).content


def test_author_sees_readers_others_do_not(login, employee, colleague, post):
    login(colleague).get(post.url)
    reader = UserFactory()
    login(reader).get(post.url)
    stats = login(employee).get(post.url).context["stats"]
    assert stats["readers"] == 2
    assert "stats" not in login(colleague).get(post.url).context


def test_my_posts_lists_drafts_and_stats(login, employee, post):
    services.post_create(actor=employee, title="Encore en brouillon", body="...")
    response = login(employee).get(reverse("blogs:mine"))
    body = response.content.decode()
    assert post.title in body and "Encore en brouillon" in body


def test_follow_and_unfollow_from_the_page(login, colleague, employee, post):
    client = login(colleague)
    response = client.post(reverse("blogs:follow", args=(employee.username,)), {"next": post.url})
    assert response.status_code == 302 and response["Location"] == post.url
    assert employee.followers.filter(follower=colleague).exists()
    assert b'data-testid="unfollow"' in client.get(post.url).content
    client.post(reverse("blogs:follow", args=(employee.username,)), {"action": "unfollow"})
    assert not employee.followers.exists()


def test_follow_needs_post(employee_client, colleague):
    assert (
        employee_client.get(reverse("blogs:follow", args=(colleague.username,))).status_code == 405
    )


def test_search_returns_only_what_the_searcher_may_see(
    login, colleague, employee, post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(actor=employee, title="Comportement secret", body="comportement")
        hidden = services.post_create(
            actor=employee, title="Comportement caché", body="comportement", publish=True
        )
        PostPage.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
        search_post = services.post_create(
            actor=employee, title="Sur le comportement", body="x", publish=True
        )
    reindex(["post"])  # the `post` fixture was committed before the test captured commits
    client = login(colleague)
    # The blogs' search is the global one, narrowed to posts.
    response = client.get(reverse("blogs:search"), {"q": "comportement"})
    assert response.status_code == 302
    assert response["Location"] == reverse("search:search") + "?q=comportement&kind=post"
    results = client.get(response["Location"]).context["results"].results
    assert sorted(r.title for r in results) == sorted([post.title, search_post.title])


def _keys(response) -> list[str]:
    return [item.key for item in response.context["feed_items"]]


def test_home_feed_latest_gives_followed_people_and_leaders_a_head_start(
    login, employee, colleague, executive
):
    stranger = UserFactory(username="stranger")
    now = timezone.now()
    old_stranger = services.post_create(
        actor=stranger, title="Ancien", body="x", publish=True, published_at=now - timedelta(days=2)
    )
    followed = services.post_create(
        actor=colleague,
        title="D'un collègue suivi",
        body="x",
        publish=True,
        published_at=now - timedelta(days=2, hours=3),
    )
    leader = services.post_create(
        actor=executive,
        title="De la direction",
        body="x",
        publish=True,
        published_at=now - timedelta(days=5),
    )
    services.follow_create(actor=employee, person=colleague)
    response = login(employee).get("/")
    # 3 hours older than the stranger's but 6 hours of head start: first; the leader's post
    # five days old stays below both.
    assert _keys(response) == [f"post:{p.pk}" for p in (followed, old_stranger, leader)]
    first = response.context["feed_items"][0].values
    assert first["url"] == followed.url and first["author"]["name"] == colleague.name
    assert response.context["feed_items"][2].values["author"]["is_executive"]
    assert response.context["feed_next"] is None


def test_a_new_colleague_post_is_on_page_one_on_its_first_day(
    login, employee, colleague, executive
):
    """Rule 3 of core.feed: boosted older items never go above a post of the last 24 h."""
    now = timezone.now()
    services.follow_create(actor=employee, person=colleague)
    for n in range(20):  # followed and leaders' posts from yesterday and before
        services.post_create(
            actor=colleague if n % 2 else executive,
            title=f"Suivi {n}",
            body="x",
            publish=True,
            published_at=now - timedelta(hours=25 + n),
        )
    newcomer = UserFactory(username="newcomer")
    fresh = services.post_create(
        actor=newcomer,
        title="Mon premier billet",
        body="x",
        publish=True,
        published_at=now - timedelta(hours=20),
    )
    response = login(employee).get("/")
    assert _keys(response)[0] == f"post:{fresh.pk}"
    with translation.override("en"):
        page = login(employee).get("/").content.decode()
    assert "nothing older than a day goes above" in page  # the rule, told on the page


def test_home_feed_loads_more(login, employee, colleague):
    for n in range(20):
        services.post_create(actor=colleague, title=f"Billet {n}", body="x", publish=True)
    client = login(employee)
    first = client.get("/")
    assert first.context["feed_next"] == 2
    assert 'href="?page=2"' in first.content.decode() and "data-feed-more" in first.content.decode()
    second = client.get("/", {"page": 2, "partial": "feed"})
    assert "<html" not in second.content.decode()  # only the items, for core/feed.js
    assert len(first.context["feed_items"]) == 15 and len(second.context["feed_items"]) == 5
    assert second.context["feed_next"] is None
    assert len(set(_keys(first)) | set(_keys(second))) == 20
    assert client.get("/", {"page": "abc"}).status_code == 400
    assert client.get("/", {"page": 999}).status_code == 400


def test_home_feed_marks_what_the_reader_has_not_seen(login, employee, colleague):
    client = login(employee)
    old = services.post_create(actor=colleague, title="Déjà vu", body="x", publish=True)
    first = client.get("/")  # first visit: nothing is marked, the marker is set
    assert not any(item.unseen for item in first.context["feed_items"])
    new = services.post_create(actor=colleague, title="Tout neuf", body="x", publish=True)
    mine = services.post_create(actor=employee, title="Le mien", body="x", publish=True)
    second = client.get("/")
    unseen = {item.key for item in second.context["feed_items"] if item.unseen}
    assert unseen == {f"post:{new.pk}"}
    assert f"post:{old.pk}" in _keys(second) and f"post:{mine.pk}" in _keys(second)
    assert second.context["feed_unseen"] == 1
    assert not any(item.unseen for item in client.get("/").context["feed_items"])


def test_embed_outside_the_allow_list_is_refused():
    from django.core.exceptions import ValidationError

    from blogs.blocks import AllowListedEmbedBlock, embed_url_allowed

    assert embed_url_allowed("https://www.youtube.com/watch?v=abc")
    assert not embed_url_allowed("http://www.youtube.com/watch?v=abc")
    assert not embed_url_allowed("https://evil.example.com/embed")
    with pytest.raises(ValidationError):
        AllowListedEmbedBlock().clean("https://evil.example.com/embed")


def test_leader_sees_commenters_and_unanswered_questions(login, executive, colleague, employee):
    from interactions.services import comment_create

    post = services.post_create(actor=executive, title="Vos questions", body="x", publish=True)
    answered = comment_create(author=colleague, target=post, body="Quand commence-t-on ?")
    comment_create(author=executive, target=post, body="Lundi.", parent=answered)
    waiting = comment_create(author=employee, target=post, body="Et pour les équipes de nuit ?")
    comment_create(author=employee, target=post, body="Merci pour ce billet.")
    comment_create(author=colleague, target=post, body="Et le budget ?", parent=answered)
    stats = login(executive).get(post.url).context["stats"]
    assert stats["commenters"] == 2
    assert [c.pk for c in stats["unanswered"]] == [waiting.pk]


def test_edit_link_only_for_those_who_may_edit(login, employee, colleague, post):
    assert b'data-testid="edit-post"' in login(employee).get(post.url).content
    assert b'data-testid="edit-post"' not in login(colleague).get(post.url).content


def test_follow_a_blog(login, colleague, employee, blog):
    client = login(colleague)
    client.post(reverse("blogs:follow_blog", args=(blog.pk,)))
    assert blog.followers.filter(follower=colleague).exists()
    client.post(reverse("blogs:follow_blog", args=(blog.pk,)), {"action": "unfollow"})
    assert not blog.followers.exists()
