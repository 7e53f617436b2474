"""Wagtail page permissions per blog instead of on the whole blog index.

0002 gave the Employees group "add" on the blog index, which made Wagtail's admin page search
list every blog's pages (draft titles included) to every employee. Now each blog has its own
"Blog writers <id>" group (owner and delegates) with "add" on that blog only; what they may do
there is still decided by blogs.permissions.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    BlogIndexPage = apps.get_model("blogs", "BlogIndexPage")
    BlogPage = apps.get_model("blogs", "BlogPage")
    Delegation = apps.get_model("blogs", "Delegation")

    GroupPagePermission.objects.filter(
        group__name="Employees", page__in=BlogIndexPage.objects.values("pk")
    ).delete()
    page_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    add_page, _ = Permission.objects.get_or_create(
        content_type=page_ct, codename="add_page", defaults={"name": "Can add page"}
    )
    for blog in BlogPage.objects.select_related("person"):
        group, _ = Group.objects.get_or_create(name=f"Blog writers {blog.pk}")
        GroupPagePermission.objects.get_or_create(group=group, page_id=blog.pk, permission=add_page)
        writers = [blog.person_id]
        if blog.person.is_executive:
            writers += list(
                Delegation.objects.filter(executive_id=blog.person_id).values_list(
                    "delegate_id", flat=True
                )
            )
        group.user_set.set(writers)


class Migration(migrations.Migration):
    dependencies = [("blogs", "0002_blog_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
