;;; CLIPS 6.30 peer: the 30 benchmark rules (rules/bench/bench.rule, docs/benchmarks.md).
;;; usage: clips -f2 rules.clp < facts.clp      (facts.clp made by json2clips.py)
;;; Driver: read one fact per line from stdin, assert it, (run), print, retract.
;;; Absent fields are the symbol nil (slot default); literal patterns never match nil, and
;;; numeric/negative tests check (numberp ...) or ~nil first, so a rule reading an absent field
;;; does not fire.

(deftemplate project
  (slot id) (slot unit_code (default nil)) (slot unit_class (default nil)) (slot county (default nil))
  (slot industry (default nil)) (slot construction_type (default nil)) (slot adds_capacity (default nil))
  (slot in_city_planning_area (default nil)) (slot in_industrial_park (default nil))
  (slot in_yanhe_spring_key_zone (default nil)) (slot water_supply_related (default nil))
  (slot in_qinhe_protection_zone (default nil)) (slot new_outfall (default nil))
  (slot distance_to_danhe_m (default nil)) (slot high_water_pollution (default nil))
  (slot in_priority_farmland_zone (default nil)) (slot uses_groundwater (default nil))
  (slot reuse_rate_pct (default nil)) (slot vocs_rate_kg_h (default nil)) (slot seal_points (default nil))
  (slot annual_freight_10k_t (default nil)) (slot truck_standard (default nil)) (slot pm25_exceeds (default nil))
  (slot so2_t_a (default nil)) (slot nox_t_a (default nil)) (slot offset_source_county (default nil)))

;; park units and their industry positioning (docs/bench.md, R16)
(deffacts parks
  (park "ZH14050220001") (positioning "ZH14050220001" "光电制造") (positioning "ZH14050220001" "金融服务")
  (park "ZH14050220002") (positioning "ZH14050220002" "光电制造") (positioning "ZH14050220002" "装备制造")
  (positioning "ZH14050220002" "大数据")
  (park "ZH14050220003") (positioning "ZH14050220003" "制药") (positioning "ZH14050220003" "装备制造")
  (positioning "ZH14050220003" "新能源") (positioning "ZH14050220003" "物流")
  (park "ZH14052520001") (positioning "ZH14052520001" "铸造") (positioning "ZH14052520001" "装备制造")
  (park "ZH14052220001") (positioning "ZH14052220001" "电力") (positioning "ZH14052220001" "煤化工")
  (park "ZH14052220002") (positioning "ZH14052220002" "陶瓷")
  (park "ZH14052220003") (positioning "ZH14052220003" "新能源") (positioning "ZH14052220003" "煤层气")
  (positioning "ZH14052220003" "物流")
  (park "ZH14058120001") (positioning "ZH14058120001" "新能源汽车") (positioning "ZH14058120001" "汽车零部件")
  (park "ZH14058120002") (positioning "ZH14058120002" "新能源") (positioning "ZH14058120002" "新材料")
  (park "ZH14058120003") (positioning "ZH14058120003" "建材")
  (park "ZH14052120001") (positioning "ZH14052120001" "煤层气") (positioning "ZH14052120001" "装备制造")
  (positioning "ZH14052120001" "新材料"))

(defglobal
  ?*hits* = (create$)
  ?*so2* = nil
  ?*nox* = nil
  ;; 3 forbid, 2 restrict, 1 require, 0 advise; index = rule number
  ?*V* = (create$ 3 1 3 3 3 3 3 3 3 2  2 2 2 3 1 2 2 1 1 1  1 1 1 3 1 1 0 0 3 1)
  ?*VNAME* = (create$ "pass" "require" "restrict" "forbid")
  ?*RID* = (create$ "R01" "R02" "R03" "R04" "R05" "R06" "R07" "R08" "R09" "R10"
                    "R11" "R12" "R13" "R14" "R15" "R16" "R17" "R18" "R19" "R20"
                    "R21" "R22" "R23" "R24" "R25" "R26" "R27" "R28" "R29" "R30"))

(deffunction hit (?n) (bind ?*hits* (create$ ?*hits* ?n)))

(defrule R01 (project (unit_class "重点管控") (industry "钢铁"|"焦化"|"铸造"|"水泥"|"平板玻璃") (adds_capacity TRUE))
  => (hit 1))
(defrule R02 (project (unit_class "重点管控") (industry "钢铁"|"焦化"|"铸造"|"水泥"|"平板玻璃") (adds_capacity FALSE))
  => (hit 2))
(defrule R03
  (project (in_city_planning_area TRUE) (industry "钢铁"|"铸造"|"水泥"|"有色金属冶炼")
           (construction_type ?ct&~nil) (adds_capacity ?a&~nil))
  (test (not (and (eq ?ct "技术改造") (eq ?a FALSE))))
  => (hit 3))
(defrule R04 (project (in_yanhe_spring_key_zone TRUE) (construction_type "新建"|"改建"|"扩建") (water_supply_related FALSE))
  => (hit 4))
(defrule R05
  (project (distance_to_danhe_m ?d&:(and (numberp ?d) (<= ?d 1000))) (construction_type "新建"|"改建"|"扩建")
           (high_water_pollution TRUE))
  => (hit 5))
(defrule R06 (project (in_qinhe_protection_zone TRUE) (new_outfall TRUE)) => (hit 6))
(defrule R07
  (project (in_qinhe_protection_zone TRUE) (construction_type "新建"|"改建"|"扩建")
           (industry ?i&~nil&~"餐饮"&~"物流"&~"金融服务"&~"大数据"&~"旅游"))
  => (hit 7))
