-- Lua 5.4 + lua-cjson (Debian: lua5.4, lua-cjson) peer: the 30 benchmark rules (rules/bench/bench.rule, docs/bench.md).
-- usage: lua5.4 rules.lua < facts.jsonl
-- Absent fields: cjson leaves absent keys nil; every rule tests each field it reads for nil first.
local cjson = require("cjson")
local decode = cjson.decode
local fmt, concat, floor = string.format, table.concat, math.floor

local function set(t) local s = {} for _, k in ipairs(t) do s[k] = true end return s end
local NEWBUILD = set{"新建", "改建", "扩建"}
local NEW_EXP = set{"新建", "扩建"}
local CAP5 = set{"钢铁", "焦化", "铸造", "水泥", "平板玻璃"}
local CITY4 = set{"钢铁", "铸造", "水泥", "有色金属冶炼"}
local SOIL8 = set{"有色金属矿采选", "有色金属冶炼", "化工", "焦化", "电镀", "制革", "农药", "铅蓄电池"}
local HEAVY8 = set{"钢铁", "建材", "水泥", "平板玻璃", "铸造", "有色金属冶炼", "化工", "焦化"}
local NONIND = set{"餐饮", "物流", "金融服务", "大数据", "旅游"}
local CHEM2 = set{"化工", "煤化工"}
local CHEM3 = set{"化工", "煤化工", "制药"}
local NO_CROSS = set{"城区", "泽州县", "高平市"}
local GW_RESTRICT = set{"ZH14052220001", "ZH14052120001"}
local GW_FORBID = set{"ZH14058120002", "ZH14058120003"}
local POS = {
  ZH14050220001 = set{"光电制造", "金融服务"},
  ZH14050220002 = set{"光电制造", "装备制造", "大数据"},
  ZH14050220003 = set{"制药", "装备制造", "新能源", "物流"},
  ZH14052520001 = set{"铸造", "装备制造"},
  ZH14052220001 = set{"电力", "煤化工"},
  ZH14052220002 = set{"陶瓷"},
  ZH14052220003 = set{"新能源", "煤层气", "物流"},
  ZH14058120001 = set{"新能源汽车", "汽车零部件"},
  ZH14058120002 = set{"新能源", "新材料"},
  ZH14058120003 = set{"建材"},
  ZH14052120001 = set{"煤层气", "装备制造", "新材料"},
}
-- 3 forbid, 2 restrict, 1 require, 0 advise
local V = {3, 1, 3, 3, 3, 3, 3, 3, 3, 2,
           2, 2, 2, 3, 1, 2, 2, 1, 1, 1,
           1, 1, 1, 3, 1, 1, 0, 0, 3, 1}
local VNAME = {[0] = "pass", "require", "restrict", "forbid"}
local RID = {}
for i = 1, 30 do RID[i] = fmt("R%02d", i) end

local out = io.stdout
out:setvbuf("full", 65536)
local fired = {}

