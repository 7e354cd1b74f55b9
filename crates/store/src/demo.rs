//! The demo city: a believable Huzhou (湖州) regional cooperation office for a first look.
//!
//! [`load_demo`] fills an empty database with the city's five districts and counties, its main
//! platforms (南太湖新区, 长三角（湖州）产业合作区 "长合区", 上合区, 湖州莫干山高新区 …), city
//! departments, leaders, industries and chains, the yearly project lists, five signing events and
//! 620 projects whose stage histories run through 2023 and 2024, plus one account per role and
//! area (password [`DEMO_PASSWORD`]). The projects carry 2023 and 2024 annual plans, monthly
//! progress reports filed by the areas and reviewed by the office (a few returned, a few of
//! December's still waiting or not yet filed), 要素制约 raised and cleared through 2024, and the
//! province's reference completion rates. Investors and people are made up; places, platforms
//! and the Shanghai week of 2024-12-20 (72 projects, 675.2亿元) follow the office's public
//! reports.
//!
//! Everything is generated from a fixed seed with a small hand-written PRNG, so every load
//! produces the same office, dated as of 2024-12-31. Writes go through the store's public API, so
//! the audit log and the stage history are filled exactly as in real use. Project writes carry
//! the id of the area's liaison account (the district's, or 长合区's), so a project's history
//! reads as entered by its area, while the audit log names the loader (`system:demo`).
//!
//! Loading again writes nothing: when district 330502 exists the demo (or real data) is there
//! and [`DemoSummary::created`] is false. A database that already holds other dictionary
//! entries or projects is refused with a `Conflict`, so the demo never mixes with real data.

mod assistance;
mod enterprises;
mod key_items;
mod platforms;

use crate::auth::UserInput;
use crate::dict::DictKind;
use crate::project::ProjectFilter;
use crate::{Actor, Store, StoreError};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use hezuo_domain::money::{WAN, YI};
use hezuo_domain::progress::{PlanInput, ProgressInput};
use hezuo_domain::{
    Area, BlockerKind, Kind, Maturity, Month, Origin, ProjectInput, Role, Stage, UsdRate, Viewer,
    Yuan,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Password of every demo account: 8 characters, letters and digits.
pub const DEMO_PASSWORD: &str = "hezuo2024";

/// What [`load_demo`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Projects in the database after the call.
    pub projects: usize,
    /// Demo accounts: (username, password, role label). On a repeated load, the demo accounts
    /// that exist, with the password the demo gave them.
    pub users: Vec<(String, String, String)>,
    /// False when the demo was already loaded and nothing was written.
    pub created: bool,
}

/// Number of projects that are not tied to a signing event.
const GENERAL_PROJECTS: usize = 456;

// ---------------------------------------------------------------------------------------------
// The city's dictionaries.

const DISTRICTS: [(&str, &str); 5] = [
    ("330502", "吴兴区"),
    ("330503", "南浔区"),
    ("330521", "德清县"),
    ("330522", "长兴县"),
    ("330523", "安吉县"),
];

/// (code, name, district code, short name used in project names).
const PLATFORMS: [(&str, &str, &str, &str); 5] = [
    ("NTH", "南太湖新区", "330502", "南太湖新区"),
    ("CHQ", "长三角（湖州）产业合作区", "330522", "长合区"),
    ("SHQ", "上合区", "330503", "上合区"),
    ("GXQ", "湖州莫干山高新区", "330521", "莫干山高新区"),
    ("AJK", "安吉经济开发区", "330523", "安吉经开区"),
];

const UNITS: [(&str, &str); 19] = [
    ("QYHZB", "市区域合作办"),
    ("FGW", "市发改委"),
    ("JXJ", "市经信局"),
    ("SWJ", "市商务局"),
    ("TCZX", "市投资促进服务中心"),
    ("KJJ", "市科技局"),
    ("ZGJ", "市自然资源和规划局"),
    ("STJ", "市生态环境局"),
    ("JTJ", "市交通运输局"),
    ("WGLJ", "市文化广电旅游局"),
    ("WJW", "市卫生健康委"),
    ("RCB", "市委人才办"),
    ("WXHZB", "吴兴区区域合作办"),
    ("NXHZB", "南浔区区域合作办"),
    ("DQHZB", "德清县区域合作办"),
    ("CXHZB", "长兴县区域合作办"),
    ("AJHZB", "安吉县区域合作办"),
    ("NTHGWH", "南太湖新区管委会"),
    ("CHQGWH", "长三角（湖州）产业合作区管委会"),
];

/// Fictional leaders: (name, title).
const LEADERS: [(&str, &str); 8] = [
    ("周文远", "市委副书记、市长"),
    ("沈卫东", "市委常委、常务副市长"),
    ("钟立新", "市委常委、南太湖新区党工委书记"),
    ("陆振宇", "副市长"),
    ("姚建华", "副市长"),
    ("吴晓蕾", "副市长"),
    ("朱国强", "副市长"),
    ("许慧琴", "市政府秘书长"),
];

const INDUSTRIES: [&str; 10] = [
    "新能源汽车",
    "高端装备",
    "新能源",
    "新材料",
    "数字经济",
    "生命健康",
    "绿色家居",
    "时尚产业",
    "文化旅游",
    "现代服务业",
];

/// (chain, industry).
const CHAINS: [(&str, &str); 14] = [
    ("新能源汽车及关键零部件", "新能源汽车"),
    ("数控机床", "高端装备"),
    ("智能制造", "高端装备"),
    ("物流装备", "高端装备"),
    ("智能电梯", "高端装备"),
    ("光伏及新型储能", "新能源"),
    ("先进材料", "新材料"),
    ("半导体及光电", "数字经济"),
    ("地理信息", "数字经济"),
    ("健康医药", "生命健康"),
    ("美妆", "时尚产业"),
    ("童装", "时尚产业"),
    ("绿色家居", "绿色家居"),
    ("文旅", "文化旅游"),
];

const LIST_YRD: &str = "省长三角一体化重大项目";
const LIST_PROVINCE: &str = "省重大项目";
const LIST_CITY: &str = "市重大项目";
const LIST_FLAGSHIP: &str = "“10+20+5”标志性项目";
const LIST_CENTER: &str = "招商中心签约项目";
const LISTS: [&str; 5] = [
    LIST_YRD,
    LIST_PROVINCE,
    LIST_CITY,
    LIST_FLAGSHIP,
    LIST_CENTER,
];

struct EventDef {
    name: &'static str,
    held_on: &'static str,
    place: &'static str,
    /// Projects signed at the event.
    count: usize,
    /// All projects of the event lie on this platform.
    platform: Option<&'static str>,
    shanghai_heavy: bool,
    /// Σ agreed investment of the event's projects in 万元 (0 = whatever comes out).
    total_wan: i64,
}

const EVENTS: [EventDef; 5] = [
    EventDef {
        name: "2023年湖州市重大项目集中签约活动",
        held_on: "2023-02-28",
        place: "湖州市",
        count: 24,
        platform: None,
        shanghai_heavy: false,
        total_wan: 0,
    },
    EventDef {
        name: "2023长三角（湖州）产业合作区招商推介会",
        held_on: "2023-06-16",
        place: "上海市",
        count: 18,
        platform: Some("CHQ"),
        shanghai_heavy: true,
        total_wan: 0,
    },
    EventDef {
        name: "2023沪湖产业合作项目集中签约活动",
        held_on: "2023-11-08",
        place: "上海市",
        count: 20,
        platform: None,
        shanghai_heavy: true,
        total_wan: 0,
    },
    EventDef {
        name: "2024年湖州市“招大引强”重大项目集中签约活动",
        held_on: "2024-02-26",
        place: "湖州市",
        count: 30,
        platform: None,
        shanghai_heavy: false,
        total_wan: 0,
    },
    EventDef {
        name: "2024年“在湖州看见美丽中国”（上海）推介会暨上海活动周",
        held_on: "2024-12-20",
        place: "上海市",
        count: 72,
        platform: None,
        shanghai_heavy: true,
        total_wan: 6_752_000,
    },
];

/// The event whose projects are still at 签约 on the demo's last day.
const LAST_EVENT: usize = 4;

/// USD→CNY reference rates by date (the latest on or before a project's date is used).
const USD_RATES: [(&str, &str); 9] = [
    ("2022-12-30", "6.9646"),
    ("2023-03-31", "6.8717"),
    ("2023-06-30", "7.2258"),
    ("2023-09-28", "7.1798"),
    ("2023-12-29", "7.0827"),
    ("2024-03-29", "7.0950"),
    ("2024-06-28", "7.1268"),
    ("2024-09-30", "7.0074"),
    ("2024-12-20", "7.1884"),
];

struct DemoUser {
    username: &'static str,
    display_name: &'static str,
    role: Role,
    /// District code or platform code for area accounts.
    area: &'static str,
    unit: Option<&'static str>,
    leader: Option<&'static str>,
}

const fn user(
    username: &'static str,
    display_name: &'static str,
    role: Role,
    area: &'static str,
) -> DemoUser {
    DemoUser {
        username,
        display_name,
        role,
        area,
        unit: None,
        leader: None,
    }
}

const USERS: [DemoUser; 10] = [
    user("admin", "系统管理员", Role::Admin, ""),
    user("office", "市区域合作办", Role::Office, ""),
    user("wuxing", "吴兴区区域合作办", Role::Area, "330502"),
    user("nanxun", "南浔区区域合作办", Role::Area, "330503"),
    user("deqing", "德清县区域合作办", Role::Area, "330521"),
    user("changxing", "长兴县区域合作办", Role::Area, "330522"),
    user("anji", "安吉县区域合作办", Role::Area, "330523"),
    user("changhe", "长合区管委会招商局", Role::Area, "CHQ"),
    DemoUser {
        unit: Some("TCZX"),
        ..user("zhaoshang", "市投资促进服务中心", Role::Unit, "")
    },
    DemoUser {
        leader: Some("沈卫东"),
        ..user("lingdao", "沈卫东", Role::Leader, "")
    },
];

impl DemoUser {
    fn label(&self) -> String {
        let scope = match self.role {
            Role::Admin | Role::Office => return self.role.label().to_string(),
            Role::Area => DISTRICTS
                .iter()
                .find(|d| d.0 == self.area)
                .map(|d| d.1)
                .or_else(|| PLATFORMS.iter().find(|p| p.0 == self.area).map(|p| p.3))
                .unwrap_or(self.area),
            Role::Unit => self
                .unit
                .and_then(|u| UNITS.iter().find(|x| x.0 == u))
                .map_or("", |x| x.1),
            Role::Leader => self.leader.unwrap_or(""),
        };
        format!("{}：{scope}", self.role.label())
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary for made-up investors, people and projects.

const BRAND_FIRST: [&str; 40] = [
    "恒", "博", "致", "华", "新", "中", "瑞", "科", "德", "盛", "东", "金", "天", "万", "凯", "泰",
    "鼎", "嘉", "宏", "昊", "君", "卓", "晟", "弘", "铂", "翼", "擎", "跃", "启", "沃", "领", "安",
    "合", "裕", "聚", "远", "艾", "微", "正", "海",
];
const BRAND_SECOND: [&str; 32] = [
    "远", "辰", "创", "驰", "源", "诚", "越", "锐", "川", "研", "拓", "芯", "腾", "峰", "睿", "融",
    "恺", "岳", "衡", "工", "迈", "骏", "联", "科", "泽", "瀚", "旭", "航", "智", "澜", "禾", "翔",
];
/// Combinations that would read as a well-known real company or brand.
const BRAND_AVOID: [&str; 45] = [
    "中航", "华工", "中联", "泰科", "华创", "中创", "万科", "华峰", "华锐", "宏源", "合创", "安联",
    "东旭", "金川", "天工", "中科", "东航", "中骏", "东岳", "恒驰", "博越", "凯越", "海航", "正泰",
    "海联", "天源", "远航", "中工", "新联", "华联", "中智", "海澜", "金融", "科创", "华源", "中源",
    "恒源", "天智", "金科", "瑞科", "启辰", "华航", "东联", "天合", "新源",
];

const SURNAMES: [&str; 20] = [
    "张", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "林", "罗", "高", "梁",
];

/// District code → 招商 staff (promoters) and service commissioners.
const PROMOTERS: [(&str, [&str; 5], [&str; 4]); 5] = [
    (
        "330502",
        ["沈佳豪", "钱晓燕", "陆建锋", "费雪琴", "邱晨阳"],
        ["章丽华", "凌志伟", "戴晓明", "何静"],
    ),
    (
        "330503",
        ["姚国庆", "施梦婷", "闵志强", "蔡文杰", "潘思远"],
        ["邵建新", "董晓兰", "郑凯", "汤敏"],
    ),
    (
        "330521",
        ["俞晓峰", "胡丹丹", "杨志刚", "孙佳怡", "金浩然"],
        ["叶伟强", "莫雅琴", "沈俊", "程晓东"],
    ),
    (
        "330522",
        ["王立军", "吴海燕", "徐凯", "张雨婷", "李建明"],
        ["钟华明", "梁慧", "范立强", "许文静"],
    ),
    (
        "330523",
        ["朱海涛", "陈思琪", "潘立新", "汪晓雯", "蒋志远"],
        ["卢志勇", "鲍丽萍", "应晨", "俞海峰"],
    ),
];
/// Staff of the city's investment promotion centre in Shanghai (上海湖州全球招商中心).
const CENTER_PROMOTERS: [&str; 6] = ["顾晓辉", "严佳琪", "宋文博", "夏振宇", "唐欣怡", "方睿"];

/// How much money a kind of product can plausibly take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Size {
    /// Parts and niche products: at most 30亿.
    Parts,
    /// Up to 100亿.
    Any,
    /// Whole vehicles, cell factories, panels: 20亿 and more.
    Major,
}

impl Size {
    fn fits(self, amount_wan: i64) -> bool {
        match self {
            Size::Parts => amount_wan <= 300_000,
            Size::Any => amount_wan <= 1_000_000,
            Size::Major => amount_wan >= 200_000,
        }
    }
}

struct ChainDef {
    chain: &'static str,
    /// Two-digit industry division (GB/T 4754) used in project codes.
    gb: &'static str,
    suffixes: &'static [&'static str],
    /// Product templates; `{n}` takes one of the numbers (bigger numbers for bigger money).
    products: &'static [(&'static str, &'static [u32], Size)],
    equipment: &'static str,
}

const CHAIN_DEFS: [ChainDef; 13] = [
    ChainDef {
        chain: "新能源汽车及关键零部件",
        gb: "36",
        suffixes: &[
            "汽车零部件",
            "新能源汽车科技",
            "汽车电子",
            "电驱动技术",
            "汽车热管理科技",
            "汽车科技",
        ],
        products: &[
            (
                "年产{n}万套新能源汽车热管理系统项目",
                &[10, 20, 30, 50],
                Size::Any,
            ),
            (
                "年产{n}万台新能源汽车电驱动总成项目",
                &[10, 20, 30, 60],
                Size::Any,
            ),
            ("新能源汽车一体化压铸结构件项目", &[], Size::Any),
            (
                "年产{n}万套汽车智能座舱及电子电器项目",
                &[20, 50, 100],
                Size::Parts,
            ),
            ("新能源汽车轻量化底盘及车身结构件项目", &[], Size::Any),
            (
                "年产{n}万套新能源汽车高压线束及连接器项目",
                &[30, 50, 100],
                Size::Parts,
            ),
            ("汽车智能驾驶域控制器研发制造项目", &[], Size::Parts),
            (
                "年产{n}万套新能源汽车空气悬架系统项目",
                &[10, 20, 30],
                Size::Parts,
            ),
            (
                "年产{n}万只新能源汽车驱动电机轴承项目",
                &[100, 200, 500],
                Size::Parts,
            ),
            ("新能源商用车整车及核心部件项目", &[], Size::Major),
            ("新能源乘用车整车制造基地项目", &[], Size::Major),
        ],
        equipment: "大型一体化压铸岛、机器人焊装线、自动化总装及检测线",
    },
    ChainDef {
        chain: "数控机床",
        gb: "34",
        suffixes: &["数控机床", "精密机械", "智能装备", "精工机械", "机床"],
        products: &[
            ("高端数控机床整机及关键功能部件项目", &[], Size::Any),
            (
                "年产{n}台五轴联动数控机床项目",
                &[300, 500, 800, 1000],
                Size::Parts,
            ),
            ("精密数控磨床及智能产线项目", &[], Size::Parts),
            (
                "年产{n}万套精密滚珠丝杠及直线导轨项目",
                &[10, 20, 50],
                Size::Parts,
            ),
            ("数控系统及伺服驱动研发制造项目", &[], Size::Parts),
            (
                "年产{n}台（套）激光切割及数控折弯装备项目",
                &[500, 1000, 2000],
                Size::Parts,
            ),
            (
                "年产{n}台立式及卧式加工中心项目",
                &[600, 1000, 1500],
                Size::Parts,
            ),
            ("高精度数控刀具及刀柄项目", &[], Size::Parts),
        ],
        equipment: "五轴加工中心、精密坐标镗床、三坐标测量机",
    },
    ChainDef {
        chain: "智能制造",
        gb: "34",
        suffixes: &["机器人", "智能科技", "自动化科技", "智能装备"],
        products: &[
            ("工业机器人及核心零部件智能制造项目", &[], Size::Any),
            (
                "年产{n}台协作机器人项目",
                &[5000, 10000, 20000],
                Size::Parts,
            ),
            ("精密减速器及伺服电机项目", &[], Size::Parts),
            ("智能工厂成套装备及系统集成项目", &[], Size::Parts),
        ],
        equipment: "柔性装配线、精密检测设备、智能立体仓库",
    },
    ChainDef {
        chain: "物流装备",
        gb: "34",
        suffixes: &["物流装备", "智能物流", "搬运设备"],
        products: &[
            (
                "年产{n}台智能叉车及AGV项目",
                &[5000, 10000, 30000],
                Size::Parts,
            ),
            ("智能物流输送分拣系统项目", &[], Size::Parts),
            ("智能仓储装备及系统集成项目", &[], Size::Parts),
        ],
        equipment: "激光切割机、机器人焊接工作站、整机装配线",
    },
    ChainDef {
        chain: "智能电梯",
        gb: "34",
        suffixes: &["电梯", "电梯部件", "机电科技"],
        products: &[
            (
                "年产{n}台智能电梯及自动扶梯项目",
                &[5000, 10000, 20000],
                Size::Parts,
            ),
            ("电梯曳引机及导轨等关键部件项目", &[], Size::Parts),
            ("电梯智能控制系统研发生产项目", &[], Size::Parts),
        ],
        equipment: "数控冲剪生产线、钣金自动化线、整梯试验塔",
    },
    ChainDef {
        chain: "光伏及新型储能",
        gb: "38",
        suffixes: &["新能源科技", "储能科技", "光伏科技", "电池科技"],
        products: &[
            ("年产{n}GW高效光伏组件项目", &[1, 3, 5, 10], Size::Any),
            (
                "年产{n}GWh储能电池及系统集成项目",
                &[1, 2, 5, 10],
                Size::Any,
            ),
            (
                "年产{n}万台储能变流器及逆变器项目",
                &[5, 10, 20],
                Size::Parts,
            ),
            ("钠离子电池研发及产业化项目", &[], Size::Any),
            ("年产{n}GWh动力电池项目", &[5, 10, 20, 40], Size::Major),
            (
                "年产{n}GW高效N型电池片及组件一体化项目",
                &[5, 10, 20],
                Size::Major,
            ),
        ],
        equipment: "全自动电芯生产线、模组PACK线、化成分容设备",
    },
    ChainDef {
        chain: "先进材料",
        gb: "33",
        suffixes: &["新材料", "材料科技", "复合材料", "金属科技"],
        products: &[
            ("高性能碳纤维复合材料项目", &[], Size::Any),
            (
                "年产{n}万吨锂电正极材料一体化项目",
                &[5, 10, 20],
                Size::Major,
            ),
            ("年产{n}万吨高端铝合金型材项目", &[5, 10, 20], Size::Any),
            ("电子级高纯材料项目", &[], Size::Parts),
            ("年产{n}万吨新能源汽车用特种钢材项目", &[10, 30], Size::Any),
            ("高端功能膜材料研发生产项目", &[], Size::Parts),
        ],
        equipment: "连续挤压生产线、真空热处理炉、精密检测设备",
    },
    ChainDef {
        chain: "半导体及光电",
        gb: "39",
        suffixes: &["半导体", "微电子", "光电科技", "芯片科技"],
        products: &[
            (
                "年产{n}万片功率半导体芯片项目",
                &[12, 24, 36, 60],
                Size::Any,
            ),
            ("半导体封装测试基地项目", &[], Size::Any),
            ("光通信器件及模块研发生产项目", &[], Size::Parts),
            ("MEMS传感器研发及产业化项目", &[], Size::Parts),
            ("新型显示面板及触控模组项目", &[], Size::Major),
            ("12英寸晶圆制造项目", &[], Size::Major),
            ("车规级芯片设计及测试项目", &[], Size::Parts),
        ],
        equipment: "光刻机、晶圆测试机、自动封装线",
    },
    ChainDef {
        chain: "地理信息",
        gb: "65",
        suffixes: &["地理信息", "空间信息技术", "测绘科技", "时空科技"],
        products: &[
            ("地理信息时空大数据产业园项目", &[], Size::Parts),
            ("北斗高精度定位终端研发生产项目", &[], Size::Parts),
            ("卫星遥感数据处理及应用服务项目", &[], Size::Parts),
            ("实景三维及智慧城市解决方案项目", &[], Size::Parts),
            ("无人机测绘装备研发制造项目", &[], Size::Parts),
        ],
        equipment: "高性能计算集群、无人机测绘系统、检测标定设备",
    },
    ChainDef {
        chain: "健康医药",
        gb: "27",
        suffixes: &["生物医药", "医疗器械", "药业", "生物科技"],
        products: &[
            ("生物医药研发及产业化基地项目", &[], Size::Any),
            (
                "年产{n}万支高端医疗器械项目",
                &[100, 500, 1000],
                Size::Parts,
            ),
            ("创新药CDMO生产基地项目", &[], Size::Any),
            ("体外诊断试剂研发生产项目", &[], Size::Parts),
            ("中药配方颗粒智能制造项目", &[], Size::Parts),
        ],
        equipment: "GMP洁净车间、全自动灌装线、质量检测中心",
    },
    ChainDef {
        chain: "美妆",
        gb: "26",
        suffixes: &["化妆品", "生物科技", "美妆科技"],
        products: &[
            ("美妆智造产业园项目", &[], Size::Any),
            (
                "年产{n}万件化妆品智能制造项目",
                &[3000, 5000, 10000],
                Size::Parts,
            ),
            ("化妆品原料研发生产项目", &[], Size::Parts),
            ("功效护肤品研发及生产基地项目", &[], Size::Parts),
        ],
        equipment: "全自动灌装线、真空乳化设备、GMPC洁净车间",
    },
    ChainDef {
        chain: "童装",
        gb: "18",
        suffixes: &["服饰", "童装", "纺织科技"],
        products: &[
            ("童装数字化智能工厂项目", &[], Size::Parts),
            (
                "年产{n}万件童装智能制造项目",
                &[500, 1000, 2000],
                Size::Parts,
            ),
            ("童装设计研发及供应链中心项目", &[], Size::Parts),
        ],
        equipment: "智能吊挂系统、自动裁床、数码印花设备",
    },
    ChainDef {
        chain: "绿色家居",
        gb: "21",
        suffixes: &["家居", "椅业", "木业", "家具"],
        products: &[
            ("年产{n}万套智能办公椅项目", &[100, 200, 300], Size::Parts),
            ("高端定制家居智能工厂项目", &[], Size::Parts),
            (
                "年产{n}万平方米竹木复合地板项目",
                &[300, 500, 1000],
                Size::Parts,
            ),
            ("智能家居及功能沙发项目", &[], Size::Parts),
        ],
        equipment: "数控开料中心、自动封边线、智能喷涂线",
    },
];

