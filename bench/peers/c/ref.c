/* Hand-written C reference of the 30 benchmark rules (rules/bench/bench.rule, docs/bench.md): jansson parse per line + if-statements.
 * usage: ref < facts.jsonl > out.tsv
 * Build: cc -O2 -o ref ref.c -ljansson
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int has; const char *v; } S_t;
typedef struct { int has; int v; } B_t;
typedef struct { int has; double v; } N_t;

static S_t gs(json_t *o, const char *k) {
    json_t *x = json_object_get(o, k);
    S_t r = {0, NULL};
    if (x && json_is_string(x)) { r.has = 1; r.v = json_string_value(x); }
    return r;
}
static B_t gb(json_t *o, const char *k) {
    json_t *x = json_object_get(o, k);
    B_t r = {0, 0};
    if (x && json_is_boolean(x)) { r.has = 1; r.v = json_is_true(x); }
    return r;
}
static N_t gn(json_t *o, const char *k) {
    json_t *x = json_object_get(o, k);
    N_t r = {0, 0};
    if (x && json_is_number(x)) { r.has = 1; r.v = json_number_value(x); }
    return r;
}

#define EQ(a, b) (strcmp((a), (b)) == 0)
static int in_set(const char *s, const char *const *set) {
    for (; *set; set++) if (EQ(s, *set)) return 1;
    return 0;
}

static const char *const NEWBUILD[] = {"新建", "改建", "扩建", NULL};
static const char *const NEW_EXP[] = {"新建", "扩建", NULL};
static const char *const CAP5[] = {"钢铁", "焦化", "铸造", "水泥", "平板玻璃", NULL};
static const char *const CITY4[] = {"钢铁", "铸造", "水泥", "有色金属冶炼", NULL};
static const char *const SOIL8[] = {"有色金属矿采选", "有色金属冶炼", "化工", "焦化", "电镀",
                                    "制革", "农药", "铅蓄电池", NULL};
static const char *const HEAVY8[] = {"钢铁", "建材", "水泥", "平板玻璃", "铸造", "有色金属冶炼",
                                     "化工", "焦化", NULL};
static const char *const NONIND[] = {"餐饮", "物流", "金融服务", "大数据", "旅游", NULL};
static const char *const CHEM2[] = {"化工", "煤化工", NULL};
static const char *const CHEM3[] = {"化工", "煤化工", "制药", NULL};
static const char *const NO_CROSS[] = {"城区", "泽州县", "高平市", NULL};
static const char *const GW_RESTRICT[] = {"ZH14052220001", "ZH14052120001", NULL};
static const char *const GW_FORBID[] = {"ZH14058120002", "ZH14058120003", NULL};
static const char *const CLEAN_TRUCK[] = {"国六", "新能源", NULL};
static const char *const POWER_STEEL[] = {"电力", "钢铁", NULL};
static const char *const COKE_CEMENT[] = {"焦化", "水泥", NULL};
static const char *const MINE[] = {"露天矿", "采石场", NULL};

static const struct { const char *code; const char *const pos[5]; } PARKS[] = {
    {"ZH14050220001", {"光电制造", "金融服务", NULL}},
    {"ZH14050220002", {"光电制造", "装备制造", "大数据", NULL}},
    {"ZH14050220003", {"制药", "装备制造", "新能源", "物流", NULL}},
    {"ZH14052520001", {"铸造", "装备制造", NULL}},
    {"ZH14052220001", {"电力", "煤化工", NULL}},
    {"ZH14052220002", {"陶瓷", NULL}},
    {"ZH14052220003", {"新能源", "煤层气", "物流", NULL}},
    {"ZH14058120001", {"新能源汽车", "汽车零部件", NULL}},
    {"ZH14058120002", {"新能源", "新材料", NULL}},
    {"ZH14058120003", {"建材", NULL}},
    {"ZH14052120001", {"煤层气", "装备制造", "新材料", NULL}},
};

enum { FORBID = 3, RESTRICT = 2, REQUIRE = 1, ADVISE = 0 };
static const int VERDICT[31] = {
    -1,
    FORBID, REQUIRE, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, RESTRICT, /* R01-R10 */
    RESTRICT, RESTRICT, RESTRICT, FORBID, REQUIRE, RESTRICT, RESTRICT, REQUIRE, REQUIRE, REQUIRE, /* R11-R20 */
    REQUIRE, REQUIRE, REQUIRE, FORBID, REQUIRE, REQUIRE, ADVISE, ADVISE, FORBID, REQUIRE, /* R21-R30 */
};

