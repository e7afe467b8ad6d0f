"""广西 自治区级劳务品牌龙头企业: 300,000 one-time.

桂政办发〔2021〕141号 四(三)1.
"""

from calculators.programs.guangxi.region_award import RegionAward


class LeadEnterprise(RegionAward):
    program_id = "guangxi.lead_enterprise"
