"""Who may take which step: the one permission table (不相容岗位相互分离).

Each role is a post of the office, named in Chinese wherever a person sees it. One officer
may hold several roles; a step is allowed when they hold any role its row names. The
table is printed by ``subsidies permissions`` and in docs/officer-guide.md (a test holds
the guide to it). The database holds the two separations no role can lift: a batch is
never approved by its submitter, nor paid by its approver (migration 0012).

Every workflow step that changes the ledger calls :func:`require` itself, so a program
calling the workflow directly is held as the CLI and the console are. A refusal for lack
of a role is the one line a refused step writes: the audit log's ``refused`` entry.
"""

from __future__ import annotations

from ledgers import Ledger
from subsidies.workflow.base import Officer, WorkflowError, audit

ROLES: dict[str, str] = {
    "clerk": "经办",
    "checker": "审核",
    "cashier": "出纳",
    "reconciler": "对账",
    "auditor": "审计",
    "admin": "管理员",
}
EVERYONE = " ".join(ROLES)

# step, what it is (Chinese), the commands that take it, the roles that may
TABLE: tuple[tuple[str, str, str, str], ...] = (
    ("batch.submit", "提交批次", "batch submit", "clerk"),
    ("batch.notice", "发布公示", "batch notice", "clerk"),
    ("brand.register", "品牌登记、生命周期事项、单位更名", "brand add / event / rename", "clerk"),
    ("batch.approve", "审核通过批次", "batch approve", "checker"),
    ("batch.reject", "退回批次", "batch reject", "checker"),
    ("payment.approve", "批准手工退回、改账户重新支付", "payment approve", "checker"),
    ("payment.reject", "驳回手工退回、改账户重新支付", "payment reject", "checker"),
    ("recovery.raise", "发起追回", "recover, brand recover --confirm", "checker"),
    ("payment.disburse", "支付批次并写出付款文件", "disburse", "cashier"),
    ("payment.file", "写出、重印付款文件", "payment file", "cashier"),
    ("payment.settle", "手工确认到账", "payment settle", "cashier"),
    ("payment.return", "申请手工退回", "payment return", "cashier"),
    ("payment.reissue", "重新支付", "payment reissue", "cashier"),
    ("recovery.repay", "登记追回收款", "repay", "cashier"),
    ("reconcile.statement", "导入银行、国库对账单", "reconcile", "reconciler"),
    ("reconcile.resolve", "处理对账异常", "reconcile resolve", "reconciler"),
    ("fund.manage", "开设资金、登记拨款", "fund add / appropriate", "admin"),
    ("ledger.close", "结账、冲销", "ledger close-period / reverse", "admin"),
    ("officer.manage", "用户、角色、办公室设置", "user … , setting", "admin"),
    ("ledger.read", "查看批次、账簿、报表", "list, show, report, ledger, explain", EVERYONE),
    ("audit.read", "查看审计日志", "audit", "auditor admin"),
    ("person.read", "查看完整身份证号、银行账号", "payment files, explain, payment list", "cashier auditor"),
)  # fmt: skip
PERMISSIONS: dict[str, frozenset[str]] = {
    step: frozenset(roles.split()) for step, _, _, roles in TABLE
}
WHAT: dict[str, str] = {step: what for step, what, _, _ in TABLE}


class NotPermitted(WorkflowError):
    """An officer asked for a step none of their roles allows; nothing was done."""


def role_names(roles) -> str:
    """``{"checker", "clerk"}`` → ``经办、审核`` (in the table's order)."""
    return "、".join(ROLES[r] for r in ROLES if r in roles) or "无"


def may(officer: Officer, step: str) -> bool:
    """Whether ``officer`` may take ``step`` (and has no password change pending)."""
    if step not in PERMISSIONS:
        raise KeyError(f"no step {step!r} in the permission table")
    return not officer.must_change_password and bool(officer.roles & PERMISSIONS[step])


def refusal(officer: Officer, step: str) -> str:
    """Why ``officer`` may not take ``step``, naming the role(s) it needs in Chinese."""
    if officer.must_change_password:
        return f"{officer.username} 须先修改密码（subsidies passwd），才能{WHAT[step]}"
    return (
        f"{officer.username} 无权{WHAT[step]}（{step}）：需要「{role_names(PERMISSIONS[step])}」"
        f"角色，{officer.username} 的角色是「{role_names(officer.roles)}」"
    )


def require(
    officer: Officer, step: str, *, ledger: Ledger | None = None, subject: str = ""
) -> None:
    """Refuse ``step`` to an officer without a role that allows it (:class:`NotPermitted`).

    With ``ledger``, the refusal is written to the audit log (action ``refused``) in a
    transaction of its own: the one trace a refused step leaves.
    """
    if not isinstance(officer, Officer):
        raise TypeError(f"a step is taken by a signed-in Officer, not {officer!r}")
    if may(officer, step):
        return
    why = refusal(officer, step)
    if ledger is not None:
        with ledger.transaction() as tx:
            audit(tx, officer, "refused", step, f"{subject}: {why}" if subject else why)
    raise NotPermitted(why)
