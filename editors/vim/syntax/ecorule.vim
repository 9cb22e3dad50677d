" Vim syntax file
" Language: ecorule rule files (*.rule), the rule language of rulec
"
" Every keyword has an English and a Chinese spelling. The keyword lists
" below must equal the scanner's (grammar/lexer.l); tests/test_editors.c
" checks that.

if exists("b:current_syntax")
  finish
endif

" A word runs on through '.', as paths and rule ids do in the scanner, so
" `project.unit` is one word and does not show the keyword `unit`.
syntax iskeyword @,48-57,_,.,192-255

syntax keyword ecoruleDeclaration import enum fact attribute label industry county unit rule scenario
syntax keyword ecoruleDeclaration 导入 枚举 事实 属性 标签 行业 县区 单元 规则 场景
syntax keyword ecoruleField class name area code
syntax keyword ecoruleField 类别 名称 面积 代码
syntax keyword ecoruleType boolean integer number quantity date string set of industries
syntax keyword ecoruleType 布尔 整数 数值 数量 日期 文本 集合 行业集合
syntax keyword ecoruleClause title dimension scope when unless let ensure basis from until overrides allow
syntax keyword ecoruleClause 标题 维度 范围 当 除外 计算 须满足 依据 自 至 优先于 允许
syntax keyword ecoruleVerdict forbid restrict require exit guide
syntax keyword ecoruleVerdict 禁止 限制 要求 退出 引导
syntax keyword ecoruleOperator and or not in has known
syntax keyword ecoruleOperator 且 或 非 属于 包含 已知
syntax keyword ecoruleBoolean true false
syntax keyword ecoruleBoolean 是 否

" The four dimensions and the three classes of control units.
syntax match ecoruleConstant "\%(空间布局约束\|污染物排放管控\|环境风险防控\|资源利用效率\)"
syntax match ecoruleConstant "\%(优先保护\|重点管控\|一般管控\)"

" Numbers, then quantities (a number and its unit), then dates: of
" matches that start at one place, the last defined wins.
syntax match ecoruleNumber "\<\d\+\%(\.\d\+\)\?"
syntax match ecoruleQuantity "\<\d\+\%(\.\d\+\)\?[ \t]*\%([%％‰]\|[^\x00-\x7f \t，。、；：（）“”《》]\+\%([/·*][^ \t{}(),"#]\+\)*\|\%(kgce\|tce\|kg\|mg\|μg\|µg\|g\|t\|km\|hm\|cm\|mm\|m\|mL\|L\|min\|s\|h\|d\|a\|kW\|MW\|W\)[23²³]\=\%([/·*][^ \t{}(),"#]\+\)*\%([A-Za-z0-9_]\)\@!\)"
syntax match ecoruleDate "\<\d\{4}-\d\{2}-\d\{2}\>"
syntax match ecoruleDate "\<\d\{4}年\d\{1,2}月\d\{1,2}日"

" A rule id follows `rule`/`规则` and `overrides`/`优先于`.
syntax match ecoruleRuleId "\%(\%(\<rule\|规则\|\<overrides\|优先于\)[ \t]\+\)\@<=[^ \t{},#]\+"
syntax match ecoruleRuleId "\%(\%(\<overrides\|优先于\)[ \t]\+[^ \t{},#]\+\%([ \t]*,[ \t]*[^ \t{},#]\+\)*[ \t]*,[ \t]*\)\@<=[^ \t{},#]\+"

syntax region ecoruleString start=+"+ skip=+\\.+ end=+"+ oneline contains=ecoruleEscape,ecoruleInterpolation
syntax match ecoruleEscape "\\[\\"nt{}]" contained
syntax match ecoruleInterpolation "{[^}"]*}" contained

syntax keyword ecoruleTodo TODO NOTE FIXME contained
syntax match ecoruleComment "#.*$" contains=ecoruleTodo,@Spell

highlight default link ecoruleDeclaration Statement
highlight default link ecoruleField Identifier
highlight default link ecoruleType Type
highlight default link ecoruleClause Keyword
highlight default link ecoruleVerdict Conditional
highlight default link ecoruleOperator Operator
highlight default link ecoruleBoolean Boolean
highlight default link ecoruleConstant Constant
highlight default link ecoruleNumber Number
highlight default link ecoruleQuantity Number
highlight default link ecoruleDate Special
highlight default link ecoruleRuleId Label
highlight default link ecoruleString String
highlight default link ecoruleEscape SpecialChar
highlight default link ecoruleInterpolation Special
highlight default link ecoruleTodo Todo
highlight default link ecoruleComment Comment

let b:current_syntax = "ecorule"
