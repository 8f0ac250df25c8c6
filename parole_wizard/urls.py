from allauth.account import views as allauth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from packets.audit import records as audit
from packets.case import urls as case_urls
from packets.evidence import views as packet_views
from packets.portability import views as imports
from packets.rendering import views as render_views
from packets.review import views as review_views
from packets.sharing import views as sharing_views
from parole_wizard import health, profile, sessions, views
from parole_wizard.wizard import PacketWizardView

wizard = PacketWizardView.as_view(url_name="wizard_step", done_step_name="finish")

packet_patterns = [
    path("", views.packet_detail, name="packet_detail"),
    path("resume/", views.packet_resume, name="packet_resume"),
    path("rename/", views.packet_rename_view, name="packet_rename"),
    path("delete/", views.packet_delete_view, name="packet_delete"),
    path("review/", views.packet_review, name="packet_review"),
    path("finish/", views.packet_finish, name="packet_finish"),
    path("checklist/", views.packet_checklist, name="packet_checklist"),
    path("steps/<slug:step>/", wizard, name="wizard_step"),
    path("export/", packet_views.packet_export_view, name="packet_export"),
    path("exhibits/<uuid:exhibit_id>/download/", packet_views.exhibit_download, name="exhibit_download"),
    path("exhibits/<uuid:exhibit_id>/edit/", packet_views.exhibit_edit_view, name="exhibit_edit"),
    path("exhibits/<uuid:exhibit_id>/remove/", packet_views.exhibit_remove_view, name="exhibit_remove"),
    path("exhibits/<uuid:exhibit_id>/move/", packet_views.exhibit_move_view, name="exhibit_move"),
    path("render/", render_views.render_start, name="packet_render"),
    path("renders/<uuid:job_id>/", render_views.render_job_view, name="packet_render_job"),
    path("renders/<uuid:job_id>/status/", render_views.render_job_status, name="packet_render_status"),
    path("versions/<int:number>/download/", render_views.version_download, name="packet_version_download"),
    path("online-filing/", render_views.version_online_filing, name="packet_online_filing"),
    path("cover-letter/", render_views.cover_letter_edit, name="packet_cover_letter"),
    path("counsel/", review_views.packet_counsel, name="packet_counsel"),
    path("counsel/render-final/", review_views.packet_render_final, name="packet_render_final"),
    path("counsel/<slug:transition>/", review_views.packet_transition, name="packet_transition"),
    path("changes/", review_views.packet_changes, name="packet_changes"),
    path("comments/", review_views.comment_create, name="comment_create"),
    path("comments/<uuid:comment_id>/<slug:action>/", review_views.comment_action, name="comment_action"),
    path("overrides/", review_views.finding_override_create, name="finding_override_create"),
    path("members/", sharing_views.packet_members, name="packet_members"),
    path("members/<int:membership_id>/remove/", sharing_views.membership_remove_view, name="member_remove"),
    path("invitations/<uuid:invitation_id>/revoke/", sharing_views.invitation_revoke_view, name="invitation_revoke"),
    path("audit/", audit.packet_audit, name="packet_audit"),
    path("case/", include(case_urls.packet_patterns)),
]

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; the icon is the SVG in static/.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True), name="favicon"),
    path("", views.dashboard, name="dashboard"),
    path("packets/new/", views.packet_new, name="packet_new"),
    path("packets/import/", imports.packet_import_view, name="packet_import"),
    path("packets/<uuid:packet_id>/", include(packet_patterns)),
    path("shared/", sharing_views.shared_with_me, name="shared_with_me"),
    path("profile/", profile.profile_edit, name="profile"),
    path("", include(case_urls.user_patterns)),
    path(
        "invitations/<uuid:invitation_id>/<str:token>/", sharing_views.invitation_accept_view, name="invitation_accept"
    ),
    # Accounts are django-allauth's (log in by username or email, sign-up, email confirmation, password reset,
    # two-factor). The password change is ours on top of allauth's, to end or keep the other sessions. The short
    # names (login, logout, signup, password_change, password_reset) are what our templates and tests use.
    path("accounts/password/change/", sessions.SessionsPasswordChangeView.as_view(), name="account_change_password"),
    path("accounts/password/change/", sessions.SessionsPasswordChangeView.as_view(), name="password_change"),
    path("accounts/login/", allauth_views.login, name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    path("accounts/signup/", allauth_views.signup, name="signup"),
    path("accounts/password/reset/", allauth_views.password_reset, name="password_reset"),
    path("accounts/", include("allauth.urls")),
]