/// Where industrial projects of an area concentrate: (chain, weight).
fn chain_weights(district: &str, platform: Option<&str>) -> &'static [(&'static str, u32)] {
    match (platform, district) {
        (Some("CHQ"), _) => &[
            ("新能源汽车及关键零部件", 45),
            ("数控机床", 30),
            ("光伏及新型储能", 10),
            ("智能制造", 10),
            ("先进材料", 5),
        ],
        (Some("NTH"), _) => &[
            ("半导体及光电", 20),
            ("新能源汽车及关键零部件", 20),
            ("智能制造", 15),
            ("健康医药", 15),
            ("先进材料", 15),
            ("光伏及新型储能", 10),
            ("地理信息", 5),
        ],
        (Some("SHQ"), _) => &[
            ("智能制造", 25),
            ("半导体及光电", 20),
            ("新能源汽车及关键零部件", 20),
            ("智能电梯", 20),
            ("数控机床", 15),
        ],
        (Some("GXQ"), _) => &[
            ("地理信息", 40),
            ("健康医药", 20),
            ("半导体及光电", 15),
            ("智能制造", 15),
            ("新能源汽车及关键零部件", 10),
        ],
        (Some(_), _) => &[
            ("绿色家居", 35),
            ("健康医药", 20),
            ("光伏及新型储能", 15),
            ("物流装备", 15),
            ("半导体及光电", 15),
        ],
        (None, "330502") => &[
            ("美妆", 30),
            ("童装", 25),
            ("先进材料", 15),
            ("智能制造", 15),
            ("物流装备", 15),
        ],
        (None, "330503") => &[
            ("智能电梯", 35),
            ("绿色家居", 25),
            ("数控机床", 15),
            ("先进材料", 15),
            ("物流装备", 10),
        ],
        (None, "330521") => &[
            ("先进材料", 25),
            ("健康医药", 20),
            ("绿色家居", 20),
            ("物流装备", 15),
            ("地理信息", 10),
            ("智能制造", 10),
        ],
        (None, "330522") => &[
            ("光伏及新型储能", 30),
            ("新能源汽车及关键零部件", 20),
            ("先进材料", 20),
            ("数控机床", 10),
            ("智能制造", 10),
            ("绿色家居", 5),
            ("健康医药", 5),
        ],
        _ => &[
            ("绿色家居", 45),
            ("健康医药", 20),
            ("先进材料", 15),
            ("物流装备", 10),
            ("光伏及新型储能", 10),
        ],
    }
}

/// Foreign investors: (country, brands, name pattern with `{b}`).
const FOREIGN: [(&str, &[&str], &str, u32); 9] = [
    (
        "德国",
        &["克劳森", "莱默尔", "福斯特曼", "韦伯尔", "赫尔曼斯"],
        "德国{b}集团",
        22,
    ),
    (
        "日本",
        &["大森", "北辰", "东和", "三和", "丸尾"],
        "日本{b}株式会社",
        20,
    ),
    (
        "新加坡",
        &["丰诚", "明拓", "盛联", "汇亚"],
        "新加坡{b}控股私人有限公司",
        14,
    ),
    ("韩国", &["世元", "大成", "韩一"], "韩国{b}株式会社", 8),
    (
        "美国",
        &["科林斯", "艾弗森", "布莱特"],
        "美国{b}科技公司",
        10,
    ),
    (
        "中国香港",
        &["嘉信", "永丰", "汇德"],
        "香港{b}控股有限公司",
        14,
    ),
    ("意大利", &["科莫", "贝拉蒂"], "意大利{b}机械集团", 5),
    ("瑞士", &["阿尔梅", "斯特劳"], "瑞士{b}精密仪器集团", 4),
    ("法国", &["布瓦洛", "德莱尔"], "法国{b}集团", 3),
];

const SHANGHAI: [&str; 12] = [
    "上海市浦东新区",
    "上海市嘉定区",
    "上海市松江区",
    "上海市闵行区",
    "上海市青浦区",
    "上海市宝山区",
    "上海市金山区",
    "上海市奉贤区",
    "上海市徐汇区",
    "上海市杨浦区",
    "上海市长宁区",
    "上海市普陀区",
];
/// (origin detail, prefix used in company names).
const JIANGSU: [(&str, &str); 6] = [
    ("江苏省苏州市", "苏州"),
    ("江苏省无锡市", "无锡"),
    ("江苏省常州市", "常州"),
    ("江苏省南京市", "南京"),
    ("江苏省南通市", "南通"),
    ("江苏省宜兴市", "宜兴"),
];
const PROVINCE: [(&str, &str); 7] = [
    ("杭州市", "杭州"),
    ("宁波市", "宁波"),
    ("嘉兴市", "嘉兴"),
    ("绍兴市", "绍兴"),
    ("台州市", "台州"),
    ("温州市", "温州"),
    ("金华市", "金华"),
];
const ANHUI: [(&str, &str); 4] = [
    ("安徽省合肥市", "合肥"),
    ("安徽省芜湖市", "芜湖"),
    ("安徽省宣城市", "宣城"),
    ("安徽省滁州市", "滁州"),
];
const DOMESTIC: [(&str, &str); 6] = [
    ("广东省深圳市", "深圳"),
    ("北京市", "北京"),
    ("广东省广州市", "广州"),
    ("福建省厦门市", "厦门"),
    ("四川省成都市", "成都"),
    ("湖北省武汉市", "武汉"),
];

/// Culture and tourism projects by district.
const TOURISM: [(&str, [&str; 4]); 5] = [
    (
        "330502",
        [
            "太湖旅游度假区滨湖文旅综合体项目",
            "潞村乡村旅游度假项目",
            "西山漾湿地文旅项目",
            "妙西茶文化旅游综合体项目",
        ],
    ),
    (
        "330503",
        [
            "南浔古镇旅游度假区提升项目",
            "荻港渔庄文旅融合项目",
            "江南水乡研学旅游基地项目",
            "南浔丝绸文化主题街区项目",
        ],
    ),
    (
        "330521",
        [
            "莫干山国际度假酒店项目",
            "下渚湖湿地文旅综合体项目",
            "莫干山民宿集群提升项目",
            "新市古镇文旅开发项目",
        ],
    ),
    (
        "330522",
        [
            "太湖图影旅游度假区项目",
            "顾渚茶文化旅游综合体项目",
            "仙山湖康养度假项目",
            "水口乡村旅游集聚区项目",
        ],
    ),
    (
        "330523",
        [
            "余村两山文旅融合项目",
            "天荒坪山地度假综合体项目",
            "竹文化主题度假区项目",
            "云上草原二期项目",
        ],
    ),
];

/// Towns for smaller culture and tourism projects, by district.
const TOWNS: [(&str, [&str; 4]); 5] = [
    ("330502", ["妙西", "埭溪", "东林", "道场"]),
    ("330503", ["练市", "善琏", "双林", "菱湖"]),
    ("330521", ["莫干山", "新市", "洛舍", "禹越"]),
    ("330522", ["水口", "小浦", "煤山", "泗安"]),
    ("330523", ["孝丰", "报福", "山川", "灵峰"]),
];
const TOURISM_GENERIC: [&str; 4] = [
    "{town}精品度假酒店项目",
    "{town}乡村旅游综合体项目",
    "{town}康养度假项目",
    "{town}田园综合体项目",
];

/// Infrastructure: (name pattern with `{place}`, content, investors as indexes of [`INFRA_INVESTORS`]).
const INFRA: [(&str, &str, &[usize]); 7] = [
    (
        "{place}智慧物流港项目",
        "智能仓储、冷链物流中心及多式联运作业区",
        &[0, 2, 6],
    ),
    (
        "{place}多式联运物流中心项目",
        "铁公水多式联运作业区、集装箱堆场及配套设施",
        &[0, 2, 6],
    ),
    (
        "{place}分布式光伏及综合能源站项目",
        "屋顶分布式光伏、储能电站及综合能源服务中心",
        &[3, 4],
    ),
    (
        "{place}集中供热及热电联产项目",
        "热电联产机组及集中供热管网",
        &[3, 4],
    ),
    (
        "{place}智算中心项目",
        "智算中心机房、配套变电站及绿色冷却系统",
        &[7],
    ),
    (
        "{place}标准厂房及产业社区项目",
        "高标准厂房、研发楼及人才公寓",
        &[0, 1, 5],
    ),
    (
        "{place}人才公寓及配套项目",
        "人才公寓、邻里中心及配套商业",
        &[1, 5],
    ),
];
/// Infrastructure investors: (name, origin, detail, central SOE).
const INFRA_INVESTORS: [(&str, Origin, &str, bool); 8] = [
    (
        "中交城投（湖州）建设发展有限公司",
        Origin::Domestic,
        "北京市",
        true,
    ),
    (
        "中建科工集团浙江投资有限公司",
        Origin::Domestic,
        "北京市",
        true,
    ),
    (
        "中铁建发展（湖州）有限公司",
        Origin::Domestic,
        "北京市",
        true,
    ),
    (
        "中电建（湖州）新能源开发有限公司",
        Origin::Domestic,
        "北京市",
        true,
    ),
    (
        "国电投（湖州）综合智慧能源有限公司",
        Origin::Domestic,
        "北京市",
        true,
    ),
    (
        "上海城建投资发展（湖州）有限公司",
        Origin::Shanghai,
        "上海市徐汇区",
        false,
    ),
    (
        "浙江交投物流发展有限公司",
        Origin::Province,
        "杭州市",
        false,
    ),
    (
        "中电信数智科技（湖州）有限公司",
        Origin::Domestic,
        "北京市",
        true,
    ),
];

/// Social projects: (name pattern with `{b}`, content, investor pattern with `{b}`).
const SOCIAL: [(&str, &str, &str); 5] = [
    (
        "{b}湖州国际学校项目",
        "涵盖幼儿园至高中的十五年一贯制国际化学校",
        "上海{b}教育集团有限公司",
    ),
    (
        "{b}康养综合体项目",
        "养老公寓、护理院及康复中心",
        "上海{b}健康产业发展有限公司",
    ),
    (
        "上海{b}医院湖州分院项目",
        "综合医院门急诊楼、医技楼及住院楼",
        "上海{b}医疗管理有限公司",
    ),
    (
        "{b}未来社区项目",
        "未来社区邻里中心、托育及社区服务设施",
        "{b}城市发展有限公司",
    ),
    (
        "{b}长三角人才服务中心项目",
        "人才服务综合体及国际人才社区",
        "上海{b}人力资源有限公司",
    ),
];

/// Research institutes: (field, industry, chain).
const RESEARCH: [(&str, &str, Option<&str>); 10] = [
    ("智能制造", "高端装备", Some("智能制造")),
    ("新能源汽车", "新能源汽车", Some("新能源汽车及关键零部件")),
    ("先进材料", "新材料", Some("先进材料")),
    ("地理信息时空智能", "数字经济", Some("地理信息")),
    ("生物医药", "生命健康", Some("健康医药")),
    ("数控装备", "高端装备", Some("数控机床")),
    ("绿色低碳", "新能源", None),
    ("新型储能", "新能源", Some("光伏及新型储能")),
    ("集成电路设计", "数字经济", Some("半导体及光电")),
    ("人工智能", "数字经济", None),
];
const RESEARCH_PLACES: [&str; 6] = ["长三角", "沪湖", "南太湖", "莫干山", "太湖", "湖州"];
const RESEARCH_KINDS: [&str; 4] = ["研究院", "创新中心", "技术研究院", "产业创新研究院"];

/// Talent projects: (technology, industry, chain).
const TALENT: [(&str, &str, &str); 11] = [
    ("固态电池电解质材料", "新能源", "光伏及新型储能"),
    ("高精度MEMS惯性导航芯片", "数字经济", "半导体及光电"),
    ("AI医学影像辅助诊断系统", "生命健康", "健康医药"),
    (
        "氢燃料电池金属双极板",
        "新能源汽车",
        "新能源汽车及关键零部件",
    ),
    ("工业视觉智能检测装备", "高端装备", "智能制造"),
    ("全生物降解高分子材料", "新材料", "先进材料"),
    ("碳化硅外延片", "数字经济", "半导体及光电"),
    ("车载激光雷达", "新能源汽车", "新能源汽车及关键零部件"),
    ("合成生物功效原料", "时尚产业", "美妆"),
    ("北斗高精度定位模组", "数字经济", "地理信息"),
    ("数控机床智能电主轴", "高端装备", "数控机床"),
];

const REASONS_LEAD: [&str; 4] = [
    "经初步接洽，企业投资意向转向外省",
    "项目不符合本地产业准入要求",
    "企业主体变更，项目信息失效",
    "项目能耗指标无法保障，不予引进",
];
const REASONS_NEGOTIATING: [&str; 6] = [
    "双方在用地价格和投资强度上未能达成一致",
    "企业战略调整，取消新建产能计划",
    "项目最终落户江苏，洽谈终止",
    "环评及能耗评估未通过",
    "企业融资受阻，暂停对外投资",
    "项目亩均税收预期低于准入标准",
];
const REASONS_SIGNED: [&str; 3] = [
    "签约后企业未按期注册公司及注资，协议解除",
    "受行业下行影响，企业申请解除投资协议",
    "项目选址调整至省外，协议终止",
];
const REASON_STARTED: &str = "企业资金链断裂，项目停建并进入破产重整程序";

/// Investment bands in 万元: (low, high, rounding).
const TIERS: [(i64, i64, i64); 8] = [
    (2_000, 9_900, 100),
    (10_000, 29_900, 500),
    (30_000, 49_900, 500),
    (50_000, 99_500, 500),
    (100_000, 199_500, 5_000),
    (200_000, 495_000, 5_000),
    (500_000, 990_000, 10_000),
    (1_000_000, 2_200_000, 10_000),
];

// ---------------------------------------------------------------------------------------------
// Dates and randomness.

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar date")
}

fn iso(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("an ISO date")
}

/// The demo's "today": every date lies in 2023–2024.
fn today() -> NaiveDate {
    ymd(2024, 12, 31)
}

fn first_day() -> NaiveDate {
    ymd(2023, 1, 3)
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// Offices record changes on working days: Saturday moves back to Friday, Sunday on to Monday.
/// The mapping never reverses the order of two dates.
fn workday(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d - days(1),
        Weekday::Sun => (d + days(1)).min(today()),
        _ => d,
    }
}

/// Days a step into `stage` usually takes: (shortest, longest).
fn gap(stage: Stage) -> (i64, i64) {
    match stage {
        Stage::Lead => (0, 0),
        Stage::Negotiating => (15, 120),
        Stage::Signed => (30, 240),
        Stage::Started => (20, 200),
        Stage::Completed => (180, 540),
        Stage::Producing => (10, 90),
        Stage::FullProduction => (90, 365),
        Stage::Terminated => (30, 300),
    }
}

