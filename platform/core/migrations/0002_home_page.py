"""Replace Wagtail's default welcome page with Ruche's home page, served by the default site."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("core.HomePage")

    Page.objects.filter(depth=2, content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="core")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Ruche",
        draft_title="Ruche",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro="",
    )
    root = Page.objects.get(depth=1)
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Ruche"},
    )


def remove_home_page(apps, schema_editor):
    apps.get_model("core.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
