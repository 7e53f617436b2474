"""The blog index (/blogs/) and the Leadership space (/leadership/) under the home page, and the
Employees group that opens Wagtail's editor to every employee for their own blog.

The group's page permission "add" on the blog index is replaced by one group per blog in 0003;
every decision on a blog page is taken by blogs.permissions.BlogPagePermissionTester.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _encode(number):
    # treebeard's materialised path step: base 36, four characters.
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _decode(step):
    return int(step, 36)


def _add_child(apps, parent, model_name, **fields):
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes.ContentType")
    Model = apps.get_model("blogs", model_name)
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .first()
    )
    step = _decode(last.path[-STEPLEN:]) + 1 if last else 1
    content_type, _ = ContentType.objects.get_or_create(
        app_label="blogs", model=model_name.lower()
    )
    page = Model.objects.create(
        content_type=content_type,
        path=parent.path + _encode(step),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{fields['slug']}/",
        locale_id=parent.locale_id,
        live=True,
        draft_title=fields["title"],
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return page


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    User = apps.get_model("people", "User")
    BlogIndexPage = apps.get_model("blogs", "BlogIndexPage")
    LeadershipPage = apps.get_model("blogs", "LeadershipPage")

    home = Page.objects.filter(depth=2, content_type__app_label="core").first()
    if home is None:
        return
    index = BlogIndexPage.objects.first()
    if index is None:
        index = _add_child(
            apps, home, "BlogIndexPage", title="Blogs", slug="blogs", intro=""
        )
    if not LeadershipPage.objects.exists():
        home.refresh_from_db()
        _add_child(
            apps, home, "LeadershipPage", title="Leadership", slug="leadership", intro=""
        )

    group, _ = Group.objects.get_or_create(name="Employees")
    admin_ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_ct, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group.permissions.add(access_admin)
    page_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    add_page, _ = Permission.objects.get_or_create(
        content_type=page_ct, codename="add_page", defaults={"name": "Can add page"}
    )
    GroupPagePermission.objects.get_or_create(group=group, page_id=index.pk, permission=add_page)
    # Images in posts: upload your own, choose any image of the library.
    image_ct, _ = ContentType.objects.get_or_create(app_label="wagtailimages", model="image")
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for codename, name in (("add_image", "Can add image"), ("choose_image", "Can choose image")):
            permission, _ = Permission.objects.get_or_create(
                content_type=image_ct, codename=codename, defaults={"name": name}
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    Membership = User.groups.through
    existing = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(user_id=user_id, group_id=group.pk)
            for user_id in User.objects.filter(is_active=True).values_list("pk", flat=True)
            if user_id not in existing
        ]
    )


def backwards(apps, schema_editor):
    apps.get_model("blogs", "BlogIndexPage").objects.all().delete()
    apps.get_model("blogs", "LeadershipPage").objects.all().delete()
    apps.get_model("auth.Group").objects.filter(name="Employees").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("blogs", "0001_initial"),
        ("core", "0002_home_page"),
        ("people", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
