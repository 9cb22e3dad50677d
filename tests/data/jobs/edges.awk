# Make JSON Lines records (from gen_records) into an input that tests
# every path of `rulevm eval --jobs`: with bom=1 a byte-order mark, then
# blank lines, broken records, an object spread over lines, a record that
# misses its closing brace, values that are not objects, two records on
# one line, records without an id, a run of records without their closing
# brace long enough that a piece must end inside it, and deep nesting
# when deep=1.
NR == 1 && bom { printf "\357\273\277" }
NR % 97 == 0 { sub(/"id":"[^"]*",/, "") }
NR == 500 { print ""; print "   "; print "" }
NR == 900 { print "{\"id\":\"B1\",\"project\":" }
NR == 1200 { gsub(/,"/, ",\n\""); print; next }
NR == 1500 { print "{\"id\":\"B2\",\"project\":{\"nature\":\"新建\"}" }
NR == 1800 { print "42" }
NR == 1801 { print "garbage here" }
NR == 2000 { print "{\"id\":\"B3\",\"project\":{\"nature\":\"新建\"}}}"; print "not a record" }
NR == 2100 { print "{\"project\":{\"nature\":\"新建\"}} {\"project\":{\"nature\":\"扩建\"}}" }
NR == 2200 { print "  {\"project\":{\"nature\":\"改建\"}}\r" }
NR >= 2800 && NR < 2880 { sub(/}$/, "") }
NR == 2300 && deep { s = ""; for (i = 0; i < 70; i++) s = s "{\"a\":"; print s "1" }
{ print }
