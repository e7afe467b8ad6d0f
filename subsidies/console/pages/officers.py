"""管理 · 用户: one officer's account, roles granted and revoked, the account disabled, or
its password reset (``subsidies user roles | disable | passwd``, 管理员); adding an officer
is on the 管理 page (:mod:`subsidies.console.pages.admin`)."""

from __future__ import annotations

from subsidies.console import access
from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import officers


def _account(ctx: Ctx) -> officers.Account:
    username = ctx.params["username"]
    for account in officers.list_officers(ctx.ledger):
        if account.officer.username == username:
            return account
    raise Refused(f"没有用户 {username}")


def officer_page(ctx: Ctx):
    return ctx.render("officer.html", a=_account(ctx), role_labels=access.ROLES)


def _role(ctx: Ctx) -> str:
    role = ctx.field("role")
    if role not in access.ROLES:
        raise Refused(f"没有角色 {role}")
    return role


def grant(ctx: Ctx):
    role = _role(ctx)
    found = officers.grant(ctx.ledger, _account(ctx).officer.username, [role], by=ctx.by)
    return ctx.redirect(
        f"/admin/officers/{found.username}",
        f"已授予 {found.username}「{access.ROLES[role]}」角色；现有角色：{access.role_names(found.roles)}",
    )


def revoke(ctx: Ctx):
    role = _role(ctx)
    found = officers.revoke(ctx.ledger, _account(ctx).officer.username, [role], by=ctx.by)
    return ctx.redirect(
        f"/admin/officers/{found.username}",
        f"已撤销 {found.username}「{access.ROLES[role]}」角色；现有角色：{access.role_names(found.roles)}",
    )


def disable(ctx: Ctx):
    """停用 (its history stays; its sessions end)."""
    username = _account(ctx).officer.username
    officers.disable(ctx.ledger, username, by=ctx.by)
    return ctx.redirect(f"/admin/officers/{username}", f"用户 {username} 已停用，其记录保留")


def reset_password(ctx: Ctx):
    """重设密码: the officer changes it at the next sign-in; a locked account is unlocked."""
    username = _account(ctx).officer.username
    officers.set_password(ctx.ledger, username, ctx.field("password"), by=ctx.by)
    return ctx.redirect(f"/admin/officers/{username}", f"{username} 的密码已重设，下次登录须修改")


PAGES = [
    Page("/admin/officers/{username}", officer_page, "officer.manage"),
    Page("/admin/officers/{username}/grant", grant, "officer.manage", "POST"),
    Page("/admin/officers/{username}/revoke", revoke, "officer.manage", "POST"),
    Page("/admin/officers/{username}/disable", disable, "officer.manage", "POST"),
    Page("/admin/officers/{username}/password", reset_password, "officer.manage", "POST"),
]
