"""Where generated people and units come from: county codes (GB/T 2260) and place names by
province, names of people and of units. Generator data, not policy: which province or
place a rule asks for is the program's parameter (``home_province``, ``destination_places``),
and the generator asks the program."""

from __future__ import annotations

from subsidies.domain.places import PROVINCES, province_code

# county-level codes and the place each is in, by 2-digit province code
REGIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "63": (
        ("630102", "西宁"), ("630103", "西宁"), ("630104", "西宁"), ("630105", "西宁"),
        ("630121", "大通"), ("630123", "湟源"), ("632122", "民和"), ("632123", "乐都"),
        ("632126", "互助"), ("632127", "化隆"), ("632128", "循化"), ("632221", "门源"),
        ("632321", "同仁"), ("632521", "共和"), ("632801", "格尔木"), ("632802", "德令哈"),
    ),
    "62": (("620102", "兰州"), ("622921", "临夏"), ("622923", "永靖"), ("620502", "天水")),
    "51": (("510104", "成都"), ("513433", "冕宁"), ("511302", "南充")),
    "21": (
        ("210202", "大连"), ("210203", "大连"), ("210204", "大连"), ("210211", "大连"),
        ("210212", "旅顺"), ("210213", "金州"), ("210281", "瓦房店"), ("210283", "庄河"),
        ("210224", "长海"), ("210282", "普兰店"),
    ),
    "45": (
        ("450102", "南宁"), ("450103", "南宁"), ("450105", "南宁"), ("450107", "南宁"),
        ("450202", "柳州"), ("450204", "柳州"), ("450302", "桂林"), ("450304", "桂林"),
        ("450502", "北海"), ("450802", "贵港"), ("450902", "玉林"), ("451002", "百色"),
    ),
    "37": (
        ("370102", "济南"), ("370202", "青岛"), ("370602", "烟台"), ("371302", "临沂"),
        ("370702", "潍坊"), ("371402", "德州"), ("371702", "菏泽"),
    ),
}  # fmt: skip
DALIAN = REGIONS["21"]
YINGKOU = (
    ("210802", "营口"), ("210803", "营口"), ("210804", "鲅鱼圈"), ("210811", "营口"),
    ("210881", "盖州"), ("210882", "大石桥"),
)  # fmt: skip
QINGHAI_FARMING = ("632122", "632123", "632126", "632127", "632128", "632521", "632321", "630121")
# places of a province that a prefecture parameter may or may not name (cut out by the program)
SOMEWHERE_IN = {"63": ("西宁", "西宁市", "海东市乐都区", "海北州", "海南州共和县", "玉树市")}
# provinces people go to work in, as officers write them
WORK_PROVINCES = ("江苏省", "浙江", "广东省", "44", "新疆", "新疆维吾尔自治区", "福建省",
                  "上海市", "北京", "西藏自治区", "内蒙古", "32", "青海", "青海省", "甘肃省")  # fmt: skip

SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高韩祁冶喇鲁汪谢宋唐许邓冯曹彭")
GIVEN = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚海燕辉玲兰文华红英梅鹏斌宇浩凯婷雪晨欣佳宁福成德生有忠秀桂"
)
TIBETAN = ("才让", "卓玛", "扎西", "多杰", "拉毛", "索南", "旦增", "完玛", "更登", "措吉", "仁青")
ZIHAO = ("鑫源", "恒信", "瑞祥", "聚丰", "金穗", "兴隆", "华安", "众诚", "福顺", "德盛", "宏达",
         "惠民", "安康", "同心", "锦程", "昌盛", "丰泽", "益民", "和顺", "新时代")  # fmt: skip
FLAVOUR = {
    "63": ("昆仑", "柴达木", "三江源", "河湟", "雪域", "高原红"),
    "21": ("海韵", "星海", "滨城", "渤海", "辽南", "辽河", "望儿山"),
    "45": ("八桂", "壮乡", "漓江", "邕江", "红水河"),
    "37": ("齐鲁", "泰山", "沂蒙", "黄河"),
}
BANK_PREFIXES = ("6228", "6217", "6222", "6212", "6230", "6214", "6216", "6013")


def codes(table) -> tuple[str, ...]:
    return tuple(code for code, _ in table)


def place_names(table) -> tuple[str, ...]:
    return tuple(dict.fromkeys(place for _, place in table))


def spellings(province: str) -> tuple[str, ...]:
    """How officers write a province (a 2-digit code): 青海, 青海省 or 63."""
    name = PROVINCES[province]
    return (name, f"{name}省", province)


def other_province(province: str) -> str:
    """A province with regions here other than ``province`` (its neighbour, for 户籍 checks)."""
    return next(code for code in ("62", "51", "63") if code != province)


def outside(province: str, candidates) -> tuple[str, ...]:
    """The ``candidates`` (province names as officers write them) not in ``province``."""
    return tuple(c for c in candidates if province_code(c) != province)
