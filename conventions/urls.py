app_name = "conventions"

urlpatterns = []