int main(void) {
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, stdin)) > 0) {
        if (len == 1 && line[0] == '\n') continue;
        json_error_t err;
        json_t *o = json_loadb(line, (size_t)len, 0, &err);
        if (!o) { fprintf(stderr, "parse error: %s\n", err.text); return 1; }
        S_t id = gs(o, "id"), unit_code = gs(o, "unit_code"), unit_class = gs(o, "unit_class"),
            county = gs(o, "county"), industry = gs(o, "industry"), ctype = gs(o, "construction_type"),
            truck = gs(o, "truck_standard"), src = gs(o, "offset_source_county");
        B_t adds = gb(o, "adds_capacity"), city = gb(o, "in_city_planning_area"),
            park = gb(o, "in_industrial_park"), yanhe = gb(o, "in_yanhe_spring_key_zone"),
            wsr = gb(o, "water_supply_related"), qinhe = gb(o, "in_qinhe_protection_zone"),
            outfall = gb(o, "new_outfall"), hwp = gb(o, "high_water_pollution"),
            farm = gb(o, "in_priority_farmland_zone"), gw = gb(o, "uses_groundwater"),
            pm25 = gb(o, "pm25_exceeds");
        N_t dist = gn(o, "distance_to_danhe_m"), reuse = gn(o, "reuse_rate_pct"),
            vocs = gn(o, "vocs_rate_kg_h"), seals = gn(o, "seal_points"),
            freight = gn(o, "annual_freight_10k_t"), so2 = gn(o, "so2_t_a"), nox = gn(o, "nox_t_a");

        int fired[31] = {0};
        /* R01 / R02 */
        if (unit_class.has && industry.has && adds.has && EQ(unit_class.v, "重点管控") &&
            in_set(industry.v, CAP5)) {
            if (adds.v) fired[1] = 1; else fired[2] = 1;
        }
        if (city.has && industry.has && ctype.has && adds.has && city.v && in_set(industry.v, CITY4) &&
            !(EQ(ctype.v, "技术改造") && !adds.v)) fired[3] = 1;
        if (yanhe.has && ctype.has && wsr.has && yanhe.v && in_set(ctype.v, NEWBUILD) && !wsr.v) fired[4] = 1;
        if (dist.has && ctype.has && hwp.has && dist.v <= 1000 && in_set(ctype.v, NEWBUILD) && hwp.v) fired[5] = 1;
        if (qinhe.has && outfall.has && qinhe.v && outfall.v) fired[6] = 1;
        if (qinhe.has && ctype.has && industry.has && qinhe.v && in_set(ctype.v, NEWBUILD) &&
            !in_set(industry.v, NONIND)) fired[7] = 1;
        if (outfall.has && dist.has && outfall.v && dist.v <= 200) fired[8] = 1;
        if (industry.has && ctype.has && park.has && in_set(industry.v, CHEM2) && EQ(ctype.v, "新建") &&
            !park.v) fired[9] = 1;
        if (farm.has && ctype.has && industry.has && farm.v && in_set(ctype.v, NEW_EXP) &&
            in_set(industry.v, SOIL8)) fired[10] = 1;
        if (unit_class.has && ctype.has && industry.has && EQ(unit_class.v, "优先保护") &&
            in_set(ctype.v, NEW_EXP) && !in_set(industry.v, NONIND)) fired[11] = 1;
        if (industry.has && ctype.has && so2.has && nox.has && in_set(industry.v, HEAVY8) &&
            in_set(ctype.v, NEWBUILD) && so2.v + nox.v >= 100) fired[12] = 1;
        if (unit_code.has && gw.has && in_set(unit_code.v, GW_RESTRICT) && gw.v) fired[13] = 1;
        if (unit_code.has && gw.has && in_set(unit_code.v, GW_FORBID) && gw.v) fired[14] = 1;
        if (unit_code.has && reuse.has && in_set(unit_code.v, GW_FORBID) && reuse.v < 85) fired[15] = 1;
        if (unit_code.has && industry.has) {
            for (size_t i = 0; i < sizeof PARKS / sizeof PARKS[0]; i++)
                if (EQ(unit_code.v, PARKS[i].code)) {
                    if (!in_set(industry.v, PARKS[i].pos)) fired[16] = 1;
                    break;
                }
        }
        if (unit_code.has && hwp.has && EQ(unit_code.v, "ZH14052220003") && hwp.v) fired[17] = 1;
        if (vocs.has && vocs.v >= 2) fired[18] = 1;
        if (seals.has && seals.v >= 2000) fired[19] = 1;
        if (freight.has && truck.has && freight.v >= 150 && !in_set(truck.v, CLEAN_TRUCK)) fired[20] = 1;
        if (city.has && industry.has && truck.has && city.v && in_set(industry.v, POWER_STEEL) &&
            !EQ(truck.v, "新能源")) fired[21] = 1;
        if (pm25.has && ctype.has && so2.has && pm25.v && in_set(ctype.v, NEWBUILD) && so2.v > 0) fired[22] = 1;
        if (pm25.has && ctype.has && nox.has && pm25.v && in_set(ctype.v, NEWBUILD) && nox.v > 0) fired[23] = 1;
        if (county.has && so2.has && nox.has && src.has && in_set(county.v, NO_CROSS) && so2.v + nox.v > 0 &&
            !EQ(src.v, county.v)) fired[24] = 1;
        if (industry.has && ctype.has && in_set(industry.v, SOIL8) && in_set(ctype.v, NEWBUILD)) fired[25] = 1;
        if (industry.has && vocs.has && in_set(industry.v, CHEM3) && vocs.v > 0) fired[26] = 1;
        if (industry.has && in_set(industry.v, COKE_CEMENT)) fired[27] = 1;
        if (industry.has && park.has && ctype.has && in_set(industry.v, CHEM2) && park.v &&
            EQ(ctype.v, "新建")) fired[28] = 1;
        if (city.has && industry.has && city.v && in_set(industry.v, MINE)) fired[29] = 1;
        if (industry.has && city.has && EQ(industry.v, "加油站") && city.v) fired[30] = 1;

        int worst = -1, n = 0;
        fputs(id.has ? id.v : "", stdout);
        putchar('\t');
        for (int r = 1; r <= 30; r++)
            if (fired[r] && VERDICT[r] > worst) worst = VERDICT[r];
        fputs(worst == FORBID ? "forbid" : worst == RESTRICT ? "restrict" : worst == REQUIRE ? "require" : "pass",
              stdout);
        putchar('\t');
        for (int r = 1; r <= 30; r++)
            if (fired[r]) printf(n++ ? ",R%02d" : "R%02d", r);
        if (!n) putchar('-');
        putchar('\t');
        if (fired[22] && fired[23])
            printf("SO2=%.0f;NOx=%.0f\n", round(so2.v * 2000), round(nox.v * 2000));
        else if (fired[22])
            printf("SO2=%.0f\n", round(so2.v * 2000));
        else if (fired[23])
            printf("NOx=%.0f\n", round(nox.v * 2000));
        else
            fputs("-\n", stdout);
        json_decref(o);
    }
    free(line);
    return 0;
}
