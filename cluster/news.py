"""The public archive of mailings: /news/ lists the sent mailings staff marked public, each
with its page, and an Atom feed of them."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from members.models import ClusterIdentity
from members.views.pagination import BadPage, paginate

from .models import Mailing
from .services.mailings import markdown_html

FEED_SIZE = 20


def _published():
    return Mailing.objects.published().select_related("topic").order_by("-sent_at", "-pk")


def news_list(request):
    try:
        page = paginate(_published(), request.GET)
    except BadPage as exc:
        raise Http404(str(exc)) from exc
    return render(request, "cluster/news_list.html", {"page_obj": page, "mailings": page})


def news_detail(request, pk):
    mailing = get_object_or_404(_published(), pk=pk)
    return render(
        request,
        "cluster/news_detail.html",
        {"mailing": mailing, "html": markdown_html(mailing.body)},
    )


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("News from %(name)s") % {"name": ClusterIdentity.objects.current().display_name}

    def link(self):
        return reverse("news-list")

    def subtitle(self):
        return _("The cluster's mailings, as they were sent.")

    def items(self):
        return _published()[:FEED_SIZE]

    def item_title(self, item):
        return item.subject

    def item_description(self, item):
        return markdown_html(item.body)

    def item_pubdate(self, item):
        return item.sent_at

    def item_updateddate(self, item):
        return item.sent_at