/// splitmix64: tiny, fast and good enough to make a city up.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut r = self.next() % total.max(1);
        for (item, w) in items {
            if r < u64::from(*w) {
                return *item;
            }
            r -= u64::from(*w);
        }
        items[items.len() - 1].0
    }

    fn date_in(&mut self, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
        lo + days(self.range(0, (hi - lo).num_days()))
    }
}

// ---------------------------------------------------------------------------------------------
// The plan: every project, decided before anything is written.

/// Dictionary ids by code or name.
struct Ids {
    platforms: HashMap<&'static str, i64>,
    units: HashMap<&'static str, i64>,
    leaders: HashMap<&'static str, i64>,
    industries: HashMap<&'static str, i64>,
    chains: HashMap<&'static str, i64>,
    lists: HashMap<&'static str, i64>,
    events: Vec<i64>,
}

fn id_of(map: &HashMap<&'static str, i64>, key: &str) -> i64 {
    *map.get(key)
        .unwrap_or_else(|| panic!("demo dictionary entry {key} is missing"))
}

/// One project: what to create and the stage changes that follow.
struct Plan {
    input: ProjectInput,
    /// Stage changes after creation, in order.
    steps: Vec<(Stage, NaiveDate)>,
    reason: Option<&'static str>,
    /// Maturity set after the project reached 在谈 through a transition.
    maturity_after: Option<Maturity>,
    created: NaiveDate,
    cny: i64,
    origin: Origin,
    center: bool,
    signed: Option<NaiveDate>,
    terminated: Option<NaiveDate>,
    district: &'static str,
    platform: Option<&'static str>,
    kind: Kind,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    event: Option<usize>,
    amount_wan: Option<i64>,
}

struct Gen<'a> {
    rng: Rng,
    ids: &'a Ids,
    brands: HashSet<String>,
    names: HashSet<String>,
    codes: HashSet<String>,
}

/// What an investor looks like: who, from where, and the short brand used in project names.
struct Investor {
    name: String,
    brand: String,
    origin: Origin,
    detail: String,
    central_soe: bool,
}

impl<'a> Gen<'a> {
    fn new(ids: &'a Ids) -> Gen<'a> {
        Gen {
            rng: Rng(0x6875_7A68_6F75_2024),
            ids,
            brands: HashSet::new(),
            names: HashSet::new(),
            codes: HashSet::new(),
        }
    }

    fn brand(&mut self) -> String {
        for attempt in 0.. {
            let a = *self.rng.pick(&BRAND_FIRST);
            let b = *self.rng.pick(&BRAND_SECOND);
            let mut brand = format!("{a}{b}");
            if attempt > 200 {
                let extra = *self.rng.pick(&BRAND_SECOND);
                brand.push_str(extra);
            }
            if a != b && !BRAND_AVOID.contains(&brand.as_str()) && self.brands.insert(brand.clone())
            {
                return brand;
            }
        }
        unreachable!("the brand loop only ends by returning")
    }

    /// A name no other project has: `make` is asked a few times before falling back to 二期.
    fn fresh_name(&mut self, mut make: impl FnMut(&mut Rng) -> String) -> String {
        let mut name = make(&mut self.rng);
        for _ in 0..30 {
            if !self.names.contains(&name) {
                break;
            }
            name = make(&mut self.rng);
        }
        self.unique_name(name)
    }

    /// Makes a project name unique: a second project of the same name becomes its 二期.
    fn unique_name(&mut self, name: String) -> String {
        if self.names.insert(name.clone()) {
            return name;
        }
        for phase in ["二期", "三期", "四期"] {
            let n = format!("{}（{phase}）项目", name.trim_end_matches("项目"));
            if self.names.insert(n.clone()) {
                return n;
            }
        }
        let n = format!("{}（{}）", name, self.names.len());
        self.names.insert(n.clone());
        n
    }

    fn origin(&mut self, shanghai_heavy: bool) -> Origin {
        let weights: [(Origin, u32); 7] = if shanghai_heavy {
            [
                (Origin::Shanghai, 62),
                (Origin::Jiangsu, 8),
                (Origin::Province, 7),
                (Origin::Local, 4),
                (Origin::Anhui, 3),
                (Origin::Domestic, 10),
                (Origin::Abroad, 6),
            ]
        } else {
            [
                (Origin::Shanghai, 34),
                (Origin::Jiangsu, 12),
                (Origin::Province, 14),
                (Origin::Local, 8),
                (Origin::Anhui, 5),
                (Origin::Domestic, 12),
                (Origin::Abroad, 11),
            ]
        };
        self.rng.weighted(&weights)
    }

    /// An investor from `origin`; `suffix` is the business ("汽车零部件", "新材料" …).
    /// Foreign manufacturers invest in industry; other kinds take capital from Singapore or Hong Kong.
    fn investor(
        &mut self,
        origin: Origin,
        suffix: &str,
        big: bool,
        district: &str,
        industrial: bool,
    ) -> Investor {
        if origin == Origin::Abroad {
            let weights: Vec<(usize, u32)> = FOREIGN
                .iter()
                .enumerate()
                .filter(|(_, f)| industrial || matches!(f.0, "新加坡" | "中国香港"))
                .map(|(i, f)| (i, f.3))
                .collect();
            let (country, brands, pattern, _) = FOREIGN[self.rng.weighted(&weights)];
            let brand = self.rng.pick(brands).to_string();
            let name = if self.rng.chance(40) {
                format!("{brand}（中国）投资有限公司")
            } else {
                pattern.replace("{b}", &brand)
            };
            return Investor {
                name,
                brand,
                origin,
                detail: country.to_string(),
                central_soe: false,
            };
        }
        let (detail, prefix) = match origin {
            Origin::Shanghai => (self.rng.pick(&SHANGHAI).to_string(), "上海"),
            Origin::Jiangsu => {
                let (d, p) = *self.rng.pick(&JIANGSU);
                (d.to_string(), p)
            }
            Origin::Province => {
                let (d, p) = *self.rng.pick(&PROVINCE);
                (d.to_string(), p)
            }
            Origin::Anhui => {
                let (d, p) = *self.rng.pick(&ANHUI);
                (d.to_string(), p)
            }
            Origin::Domestic => {
                let (d, p) = *self.rng.pick(&DOMESTIC);
                (d.to_string(), p)
            }
            _ => {
                let d = DISTRICTS
                    .iter()
                    .find(|x| x.0 == district)
                    .map_or("", |x| x.1);
                (
                    d.to_string(),
                    if self.rng.chance(50) {
                        "浙江"
                    } else {
                        "湖州"
                    },
                )
            }
        };
        let brand = self.brand();
        let name = match self.rng.below(4) {
            0 => format!("{brand}{suffix}股份有限公司"),
            1 if big => format!("{prefix}{brand}集团有限公司"),
            _ => format!("{prefix}{brand}{suffix}有限公司"),
        };
        Investor {
            name,
            brand,
            origin,
            detail,
            central_soe: false,
        }
    }

    fn area(&mut self) -> (&'static str, Option<&'static str>) {
        let district = self.rng.weighted(&[
            ("330502", 22),
            ("330503", 18),
            ("330521", 18),
            ("330522", 26),
            ("330523", 16),
        ]);
        let (platform, share) = match district {
            "330502" => ("NTH", 55),
            "330503" => ("SHQ", 55),
            "330521" => ("GXQ", 55),
            "330522" => ("CHQ", 70),
            _ => ("AJK", 45),
        };
        (district, self.rng.chance(share).then_some(platform))
    }

    fn kind(&mut self, amount_wan: Option<i64>) -> Kind {
        match amount_wan {
            None => self.rng.weighted(&[
                (Kind::Industrial, 78),
                (Kind::Infrastructure, 4),
                (Kind::CultureTourism, 6),
                (Kind::Social, 3),
                (Kind::Research, 5),
                (Kind::Talent, 4),
            ]),
            Some(a) if a >= 100_000 => self.rng.weighted(&[
                (Kind::Industrial, 85),
                (Kind::CultureTourism, 10),
                (Kind::Infrastructure, 5),
            ]),
            Some(a) if a >= 10_000 => self.rng.weighted(&[
                (Kind::Industrial, 80),
                (Kind::CultureTourism, 8),
                (Kind::Social, 6),
                (Kind::Research, 6),
            ]),
            Some(_) => self.rng.weighted(&[
                (Kind::Industrial, 50),
                (Kind::Research, 25),
                (Kind::Talent, 25),
            ]),
        }
    }

    fn tier_amount(&mut self, tier: usize) -> i64 {
        let (lo, hi, step) = TIERS[tier];
        let v = self.rng.range(lo, hi);
        (v / step * step).max(lo)
    }

    fn amount(&mut self, kind: Kind) -> i64 {
        let weights: [u32; 8] = match kind {
            Kind::Industrial => [10, 24, 16, 20, 15, 9, 4, 1],
            Kind::Infrastructure => [0, 0, 2, 4, 4, 3, 1, 0],
            Kind::CultureTourism => [0, 3, 3, 4, 4, 3, 1, 0],
            Kind::Social => [0, 3, 3, 3, 2, 0, 0, 0],
            Kind::Research => [4, 4, 2, 0, 0, 0, 0, 0],
            Kind::Talent => [7, 3, 0, 0, 0, 0, 0, 0],
        };
        let items: Vec<(usize, u32)> = weights.iter().copied().enumerate().collect();
        let tier = self.rng.weighted(&items);
        self.tier_amount(tier)
    }

    /// Amounts for an event whose total is fixed: a realistic mix, scaled to the total exactly.
    fn event_amounts(&mut self, count: usize, total_wan: i64) -> Vec<i64> {
        let mix: [(usize, usize); 7] = [(6, 2), (5, 7), (4, 13), (3, 18), (2, 13), (1, 15), (0, 4)];
        let mut raw: Vec<i64> = Vec::with_capacity(count);
        for (tier, n) in mix {
            for _ in 0..n {
                raw.push(self.tier_amount(tier));
            }
        }
        while raw.len() < count {
            raw.push(self.tier_amount(1));
        }
        raw.truncate(count);
        let sum: i64 = raw.iter().sum();
        let mut scaled: Vec<i64> = raw
            .iter()
            .map(|a| {
                ((i128::from(*a) * i128::from(total_wan) / i128::from(sum)) as i64 / 100 * 100)
                    .max(1_000)
            })
            .collect();
        let diff = total_wan - scaled.iter().sum::<i64>();
        if let Some(largest) = scaled.iter_mut().max() {
            *largest += diff;
        }
        for i in (1..scaled.len()).rev() {
            let j = self.rng.below(i + 1);
            scaled.swap(i, j);
        }
        scaled
    }

    /// The stage a project has reached by the demo's last day, and the stage it was dropped
    /// from when it ended as 终止.
    fn final_stage(
        &mut self,
        fixed_sig: Option<NaiveDate>,
        event: Option<usize>,
    ) -> (Stage, Option<Stage>) {
        if event == Some(LAST_EVENT) {
            return (Stage::Signed, None);
        }
        if let Some(sig) = fixed_sig {
            let room = (today() - sig).num_days();
            let options: Vec<((Stage, Option<Stage>), u32)> = [
                ((Stage::Signed, None), 15),
                ((Stage::Started, None), 45),
                ((Stage::Completed, None), 15),
                ((Stage::Producing, None), 12),
                ((Stage::FullProduction, None), 5),
                ((Stage::Terminated, Some(Stage::Signed)), 5),
            ]
            .into_iter()
            .filter(|((s, from), _)| min_after_signing(from.unwrap_or(*s), from.is_some()) <= room)
            .collect();
            return self.rng.weighted(&options);
        }
        let stage = self.rng.weighted(&[
            (Stage::Lead, 13),
            (Stage::Negotiating, 24),
            (Stage::Signed, 12),
            (Stage::Started, 26),
            (Stage::Completed, 8),
            (Stage::Producing, 8),
            (Stage::FullProduction, 4),
            (Stage::Terminated, 5),
        ]);
        if stage == Stage::Terminated {
            let from = self.rng.weighted(&[
                (Stage::Lead, 25),
                (Stage::Negotiating, 55),
                (Stage::Signed, 15),
                (Stage::Started, 5),
            ]);
            return (stage, Some(from));
        }
        (stage, None)
    }

    /// The date of the stage before `into`, given that `into` happened on `next`; `None` when
    /// it would fall before the demo's first day: such a project entered the library at a later
    /// stage. Talks that led to an early-2023 signing are squeezed into the weeks before it.
    fn before(&mut self, next: NaiveDate, into: Stage) -> Option<NaiveDate> {
        let (lo, hi) = gap(into);
        let d = next - days(self.rng.range(lo, hi));
        if d >= first_day() {
            return Some(d);
        }
        let room = (next - first_day()).num_days();
        (into == Stage::Signed && room >= 20)
            .then(|| first_day() + days(self.rng.range(0, room * 2 / 3)))
    }

    /// The dated stages of a project, the first being the one it is created at.
    fn path(
        &mut self,
        last_work: Stage,
        terminated: bool,
        fixed_sig: Option<NaiveDate>,
    ) -> Vec<(Stage, NaiveDate)> {
        let mut out = Vec::new();
        if last_work >= Stage::Signed {
            let mut post = Vec::new();
            let mut s = Stage::Signed;
            while s < last_work {
                s = s.next().expect("an open stage has a next one");
                post.push(s);
            }
            if terminated {
                post.push(Stage::Terminated);
            }
            let sig = fixed_sig.unwrap_or_else(|| {
                let latest = today() - days(min_after_signing(last_work, terminated) + 3);
                let earliest = first_day() + days(20);
                let a = self.rng.date_in(earliest, latest);
                if last_work == Stage::Signed && !terminated {
                    // Most projects still at 签约 were signed recently.
                    a.max(self.rng.date_in(earliest, latest))
                } else {
                    a
                }
            });
            let create_at = self.rng.weighted(&[
                (Stage::Signed, 10),
                (Stage::Negotiating, 45),
                (Stage::Lead, 45),
            ]);
            if create_at != Stage::Signed
                && let Some(neg) = self.before(sig, Stage::Signed)
            {
                if create_at == Stage::Lead
                    && let Some(lead) = self.before(neg, Stage::Negotiating)
                {
                    out.push((Stage::Lead, lead));
                }
                out.push((Stage::Negotiating, neg));
            }
            out.push((Stage::Signed, sig));
            let gaps: Vec<i64> = post
                .iter()
                .map(|s| {
                    let (lo, hi) = gap(*s);
                    self.rng.range(lo, hi)
                })
                .collect();
            // A history too long for the time left is compressed to end somewhat before the
            // demo's last day, not on it.
            let room = (today() - sig).num_days();
            let total: i64 = gaps.iter().sum();
            let budget = if total > room {
                room * self.rng.range(70, 97) / 100
            } else {
                total
            };
            let mut d = sig;
            for (s, g) in post.iter().zip(gaps) {
                d += days(if total > budget {
                    g * budget / total
                } else {
                    g
                });
                out.push((*s, d));
            }
        } else {
            let end = terminated.then(|| self.rng.date_in(ymd(2023, 4, 3), today() - days(3)));
            let anchor = match end {
                Some(t) => self.before(t, Stage::Terminated).unwrap_or_else(|| {
                    let room = (t - first_day()).num_days();
                    first_day() + days(self.rng.range(0, room / 2))
                }),
                None if last_work == Stage::Lead => {
                    if self.rng.chance(80) {
                        self.rng.date_in(ymd(2024, 1, 2), today() - days(1))
                    } else {
                        self.rng.date_in(ymd(2023, 5, 4), ymd(2023, 12, 29))
                    }
                }
                None => self.rng.date_in(ymd(2023, 5, 4), today() - days(2)),
            };
            if last_work == Stage::Negotiating
                && self.rng.chance(50)
                && let Some(lead) = self.before(anchor, Stage::Negotiating)
            {
                out.push((Stage::Lead, lead));
            }
            out.push((last_work, anchor));
            if let Some(t) = end {
                out.push((Stage::Terminated, t));
            }
        }
        out.into_iter().map(|(s, d)| (s, workday(d))).collect()
    }

    fn project(&mut self, slot: Slot) -> Plan {
        let event = slot.event.map(|i| &EVENTS[i]);
        let fixed_sig = event.map(|e| iso(e.held_on));
        let (district, platform) = match event.and_then(|e| e.platform) {
            Some(p) => (
                PLATFORMS
                    .iter()
                    .find(|x| x.0 == p)
                    .map_or("330522", |x| x.2),
                Some(p),
            ),
            None => self.area(),
        };
        let kind = self.kind(slot.amount_wan);
        let amount_wan = slot.amount_wan.unwrap_or_else(|| self.amount(kind));
        let mut origin = self.origin(event.is_some_and(|e| e.shanghai_heavy));
        if event.is_some_and(|e| e.total_wan > 0) && origin == Origin::Abroad && self.rng.chance(50)
        {
            origin = Origin::Shanghai;
        }
        let place_short = platform
            .and_then(|p| PLATFORMS.iter().find(|x| x.0 == p).map(|x| x.3))
            .unwrap_or_else(|| {
                DISTRICTS
                    .iter()
                    .find(|x| x.0 == district)
                    .map_or("", |x| x.1.trim_end_matches(['区', '县']))
            });

        // What the project is.
        let mut industry: Option<&str> = None;
        let mut chain: Option<&str> = None;
        let gb;
        let investor;
        let name;
        let summary_core: String;
        match kind {
            Kind::Industrial => {
                // Big money goes to chains that have products that big.
                let fits = |chain: &str| {
                    CHAIN_DEFS.iter().any(|d| {
                        d.chain == chain && d.products.iter().any(|p| p.2.fits(amount_wan))
                    })
                };
                let weights: Vec<(&str, u32)> = chain_weights(district, platform)
                    .iter()
                    .copied()
                    .filter(|(c, _)| fits(c))
                    .collect();
                let chain_name = if weights.is_empty() {
                    "新能源汽车及关键零部件"
                } else {
                    self.rng.weighted(&weights)
                };
                let def = CHAIN_DEFS
                    .iter()
                    .find(|d| d.chain == chain_name)
                    .expect("a chain definition");
                industry = CHAINS.iter().find(|c| c.0 == chain_name).map(|c| c.1);
                if self.rng.chance(92) {
                    chain = Some(chain_name);
                }
                gb = def.gb;
                let suffix = *self.rng.pick(def.suffixes);
                investor = self.investor(
                    origin,
                    suffix,
                    amount_wan >= 100_000,
                    district,
                    kind == Kind::Industrial,
                );
                let upgrade =
                    origin == Origin::Local && amount_wan < 100_000 && self.rng.chance(40);
                let mut product = String::new();
                // Capacity grows with the money: small projects build parts, not gigafactories.
                let products: Vec<(&str, &[u32], Size)> = def
                    .products
                    .iter()
                    .copied()
                    .filter(|(_, n, size)| {
                        size.fits(amount_wan) && (amount_wan >= 10_000 || n.is_empty())
                    })
                    .collect();
                name = self.fresh_name(|rng| {
                    let (template, numbers, _) = *rng.pick(&products);
                    product = match numbers.len() {
                        0 => template.to_string(),
                        len => {
                            let i = match amount_wan {
                                a if a >= 200_000 => {
                                    rng.range((len / 2) as i64, len as i64 - 1) as usize
                                }
                                a if a >= 50_000 => 1.min(len - 1),
                                _ => 0,
                            };
                            template.replace("{n}", &numbers[i].to_string())
                        }
                    };
                    let shown = if upgrade {
                        product.replace("项目", "技改项目")
                    } else {
                        product.clone()
                    };
                    format!("{}{shown}", investor.brand)
                });
                summary_core = format!(
                    "购置{}等先进设备，{}",
                    def.equipment,
                    what_is_built(&product)
                );
            }
            Kind::CultureTourism => {
                industry = Some("文化旅游");
                chain = Some("文旅");
                gb = "61";
                let suffix = *self
                    .rng
                    .pick(&["文旅发展", "文化旅游", "酒店管理", "度假村管理"]);
                investor = self.investor(
                    origin,
                    suffix,
                    amount_wan >= 100_000,
                    district,
                    kind == Kind::Industrial,
                );
                let list = TOURISM
                    .iter()
                    .find(|t| t.0 == district)
                    .map_or(&TOURISM[0].1, |t| &t.1);
                let towns = TOWNS
                    .iter()
                    .find(|t| t.0 == district)
                    .map_or(&TOWNS[0].1, |t| &t.1);
                name = self.fresh_name(|rng| {
                    if rng.chance(40) {
                        rng.pick(list).to_string()
                    } else {
                        let town = *rng.pick(towns);
                        rng.pick(&TOURISM_GENERIC).replace("{town}", town)
                    }
                });
                summary_core =
                    "主要建设度假酒店、特色民宿集群、文化体验街区及游客服务中心，打造长三角知名的休闲度假目的地".into();
            }
            Kind::Infrastructure => {
                industry = Some("现代服务业");
                gb = "48";
                let mut chosen = INFRA[0];
                name = self.fresh_name(|rng| {
                    chosen = *rng.pick(&INFRA);
                    chosen.0.replace("{place}", place_short)
                });
                let (_, content, investors) = chosen;
                let (inv, o, detail, soe) = INFRA_INVESTORS[*self.rng.pick(investors)];
                investor = Investor {
                    name: inv.to_string(),
                    brand: String::new(),
                    origin: o,
                    detail: detail.to_string(),
                    central_soe: soe,
                };
                summary_core = format!(
                    "主要建设{content}，建成后将进一步提升{place_short}的产业承载能力和要素保障水平"
                );
            }
            Kind::Social => {
                gb = "83";
                let (pattern, content, inv) = *self.rng.pick(&SOCIAL);
                let brand = self.brand();
                origin = if self.rng.chance(70) {
                    Origin::Shanghai
                } else {
                    Origin::Province
                };
                let inv = inv.replace("{b}", &brand);
                let inv = if origin == Origin::Shanghai {
                    inv
                } else {
                    inv.replacen("上海", "杭州", 1)
                };
                let detail = if origin == Origin::Shanghai {
                    self.rng.pick(&SHANGHAI).to_string()
                } else {
                    "杭州市".into()
                };
                name = self.fresh_name(|_| pattern.replace("{b}", &brand));
                investor = Investor {
                    name: inv,
                    brand,
                    origin,
                    detail,
                    central_soe: false,
                };
                summary_core = format!("主要建设{content}，让沪湖两地群众共享优质公共服务");
            }
            Kind::Research => {
                gb = "73";
                let (field, ind, ch) = *self.rng.pick(&RESEARCH);
                industry = Some(ind);
                chain = ch;
                let suffix = *self.rng.pick(&["产业技术研究", "科技发展", "技术创新服务"]);
                investor = self.investor(origin, suffix, false, district, false);
                name = self.fresh_name(|rng| {
                    format!(
                        "{}{field}{}建设项目",
                        rng.pick(&RESEARCH_PLACES),
                        rng.pick(&RESEARCH_KINDS)
                    )
                });
                summary_core = format!(
                    "聚焦{field}方向开展关键核心技术攻关和科技成果转化，计划引进研发人员{}名、孵化科技型企业{}家",
                    self.rng.range(3, 20) * 10,
                    self.rng.range(5, 30)
                );
            }
            Kind::Talent => {
                let (tech, ind, ch) = *self.rng.pick(&TALENT);
                industry = Some(ind);
                chain = Some(ch);
                gb = CHAIN_DEFS
                    .iter()
                    .find(|d| d.chain == ch)
                    .map_or("73", |d| d.gb);
                origin = self.rng.weighted(&[
                    (Origin::Shanghai, 50),
                    (Origin::Jiangsu, 10),
                    (Origin::Domestic, 20),
                    (Origin::Abroad, 20),
                ]);
                let brand = self.brand();
                let detail = match origin {
                    Origin::Shanghai => self.rng.pick(&SHANGHAI).to_string(),
                    Origin::Jiangsu => self.rng.pick(&JIANGSU).0.to_string(),
                    Origin::Domestic => self.rng.pick(&DOMESTIC).0.to_string(),
                    _ => self
                        .rng
                        .pick(&["美国", "德国", "新加坡", "日本", "英国"])
                        .to_string(),
                };
                investor = Investor {
                    name: format!("湖州{brand}科技有限公司"),
                    brand,
                    origin,
                    detail,
                    central_soe: false,
                };
                let mut lead = String::new();
                name = self.fresh_name(|rng| {
                    let title = if rng.chance(50) {
                        "博士团队"
                    } else {
                        "教授团队"
                    };
                    lead = format!("{}{title}", rng.pick(&SURNAMES));
                    if rng.chance(60) {
                        format!("{lead}{tech}产业化项目")
                    } else {
                        format!("国家级领军人才{lead}{tech}项目")
                    }
                });
                summary_core =
                    format!("由{lead}领衔，开展{tech}的研发与产业化，预计三年内实现销售收入超亿元");
            }
        }
        let origin = investor.origin;

        // Stages and dates.
        let (final_stage, term_from) = self.final_stage(fixed_sig, slot.event);
        let last_work = term_from.unwrap_or(final_stage);
        let path = self.path(last_work, term_from.is_some(), fixed_sig);
        let (create_stage, created) = path[0];
        let signed = path
            .iter()
            .find(|(s, _)| *s == Stage::Signed)
            .map(|(_, d)| *d);
        let terminated = path
            .iter()
            .find(|(s, _)| *s == Stage::Terminated)
            .map(|(_, d)| *d);
        let reason = term_from.map(|from| match from {
            Stage::Lead => *self.rng.pick(&REASONS_LEAD),
            Stage::Negotiating => *self.rng.pick(&REASONS_NEGOTIATING),
            Stage::Signed => *self.rng.pick(&REASONS_SIGNED),
            _ => REASON_STARTED,
        });
        let maturity = (final_stage == Stage::Negotiating).then(|| {
            self.rng.weighted(&[
                (Maturity::Tracking, 35),
                (Maturity::SiteVisit, 25),
                (Maturity::Intent, 25),
                (Maturity::AwaitingSignature, 15),
            ])
        });

        // Money.
        let usd = origin == Origin::Abroad
            && event.is_none_or(|e| e.total_wan == 0)
            && kind == Kind::Industrial
            && self.rng.chance(55);
        let reference = signed.unwrap_or(created);
        let (rate_date, rate) = USD_RATES
            .iter()
            .rev()
            .find(|(d, _)| iso(d) <= reference)
            .copied()
            .unwrap_or(USD_RATES[0]);
        let (investment_wan, cny) = if usd {
            let rate_x = UsdRate::parse(rate).expect("a rate").0;
            let step = if amount_wan >= 70_000 { 1_000 } else { 100 };
            let usd_wan = (amount_wan * 10_000 / rate_x / step * step).max(step);
            (usd_wan, UsdRate(rate_x).to_cny(Yuan(usd_wan * WAN)).0)
        } else {
            (amount_wan, amount_wan * WAN)
        };
        let cny_wan = cny / WAN;
        let arrived_wan = match last_work {
            Stage::Started if term_from.is_some() => cny_wan * self.rng.range(5, 20) / 100,
            Stage::Started => cny_wan * self.rng.range(10, 55) / 100,
            Stage::Completed => cny_wan * self.rng.range(55, 90) / 100,
            Stage::Producing => cny_wan * self.rng.range(75, 100) / 100,
            Stage::FullProduction => cny_wan * self.rng.range(90, 100) / 100,
            Stage::Signed if self.rng.chance(20) => cny_wan * self.rng.range(1, 5) / 100,
            _ => 0,
        };

        // Land, in 亩.
        let land_x10: Option<i64> = match kind {
            Kind::Industrial
                if last_work >= Stage::Signed
                    || (last_work == Stage::Negotiating && self.rng.chance(50)) =>
            {
                let intensity = self.rng.range(300, 650);
                Some((amount_wan * 10 / intensity).clamp(150, 15_000) / 5 * 5)
            }
            Kind::CultureTourism if self.rng.chance(60) => Some(self.rng.range(30, 300) * 10),
            Kind::Infrastructure if self.rng.chance(40) => Some(self.rng.range(50, 600) * 10),
            Kind::Research | Kind::Talent if self.rng.chance(25) => {
                Some(self.rng.range(10, 50) * 10)
            }
            _ => None,
        };
        let land_text = land_x10.map(|l| {
            if l % 10 == 0 {
                format!("{}", l / 10)
            } else {
                format!("{}.{}", l / 10, l % 10)
            }
        });

        // People and responsibility.
        let center = origin == Origin::Shanghai
            && signed.is_some()
            && kind != Kind::Infrastructure
            && self.rng.chance(if event.is_some_and(|e| e.shanghai_heavy) {
                55
            } else {
                30
            });
        let (promoters, commissioners) = PROMOTERS
            .iter()
            .find(|p| p.0 == district)
            .map_or((&PROMOTERS[0].1, &PROMOTERS[0].2), |p| (&p.1, &p.2));
        let promoter = if center {
            self.rng.pick(&CENTER_PROMOTERS).to_string()
        } else if self.rng.chance(90) {
            self.rng.pick(promoters).to_string()
        } else {
            String::new()
        };
        let commissioner = if signed.is_some() && self.rng.chance(80) {
            self.rng.pick(commissioners).to_string()
        } else {
            String::new()
        };
        let unit = self.unit(kind, origin, center, district, platform, cny_wan);
        let leader = self.leader(kind, district, platform, chain, cny_wan);

        // Flags.
        let mut flags: Vec<&str> = Vec::new();
        if investor.central_soe {
            flags.push("central_soe");
        }
        if origin == Origin::Abroad && cny_wan >= 100_000 && self.rng.chance(35) {
            flags.push("global500");
        }
        if origin != Origin::Abroad
            && !investor.central_soe
            && cny_wan >= 200_000
            && self.rng.chance(30)
        {
            flags.push("china500");
        }
        // 链主 are mostly the big anchors of 长合区's chains.
        let chain_leader_odds = match (platform, cny_wan) {
            (Some("CHQ"), a) if a >= 100_000 => 25,
            (_, a) if a >= 200_000 => 10,
            _ => 0,
        };
        if kind == Kind::Industrial && self.rng.chance(chain_leader_odds) {
            flags.push("chain_leader");
        }
        if kind == Kind::Industrial && cny_wan >= 50_000 && flags.is_empty() && self.rng.chance(12)
        {
            flags.push("industry_leader");
        }
        let tech = matches!(
            chain,
            Some("半导体及光电" | "地理信息" | "健康医药" | "智能制造")
        );
        if (tech || kind == Kind::Talent)
            && (10_000..300_000).contains(&cny_wan)
            && flags.is_empty()
        {
            if self.rng.chance(12) {
                flags.push("gazelle");
            } else if self.rng.chance(3) {
                flags.push("unicorn");
            }
        }

        // National project code, once the project is filed (备案) after signing.
        let coded = match last_work {
            Stage::Signed => self.rng.chance(if term_from.is_some() { 20 } else { 30 }),
            Stage::Started | Stage::Completed | Stage::Producing | Stage::FullProduction => {
                self.rng.chance(85)
            }
            _ => false,
        };
        let project_code = match signed {
            Some(sig) if coded => {
                let kind_code = if matches!(kind, Kind::Infrastructure | Kind::Social) {
                    "01"
                } else {
                    "03"
                };
                loop {
                    let code = format!(
                        "{}-{district}-{gb}-{kind_code}-{:06}",
                        sig.year(),
                        self.rng.range(100_000, 999_999)
                    );
                    if self.codes.insert(code.clone()) {
                        break code;
                    }
                }
            }
            _ => String::new(),
        };

        // What the office writes about it.
        let money = if usd {
            format!("{investment_wan}万美元（约{}）", Yuan(cny))
        } else {
            Yuan(amount_wan * WAN).to_string()
        };
        let mut summary = format!("项目由{}投资建设，计划总投资{money}", investor.name);
        if let Some(l) = land_x10 {
            summary.push_str(&format!(
                "，规划用地约{}亩",
                land_text.clone().unwrap_or_default()
            ));
            if kind == Kind::Industrial {
                let far = self.rng.range(12, 20);
                let floor_m2 = l * 667 / 10 * far / 10;
                let tenths = floor_m2 / 1_000;
                summary.push_str(&if floor_m2 >= 10_000 && tenths % 10 == 0 {
                    format!("，新建厂房及配套用房约{}万平方米", tenths / 10)
                } else if floor_m2 >= 10_000 {
                    format!(
                        "，新建厂房及配套用房约{}.{}万平方米",
                        tenths / 10,
                        tenths % 10
                    )
                } else {
                    format!("，新建厂房及配套用房约{}平方米", floor_m2 / 100 * 100)
                });
            }
        }
        summary.push('，');
        summary.push_str(&summary_core);
        summary.push('。');
        if kind == Kind::Industrial {
            let output = cny_wan * self.rng.range(12, 25) / 10;
            let tax = output * self.rng.range(3, 6) / 100;
            summary.push_str(&format!(
                "项目达产后预计可实现年产值{}、年税收{}。",
                Yuan(output * WAN),
                Yuan(tax / 10 * 10 * WAN)
            ));
        }

        let id_text = |s: &Option<&str>, m: &HashMap<&'static str, i64>| {
            s.map(|k| id_of(m, k).to_string()).unwrap_or_default()
        };
        let input = ProjectInput {
            name,
            kind: kind.code().into(),
            stage: create_stage.code().into(),
            maturity: if create_stage == Stage::Negotiating {
                maturity.map(|m| m.code().to_string()).unwrap_or_default()
            } else {
                String::new()
            },
            stage_date: created.to_string(),
            signed_on: if create_stage == Stage::Signed {
                created.to_string()
            } else {
                String::new()
            },
            investor: investor.name.clone(),
            summary,
            currency: if usd { "USD" } else { "CNY" }.into(),
            investment_wan: investment_wan.to_string(),
            usd_rate: if usd { rate.to_string() } else { String::new() },
            rate_date: if usd {
                rate_date.to_string()
            } else {
                String::new()
            },
            arrived_wan: arrived_wan.to_string(),
            origin: origin.code().into(),
            origin_detail: investor.detail.clone(),
            industry_id: id_text(&industry, &self.ids.industries),
            chain_id: id_text(&chain, &self.ids.chains),
            flags: flags.iter().map(|f| f.to_string()).collect(),
            district_code: district.into(),
            platform_id: id_text(&platform, &self.ids.platforms),
            land_mu: land_text.unwrap_or_default(),
            leader_id: id_text(&leader, &self.ids.leaders),
            unit_id: id_text(&unit, &self.ids.units),
            promoter,
            commissioner,
            signing_event_id: slot
                .event
                .map(|i| self.ids.events[i].to_string())
                .unwrap_or_default(),
            project_code,
            lists: Vec::new(),
        };
        Plan {
            input,
            steps: path[1..].to_vec(),
            reason,
            maturity_after: if create_stage == Stage::Negotiating {
                None
            } else {
                maturity
            },
            created,
            cny,
            origin,
            center,
            signed,
            terminated,
            district,
            platform,
            kind,
        }
    }

