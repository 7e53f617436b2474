"""Comments (one level of replies), reactions, @mentions and sanitised user text, shared by
blogs (posts) and communities (threads).

Using it for a model, in three steps:

1. Implement `interactions.targets.InteractionTarget` on the model (who sees it, who comments,
   who moderates, whose it is, its community, its URL, its comment verb; optional hooks for
   a refusal message, the owner's notification kind and an after-commit callback).
2. Register it with a short key in the app's `AppConfig.ready()`:
   `interactions.registry.register("post", PostPage)`; the POST endpoints under
   `/interactions/<key>/<id>/...` then serve it, with a 404 for anyone who may not see it.
3. In the page template: `{% load interactions %}{% reactions page %}{% comments page %}`
   (or build the context with `interactions.selectors.comment_thread_context` and include
   `interactions/includes/comment.html` per comment for a custom layout). In lists, call
   `interactions.selectors.reaction_summary` and `comment_counts` once for all rows.

Writes go through `interactions.services` (comment_create, comment_edit, comment_delete,
comment_hide, comment_restore, reaction_toggle); plain text typed by people is rendered by
`core.html.render_user_text` and any HTML is cleaned by `core.html.sanitize_html`.
"""
