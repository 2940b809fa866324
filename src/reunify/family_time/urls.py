app_name = "family_time"
urlpatterns: list = []