    fn unit(
        &mut self,
        kind: Kind,
        origin: Origin,
        center: bool,
        district: &str,
        platform: Option<&str>,
        cny_wan: i64,
    ) -> Option<&'static str> {
        if center {
            return Some("TCZX");
        }
        Some(match kind {
            Kind::Infrastructure => *self.rng.pick(&["JTJ", "FGW"]),
            Kind::CultureTourism => "WGLJ",
            Kind::Social => *self.rng.pick(&["FGW", "WJW"]),
            Kind::Research => "KJJ",
            Kind::Talent => "RCB",
            Kind::Industrial => {
                if origin == Origin::Abroad && self.rng.chance(60) {
                    "SWJ"
                } else if cny_wan >= 200_000 && self.rng.chance(40) {
                    "FGW"
                } else if self.rng.chance(40) {
                    "JXJ"
                } else if !self.rng.chance(85) {
                    return None;
                } else {
                    match (platform, district) {
                        (Some("NTH"), _) => "NTHGWH",
                        (Some("CHQ"), _) => "CHQGWH",
                        (_, "330502") => "WXHZB",
                        (_, "330503") => "NXHZB",
                        (_, "330521") => "DQHZB",
                        (_, "330522") => "CXHZB",
                        _ => "AJHZB",
                    }
                }
            }
        })
    }

    /// 领导联系项目: each leader takes the big items of the areas they cover.
    fn leader(
        &mut self,
        kind: Kind,
        district: &str,
        platform: Option<&str>,
        chain: Option<&str>,
        cny_wan: i64,
    ) -> Option<&'static str> {
        if cny_wan >= 500_000 {
            return Some("周文远");
        }
        let area_leader = match (platform, district) {
            (Some("CHQ"), _) | (_, "330522") => "沈卫东",
            (Some("NTH"), _) => "钟立新",
            (_, "330502") => "陆振宇",
            (_, "330503") => "姚建华",
            (_, "330521") => "吴晓蕾",
            _ => "朱国强",
        };
        let key_chain = matches!(chain, Some("新能源汽车及关键零部件" | "数控机床"));
        let share = if platform == Some("CHQ") && key_chain && cny_wan >= 10_000 {
            85
        } else if cny_wan >= 50_000 {
            75
        } else if cny_wan >= 10_000 {
            25
        } else {
            5
        };
        if !self.rng.chance(share) {
            return None;
        }
        Some(if kind != Kind::Industrial && self.rng.chance(50) {
            "许慧琴"
        } else {
            area_leader
        })
    }
}

/// What an industrial project builds, for its summary: "形成年产…的生产能力" or "建设…基地".
fn what_is_built(product: &str) -> String {
    let core = product.trim_end_matches("项目");
    if core.starts_with("年产") {
        return format!("形成{core}的生产能力");
    }
    let tail = if ["基地", "产业园", "中心", "工厂", "产线"]
        .iter()
        .any(|t| core.ends_with(t))
    {
        ""
    } else if ["服务", "解决方案"].iter().any(|t| core.ends_with(t)) {
        "中心"
    } else if ["研发生产", "研发制造", "产业化", "智能制造", "测试"]
        .iter()
        .any(|t| core.ends_with(t))
    {
        "基地"
    } else {
        "生产基地"
    };
    format!("建设{core}{tail}")
}

