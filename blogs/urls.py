"""Blog routes that are not pages. Mounted at /blogs/ before Wagtail's page serving, so every
route lives under /blogs/-/ where no username can be (a blog's slug is never "-").
"""

from django.urls import path

from blogs import feeds, views

app_name = "blogs"
urlpatterns = [
    # /blogs/ itself is the BlogIndexPage; this name lets the navigation reverse it.
    path("", views.blog_index, name="index"),
    path("-/write/", views.write, name="write"),
    path("-/compose/", views.compose, name="compose"),
    path("-/compose/image/", views.compose_image, name="compose_image"),
    path("-/search/", views.search, name="search"),
    path("-/mine/", views.my_posts, name="mine"),
    path("-/delegates/", views.delegates, name="delegates"),
    path("-/feeds/", views.feed_settings, name="feed_settings"),
    path("-/follow/<str:username>/", views.follow_person, name="follow"),
    path("-/follow-blog/<int:blog_id>/", views.follow_blog, name="follow_blog"),
    path("-/feed.atom", feeds.all_posts_feed, name="feed_all"),
    path("-/feeds/<slug:slug>.atom", feeds.blog_feed, name="feed_blog"),
]