for line in io.lines() do
  if line ~= "" then
    local r = decode(line)
    local uc, ucls, county, ind, ct = r.unit_code, r.unit_class, r.county, r.industry, r.construction_type
    local adds, city, park = r.adds_capacity, r.in_city_planning_area, r.in_industrial_park
    local yanhe, wsr, qinhe, outfall = r.in_yanhe_spring_key_zone, r.water_supply_related, r.in_qinhe_protection_zone, r.new_outfall
    local dist, hwp, farm, gw, reuse = r.distance_to_danhe_m, r.high_water_pollution, r.in_priority_farmland_zone, r.uses_groundwater, r.reuse_rate_pct
    local vocs, seals, freight, truck = r.vocs_rate_kg_h, r.seal_points, r.annual_freight_10k_t, r.truck_standard
    local pm25, so2, nox, src = r.pm25_exceeds, r.so2_t_a, r.nox_t_a, r.offset_source_county
    local n, worst = 0, -1
    local f22, f23 = false, false
    local function fire(i)
      n = n + 1; fired[n] = RID[i]
      if V[i] > worst then worst = V[i] end
    end
    if ucls ~= nil and ind ~= nil and adds ~= nil and ucls == "重点管控" and CAP5[ind] and adds == true then fire(1) end
    if ucls ~= nil and ind ~= nil and adds ~= nil and ucls == "重点管控" and CAP5[ind] and adds == false then fire(2) end
    if city ~= nil and ind ~= nil and ct ~= nil and adds ~= nil and city == true and CITY4[ind]
       and not (ct == "技术改造" and adds == false) then fire(3) end
    if yanhe ~= nil and ct ~= nil and wsr ~= nil and yanhe == true and NEWBUILD[ct] and wsr == false then fire(4) end
    if dist ~= nil and ct ~= nil and hwp ~= nil and dist <= 1000 and NEWBUILD[ct] and hwp == true then fire(5) end
    if qinhe ~= nil and outfall ~= nil and qinhe == true and outfall == true then fire(6) end
    if qinhe ~= nil and ct ~= nil and ind ~= nil and qinhe == true and NEWBUILD[ct] and not NONIND[ind] then fire(7) end
    if outfall ~= nil and dist ~= nil and outfall == true and dist <= 200 then fire(8) end
    if ind ~= nil and ct ~= nil and park ~= nil and CHEM2[ind] and ct == "新建" and park == false then fire(9) end
    if farm ~= nil and ct ~= nil and ind ~= nil and farm == true and NEW_EXP[ct] and SOIL8[ind] then fire(10) end
    if ucls ~= nil and ct ~= nil and ind ~= nil and ucls == "优先保护" and NEW_EXP[ct] and not NONIND[ind] then fire(11) end
    if ind ~= nil and ct ~= nil and so2 ~= nil and nox ~= nil and HEAVY8[ind] and NEWBUILD[ct]
       and so2 + nox >= 100 then fire(12) end
    if uc ~= nil and gw ~= nil and GW_RESTRICT[uc] and gw == true then fire(13) end
    if uc ~= nil and gw ~= nil and GW_FORBID[uc] and gw == true then fire(14) end
    if uc ~= nil and reuse ~= nil and GW_FORBID[uc] and reuse < 85 then fire(15) end
    if uc ~= nil and ind ~= nil and POS[uc] and not POS[uc][ind] then fire(16) end
    if uc ~= nil and hwp ~= nil and uc == "ZH14052220003" and hwp == true then fire(17) end
    if vocs ~= nil and vocs >= 2 then fire(18) end
    if seals ~= nil and seals >= 2000 then fire(19) end
    if freight ~= nil and truck ~= nil and freight >= 150 and truck ~= "国六" and truck ~= "新能源" then fire(20) end
    if city ~= nil and ind ~= nil and truck ~= nil and city == true and (ind == "电力" or ind == "钢铁")
       and truck ~= "新能源" then fire(21) end
    if pm25 ~= nil and ct ~= nil and so2 ~= nil and pm25 == true and NEWBUILD[ct] and so2 > 0 then fire(22); f22 = true end
    if pm25 ~= nil and ct ~= nil and nox ~= nil and pm25 == true and NEWBUILD[ct] and nox > 0 then fire(23); f23 = true end
    if county ~= nil and so2 ~= nil and nox ~= nil and src ~= nil and NO_CROSS[county] and so2 + nox > 0
       and src ~= county then fire(24) end
    if ind ~= nil and ct ~= nil and SOIL8[ind] and NEWBUILD[ct] then fire(25) end
    if ind ~= nil and vocs ~= nil and CHEM3[ind] and vocs > 0 then fire(26) end
    if ind ~= nil and (ind == "焦化" or ind == "水泥") then fire(27) end
    if ind ~= nil and park ~= nil and ct ~= nil and CHEM2[ind] and park == true and ct == "新建" then fire(28) end
    if city ~= nil and ind ~= nil and city == true and (ind == "露天矿" or ind == "采石场") then fire(29) end
    if ind ~= nil and city ~= nil and ind == "加油站" and city == true then fire(30) end

    local firedstr = n == 0 and "-" or concat(fired, ",", 1, n)
    local off
    if f22 and f23 then
      off = fmt("SO2=%d;NOx=%d", floor(so2 * 2000 + 0.5), floor(nox * 2000 + 0.5))
    elseif f22 then
      off = fmt("SO2=%d", floor(so2 * 2000 + 0.5))
    elseif f23 then
      off = fmt("NOx=%d", floor(nox * 2000 + 0.5))
    else
      off = "-"
    end
    out:write(r.id, "\t", VNAME[worst < 0 and 0 or worst], "\t", firedstr, "\t", off, "\n")
  end
end