/// Shortest time from signing to reaching `stage` (then, if `terminated`, being dropped).
fn min_after_signing(stage: Stage, terminated: bool) -> i64 {
    let mut total = if terminated {
        gap(Stage::Terminated).0
    } else {
        0
    };
    let mut s = Stage::Signed;
    while s < stage && s != Stage::Terminated {
        s = s.next().expect("an open stage has a next one");
        total += gap(s).0;
    }
    total
}

/// Puts projects on the year lists, the way the office draws them up: the biggest live projects
/// signed in time, 长三角 investors for the provincial Yangtze-delta list.
fn assign_lists(plans: &mut [Plan], ids: &Ids) {
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(plans[i].cny), i));
    let mut entries: Vec<(usize, i64, i32)> = Vec::new();
    for year in [2023, 2024] {
        let start = ymd(year, 1, 1);
        let live = |p: &Plan, by: NaiveDate| {
            p.terminated.is_none_or(|t| t >= start) && p.signed.is_some_and(|s| s <= by)
        };
        let take = |cond: &dyn Fn(&Plan) -> bool, cap: usize| -> Vec<usize> {
            order
                .iter()
                .copied()
                .filter(|&i| cond(&plans[i]))
                .take(cap)
                .collect()
        };
        let yrd = take(
            &|p| {
                live(p, ymd(year, 9, 30))
                    && matches!(p.origin, Origin::Shanghai | Origin::Jiangsu | Origin::Anhui)
                    && p.cny >= 5 * YI
            },
            if year == 2023 { 22 } else { 27 },
        );
        let province = take(
            &|p| live(p, ymd(year, 9, 30)) && p.cny >= 20 * YI,
            if year == 2023 { 30 } else { 36 },
        );
        let city = take(
            &|p| live(p, ymd(year, 10, 31)) && p.cny >= 5 * YI,
            if year == 2023 { 100 } else { 120 },
        );
        let flagship = take(&|p| live(p, ymd(year, 3, 31)) && p.cny >= 10 * YI, 10);
        let center = take(
            &|p| p.center && p.signed.is_some_and(|s| s.year() == year),
            usize::MAX,
        );
        for (list, picked) in [
            (LIST_YRD, yrd),
            (LIST_PROVINCE, province),
            (LIST_CITY, city),
            (LIST_FLAGSHIP, flagship),
            (LIST_CENTER, center),
        ] {
            let id = id_of(&ids.lists, list);
            entries.extend(picked.into_iter().map(|i| (i, id, year)));
        }
    }
    for (i, list, year) in entries {
        plans[i].input.lists.push(format!("{list}:{year}"));
    }
}

/// Every project of the demo, in the order they were first recorded.
fn plan(ids: &Ids) -> Vec<Plan> {
    let mut g = Gen::new(ids);
    let mut plans = Vec::new();
    for (i, ev) in EVENTS.iter().enumerate() {
        let amounts: Vec<Option<i64>> = if ev.total_wan > 0 {
            g.event_amounts(ev.count, ev.total_wan)
                .into_iter()
                .map(Some)
                .collect()
        } else {
            vec![None; ev.count]
        };
        for amount_wan in amounts {
            plans.push(g.project(Slot {
                event: Some(i),
                amount_wan,
            }));
        }
    }
    for _ in 0..GENERAL_PROJECTS {
        plans.push(g.project(Slot::default()));
    }
    assign_lists(&mut plans, ids);
    plans.sort_by_key(|p| p.created);
    plans
}

// ---------------------------------------------------------------------------------------------
// Annual plans, monthly progress and blocking factors (2023–2024).
//
// Every signed project gets a construction schedule: the months it actually built (from its
// stage history) and the months its plan expected, some of them slipped. A year's plan is the
// planned share of the construction budget; the monthly reports follow the actual schedule,
// slowed while a blocking factor held the project up. Each year is then calibrated per
// 省长三角一体化重大项目 and per district, so the figures read as the office tells them: the
// provincial Yangtze-delta list far ahead (152.0% in 2024, 43.1 points above the province's
// 108.9%), most districts about on time, 德清县 (and a little 安吉县) behind in 2024.

/// The last month reported: the demo's "now".
/// The metric the province's reference figures are kept under (as the web reads it).
const PROVINCE_METRIC: &str = "investment_completion";

const LAST_MONTH: Month = Month {
    year: 2024,
    month: 12,
};

/// Months counted from year 0 (2024-03 is 2024 × 12 + 2), so that months add and compare.
type Mi = i32;

fn mi(year: i32, month: u32) -> Mi {
    year * 12 + month as i32 - 1
}

fn mi_of(d: NaiveDate) -> Mi {
    mi(d.year(), d.month())
}

fn month_at(m: Mi) -> Month {
    Month {
        year: m.div_euclid(12),
        month: m.rem_euclid(12) as u32 + 1,
    }
}

/// "2025年3月".
fn month_words(m: Mi) -> String {
    let m = month_at(m);
    format!("{}年{}月", m.year, m.month)
}

