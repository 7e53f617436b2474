"""The composer (blogs.views.compose): a post written inside Ruche, published once, with its
refusals in the writer's language and nothing half-written."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Revision

from blogs import services
from blogs.composer import blocks_from_html
from blogs.models import PostPage, PostSubmission
from tests.blogs.test_security import EVIL, assert_clean
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPOSE = reverse("blogs:compose")
JSON = {"HTTP_ACCEPT": "application/json"}

RICH = (
    "<h2>Pourquoi</h2><p>Du <strong>gras</strong>, de l'<em>italique</em>, du <s>barré</s> et "
    '<a href="https://example.com/guide" target="_blank">un lien</a>.</p>'
    "<ul><li>un</li><li>deux</li></ul><ol><li>premier</li></ol>"
    "<blockquote>Les gens d'abord.</blockquote>"
    '<pre data-language="plain">print("ruche")\nexit()</pre>'
    "<h3>Ensuite</h3><p>Fin&nbsp;du billet.</p>"
)


def compose_data(**overrides):
    data = {
        "title": "Mon premier billet",
        "body": "<p>Bonjour à <strong>tous</strong>.</p>",
        "body_format": "html",
        "tags": "ruche, transformation",
        "idempotency_key": str(uuid.uuid4()),
        "action": "publish",
    }
    data.update(overrides)
    return data


def picture(size=(640, 480), *, fmt="JPEG", exif=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 150, 30)).save(buffer, format=fmt, **kwargs)
    name = "photo.jpg" if fmt == "JPEG" else "photo.png"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "TelephoneCorp"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS
    return exif


def upload(client, file):
    return client.post(reverse("blogs:compose_image"), {"file": file}, **JSON)


def image_html(client, file=None, alt="La ruche") -> str:
    answer = upload(client, file or picture()).json()
    return f'<p>Voici :</p><p><img src="{answer["url"]}" alt="{alt}"></p>'


# --- Publishing ---------------------------------------------------------------------------------
def test_publish_lands_on_the_live_post_with_its_blocks(login, employee, blog):
    client = login(employee)
    response = client.post(COMPOSE, compose_data(body=RICH))
    post = PostPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.url
    assert post.live and post.author == employee and post.prepared_by is None
    assert [block.block_type for block in post.body] == [
        "heading",
        "paragraph",
        "quote",
        "code",
        "heading",
        "paragraph",
    ]
    assert post.body[0].value["level"] == "h2" and post.body[4].value["level"] == "h3"
    assert post.body[3].value["code"] == 'print("ruche")\nexit()'
    assert sorted(t.name for t in post.tags.all()) == ["ruche", "transformation"]
    page = client.get(post.url).content.decode()
    body = page.split('<div class="post-body">')[1]
    for kept in ("<strong>gras</strong>", "<em>italique</em>", "<s>barré</s>", "<li>deux</li>"):
        assert kept in body
    assert 'href="https://example.com/guide"' in body and "noopener" in body
    assert "Fin du billet." in body
    assert "Les gens d&#x27;abord." in body or "Les gens d'abord." in body


def test_the_post_goes_through_the_service_like_any_post(login, employee, blog):
    from activity.models import ParticipationEvent, Verb

    login(employee).post(COMPOSE, compose_data())
    post = PostPage.objects.get()
    assert Revision.page_revisions.filter(object_id=str(post.pk)).count() == 1
    assert ParticipationEvent.objects.filter(verb=Verb.POSTED, object_id=post.pk).count() == 1


def test_a_first_post_creates_the_blog(login, employee):
    response = login(employee).post(COMPOSE, compose_data())
    post = PostPage.objects.get()
    assert response["Location"] == post.url
    assert post.get_parent().specific.person == employee


def test_plain_text_without_the_script(login, employee, blog):
    login(employee).post(
        COMPOSE, compose_data(body="Bonjour <b>toi</b>\n\nDeuxième ligne", body_format="text")
    )
    post = PostPage.objects.get()
    assert [b.value.source for b in post.body] == [
        "<p>Bonjour &lt;b&gt;toi&lt;/b&gt;</p>",
        "<p>Deuxième ligne</p>",
    ]


def test_json_answer_for_the_script(login, employee, blog):
    answer = login(employee).post(COMPOSE, compose_data(), **JSON).json()
    post = PostPage.objects.get()
    assert answer == {"ok": True, "redirect": post.url, "post": post.pk}


def test_draft_and_full_editor(login, employee, blog):
    client = login(employee)
    response = client.post(COMPOSE, compose_data(action="draft"))
    assert response["Location"] == reverse("blogs:mine")
    draft = PostPage.objects.get()
    assert not draft.live
    response = client.post(COMPOSE, compose_data(action="full", title="Pour plus tard"))
    later = PostPage.objects.get(title="Pour plus tard")
    assert not later.live
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[later.pk])


def test_schedule(login, employee, blog):
    client = login(employee)
    when = timezone.localtime() + timedelta(days=2)
    response = client.post(
        COMPOSE, compose_data(action="schedule", go_live_at=when.strftime("%Y-%m-%dT%H:%M"))
    )
    assert response["Location"] == reverse("blogs:mine")
    post = PostPage.objects.get()
    assert not post.live
    assert post.go_live_at is not None
    assert abs(post.go_live_at - when) < timedelta(minutes=1)


def test_schedule_needs_a_future_moment(login, employee, blog):
    client = login(employee)
    past = timezone.localtime() - timedelta(hours=1)
    with translation.override("en"):
        missing = client.post(COMPOSE, compose_data(action="schedule"))
        before = client.post(
            COMPOSE, compose_data(action="schedule", go_live_at=past.strftime("%Y-%m-%dT%H:%M"))
        )
    assert "Choose when to publish the post." in missing.content.decode()
    assert "Choose a moment in the future." in before.content.decode()
    assert not PostPage.objects.exists()


def test_preview_saves_nothing(login, employee, blog):
    response = login(employee).post(COMPOSE, compose_data(action="preview", body=RICH))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="composer-preview"' in page
    assert "<strong>gras</strong>" in page
    assert not PostPage.objects.exists()
    assert not PostSubmission.objects.exists()


# --- Idempotency --------------------------------------------------------------------------------
def test_the_same_submission_twice_creates_one_post(login, employee, blog):
    client = login(employee)
    data = compose_data()
    first = client.post(COMPOSE, data)
    second = client.post(COMPOSE, data)
    again_as_json = client.post(COMPOSE, data, **JSON).json()
    post = PostPage.objects.get()
    assert first["Location"] == second["Location"] == post.url
    assert again_as_json["post"] == post.pk
    assert PostSubmission.objects.get().post_id == post.pk


def test_keys_are_per_writer(employee, colleague, blog):
    key = uuid.uuid4()
    mine = services.post_create(actor=employee, title="A", body="a", idempotency_key=key)
    theirs = services.post_create(actor=colleague, title="B", body="b", idempotency_key=key)
    assert mine.pk != theirs.pk
    assert services.post_create(actor=employee, title="C", body="c", idempotency_key=key) == mine


def test_a_refused_submission_does_not_use_up_its_key(login, employee, blog):
    client = login(employee)
    data = compose_data(title="")
    assert client.post(COMPOSE, data).status_code == 400
    assert not PostSubmission.objects.exists()
    response = client.post(COMPOSE, {**data, "title": "Corrigé"})
    assert response["Location"] == PostPage.objects.get().url


# --- Refusals: what was typed is kept, nothing is written --------------------------------------
def test_empty_title_keeps_everything_typed(login, employee, blog):
    client = login(employee)
    data = compose_data(title="  ", tags="ruche", body="<p>Mon <em>texte</em> précieux</p>")
    with translation.override("en"):
        response = client.post(COMPOSE, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give your post a title." in page
    assert "Mon &lt;em&gt;texte&lt;/em&gt; précieux" in page  # in the text area, escaped
    assert 'value="ruche"' in page
    assert data["idempotency_key"] in page
    assert not PostPage.objects.exists()
    assert not Revision.objects.exists()


def french(person):
    person.preferred_language = "fr"
    person.save(update_fields=["preferred_language"])
    return person


def test_empty_title_in_french(login, employee, blog):
    page = login(french(employee)).post(COMPOSE, compose_data(title="")).content.decode()
    assert "Donnez un titre à votre billet." in page


def test_refusal_as_json(login, employee, blog):
    with translation.override("en"):
        response = login(employee).post(COMPOSE, compose_data(title=""), **JSON)
    assert response.status_code == 400
    assert response.json()["fields"]["title"] == ["Give your post a title."]


def test_kept_html_is_sanitised(login, employee, blog):
    page = login(employee).post(COMPOSE, compose_data(title="", body=EVIL)).content.decode()
    kept = page.split("data-composer-body")[1].split("</textarea>")[0]
    assert "Bonjour" in kept
    assert "script" not in kept.lower() and "onclick" not in kept and "javascript" not in kept


@pytest.mark.parametrize(
    "payload",
    [
        EVIL,
        '<p><a href="JaVaScRiPt:alert(1)">a</a><img src="/x.png" onerror="alert(2)"></p>',
        '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">b</a></p>',
        "<h2><img src=x onerror=alert(5)></h2><blockquote><script>alert(6)</script>q</blockquote>",
        '<pre>"><script>alert(7)</script></pre><style>body{display:none}</style>',
        '<p><iframe src="https://evil.example"></iframe><a href="vbscript:msgbox(1)">c</a></p>',
    ],
)
def test_the_sanitiser_cleans_the_composer_output(login, employee, colleague, blog, payload):
    login(employee).post(COMPOSE, compose_data(body=payload.replace('<img src="/x.png"', "<b")))
    post = PostPage.objects.get()
    page = login(colleague).get(post.url).content.decode()
    body = page.split('<div class="post-body">')[1].split("</article>")[0].lower()
    assert_clean(body)
    for bad in ("<script", "onerror", "<iframe", "vbscript:", "data:text", "<style"):
        assert bad not in body


def test_an_image_from_another_site_is_refused_with_the_text_kept(login, employee, blog):
    body = '<p>Regardez</p><p><img src="https://tracker.example/pixel.png"></p>'
    with translation.override("en"):
        response = login(employee).post(COMPOSE, compose_data(body=body))
    page = response.content.decode()
    assert response.status_code == 400
    assert "was not uploaded to Ruche" in page
    assert "Regardez" in page
    assert not PostPage.objects.exists()


# --- Images -------------------------------------------------------------------------------------
def test_uploaded_image_is_resized_and_stripped(login, employee, blog, settings):
    settings.RUCHE_POST_IMAGE_MAX_PIXELS = 800
    answer = upload(login(employee), picture((2000, 1000), exif=gps_exif())).json()
    assert answer["ok"]
    image = get_image_model().objects.get(pk=answer["id"])
    assert (image.width, image.height) == (800, 400)
    assert image.uploaded_by_user == employee
    with image.open_file() as stored, Image.open(stored) as decoded:
        assert not decoded.getexif()
        assert "exif" not in decoded.info
    assert f"image={image.pk}" in answer["url"]


def test_image_in_the_post_is_an_image_block_shown_as_a_rendition(login, employee, colleague, blog):
    client = login(employee)
    client.post(COMPOSE, compose_data(body=image_html(client)))
    post = PostPage.objects.get()
    assert [b.block_type for b in post.body] == ["paragraph", "image"]
    assert post.body[1].value["alt_text"] == "La ruche"
    page = login(colleague).get(post.url).content.decode()
    assert "/media/images/" in page and 'alt="La ruche"' in page


def test_someone_elses_unused_image_cannot_be_taken(login, employee, colleague, blog):
    theirs = upload(login(colleague), picture()).json()
    body = f'<p><img src="{theirs["url"]}"></p>'
    response = login(employee).post(COMPOSE, compose_data(body=body))
    assert response.status_code == 400
    assert not PostPage.objects.exists()


def test_not_an_image_is_refused_in_the_writers_language(login, employee):
    client = login(employee)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    english = upload(client, fake).json()
    fake.seek(0)
    in_french = upload(login(french(employee)), fake).json()
    assert english["ok"] is False
    assert "not a picture or is damaged" in " ".join(english["errors"])
    assert "image" in " ".join(in_french["errors"]).lower()
    assert in_french["errors"] != english["errors"]
    assert not get_image_model().objects.exists()


def test_too_large_an_image_is_refused(login, employee, settings):
    settings.RUCHE_POST_IMAGE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1))
    with translation.override("en"):
        answer = upload(login(employee), big)
    assert answer.status_code == 400
    assert "larger than 1 MB" in " ".join(answer.json()["errors"])
    assert not get_image_model().objects.exists()


def test_an_upload_without_a_file(login, employee):
    answer = login(employee).post(reverse("blogs:compose_image"), {}, **JSON)
    assert answer.status_code == 400
    assert answer.json()["ok"] is False


# --- Who may publish where ---------------------------------------------------------------------
def test_only_the_owner_publishes_on_a_blog(login, employee, colleague, blog):
    data = compose_data(person=str(employee.pk))
    response = login(colleague).post(COMPOSE, data)
    assert response.status_code == 400  # not a blog they may write on: not among the choices
    assert not PostPage.objects.exists()


def test_delegate_prepares_a_draft_the_executive_publishes(login, executive, delegate):
    client = login(delegate)
    response = client.post(COMPOSE, compose_data(person=str(executive.pk), action="draft"))
    assert response.status_code == 302
    draft = PostPage.objects.get()
    assert not draft.live
    assert draft.author == executive and draft.prepared_by == delegate
    services.post_publish(actor=executive, post=draft)
    page = login(executive).get(PostPage.objects.get().url).content.decode()
    assert 'data-testid="prepared-with"' in page and delegate.name in page


@pytest.mark.parametrize("action", ["publish", "schedule"])
def test_delegate_cannot_publish_or_schedule(login, executive, delegate, action):
    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = compose_data(person=str(executive.pk), action=action, go_live_at=when)
    with translation.override("en"):
        response = login(delegate).post(COMPOSE, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"Only {executive.name} can publish on this blog." in page
    assert "Bonjour" in page
    assert not PostPage.objects.exists()
    assert not PostSubmission.objects.exists()


def test_executive_publishes_from_the_leadership_space(login, executive):
    client = login(executive)
    space = client.get("/leadership/").content.decode()
    assert 'data-testid="composer"' in space
    response = client.post(COMPOSE, compose_data())
    post = PostPage.objects.get()
    assert response["Location"] == post.url and post.live and post.author == executive
    assert post.title in client.get("/leadership/").content.decode()


def test_charter_gate_keeps_the_text(login, employee, blog):
    from tests.governance.factories import PublishedCharterFactory

    PublishedCharterFactory()
    client = login(employee)
    response = client.post(COMPOSE, compose_data(title="Gardé"))
    assert response.status_code == 302
    assert reverse("governance:charter") in response["Location"]
    assert not PostPage.objects.exists()
    page = client.get(COMPOSE).content.decode()
    assert 'value="Gardé"' in page


# --- Where the composer is shown ---------------------------------------------------------------
def test_composer_on_the_home_page_and_own_blog(login, employee, colleague, blog):
    client = login(employee)
    assert 'data-testid="composer"' in client.get("/").content.decode()
    assert 'data-testid="composer"' in client.get(blog.url).content.decode()
    assert 'data-testid="composer"' not in login(colleague).get(blog.url).content.decode()


def test_leadership_composer_for_executives_and_delegates_only(login, employee, delegate):
    assert 'data-testid="composer"' not in login(employee).get("/leadership/").content.decode()
    page = login(delegate).get("/leadership/").content.decode()
    assert 'data-testid="composer"' in page
    assert "data-delegate-note>" in page  # the note shows: they prepare the executive's draft


def test_composer_page_in_english_and_french(login, employee):
    english = login(employee).get(COMPOSE).content.decode()
    in_french = login(french(employee)).get(COMPOSE).content.decode()
    assert "Save draft" in english and "Open in the full editor" in english
    assert "Enregistrer le brouillon" in in_french
    assert "Ouvrir dans l’éditeur complet" in in_french
    assert "Ruche n’a pas pu être jointe" in in_french  # the script's sentences too


def test_query_budget(login, employee, delegate, executive, blog, django_assert_max_num_queries):
    client = login(employee)
    client.get(COMPOSE)
    with django_assert_max_num_queries(10):
        assert client.get(COMPOSE).status_code == 200
    delegate_client = login(delegate)
    with django_assert_max_num_queries(10):
        assert delegate_client.get(COMPOSE).status_code == 200


def test_query_budget_of_the_home_page_does_not_grow_with_the_composer(
    login, employee, django_assert_max_num_queries
):
    for n in range(3):
        UserFactory(username=f"reader{n}")
    client = login(employee)
    client.get("/")  # caches filled once per process (content types, the site)
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


# --- Wagtail's editor ---------------------------------------------------------------------------
def test_wagtail_autosave_is_off_for_posts(login, employee, blog):
    client = login(employee)
    add = client.get(reverse("wagtailadmin_pages:add", args=["blogs", "postpage", blog.pk]))
    assert add.status_code == 200
    assert add.context["autosave_enabled"] is False
    post = services.post_create(actor=employee, title="T", body="b")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[post.pk]))
    assert edit.context["autosave_enabled"] is False


def test_blocks_from_html_ignores_empty_paragraphs(employee):
    assert blocks_from_html("<p></p><p><br></p><p> </p>", actor=employee) == []


def test_publishing_in_wagtail_lands_on_the_post(employee_client, employee, blog):
    from tests.blogs.test_admin_permissions import add_url, post_form

    response = employee_client.post(add_url(blog), post_form("Premier billet", "action-publish"))
    post = PostPage.objects.get(title="Premier billet")
    assert response.status_code == 302
    assert response["Location"] == post.url
    assert PostPage.objects.count() == 1


def test_scheduling_in_wagtail_stays_in_the_editor(employee_client, employee, blog):
    from tests.blogs.test_admin_permissions import add_url, post_form

    data = post_form("Plus tard", "action-publish")
    data["go_live_at"] = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    response = employee_client.post(add_url(blog), data)
    post = PostPage.objects.get(title="Plus tard")
    assert not post.live
    assert response["Location"] != post.url


def test_wagtail_new_post_form_sent_twice_creates_one_post(employee_client, employee, blog):
    from tests.blogs.test_admin_permissions import add_url, post_form

    form = employee_client.get(add_url(blog)).content.decode()
    assert 'name="ruche_idempotency_key"' in form
    data = {**post_form("Une seule fois", "action-publish"), "ruche_idempotency_key": uuid.uuid4()}
    first = employee_client.post(add_url(blog), data)
    again = employee_client.post(add_url(blog), data)
    post = PostPage.objects.get()
    assert first["Location"] == again["Location"] == post.url
    draft = {**post_form("Brouillon"), "ruche_idempotency_key": uuid.uuid4()}
    employee_client.post(add_url(blog), draft)
    resent = employee_client.post(add_url(blog), draft)
    assert PostPage.objects.filter(title="Brouillon").count() == 1
    saved = PostPage.objects.get(title="Brouillon")
    assert resent["Location"] == reverse("wagtailadmin_pages:edit", args=[saved.pk])
