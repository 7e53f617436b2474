"""Comments (one level of replies), reactions, @mentions and sanitised user text, shared by
blogs (posts) and communities (threads).

Using it for a model, in three steps:

1. Implement `interactions.targets.InteractionTarget` on the model (who sees it, who comments,
   who moderates, whose it is, its community, its URL, its comment verb; optional hooks for
   a refusal message, the owner's notification kind and an after-commit callback).
2. Register it as a content kind (`core.content.register`, from the app's `content.py`
   called in its `AppConfig.ready()`), with `comment_kind` "comment" or "reply"; the POST
   endpoints under `/interactions/<kind key>/<id>/...` then serve it, with a 404 for anyone
   who may not see it (`interactions.registry`). Comments themselves are the kinds
   "comment" and "reply" (`interactions.content`).
3. In the page template: `{% load interactions %}{% reactions page %}{% comments page %}`
   (or build the context with `interactions.selectors.comment_thread_context` and loop over
   `{% rendered_comments conversation.comments as rendered %}` for a custom layout: each
   comment's HTML, shared through the cache between readers who would see it alike,
   `interactions.fragments`). In lists, call
   `interactions.selectors.reaction_summary` and `comment_counts` once for all rows.

Writes go through `interactions.services` (comment_create, comment_edit, comment_delete,
reaction_toggle); moderators hide and restore comments through the one moderation path,
`governance.services.content_hide` / `content_restore`. Plain text typed by people is
rendered by `core.html.render_user_text`, with the people it mentions found by
`interactions.mentions`; any HTML is cleaned by `core.html.sanitize_html`.
"""
