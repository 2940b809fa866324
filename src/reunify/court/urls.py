app_name = "court"
urlpatterns: list = []
