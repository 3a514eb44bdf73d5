from django.shortcuts import render
from django.views.generic import DetailView, ListView

from .models import Company


class CompanyListView(ListView):
    template_name = "members/company_list.html"
    context_object_name = "companies"
    paginate_by = 20

    def get_queryset(self):
        return Company.objects.public().with_listing_data().order_by("trade_name", "pk")


class CompanyDetailView(DetailView):
    template_name = "members/company_detail.html"
    context_object_name = "company"

    def get_queryset(self):
        return Company.objects.public().with_listing_data()


def join(request):
    return render(request, "members/join.html")