(defrule R08 (project (new_outfall TRUE) (distance_to_danhe_m ?d&:(and (numberp ?d) (<= ?d 200)))) => (hit 8))
(defrule R09 (project (industry "化工"|"煤化工") (construction_type "新建") (in_industrial_park FALSE)) => (hit 9))
(defrule R10
  (project (in_priority_farmland_zone TRUE) (construction_type "新建"|"扩建")
           (industry "有色金属矿采选"|"有色金属冶炼"|"化工"|"焦化"|"电镀"|"制革"|"农药"|"铅蓄电池"))
  => (hit 10))
(defrule R11
  (project (unit_class "优先保护") (construction_type "新建"|"扩建")
           (industry ?i&~nil&~"餐饮"&~"物流"&~"金融服务"&~"大数据"&~"旅游"))
  => (hit 11))
(defrule R12
  (project (industry "钢铁"|"建材"|"水泥"|"平板玻璃"|"铸造"|"有色金属冶炼"|"化工"|"焦化")
           (construction_type "新建"|"改建"|"扩建")
           (so2_t_a ?s&:(numberp ?s)) (nox_t_a ?n&:(and (numberp ?n) (>= (+ ?s ?n) 100))))
  => (hit 12))
(defrule R13 (project (unit_code "ZH14052220001"|"ZH14052120001") (uses_groundwater TRUE)) => (hit 13))
(defrule R14 (project (unit_code "ZH14058120002"|"ZH14058120003") (uses_groundwater TRUE)) => (hit 14))
(defrule R15
  (project (unit_code "ZH14058120002"|"ZH14058120003") (reuse_rate_pct ?r&:(and (numberp ?r) (< ?r 85))))
  => (hit 15))
(defrule R16
  (project (unit_code ?u&~nil) (industry ?i&~nil))
  (park ?u)
  (not (positioning ?u ?i))
  => (hit 16))
(defrule R17 (project (unit_code "ZH14052220003") (high_water_pollution TRUE)) => (hit 17))
(defrule R18 (project (vocs_rate_kg_h ?v&:(and (numberp ?v) (>= ?v 2)))) => (hit 18))
(defrule R19 (project (seal_points ?v&:(and (numberp ?v) (>= ?v 2000)))) => (hit 19))
(defrule R20
  (project (annual_freight_10k_t ?f&:(and (numberp ?f) (>= ?f 150))) (truck_standard ?t&~nil&~"国六"&~"新能源"))
  => (hit 20))
(defrule R21
  (project (in_city_planning_area TRUE) (industry "电力"|"钢铁") (truck_standard ?t&~nil&~"新能源"))
  => (hit 21))
(defrule R22
  (project (pm25_exceeds TRUE) (construction_type "新建"|"改建"|"扩建") (so2_t_a ?s&:(and (numberp ?s) (> ?s 0))))
  => (hit 22) (bind ?*so2* (round (* ?s 2000))))
(defrule R23
  (project (pm25_exceeds TRUE) (construction_type "新建"|"改建"|"扩建") (nox_t_a ?n&:(and (numberp ?n) (> ?n 0))))
  => (hit 23) (bind ?*nox* (round (* ?n 2000))))
(defrule R24
  (project (county ?c&"城区"|"泽州县"|"高平市")
           (so2_t_a ?s&:(numberp ?s)) (nox_t_a ?n&:(and (numberp ?n) (> (+ ?s ?n) 0)))
           (offset_source_county ?o&~nil&~?c))
  => (hit 24))
(defrule R25
  (project (industry "有色金属矿采选"|"有色金属冶炼"|"化工"|"焦化"|"电镀"|"制革"|"农药"|"铅蓄电池")
           (construction_type "新建"|"改建"|"扩建"))
  => (hit 25))
(defrule R26 (project (industry "化工"|"煤化工"|"制药") (vocs_rate_kg_h ?v&:(and (numberp ?v) (> ?v 0)))) => (hit 26))
(defrule R27 (project (industry "焦化"|"水泥")) => (hit 27))
(defrule R28 (project (industry "化工"|"煤化工") (in_industrial_park TRUE) (construction_type "新建")) => (hit 28))
(defrule R29 (project (in_city_planning_area TRUE) (industry "露天矿"|"采石场")) => (hit 29))
(defrule R30 (project (industry "加油站") (in_city_planning_area TRUE)) => (hit 30))

(deffunction emit (?id)
  (bind ?hits (sort > ?*hits*))
  (bind ?worst 0)
  (bind ?fired "")
  (progn$ (?r ?hits)
    (bind ?v (nth$ ?r ?*V*))
    (if (> ?v ?worst) then (bind ?worst ?v))
    (if (eq ?fired "") then (bind ?fired (nth$ ?r ?*RID*))
     else (bind ?fired (str-cat ?fired "," (nth$ ?r ?*RID*)))))
  (if (eq ?fired "") then (bind ?fired "-"))
  (bind ?off "-")
  (if (and (neq ?*so2* nil) (neq ?*nox* nil)) then (bind ?off (str-cat "SO2=" ?*so2* ";NOx=" ?*nox*))
   else (if (neq ?*so2* nil) then (bind ?off (str-cat "SO2=" ?*so2*))
         else (if (neq ?*nox* nil) then (bind ?off (str-cat "NOx=" ?*nox*)))))
  (printout t ?id tab (nth$ (+ ?worst 1) ?*VNAME*) tab ?fired tab ?off crlf))

(deffunction main ()
  (bind ?line (readline stdin))
  (while (neq ?line EOF) do
    (if (neq ?line "") then
      (bind ?f (assert-string ?line))
      (run)
      (emit (fact-slot-value ?f id))
      (retract ?f)
      (bind ?*hits* (create$))
      (bind ?*so2* nil)
      (bind ?*nox* nil))
    (bind ?line (readline stdin))))

(reset)
(main)
(exit)
