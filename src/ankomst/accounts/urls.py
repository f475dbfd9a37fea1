from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    # The organisation's administrators manage its users.
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/memberships/new/", views.membership_add, name="membership_add"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/lock/", views.user_lock, name="user_lock"),
    path("memberships/<int:pk>/change/", views.membership_change, name="membership_change"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
]
