"""广西 自治区级劳务品牌培训示范基地: 1,000,000 each.

桂政办发〔2021〕141号 四(一)2.
"""

from calculators.programs.guangxi.region_award import RegionAward


class TrainingBase(RegionAward):
    program_id = "guangxi.training_base"