/// Completed ÷ planned by December, in per mille: the 省长三角一体化重大项目 list, and each
/// district as a whole.
struct YearTargets {
    year: i32,
    yrd: i64,
    districts: [(&'static str, i64); 5],
}

const TARGETS: [YearTargets; 2] = [
    YearTargets {
        year: 2023,
        yrd: 1210,
        districts: [
            ("330502", 1030),
            ("330503", 1060),
            ("330521", 960),
            ("330522", 1070),
            ("330523", 980),
        ],
    },
    YearTargets {
        year: 2024,
        yrd: 1520,
        districts: [
            ("330502", 1020),
            ("330503", 1120),
            ("330521", 800),
            ("330522", 1080),
            ("330523", 930),
        ],
    },
];

/// The county behind in 2024 (德清县): most of its sites slowed by land, energy and approvals.
/// 南浔区 cannot be it: its 上合区 holds most of the 省长三角 list that runs at 152%.
const LAGGING: &str = "330521";

/// The province's 年度投资完成率 of its Yangtze-delta major projects, per mille, by month.
const PROVINCE_2024: [i64; 12] = [62, 118, 215, 301, 389, 498, 579, 661, 752, 843, 961, 1089];
const PROVINCE_2023_DEC: i64 = 1062;

/// How busy a construction month is (percent): 春节 in February, pushes before the half-year
/// and the year end.
const SEASON: [i64; 12] = [75, 55, 100, 105, 105, 115, 95, 90, 100, 100, 105, 120];

/// (kind, raised before construction, raised during construction, description with `{n}` or
/// `{x}` (tenths), range of the number, 需协调事项).
type BlockerDef = (
    BlockerKind,
    bool,
    bool,
    &'static str,
    (i64, i64),
    &'static str,
);

const BLOCKERS: [BlockerDef; 26] = [
    (
        BlockerKind::Land,
        true,
        false,
        "用地指标尚未落实，需市级统筹",
        (0, 0),
        "请市自然资源和规划局统筹安排新增建设用地指标",
    ),
    (
        BlockerKind::Land,
        true,
        false,
        "项目用地涉及永久基本农田调整，需报省自然资源厅审批",
        (0, 0),
        "请市自然资源和规划局协助对接省厅加快报批",
    ),
    (
        BlockerKind::Land,
        true,
        false,
        "土地出让条件与企业需求存在差异，摘牌时间推迟",
        (0, 0),
        "请属地政府与企业进一步协商出让条件",
    ),
    (
        BlockerKind::Land,
        false,
        true,
        "二期用地约{n}亩尚未完成征收报批",
        (30, 150),
        "请市自然资源和规划局协调二期用地报批",
    ),
    (
        BlockerKind::Funding,
        true,
        true,
        "企业融资进度不及预期，{n}亿元银团贷款尚未到位",
        (2, 15),
        "请市金融办协调合作银行加大信贷支持",
    ),
    (
        BlockerKind::Funding,
        false,
        true,
        "股东增资款未按期到位，影响设备采购",
        (0, 0),
        "请属地政府督促企业落实资本金",
    ),
    (
        BlockerKind::Funding,
        false,
        true,
        "受行业周期影响，企业放缓投资节奏",
        (0, 0),
        "请市经信局协助企业争取技改专项资金",
    ),
    (
        BlockerKind::Funding,
        false,
        true,
        "企业资金紧张，工程款支付滞后，施工单位减员",
        (0, 0),
        "请市金融办协调纾困贷款",
    ),
    (
        BlockerKind::Approval,
        true,
        false,
        "施工许可办理滞后，消防设计审查未通过",
        (0, 0),
        "请市住房和城乡建设局协助加快消防设计审查",
    ),
    (
        BlockerKind::Approval,
        true,
        true,
        "项目规划方案调整，需重新报批",
        (0, 0),
        "请市自然资源和规划局加快规划方案审查",
    ),
    (
        BlockerKind::Approval,
        true,
        false,
        "项目核准文件待省发改委批复",
        (0, 0),
        "请市发改委协助对接省发改委",
    ),
    (
        BlockerKind::Approval,
        true,
        false,
        "施工图审查意见未闭合，施工许可证尚未取得",
        (0, 0),
        "请市住房和城乡建设局开辟审批绿色通道",
    ),
    (
        BlockerKind::Energy,
        true,
        true,
        "能耗指标缺口约{x}万吨标煤，需省级统筹",
        (3, 25),
        "请市发改委向省里争取能耗指标统筹",
    ),
    (
        BlockerKind::Energy,
        true,
        false,
        "项目节能审查意见待省发改委出具",
        (0, 0),
        "请市发改委协助对接省发改委加快节能审查",
    ),
    (
        BlockerKind::Environment,
        true,
        false,
        "环评批复待省厅审批",
        (0, 0),
        "请市生态环境局协助对接省生态环境厅加快审批",
    ),
    (
        BlockerKind::Environment,
        true,
        false,
        "环评公示期间收到周边居民意见，需补充论证",
        (0, 0),
        "请市生态环境局指导企业做好补充论证",
    ),
    (
        BlockerKind::Environment,
        true,
        false,
        "危废处置方案需补充完善，环评审批暂缓",
        (0, 0),
        "请市生态环境局指导完善危废处置方案",
    ),
    (
        BlockerKind::Environment,
        true,
        false,
        "排污总量指标尚未落实",
        (0, 0),
        "请市生态环境局统筹调剂排污总量指标",
    ),
    (
        BlockerKind::Demolition,
        true,
        false,
        "红线内尚有{n}户农户未完成搬迁",
        (3, 20),
        "请属地镇街加快推进征迁工作",
    ),
    (
        BlockerKind::Demolition,
        true,
        true,
        "地块内高压线迁改未完成，影响场地施工",
        (0, 0),
        "请国网湖州供电公司加快线路迁改",
    ),
    (
        BlockerKind::Demolition,
        true,
        false,
        "地块内既有厂房拆除补偿协议尚未签订",
        (0, 0),
        "请属地政府加快与原权利人协商补偿",
    ),
    (
        BlockerKind::Other,
        false,
        true,
        "关键进口设备交货期延后约{n}个月",
        (3, 8),
        "请市商务局协助对接设备供应商",
    ),
    (
        BlockerKind::Other,
        false,
        true,
        "施工总承包单位变更，工程一度停工",
        (0, 0),
        "请属地住建部门加强施工监管",
    ),
    (
        BlockerKind::Other,
        false,
        true,
        "受持续降雨影响，室外工程进度滞后",
        (0, 0),
        "无",
    ),
    (
        BlockerKind::Other,
        false,
        true,
        "110千伏专用变电站接入工程未完成，影响设备调试",
        (0, 0),
        "请国网湖州供电公司加快电力接入工程",
    ),
    (
        BlockerKind::Energy,
        false,
        true,
        "新增产能用能预算未获批，二期生产线暂缓安装",
        (0, 0),
        "请市发改委协调用能预算",
    ),
];

/// Why the office sends a report back; the first three are about the amount, the others the text.
const RETURN_REASONS: [&str; 5] = [
    "投资额与入库数据不符，请核实后重报",
    "当月完成投资较上月大幅增长，请补充说明并附相关凭证",
    "投资额单位填写有误（应为万元），请更正后重报",
    "形象进度填写过于简单，请补充具体施工内容",
    "形象进度与上月相同，请据实填写本月施工内容",
];

/// Construction phases of an industrial project, by share of the build done; within a phase
/// the texts run in the order the work does.
const PHASES_INDUSTRIAL: [&[&str]; 5] = [
    &[
        "场地平整及厂房桩基施工",
        "厂房桩基施工，已完成工程桩{n}根",
        "完成桩基检测，开始基础施工",
        "基础承台及地梁施工",
    ],
    &[
        "主体结构施工，1号厂房完成基础及首层结构",
        "1号厂房主体结构施工",
        "厂房主体结构施工，钢结构构件陆续进场",
        "钢结构吊装，综合楼主体施工至{f}层",
    ],
    &[
        "1号、2号厂房主体结构封顶，3号厂房主体施工",
        "主体结构封顶",
        "综合楼主体结构封顶，厂房屋面施工",
        "钢结构厂房封顶，屋面及墙面围护施工",
    ],
    &[
        "屋面及墙面围护完成，机电安装施工",
        "厂房内外装修及室外配套管网施工",
        "厂区道路、管网及绿化施工，净化车间装修",
        "主要生产设备陆续进场，开展配套工程施工",
    ],
    &[
        "设备安装调试中",
        "生产线设备安装调试，计划{end}竣工验收",
        "主要设备安装完成，开展联动调试",
        "设备安装调试，同步开展竣工验收准备",
    ],
];

const PHASES_TOURISM: [&[&str]; 5] = [
    &["场地平整及基础施工", "酒店及游客中心桩基施工"],
    &["酒店主体结构施工", "主体结构施工，配套用房基础施工"],
    &[
        "主体结构封顶，幕墙施工",
        "酒店主体结构封顶，民宿集群主体施工",
    ],
    &["室内精装修及景观绿化施工", "精装修及室外景观工程施工"],
    &["配套设施完善，筹备试营业", "景观及配套收尾，计划{end}开业"],
];

const PHASES_INFRA: [&[&str]; 5] = [
    &["场地平整及桩基施工", "完成三通一平，桩基施工"],
    &["主体工程施工", "仓库及站房钢结构安装"],
    &["主体结构完工，配套管网施工", "主体工程完工，附属设施施工"],
    &["设备安装", "设备及系统安装"],
    &["系统联调联试", "设备调试，计划{end}建成投运"],
];

const PHASES_SOCIAL: [&[&str]; 5] = [
    &["基础施工", "桩基及地下室施工"],
    &["主体结构施工至{f}层", "主体结构施工"],
    &["主体结构封顶", "主体结构封顶，砌体工程施工"],
    &["室内装修及机电安装", "外立面及室内装修施工"],
    &["设备安装及室外配套施工", "竣工验收准备，计划{end}投用"],
];

const PHASES_RESEARCH: [&[&str]; 5] = [
    &["研发场地装修设计完成，开始装修施工", "租赁场地改造施工"],
    &["研发场地装修施工", "实验室及中试车间装修"],
    &["装修基本完成，实验设备采购", "装修完成，研发设备招标采购"],
    &["实验室设备安装调试", "中试线设备安装"],
    &["研发平台试运行", "设备调试，研发团队陆续入驻"],
];

/// Before construction, by months since signing: (up to 1, up to 4, later).
const BEFORE_START: [&[&str]; 3] = [
    &[
        "完成项目签约，正在注册项目公司",
        "项目公司已注册，正在办理项目备案",
    ],
    &[
        "完成项目备案，正在开展方案设计",
        "完成土地摘牌，正在办理规划许可",
        "完成土地摘牌",
        "方案设计通过联审，正在进行施工图设计",
    ],
    &[
        "施工图审查中，同步开展施工招标",
        "正在办理施工许可证",
        "完成施工招标，场地平整中",
        "施工许可证已取得，计划近期开工",
    ],
];

/// One signed project's construction: as it happened, and as its plans expected it.
struct Build {
    /// Index of the project in the demo's plans.
    p: usize,
    kind: Kind,
    district: &'static str,
    signed: NaiveDate,
    start: Option<NaiveDate>,
    done: Option<NaiveDate>,
    producing: Option<NaiveDate>,
    full: Option<NaiveDate>,
    ended: Option<NaiveDate>,
    /// Months of construction from the start month, as it happened or now looks.
    months: i64,
    planned_start: Mi,
    planned_end: Mi,
    /// The fixed-asset part of the agreed investment, 万元.
    budget: i64,
    /// What may be invested in total, 万元.
    cap: i64,
    /// Investment completed per month, 万元.
    spend: BTreeMap<Mi, i64>,
    /// Planned investment per year, 万元.
    planned: Vec<(i32, i64)>,
    /// Years it is on a key list (省长三角, 省重大, 市重大, 10+20+5).
    listed: Vec<i32>,
    /// Years it is on 省长三角一体化重大项目.
    yrd: Vec<i32>,
}

impl Build {
    fn start_mi(&self) -> Option<Mi> {
        self.start.map(mi_of)
    }

    /// The last construction month.
    fn end_mi(&self) -> Option<Mi> {
        self.start_mi().map(|s| s + self.months as Mi - 1)
    }

    fn planned_in(&self, year: i32) -> Option<i64> {
        self.planned.iter().find(|(y, _)| *y == year).map(|p| p.1)
    }

    /// Scales one year's months by `want / have`, never beyond the cap in total.
    fn rescale(&mut self, year: i32, want: i64, have: i64) {
        if have <= 0 {
            return;
        }
        for (_, v) in self.spend.range_mut(mi(year, 1)..=mi(year, 12)) {
            *v = (i128::from(*v) * i128::from(want.max(0)) / i128::from(have)) as i64;
        }
        let mut total = 0;
        for v in self.spend.values_mut() {
            *v = (*v).min(self.cap - total).max(0);
            total += *v;
        }
    }
}

/// How the office deals with a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Review {
    Accept,
    /// Still waiting for the office.
    Pending,
    /// Sent back (reason index), filed again correctly and accepted.
    Refiled(usize),
    /// Sent back (reason index) and not yet filed again.
    Returned(usize),
}

/// A blocking factor: raised with a month's report, maybe resolved later.
struct Blocker {
    b: usize,
    kind: BlockerKind,
    text: String,
    coordination: &'static str,
    opened: Mi,
    resolved: Option<NaiveDate>,
    /// Raised during construction (it slows the work) rather than before it.
    during: bool,
}

/// A monthly report as the area files it.
struct Report {
    b: usize,
    month: Month,
    /// 万元, as finally filed.
    invested: i64,
    image: String,
    coordination: String,
    blockers: Vec<(BlockerKind, String)>,
    review: Review,
    /// A first filing the office sent back: (万元, 形象进度).
    first: Option<(i64, String)>,
}

/// Everything the areas and the office wrote about progress, in the order to write it.
struct Story {
    builds: Vec<Build>,
    reports: Vec<Report>,
    blockers: Vec<Blocker>,
}

fn construction_months(rng: &mut Rng, kind: Kind, cny_wan: i64) -> i64 {
    let (lo, hi) = match kind {
        Kind::Research | Kind::Talent => (6, 14),
        _ => match cny_wan {
            a if a < 10_000 => (8, 14),
            a if a < 50_000 => (12, 22),
            a if a < 200_000 => (18, 30),
            a if a < 500_000 => (24, 36),
            _ => (30, 42),
        },
    };
    rng.range(lo, hi)
}

/// Plans are drawn up in round figures.
fn round_plan(wan: i64) -> i64 {
    match wan {
        w if w >= 10_000 => w / 100 * 100,
        w if w >= 1_000 => w / 10 * 10,
        w => w.max(50),
    }
}

/// A working day on or before `d`, not before `floor`.
fn workday_back(d: NaiveDate, floor: NaiveDate) -> NaiveDate {
    let back = match d.weekday() {
        Weekday::Sat => 1,
        Weekday::Sun => 2,
        _ => 0,
    };
    (d - days(back)).max(floor)
}

fn builds(plans: &[Plan], ids: &Ids, rng: &mut Rng) -> Vec<Build> {
    let yrd_id = id_of(&ids.lists, LIST_YRD);
    let key_lists: Vec<i64> = [LIST_YRD, LIST_PROVINCE, LIST_CITY, LIST_FLAGSHIP]
        .iter()
        .map(|l| id_of(&ids.lists, l))
        .collect();
    let mut out = Vec::new();
    for (p, plan) in plans.iter().enumerate() {
        let Some(signed) = plan.signed else { continue };
        let at = |stage: Stage| plan.steps.iter().find(|s| s.0 == stage).map(|s| s.1);
        let (start, done) = (at(Stage::Started), at(Stage::Completed));
        let cny_wan = plan.cny / WAN;
        let share = match plan.kind {
            Kind::Industrial => rng.range(78, 92),
            Kind::Research | Kind::Talent => rng.range(55, 80),
            _ => rng.range(88, 96),
        };
        let budget = cny_wan * share / 100;
        let first = construction_months(rng, plan.kind, cny_wan);
        let months = match (start, done) {
            (Some(s), Some(d)) => i64::from(mi_of(d) - mi_of(s) + 1).max(2),
            (Some(s), None) => {
                let m = first * rng.range(95, 125) / 100;
                let left = i64::from(mi(2024, 12) - mi_of(s) + 1);
                if m <= left { left + rng.range(1, 8) } else { m }
            }
            _ => first,
        };
        let (planned_start, planned_months) = match start {
            Some(s) => {
                let offset = rng.weighted(&[(-3, 6), (-2, 12), (-1, 22), (0, 40), (1, 15), (2, 5)]);
                let months = if done.is_some() {
                    months * rng.range(85, 110) / 100
                } else {
                    first * rng.range(90, 105) / 100
                };
                ((mi_of(s) + offset).max(mi_of(signed)), months.max(2))
            }
            None => (mi_of(signed) + rng.range(2, 7) as Mi, first),
        };
        let mut listed = Vec::new();
        let mut yrd = Vec::new();
        for entry in &plan.input.lists {
            let Some((list, year)) = entry.split_once(':') else {
                continue;
            };
            let (Ok(list), Ok(year)) = (list.parse::<i64>(), year.parse::<i32>()) else {
                continue;
            };
            if key_lists.contains(&list) {
                listed.push(year);
            }
            if list == yrd_id {
                yrd.push(year);
            }
        }
        let mut b = Build {
            p,
            kind: plan.kind,
            district: plan.district,
            signed,
            start,
            done,
            producing: at(Stage::Producing),
            full: at(Stage::FullProduction),
            ended: plan.terminated,
            months,
            planned_start,
            planned_end: planned_start + planned_months as Mi - 1,
            budget,
            cap: cny_wan * 98 / 100,
            spend: BTreeMap::new(),
            planned: Vec::new(),
            listed,
            yrd,
        };
        // The natural curve: slow at both ends, busiest in the middle, by season.
        if let Some(s) = b.start_mi() {
            let peak = months / 3 + 1;
            let weights: Vec<i64> = (0..months)
                .map(|k| {
                    let hump = (k + 1).min(months - k).min(peak);
                    let season = SEASON[(s + k as Mi).rem_euclid(12) as usize];
                    (2 + hump) * season * rng.range(80, 120)
                })
                .collect();
            let total: i64 = weights.iter().sum();
            let stop = b.ended.map_or(Mi::MAX, mi_of);
            for (k, w) in weights.iter().enumerate() {
                let m = s + k as Mi;
                if m > mi(2024, 12) || m > stop {
                    break;
                }
                let v = (i128::from(budget) * i128::from(*w) / i128::from(total)) as i64;
                b.spend.insert(m, v);
            }
        }
        out.push(b);
    }
    out
}

/// The year's plan for a project, in 万元, or `None` when it has none.
fn annual_plan(b: &Build, year: i32, rng: &mut Rng) -> Option<i64> {
    let (y0, y1) = (mi(year, 1), mi(year, 12));
    let forced = b.listed.contains(&year);
    let signed = mi_of(b.signed);
    if b.signed > ymd(year, 10, 31) || !(signed < mi(year, 7) || forced) {
        return None;
    }
    // Ended projects are out of the plan; finished ones need none.
    if b.ended.is_some_and(|e| e.year() <= year) || b.done.is_some_and(|d| d.year() < year) {
        return None;
    }
    let overlap = (b.planned_end.min(y1) - b.planned_start.max(y0) + 1).max(0);
    let building = b.start_mi().is_some_and(|s| s <= y1) && b.end_mi().is_some_and(|e| e >= y0);
    if overlap == 0 && !forced && !building {
        return None;
    }
    let planned_months = i64::from(b.planned_end - b.planned_start + 1);
    let wan = if overlap > 0 {
        b.budget * i64::from(overlap) / planned_months * rng.range(90, 112) / 100
    } else if b.planned_end < y0 {
        // Should have finished by now: the rest of the work.
        b.budget * rng.range(10, 25) / 100
    } else {
        // Due to start next year: design and approvals only.
        b.budget * rng.range(2, 6) / 100
    };
    // The province sets its Yangtze-delta list's plans cautiously.
    let wan = if b.yrd.contains(&year) {
        wan * rng.range(58, 72) / 100
    } else {
        wan
    };
    let before: i64 = b.planned.iter().map(|p| p.1).sum();
    Some(round_plan(wan.min((b.budget - before).max(b.budget / 10))))
}

/// Picks up to `n` of `items` without repeats; `weight` 0 leaves an item out.
fn pick_some(
    rng: &mut Rng,
    items: &[usize],
    n: usize,
    weight: impl Fn(usize) -> u32,
) -> Vec<usize> {
    let mut pool: Vec<(usize, u32)> = items
        .iter()
        .map(|&i| (i, weight(i)))
        .filter(|x| x.1 > 0)
        .collect();
    let mut out = Vec::new();
    while out.len() < n && !pool.is_empty() {
        let chosen = rng.weighted(&pool);
        pool.retain(|x| x.0 != chosen);
        out.push(chosen);
    }
    out
}

fn blocker_text(rng: &mut Rng, def: &BlockerDef) -> String {
    let (lo, hi) = def.4;
    let n = rng.range(lo, hi);
    def.3
        .replace("{n}", &n.to_string())
        .replace("{x}", &format!("{}.{}", n / 10, n % 10))
}

/// 要素制约 of 2024: some held a start up and were cleared just before it, some still keep a
/// signed project from starting, and some slowed a site, half of them since resolved.
fn raise_blockers(builds: &mut [Build], rng: &mut Rng) -> Vec<Blocker> {
    let (y0, y1) = (mi(2024, 1), mi(2024, 12));
    let planned: Vec<usize> = (0..builds.len())
        .filter(|&i| builds[i].planned_in(2024).is_some())
        .collect();
    let first_report = |b: &Build| mi_of(b.signed).max(y0);
    let defs = |pre: bool| -> Vec<(usize, u32)> {
        BLOCKERS
            .iter()
            .enumerate()
            .filter(|(_, d)| if pre { d.1 } else { d.2 })
            // Kinds with few descriptions weigh more, so that every kind turns up.
            .map(|(i, d)| {
                let w = match d.0 {
                    BlockerKind::Other => 1,
                    BlockerKind::Energy | BlockerKind::Environment => 3,
                    _ => 2,
                };
                (i, w)
            })
            .collect()
    };
    let mut out = Vec::new();
    let mut used = HashSet::new();

    // Cleared just before the start.
    let cleared: Vec<usize> = planned
        .iter()
        .copied()
        .filter(|&i| {
            let b = &builds[i];
            b.start_mi()
                .is_some_and(|s| s >= mi(2024, 3) && s > first_report(b) + 1)
        })
        .collect();
    for i in pick_some(rng, &cleared, 12, |_| 1) {
        let b = &builds[i];
        let start = b.start.expect("filtered on a start");
        let s = mi_of(start);
        let opened = (s - rng.range(2, 5) as Mi).max(first_report(b));
        let lo = month_at(opened).last_day() + days(1);
        let hi = start - days(1);
        if lo > hi {
            continue;
        }
        let def = &BLOCKERS[rng.weighted(&defs(true))];
        used.insert(i);
        out.push(Blocker {
            b: i,
            kind: def.0,
            text: blocker_text(rng, def),
            coordination: def.5,
            opened,
            resolved: Some(workday_back(rng.date_in(lo, hi), lo)),
            during: false,
        });
    }

    // Still holding a signed project back.
    let waiting: Vec<usize> = planned
        .iter()
        .copied()
        .filter(|&i| {
            let b = &builds[i];
            b.start.is_none() && b.ended.is_none() && !b.yrd.contains(&2024)
        })
        .collect();
    for i in pick_some(rng, &waiting, 8, |_| 1) {
        let b = &builds[i];
        let from = first_report(b);
        if from > mi(2024, 11) {
            continue;
        }
        let opened = from + rng.range(0, i64::from(mi(2024, 11) - from)) as Mi;
        let def = &BLOCKERS[rng.weighted(&defs(true))];
        used.insert(i);
        out.push(Blocker {
            b: i,
            kind: def.0,
            text: blocker_text(rng, def),
            coordination: def.5,
            opened,
            resolved: None,
            during: false,
        });
    }

    // Slowing a site; the lagging county has more than its share.
    let building: Vec<usize> = planned
        .iter()
        .copied()
        .filter(|&i| {
            let b = &builds[i];
            !used.contains(&i)
                && !b.yrd.contains(&2024)
                && b.start_mi().is_some_and(|s| s <= mi(2024, 10))
                && b.end_mi().is_some_and(|e| e >= y0 + 2)
        })
        .collect();
    let chosen = pick_some(rng, &building, 20, |i| {
        if builds[i].district == LAGGING { 5 } else { 1 }
    });
    for i in chosen {
        let b = &builds[i];
        let from = b.start_mi().expect("filtered on a start").max(y0);
        let to = b.end_mi().expect("filtered on a start").min(y1) - 1;
        if to < from {
            continue;
        }
        let opened = from + rng.range(0, i64::from(to - from)) as Mi;
        let resolved_month = rng
            .chance(50)
            .then(|| opened + rng.range(1, 5) as Mi)
            .filter(|m| *m <= y1);
        let resolved = resolved_month.map(|m| {
            let month = month_at(m);
            let lo = month.first_day() + days(2);
            workday_back(rng.date_in(lo, month.last_day()), lo)
        });
        // A site that has since been completed got past it by then.
        let resolved = match (resolved, b.done) {
            (r, Some(done)) if r.is_none_or(|r| r > done) => {
                let lo = month_at(opened).last_day() + days(1);
                Some(workday_back(
                    rng.date_in(lo.max(done - days(20)), done.max(lo)),
                    lo,
                ))
            }
            (r, _) => r,
        };
        let resolved_month = resolved.map(mi_of);
        let def = &BLOCKERS[rng.weighted(&defs(false))];
        let text = blocker_text(rng, def);
        // The site slows from the month after; the month of the report itself a little.
        let b = &mut builds[i];
        let slow_until = resolved_month.unwrap_or(y1);
        let cut = rng.range(15, 45);
        for (m, v) in b.spend.range_mut(opened..=slow_until) {
            *v = *v * if *m == opened { 70 } else { cut } / 100;
        }
        out.push(Blocker {
            b: i,
            kind: def.0,
            text,
            coordination: def.5,
            opened,
            resolved,
            during: true,
        });
    }
    out.sort_by_key(|x| (x.opened, x.b));
    out
}

/// Scales the members' year so their counted total comes to `want` as nearly as the ceilings
/// allow: one factor for all, each member held to its ceiling.
fn fill(builds: &mut [Build], year: i32, members: &[(usize, i64, i64)], want: i64) {
    // members: (build, counted so far, ceiling).
    let reach = |s: i64| -> i64 {
        members
            .iter()
            .map(|&(_, c, u)| {
                (i128::from(c) * i128::from(s) / 10_000).min(i128::from(u.max(0))) as i64
            })
            .sum()
    };
    let (mut lo, mut hi) = (0_i64, 100_000_i64);
    while lo < hi {
        let mid = (lo + hi + 1) / 2;
        if reach(mid) <= want {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    for &(i, c, u) in members {
        let total = (i128::from(c) * i128::from(lo) / 10_000).min(i128::from(u.max(0))) as i64;
        builds[i].rescale(year, total, c);
    }
}

/// Brings each year's completion to its targets. Each project first gets a rate of its own: the
/// group's target, tempered by how its site actually went (a late start or a blocked site
/// keeps it low) and a little luck; then the 省长三角 list as a whole, and each district's
/// other projects, are scaled to the targets. No project goes beyond what its site could take:
/// 2.4 times its plan, twice its planned monthly pace over the months it was building, and
/// never beyond its agreed investment.
fn calibrate(
    builds: &mut [Build],
    t: &YearTargets,
    counted: &HashSet<(usize, Mi)>,
    slowed: &HashSet<(usize, i32)>,
    rng: &mut Rng,
) {
    let year = t.year;
    let (y0, y1) = (mi(year, 1), mi(year, 12));
    let done = |builds: &[Build], i: usize| -> i64 {
        builds[i]
            .spend
            .range(y0..=y1)
            .filter(|(m, _)| counted.contains(&(i, **m)))
            .map(|(_, v)| *v)
            .sum()
    };
    let planned: Vec<usize> = (0..builds.len())
        .filter(|&i| builds[i].planned_in(year).is_some())
        .collect();
    let plan_of = |builds: &[Build], i: usize| builds[i].planned_in(year).unwrap_or(0);
    let ceiling: HashMap<usize, i64> = planned
        .iter()
        .map(|&i| {
            let b = &builds[i];
            let p = plan_of(builds, i);
            let other: i64 = b
                .spend
                .iter()
                .filter(|(m, _)| !(y0..=y1).contains(*m))
                .map(|(_, v)| *v)
                .sum();
            let active = b
                .spend
                .range(y0..=y1)
                .filter(|(m, v)| **v > 0 && counted.contains(&(i, **m)))
                .count() as i64;
            let overlap = i64::from((b.planned_end.min(y1) - b.planned_start.max(y0) + 1).max(0));
            let pace = if overlap > 0 { overlap } else { 12 };
            let u = (p * 24 / 10).min(p * 2 * active / pace).min(b.cap - other);
            (i, u.max(0))
        })
        .collect();
    let district_target = |d: &str| t.districts.iter().find(|x| x.0 == d).map_or(1000, |x| x.1);
    for &i in &planned {
        let (natural, p) = (done(builds, i), plan_of(builds, i));
        if natural <= 0 || p <= 0 {
            continue;
        }
        // Square root of the natural rate (a site at a quarter of its plan ends near half),
        // drawn halfway back to the plan unless a blocking factor slowed the site.
        let own = (natural * 1000 / p * 1000).isqrt().clamp(150, 1600);
        let own = if slowed.contains(&(i, year)) {
            own
        } else {
            (own + 1000) / 2
        };
        let base = if builds[i].yrd.contains(&year) {
            t.yrd
        } else {
            district_target(builds[i].district)
        };
        let want = (p * base / 1000 * own / 1000 * rng.range(85, 115) / 100).min(ceiling[&i]);
        builds[i].rescale(year, want, natural);
    }
    let members = |builds: &[Build], set: &[usize]| -> Vec<(usize, i64, i64)> {
        set.iter()
            .map(|&i| (i, done(builds, i), ceiling[&i]))
            .collect()
    };
    let list: Vec<usize> = planned
        .iter()
        .copied()
        .filter(|&i| builds[i].yrd.contains(&year))
        .collect();
    let list_plan: i64 = list.iter().map(|&i| plan_of(builds, i)).sum();
    // How far a district's other projects may be moved from their own rates, as a whole.
    let baseline: HashMap<&str, i64> = t
        .districts
        .iter()
        .map(|(d, _)| {
            let c = planned
                .iter()
                .filter(|&&i| builds[i].district == *d && !builds[i].yrd.contains(&year))
                .map(|&i| done(builds, i))
                .sum();
            (*d, c)
        })
        .collect();
    for _ in 0..3 {
        let m = members(builds, &list);
        fill(builds, year, &m, list_plan * t.yrd / 1000);
        for (district, target) in t.districts {
            let all: Vec<usize> = planned
                .iter()
                .copied()
                .filter(|&i| builds[i].district == district)
                .collect();
            let p: i64 = all.iter().map(|&i| plan_of(builds, i)).sum();
            let (listed, rest): (Vec<usize>, Vec<usize>) =
                all.iter().partition(|&&i| builds[i].yrd.contains(&year));
            let c_list: i64 = listed.iter().map(|&i| done(builds, i)).sum();
            let m = members(builds, &rest);
            let base = baseline[district];
            let want = (p * target / 1000 - c_list).clamp(base * 75 / 100, base * 140 / 100);
            fill(builds, year, &m, want);
        }
    }
    // The list's rate exactly, to the tenth of a percent: the last yuan goes into December
    // reports of list projects that have room left.
    let mut diff =
        (list_plan * t.yrd + 500) / 1000 - list.iter().map(|&i| done(builds, i)).sum::<i64>();
    let mut order: Vec<usize> = list
        .iter()
        .copied()
        .filter(|&i| counted.contains(&(i, y1)) && builds[i].spend.get(&y1).is_some_and(|v| *v > 0))
        .collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(ceiling[&i] - done(builds, i)), i));
    for i in order {
        if diff == 0 {
            break;
        }
        let room = ceiling[&i] - done(builds, i);
        let v = builds[i].spend.entry(y1).or_insert(0);
        let step = if diff > 0 {
            diff.min(room.max(0))
        } else {
            diff.max(-*v)
        };
        *v += step;
        diff -= step;
    }
}

/// What the site looks like in month `m`.
fn image_text(rng: &mut Rng, b: &Build, m: Mi, blockers: &[&Blocker]) -> String {
    let fill = |rng: &mut Rng, t: &str| {
        t.replace("{n}", &(rng.range(20, 120) * 10).to_string())
            .replace("{f}", &rng.range(2, 6).to_string())
            .replace("{end}", &b.end_mi().map(month_words).unwrap_or_default())
    };
    let open_before = blockers
        .iter()
        .find(|x| x.opened <= m && x.resolved.is_none_or(|r| mi_of(r) > m));
    let cleared = blockers
        .iter()
        .find(|x| x.resolved.is_some_and(|r| mi_of(r) == m));
    let short = |x: &Blocker| x.text.split('，').next().unwrap_or("").to_string();
    let mut text = String::new();
    if let Some(x) = cleared {
        text.push_str(if x.during {
            "要素制约已协调解决，恢复正常施工；"
        } else {
            "要素制约已协调解决；"
        });
    }
    let start = b.start_mi();
    match start {
        Some(s) if m >= s => {
            if b.full.is_some_and(|d| mi_of(d) <= m) {
                text.push_str(rng.pick::<&str>(&["已达产，生产经营正常", "已全面达产"]));
            } else if b.producing.is_some_and(|d| mi_of(d) <= m) {
                text.push_str(match b.kind {
                    Kind::CultureTourism => "已开业运营",
                    Kind::Infrastructure | Kind::Social => "已建成投用",
                    _ => rng.pick::<&str>(&[
                        "已投产，产能逐步释放",
                        "一期投产，产品陆续下线",
                        "已投产，正在进行产能爬坡",
                    ]),
                });
            } else if b.done.is_some_and(|d| mi_of(d) < m) {
                text.push_str(
                    rng.pick::<&str>(&["完成竣工验收，开展试生产", "竣工验收备案中，生产线试运行"]),
                );
            } else {
                let k = i64::from(m - s);
                let q = (k + 1) * 100 / b.months.max(1);
                let bounds = [0, 15, 35, 55, 75, 101];
                let phase = bounds[1..].iter().position(|&hi| q < hi).unwrap_or(4);
                let phases = match b.kind {
                    Kind::CultureTourism => &PHASES_TOURISM,
                    Kind::Infrastructure => &PHASES_INFRA,
                    Kind::Social => &PHASES_SOCIAL,
                    Kind::Research | Kind::Talent => &PHASES_RESEARCH,
                    Kind::Industrial => &PHASES_INDUSTRIAL,
                };
                if m == s {
                    text.push_str("项目正式开工，");
                }
                let texts = phases[phase];
                let (lo, hi) = (bounds[phase], bounds[phase + 1]);
                let step = ((q.min(100) - lo) * texts.len() as i64 / (hi - lo)) as usize;
                let t = texts[step.min(texts.len() - 1)];
                text.push_str(&fill(rng, t));
                if b.done.is_some_and(|d| mi_of(d) == m) {
                    text = format!("{}，本月完成竣工验收", text.trim_end_matches('；'));
                }
                if let Some(x) = open_before.filter(|x| x.during && x.opened < m) {
                    text.push_str(&format!("；受“{}”影响，施工进度放缓", short(x)));
                }
            }
        }
        _ => {
            if let Some(x) = open_before {
                text.push_str(&format!("{}，项目暂未开工", short(x)));
            } else {
                let since = m - mi_of(b.signed);
                let stage = match since {
                    s if s <= 1 => 0,
                    s if s <= 4 => 1,
                    _ => 2,
                };
                text.push_str(rng.pick::<&str>(BEFORE_START[stage]));
            }
        }
    }
    text
}

/// The whole progress story of the demo city, decided before anything is written.
fn story(plans: &[Plan], ids: &Ids) -> Story {
    let mut rng = Rng(0x6A69_6E64_7532_0023);
    let mut builds = builds(plans, ids, &mut rng);
    for year in [2023, 2024] {
        for b in builds.iter_mut() {
            if let Some(wan) = annual_plan(b, year, &mut rng) {
                b.planned.push((year, wan));
            }
        }
    }
    let blockers = raise_blockers(&mut builds, &mut rng);
    let has_blocker_report: HashSet<(usize, Mi)> =
        blockers.iter().map(|x| (x.b, x.opened)).collect();

    // Which months each planned project reports, and how the office deals with them.
    let mut slots: Vec<(usize, Mi, Review)> = Vec::new();
    for (i, b) in builds.iter().enumerate() {
        for &(year, _) in &b.planned {
            let from = mi(year, 1).max(mi_of(b.signed));
            let to = mi(year, 12).min(mi(LAST_MONTH.year, LAST_MONTH.month));
            slots.extend((from..=to).map(|m| (i, m, Review::Accept)));
        }
    }
    let (nov, dec) = (mi(2024, 11), mi(2024, 12));
    let spends = |b: &Build, m: Mi| b.spend.get(&m).is_some_and(|v| *v > 0);
    let ordinary =
        |i: usize, m: Mi| !builds[i].yrd.contains(&2024) && !has_blocker_report.contains(&(i, m));
    // A couple of projects have not reported December (one not November either).
    let late_areas: Vec<usize> = (0..builds.len())
        .filter(|&i| {
            builds[i].planned_in(2024).is_some()
                && ordinary(i, dec)
                && ordinary(i, nov)
                && spends(&builds[i], nov)
                && spends(&builds[i], dec)
        })
        .collect();
    let missing = pick_some(&mut rng, &late_areas, 3, |i| match builds[i].district {
        LAGGING => 4,
        "330523" => 2,
        _ => 1,
    });
    slots.retain(|(i, m, _)| {
        !(missing.contains(i) && (*m == dec || (*m == nov && Some(i) == missing.first())))
    });
    // A few sent back and not yet filed again, a few December ones still waiting.
    let candidates = |month: Mi, slots: &[(usize, Mi, Review)]| -> Vec<usize> {
        slots
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.1 == month
                    && s.2 == Review::Accept
                    && ordinary(s.0, month)
                    && spends(&builds[s.0], month)
            })
            .map(|(k, _)| k)
            .collect()
    };
    // The amount disagrees with the statistics (入库数据) or jumped without explanation.
    let mut reasons = [0, 1, 0].into_iter();
    for (month, n) in [(dec, 2), (nov, 1)] {
        let c = candidates(month, &slots);
        for k in pick_some(&mut rng, &c, n, |_| 1) {
            slots[k].2 = Review::Returned(reasons.next().unwrap_or(0));
        }
    }
    let waiting: Vec<usize> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.1 == dec && s.2 == Review::Accept)
        .map(|(k, _)| k)
        .collect();
    for k in pick_some(&mut rng, &waiting, 9, |_| 1) {
        slots[k].2 = Review::Pending;
    }
    // About one report in fifty was sent back once before it was accepted.
    for s in slots.iter_mut() {
        if s.2 == Review::Accept
            && !has_blocker_report.contains(&(s.0, s.1))
            && spends(&builds[s.0], s.1)
            && rng.chance(2)
        {
            s.2 = Review::Refiled(rng.below(RETURN_REASONS.len()));
        }
    }

    let counted: HashSet<(usize, Mi)> = slots
        .iter()
        .filter(|s| !matches!(s.2, Review::Returned(_)))
        .map(|s| (s.0, s.1))
        .collect();
    let slowed: HashSet<(usize, i32)> = blockers
        .iter()
        .filter(|x| x.during)
        .map(|x| (x.b, month_at(x.opened).year))
        .collect();
    for t in &TARGETS {
        calibrate(&mut builds, t, &counted, &slowed, &mut rng);
    }

    // Texts and the figures first filed.
    slots.sort_by_key(|s| (s.1, s.0));
    let mut reports = Vec::with_capacity(slots.len());
    for (i, m, review) in slots {
        let b = &builds[i];
        let mine: Vec<&Blocker> = blockers.iter().filter(|x| x.b == i).collect();
        let invested = b.spend.get(&m).copied().unwrap_or(0);
        let image = image_text(&mut rng, b, m, &mine);
        let raised: Vec<&Blocker> = mine.iter().copied().filter(|x| x.opened == m).collect();
        let open = mine
            .iter()
            .find(|x| x.opened <= m && x.resolved.is_none_or(|r| mi_of(r) > m));
        let coordination = match open {
            Some(x) if x.coordination != "无" => x.coordination.to_string(),
            _ => String::new(),
        };
        let reason = match review {
            Review::Refiled(r) | Review::Returned(r) => Some(r),
            _ => None,
        };
        let first = reason.map(|r| match r {
            0 => (invested * rng.range(130, 200) / 100, image.clone()),
            1 => (invested * rng.range(220, 350) / 100, image.clone()),
            2 => (invested * WAN, image.clone()),
            3 => (
                invested,
                rng.pick(&["正常施工", "按计划推进", "施工中"]).to_string(),
            ),
            _ => (invested, "同上月".to_string()),
        });
        let (invested, image) = match (review, &first) {
            (Review::Returned(_), Some(f)) => f.clone(),
            _ => (invested, image),
        };
        reports.push(Report {
            b: i,
            month: month_at(m),
            invested,
            image,
            coordination,
            blockers: raised.iter().map(|x| (x.kind, x.text.clone())).collect(),
            review,
            first: if matches!(review, Review::Refiled(_)) {
                first
            } else {
                None
            },
        });
    }
    Story {
        builds,
        reports,
        blockers,
    }
}

