"""Each program's generator, by program id; laid out as ``calculators/programs`` is."""

from __future__ import annotations

from subsidies.demo.synthetic.programs.base import ProgramClaims
from subsidies.demo.synthetic.programs.dalian.brand_assessment import DalianStandardClaims
from subsidies.demo.synthetic.programs.dalian.brand_recognition import RecognitionClaims
from subsidies.demo.synthetic.programs.guangxi import region_award
from subsidies.demo.synthetic.programs.qinghai.goji_broker import GojiClaims
from subsidies.demo.synthetic.programs.qinghai.guarantee_loan import LoanClaims
from subsidies.demo.synthetic.programs.qinghai.hiring_bonus import HiringClaims
from subsidies.demo.synthetic.programs.qinghai.specialised_sme import SmeClaims
from subsidies.demo.synthetic.programs.qinghai.startup_grant import StartupClaims
from subsidies.demo.synthetic.programs.qinghai.transport import TransportClaims
from subsidies.demo.synthetic.programs.shandong.brand_assessment import ShandongStandardClaims
from subsidies.demo.synthetic.programs.yingkou.brand_assessment import YingkouStandardClaims

PROGRAMS: dict[str, ProgramClaims] = {
    "dalian.brand_recognition": RecognitionClaims(),
    "dalian.brand_assessment": DalianStandardClaims(),
    "guangxi.training_base": region_award.TRAINING_BASE,
    "guangxi.expert_studio": region_award.EXPERT_STUDIO,
    "guangxi.lead_enterprise": region_award.LEAD_ENTERPRISE,
    "qinghai.hiring_bonus": HiringClaims(),
    "qinghai.goji_broker": GojiClaims(),
    "qinghai.transport": TransportClaims(),
    "qinghai.startup_grant": StartupClaims(),
    "qinghai.specialised_sme": SmeClaims(),
    "qinghai.guarantee_loan": LoanClaims(),
    "yingkou.brand_assessment": YingkouStandardClaims(),
    "shandong.brand_assessment": ShandongStandardClaims(),
}
