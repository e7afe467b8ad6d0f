"""广西 自治区级劳务品牌专家工作室: 100,000 each.

桂政办发〔2021〕141号 四(一)2.
"""

from calculators.programs.guangxi.region_award import RegionAward


class ExpertStudio(RegionAward):
    program_id = "guangxi.expert_studio"