// ---------------------------------------------------------------------------------------------
// Loading.

fn admin_viewer(user_id: i64) -> Viewer {
    Viewer {
        user_id,
        role: Role::Admin,
        area: None,
        unit_id: None,
        leader_id: None,
    }
}

async fn project_count(store: &Store) -> Result<usize, StoreError> {
    let filter = ProjectFilter {
        per_page: Some(1),
        ..Default::default()
    };
    Ok(store
        .list_projects(&admin_viewer(0), &filter)
        .await?
        .total
        .max(0) as usize)
}

async fn existing_users(store: &Store) -> Result<Vec<(String, String, String)>, StoreError> {
    let mut users = Vec::new();
    for u in &USERS {
        match store.user_by_name(u.username).await {
            Ok(_) => users.push((u.username.to_string(), DEMO_PASSWORD.to_string(), u.label())),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    let username = assistance::TEAM.2;
    match store.user_by_name(username).await {
        Ok(_) => users.push((
            username.to_string(),
            DEMO_PASSWORD.to_string(),
            assistance::team_label(),
        )),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e),
    }
    Ok(users)
}

fn invalid_plan(name: &str, errors: &[hezuo_domain::FieldError]) -> StoreError {
    let first = errors.first();
    StoreError::invalid(
        first.map_or("name", |e| e.field.as_str()),
        format!(
            "演示项目“{name}”：{}",
            first.map_or("", |e| e.message.as_str())
        ),
    )
}

/// Loads the demo city into an empty database, or does nothing when it is already there.
pub async fn load_demo(store: &Store) -> Result<DemoSummary, StoreError> {
    let districts = store.dict_list(DictKind::District).await?;
    if districts
        .iter()
        .any(|d| d.value(DictKind::District, "code") == DISTRICTS[0].0)
    {
        return Ok(DemoSummary {
            projects: project_count(store).await?,
            users: existing_users(store).await?,
            created: false,
        });
    }
    for kind in DictKind::ALL {
        if !store.dict_list(kind).await?.is_empty() {
            return Err(StoreError::Conflict(format!(
                "数据库中已有{}数据，演示数据只能载入新建的空数据库",
                kind.label()
            )));
        }
    }
    if project_count(store).await? > 0 {
        return Err(StoreError::Conflict(
            "数据库中已有项目，演示数据只能载入新建的空数据库".into(),
        ));
    }

    let system = Actor::system("demo");
    let create = |kind: DictKind, name: &'static str, values: Vec<String>| {
        let system = &system;
        async move {
            store
                .dict_create(system, kind, name, &values)
                .await
                .map(|item| item.id)
        }
    };
    for (code, name) in DISTRICTS {
        create(DictKind::District, name, vec![code.into()]).await?;
    }
    let mut ids = Ids {
        platforms: HashMap::new(),
        units: HashMap::new(),
        leaders: HashMap::new(),
        industries: HashMap::new(),
        chains: HashMap::new(),
        lists: HashMap::new(),
        events: Vec::new(),
    };
    for (code, name, district, _) in PLATFORMS {
        ids.platforms.insert(
            code,
            create(DictKind::Platform, name, vec![code.into(), district.into()]).await?,
        );
    }
    for (code, name) in UNITS {
        ids.units
            .insert(code, create(DictKind::Unit, name, vec![code.into()]).await?);
    }
    for (name, title) in LEADERS {
        ids.leaders.insert(
            name,
            create(DictKind::Leader, name, vec![title.into()]).await?,
        );
    }
    for name in INDUSTRIES {
        ids.industries
            .insert(name, create(DictKind::Industry, name, Vec::new()).await?);
    }
    for (name, industry) in CHAINS {
        let industry_id = id_of(&ids.industries, industry).to_string();
        ids.chains.insert(
            name,
            create(DictKind::Chain, name, vec![industry_id]).await?,
        );
    }
    for name in LISTS {
        ids.lists
            .insert(name, create(DictKind::List, name, Vec::new()).await?);
    }
    for ev in &EVENTS {
        ids.events.push(
            create(
                DictKind::SigningEvent,
                ev.name,
                vec![ev.held_on.into(), ev.place.into()],
            )
            .await?,
        );
    }

    // Accounts. A name someone already took (say an `admin` made with `hezuo user add`) is left alone.
    let mut users = Vec::new();
    let mut user_ids: HashMap<&str, i64> = HashMap::new();
    let mut admin_id = 0;
    let mut office_id = None;
    for u in &USERS {
        let input = UserInput {
            username: u.username.into(),
            display_name: u.display_name.into(),
            role: u.role.code().into(),
            area: u.area.into(),
            unit_id: u.unit.map(|c| id_of(&ids.units, c)),
            leader_id: u.leader.map(|l| id_of(&ids.leaders, l)),
        };
        match store.create_user(&system, &input, DEMO_PASSWORD).await {
            Ok(created) => {
                if u.role == Role::Admin {
                    admin_id = created.id;
                }
                if u.role == Role::Office {
                    office_id = Some(created.id);
                }
                if u.role == Role::Area {
                    user_ids.insert(u.area, created.id);
                }
                users.push((u.username.to_string(), DEMO_PASSWORD.to_string(), u.label()));
            }
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }

    // Projects: planned and checked in full before the first one is written.
    let plans = plan(&ids);
    let mut drafts = Vec::with_capacity(plans.len());
    for p in &plans {
        drafts.push(
            p.input
                .validate(today())
                .map_err(|e| invalid_plan(&p.input.name, &e))?,
        );
    }
    let viewer = admin_viewer(admin_id);
    let mut project_ids = Vec::with_capacity(plans.len());
    for (p, draft) in plans.iter().zip(&drafts) {
        let area_key = if p.platform == Some("CHQ") {
            "CHQ"
        } else {
            p.district
        };
        let actor = Actor {
            user_id: user_ids.get(area_key).copied(),
            ..system.clone()
        };
        let mut row = store.create_project(&viewer, &actor, draft).await?;
        project_ids.push(row.id);
        for (stage, date) in &p.steps {
            let reason = if *stage == Stage::Terminated {
                p.reason
            } else {
                None
            };
            row = store
                .transition_project(
                    &viewer,
                    &actor,
                    row.id,
                    row.version,
                    *stage,
                    *date,
                    reason,
                    today(),
                )
                .await?;
        }
        if let Some(m) = p.maturity_after {
            let input = ProjectInput {
                stage: Stage::Negotiating.code().into(),
                stage_date: row.stage_date.clone(),
                maturity: m.code().into(),
                ..p.input.clone()
            };
            let draft = input
                .validate(today())
                .map_err(|e| invalid_plan(&input.name, &e))?;
            store
                .update_project(&viewer, &actor, row.id, row.version, &draft)
                .await?;
        }
    }

    // Plans, monthly reports and blocking factors: filed by each area's liaison (the project's
    // platform account for 长合区), reviewed by the office.
    let chq = id_of(&ids.platforms, "CHQ");
    let who: Vec<(Viewer, Actor)> = plans
        .iter()
        .map(|p| {
            let key = if p.platform == Some("CHQ") {
                "CHQ"
            } else {
                p.district
            };
            match user_ids.get(key) {
                Some(&user_id) => (
                    Viewer {
                        user_id,
                        role: Role::Area,
                        area: Some(if key == "CHQ" {
                            Area::Platform(chq)
                        } else {
                            Area::District(key.to_string())
                        }),
                        unit_id: None,
                        leader_id: None,
                    },
                    Actor {
                        user_id: Some(user_id),
                        ..system.clone()
                    },
                ),
                None => (viewer.clone(), system.clone()),
            }
        })
        .collect();
    let office = match office_id {
        Some(user_id) => (
            Viewer {
                user_id,
                role: Role::Office,
                area: None,
                unit_id: None,
                leader_id: None,
            },
            Actor {
                user_id: Some(user_id),
                ..system.clone()
            },
        ),
        None => (viewer.clone(), system.clone()),
    };
    let story = story(&plans, &ids);
    write_story(store, &story, &plans, &project_ids, &who, &office).await?;
    date_reports_in_their_months(store).await?;
    key_items::load(store, &viewer, &system, &ids.units, today()).await?;
    if let Some(login) = assistance::load(store, &viewer, &system, DEMO_PASSWORD).await? {
        users.push(login);
    }
    platforms::load(store, &viewer, &system).await?;
    enterprises::load(store, &viewer, &system).await?;
    Ok(DemoSummary {
        projects: plans.len(),
        users,
        created: true,
    })
}

/// The store stamps reports with the real clock; a demo city of 2023–2024 files each report in
/// the first days of the following month (most by the 10th, a few late) and the office reviews
/// it two days later, so 月度进展's late list tells the same story as the figures.
async fn date_reports_in_their_months(store: &Store) -> Result<(), StoreError> {
    let rows: Vec<(i64, i64, i64, Option<String>)> =
        sqlx::query_as("SELECT id, year, month, reviewed_at FROM monthly_progress ORDER BY id")
            .fetch_all(&store.pool)
            .await?;
    let mut tx = store.begin_write().await?;
    for (id, year, month, reviewed) in rows {
        let (y, m) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        // Day 2–9 mostly; one report in 23 arrives on the 12th–14th (late).
        let day = if id % 23 == 0 {
            12 + id % 3
        } else {
            2 + id % 8
        };
        let submitted = format!("{y}-{m:02}-{day:02}T01:{:02}:00Z", id % 60);
        let reviewed = reviewed.map(|_| format!("{y}-{m:02}-{:02}T07:{:02}:00Z", day + 2, id % 60));
        sqlx::query(
            "UPDATE monthly_progress SET submitted_at = $1, reviewed_at = $2 WHERE id = $3",
        )
        .bind(submitted)
        .bind(reviewed)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A month's report as the store takes it.
fn progress_of(
    month: Month,
    wan: i64,
    image: &str,
    coordination: &str,
    blockers: &[(BlockerKind, String)],
    name: &str,
) -> Result<hezuo_domain::Progress, StoreError> {
    ProgressInput {
        month: month.to_string(),
        invested_wan: wan.to_string(),
        image_progress: image.to_string(),
        coordination: coordination.to_string(),
        blocker_kinds: blockers.iter().map(|b| b.0.code().to_string()).collect(),
        blocker_notes: blockers.iter().map(|b| b.1.clone()).collect(),
    }
    .validate(LAST_MONTH)
    .map_err(|e| invalid_plan(name, &e))
}

/// Writes the story through the store month by month: each year's plans in January, then each
/// month's reports filed by the areas, reviewed by the office, and the blocking factors the
/// areas cleared that month. `who` is the area's viewer and actor by project plan index.
async fn write_story(
    store: &Store,
    story: &Story,
    plans: &[Plan],
    project_ids: &[i64],
    who: &[(Viewer, Actor)],
    office: &(Viewer, Actor),
) -> Result<(), StoreError> {
    let mut blocker_ids: HashMap<(usize, String), i64> = HashMap::new();
    let mut resolutions: Vec<(NaiveDate, usize, &str)> = story
        .blockers
        .iter()
        .filter_map(|x| x.resolved.map(|d| (d, x.b, x.text.as_str())))
        .collect();
    resolutions.sort();
    let mut resolved = 0;
    let mut next = 0;
    for year in [2023, 2024] {
        for b in &story.builds {
            let Some(wan) = b.planned_in(year) else {
                continue;
            };
            let input = PlanInput {
                year: year.to_string(),
                planned_wan: wan.to_string(),
                planned_start: month_at(b.planned_start).to_string(),
                planned_completion: month_at(b.planned_end).to_string(),
            };
            let plan = input
                .validate()
                .map_err(|e| invalid_plan(&plans[b.p].input.name, &e))?;
            let (viewer, actor) = &who[b.p];
            store
                .save_plan(viewer, actor, project_ids[b.p], &plan, None)
                .await?;
        }
        for month in 1..=12 {
            let m = Month { year, month };
            if m > LAST_MONTH {
                break;
            }
            let first = next;
            while next < story.reports.len() && story.reports[next].month == m {
                next += 1;
            }
            let mut filed = Vec::with_capacity(next - first);
            for r in &story.reports[first..next] {
                let p = story.builds[r.b].p;
                let (viewer, actor) = &who[p];
                let name = &plans[p].input.name;
                let progress = match &r.first {
                    Some((wan, image)) => progress_of(m, *wan, image, &r.coordination, &[], name)?,
                    None => {
                        progress_of(m, r.invested, &r.image, &r.coordination, &r.blockers, name)?
                    }
                };
                let row = store
                    .submit_progress(viewer, actor, project_ids[p], &progress)
                    .await?;
                if !r.blockers.is_empty() {
                    let opened = m.last_day().to_string();
                    for x in store.project_blockers(viewer, project_ids[p]).await? {
                        if x.opened_on == opened && x.resolved_on.is_none() {
                            blocker_ids.insert((r.b, x.description), x.id);
                        }
                    }
                }
                filed.push((r, row));
            }
            let (office_viewer, office_actor) = office;
            for (r, row) in filed {
                let reason = match r.review {
                    Review::Accept => None,
                    Review::Pending => continue,
                    Review::Refiled(x) | Review::Returned(x) => Some(RETURN_REASONS[x]),
                };
                let row = store
                    .review_progress(
                        office_viewer,
                        office_actor,
                        row.id,
                        row.version,
                        reason.is_none(),
                        reason,
                    )
                    .await?;
                if matches!(r.review, Review::Refiled(_)) {
                    let p = story.builds[r.b].p;
                    let (viewer, actor) = &who[p];
                    let progress = progress_of(
                        m,
                        r.invested,
                        &r.image,
                        &r.coordination,
                        &r.blockers,
                        &plans[p].input.name,
                    )?;
                    let again = store
                        .submit_progress(viewer, actor, project_ids[p], &progress)
                        .await?;
                    store
                        .review_progress(
                            office_viewer,
                            office_actor,
                            again.id,
                            again.version,
                            true,
                            None,
                        )
                        .await?;
                    debug_assert_eq!(row.id, again.id);
                }
            }
            while let Some(&(date, b, text)) = resolutions.get(resolved) {
                if date > m.last_day() {
                    break;
                }
                let p = story.builds[b].p;
                let (viewer, actor) = &who[p];
                let id = blocker_ids
                    .get(&(b, text.to_string()))
                    .copied()
                    .ok_or(StoreError::NotFound)?;
                store.resolve_blocker(viewer, actor, id, date).await?;
                resolved += 1;
            }
        }
    }
    let (_, office_actor) = office;
    store
        .set_province_reference(
            office_actor,
            Month {
                year: 2023,
                month: 12,
            },
            PROVINCE_METRIC,
            PROVINCE_2023_DEC,
        )
        .await?;
    for (k, value) in PROVINCE_2024.iter().enumerate() {
        store
            .set_province_reference(
                office_actor,
                Month {
                    year: 2024,
                    month: k as u32 + 1,
                },
                PROVINCE_METRIC,
                *value,
            )
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{GroupBy, Period};
    use hezuo_domain::Light;

    fn fake_ids() -> Ids {
        let numbered = |keys: &[&'static str]| {
            keys.iter()
                .enumerate()
                .map(|(i, k)| (*k, i as i64 + 1))
                .collect()
        };
        Ids {
            platforms: numbered(&PLATFORMS.map(|p| p.0)),
            units: numbered(&UNITS.map(|u| u.0)),
            leaders: numbered(&LEADERS.map(|l| l.0)),
            industries: numbered(&INDUSTRIES),
            chains: numbered(&CHAINS.map(|c| c.0)),
            lists: numbered(&LISTS),
            events: (1..=EVENTS.len() as i64).collect(),
        }
    }

    #[test]
    fn the_plan_is_deterministic_and_every_project_validates() {
        let ids = fake_ids();
        let a = plan(&ids);
        let b = plan(&ids);
        assert_eq!(a.len(), b.len());
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.input == y.input && x.steps == y.steps)
        );
        let mut names = HashSet::new();
        let mut codes = HashSet::new();
        for p in &a {
            let d = p
                .input
                .validate(today())
                .unwrap_or_else(|e| panic!("{}: {e:?}", p.input.name));
            assert!(names.insert(d.name.clone()), "duplicate name {}", d.name);
            if let Some(c) = &d.project_code {
                assert!(codes.insert(c.to_string()), "duplicate code {c}");
            }
            let mut last = d.stage_date;
            assert!(last >= ymd(2023, 1, 1));
            let mut stage = d.stage;
            for (s, date) in &p.steps {
                assert!(
                    *date >= last && *date <= today(),
                    "{}: {date} after {last}",
                    d.name
                );
                assert!(
                    stage.allowed_next().contains(s),
                    "{}: {stage:?} → {s:?}",
                    d.name
                );
                last = *date;
                stage = *s;
            }
        }
        let shanghai = a.iter().filter(|p| p.origin == Origin::Shanghai).count();
        assert!(
            shanghai * 100 / a.len() >= 35,
            "沪资 {shanghai} of {}",
            a.len()
        );
        let week: i64 = a
            .iter()
            .filter(|p| p.input.signing_event_id == "5")
            .map(|p| p.cny)
            .sum();
        assert_eq!(Yuan(week).to_string(), "675.2亿元");
    }

    #[test]
    fn the_progress_story_is_deterministic_and_adds_up() {
        let ids = fake_ids();
        let plans = plan(&ids);
        let a = story(&plans, &ids);
        let b = story(&plans, &ids);
        let key = |s: &Story| -> Vec<(usize, Month, i64, String, Review)> {
            s.reports
                .iter()
                .map(|r| (r.b, r.month, r.invested, r.image.clone(), r.review))
                .collect()
        };
        assert_eq!(key(&a), key(&b));
        assert_eq!(a.blockers.len(), b.blockers.len());

        for year in [2023, 2024] {
            let planned = a
                .builds
                .iter()
                .filter(|x| x.planned_in(year).is_some())
                .count();
            eprintln!("{year}: {planned} plans");
            assert!(planned >= 100);
        }
        // The 2024 list comes to 152.0% of its plan, counting what the office has not sent back.
        let listed: Vec<usize> = (0..a.builds.len())
            .filter(|&i| a.builds[i].yrd.contains(&2024) && a.builds[i].planned_in(2024).is_some())
            .collect();
        assert_eq!(listed.len(), 27);
        let planned: i64 = listed
            .iter()
            .map(|&i| a.builds[i].planned_in(2024).unwrap())
            .sum();
        let done: i64 = a
            .reports
            .iter()
            .filter(|r| {
                r.month.year == 2024
                    && listed.contains(&r.b)
                    && !matches!(r.review, Review::Returned(_))
            })
            .map(|r| r.invested)
            .sum();
        let rate = hezuo_domain::Ratio::new(done, planned).unwrap();
        assert_eq!(rate.percent_text(), "152.0%");

        // Money and dates stay sensible.
        for (i, x) in a.builds.iter().enumerate() {
            let total: i64 = a
                .reports
                .iter()
                .filter(|r| r.b == i && !matches!(r.review, Review::Returned(_)))
                .map(|r| r.invested)
                .sum();
            assert!(total <= plans[x.p].cny / WAN, "{}", plans[x.p].input.name);
            assert!(x.planned_start <= x.planned_end);
            if let Some(s) = x.start {
                assert!(
                    (mi_of(s) - x.planned_start).abs() <= 3,
                    "{}",
                    plans[x.p].input.name
                );
            }
        }
        for r in &a.reports {
            let x = &a.builds[r.b];
            assert!(r.invested >= 0);
            assert!(mi_of(x.signed) <= mi(r.month.year, r.month.month));
            if x.start
                .is_none_or(|s| mi_of(s) > mi(r.month.year, r.month.month))
            {
                assert_eq!(r.invested, 0, "{} {}", plans[x.p].input.name, r.month);
            }
            assert!(!r.image.is_empty() && r.image.chars().count() <= 500);
        }
        for x in &a.blockers {
            if let Some(d) = x.resolved {
                assert!(d > month_at(x.opened).last_day() && d <= today());
            }
            assert!(
                a.reports
                    .iter()
                    .any(|r| r.b == x.b && r.blockers.iter().any(|(_, t)| *t == x.text))
            );
        }
        let resolved = a.blockers.iter().filter(|x| x.resolved.is_some()).count();
        assert!(resolved * 3 >= a.blockers.len() && resolved * 3 <= a.blockers.len() * 2);
    }

    #[tokio::test]
    async fn loads_a_believable_huzhou_once() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path =
            std::env::temp_dir().join(format!("hezuo-demo-{}-{nanos}.db", std::process::id()));
        let store = Store::connect(&format!("sqlite://{}", path.display()))
            .await
            .expect("open a temporary database");

        let started = std::time::Instant::now();
        let summary = load_demo(&store).await.expect("load the demo");
        eprintln!("demo loaded in {:.1?}", started.elapsed());
        assert!(summary.created);
        assert!(summary.projects >= 500, "{} projects", summary.projects);
        assert_eq!(summary.users.len(), USERS.len() + 1, "and the 援疆 team");

        let viewer = admin_viewer(1);
        let count = |f: ProjectFilter| {
            let store = store.clone();
            let viewer = viewer.clone();
            async move {
                store
                    .list_projects(
                        &viewer,
                        &ProjectFilter {
                            per_page: Some(1),
                            ..f
                        },
                    )
                    .await
                    .unwrap()
                    .total
            }
        };
        for stage in Stage::ALL {
            let n = count(ProjectFilter {
                stage: Some(stage.code().into()),
                ..Default::default()
            })
            .await;
            eprintln!("{} {n}", stage.label());
            assert!(n > 0, "no project at {}", stage.label());
        }
        let total = count(ProjectFilter::default()).await;
        assert_eq!(total as usize, summary.projects);
        let shanghai = count(ProjectFilter {
            origin: Some("shanghai".into()),
            ..Default::default()
        })
        .await;
        eprintln!("沪资 {shanghai} of {total}");
        assert!(shanghai * 100 / total >= 35);

        // The Shanghai week: 72 projects worth 675.2亿元, signed together.
        let week = store
            .dict_find(DictKind::SigningEvent, EVENTS[LAST_EVENT].name)
            .await
            .unwrap()
            .unwrap();
        let week_rows = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM projects WHERE signing_event_id = $1",
        )
        .bind(week.id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(week_rows, 72);

        // Histories are dated within 2023–2024 and a terminated project says why.
        let bounds: (String, String) =
            sqlx::query_as("SELECT MIN(changed_on), MAX(changed_on) FROM stage_changes")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert!(
            bounds.0.as_str() >= "2023-01-01" && bounds.1.as_str() <= "2024-12-31",
            "{bounds:?}"
        );
        let unexplained: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM stage_changes WHERE to_stage = 'terminated' AND (reason IS NULL OR reason = '')",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(unexplained, 0);

        // The lists are filled for both years.
        let yrd = store
            .dict_find(DictKind::List, LIST_YRD)
            .await
            .unwrap()
            .unwrap();
        let on_yrd_2024 = count(ProjectFilter {
            list: Some(yrd.id),
            year: Some(2024),
            ..Default::default()
        })
        .await;
        eprintln!("省长三角一体化重大项目 2024: {on_yrd_2024}");
        assert!(on_yrd_2024 >= 20);

        // Demo accounts log in and see their own part of the city.
        let session = store
            .login("changhe", DEMO_PASSWORD, "127.0.0.1")
            .await
            .unwrap_or_else(|_| panic!("demo login failed"));
        let mine = store
            .list_projects(&session.user.viewer(), &ProjectFilter::default())
            .await
            .unwrap();
        eprintln!("长合区 sees {}", mine.total);
        assert!(mine.total >= 40 && mine.total < total);
        let lingdao = store.user_by_name("lingdao").await.unwrap();
        let followed = count(ProjectFilter {
            leader: lingdao.leader_id,
            ..Default::default()
        })
        .await;
        eprintln!("沈卫东 follows {followed}");
        assert!(followed >= 30);

        // Plans and monthly progress tell the office's story of 2024.
        let office = store.user_by_name("office").await.unwrap().viewer();
        let december = Period::new(2024, Some(12)).unwrap();
        let city = store
            .investment_stats(&office, &ProjectFilter::default(), december)
            .await
            .unwrap();
        let city_rate = city.completion_rate().unwrap();
        eprintln!(
            "2024: {} plans, planned {}, completed {} ({}), 开工 {}/{}, 竣工 {}/{}, lights {:?}, last year {:?}",
            city.projects,
            Yuan(city.planned),
            Yuan(city.completed),
            city_rate.percent_text(),
            city.started,
            city.planned_start,
            city.completed_projects,
            city.planned_completion,
            city.lights,
            city.last_year_completed.map(Yuan),
        );
        assert!(city.projects >= 250, "{} plans for 2024", city.projects);
        assert!(
            (900..=1300).contains(&city_rate.permille()),
            "city {}",
            city_rate.percent_text()
        );
        assert!(city.lights.behind > 0 && city.lights.ahead > 0);
        let last = store
            .investment_stats(
                &office,
                &ProjectFilter::default(),
                Period::new(2023, Some(12)).unwrap(),
            )
            .await
            .unwrap();
        eprintln!(
            "2023: {} plans, {}",
            last.projects,
            last.completion_rate().unwrap().percent_text()
        );
        assert!(last.projects >= 100);

        // 省长三角一体化重大项目 far ahead: the bulletin's sentence, from the data.
        let listed = store
            .investment_stats(
                &office,
                &ProjectFilter {
                    list: Some(yrd.id),
                    ..Default::default()
                },
                december,
            )
            .await
            .unwrap();
        let list_rate = listed.completion_rate().unwrap();
        let province = store
            .province_reference(LAST_MONTH, PROVINCE_METRIC)
            .await
            .unwrap()
            .unwrap();
        let versus = hezuo_domain::figures::versus_province(list_rate.permille(), province);
        eprintln!(
            "{}个省长三角一体化重大项目完成年度投资{}，年度计划投资完成率达{}，{}",
            listed.projects,
            Yuan(listed.completed),
            list_rate.percent_text(),
            versus
        );
        assert!(list_rate.permille() > 1300);
        assert_eq!(list_rate.percent_text(), "152.0%");
        assert_eq!(versus, "快于全省43.1个百分点");

        // Most districts about on time, one behind.
        let districts = store
            .investment_stats_by(
                &office,
                &ProjectFilter::default(),
                december,
                Some(GroupBy::District),
            )
            .await
            .unwrap();
        for (_, name, s) in &districts {
            eprintln!(
                "{name}: {} ({})",
                s.completion_rate().map_or("-".into(), |r| r.percent_text()),
                s.light().map_or("-", |l| l.label())
            );
        }
        assert_eq!(districts.len(), DISTRICTS.len());
        assert!(
            districts
                .iter()
                .any(|(_, _, s)| s.light() == Some(Light::Behind))
        );
        let on_time = districts
            .iter()
            .filter(|(_, _, s)| s.light() != Some(Light::Behind))
            .count();
        assert!(on_time >= 3);
        let lagging = store
            .lagging_projects(&office, &ProjectFilter::default(), december, 10)
            .await
            .unwrap();
        assert_eq!(lagging.len(), 10);

        // Blocking factors, some cleared, some still open; reports waiting and missing.
        let open = store
            .open_blockers(&office, &ProjectFilter::default())
            .await
            .unwrap();
        let all_blockers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM blockers")
            .fetch_one(store.pool())
            .await
            .unwrap();
        eprintln!("要素制约 {all_blockers}, open {}", open.len());
        assert!(!open.is_empty() && (30..=50).contains(&all_blockers));
        assert!((open.len() as i64) < all_blockers);
        let kinds: HashSet<&str> = open.iter().map(|b| b.kind.as_str()).collect();
        assert!(kinds.len() >= 3, "{kinds:?}");
        let reporting = store.reporting(&office, LAST_MONTH).await.unwrap();
        let missing: usize = reporting.iter().map(|a| a.missing.len()).sum();
        eprintln!(
            "2024-12 missing {missing}: {:?}",
            reporting
                .iter()
                .flat_map(|a| a.missing.iter().map(|m| m.1.as_str()))
                .collect::<Vec<_>>()
        );
        // Returned reports are owed again, so they count as missing too.
        assert!((3..=8).contains(&missing));
        let pending = store.pending_reports(&office).await.unwrap();
        assert!(!pending.is_empty());
        assert!(pending.iter().all(|(r, _)| r.year == 2024 && r.month == 12));
        let returned: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM monthly_progress WHERE status = 'returned' AND return_reason <> ''",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert!(returned > 0);
        // A liaison sees its own area's reports only.
        let nanxun = store.user_by_name("nanxun").await.unwrap().viewer();
        let theirs = store.reporting(&nanxun, LAST_MONTH).await.unwrap();
        assert!(theirs.iter().all(|a| a.district_code == "330503"));

        // 亩均效益评价: over a thousand enterprises with the 2024 scheme, graded in all four classes.
        let population = store.mujun_population(&viewer, 2024).await.unwrap();
        assert!(population.len() >= 1000, "{} enterprises", population.len());
        let scheme = hezuo_domain::mujun::Scheme::from_toml(
            &store
                .mujun_scheme(2024)
                .await
                .unwrap()
                .expect("a 2024 scheme"),
        )
        .expect("the demo scheme works");
        let enterprises: Vec<_> = population.iter().map(|(_, e)| e.clone()).collect();
        let results = hezuo_domain::mujun::score(&scheme, &enterprises);
        for class in ["A", "B", "C", "D"] {
            assert!(
                results.iter().any(|r| r.class.as_deref() == Some(class)),
                "class {class}"
            );
        }
        assert!(
            store
                .mujun_population(&viewer, 2023)
                .await
                .unwrap()
                .iter()
                .all(|(_, e)| e.data.get(hezuo_domain::mujun::DataField::Tax).is_some())
        );

        // A second load writes nothing.
        let again = load_demo(&store).await.expect("second load");
        assert!(!again.created);
        assert_eq!(again.projects, summary.projects);
        assert_eq!(again.users.len(), USERS.len() + 1);
        assert_eq!(count(ProjectFilter::default()).await, total);

        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
