# Helpers for corrupting a CSV file line by line (sourced by cmd).
# clean_line FILE N: the first line >= N holding no quote character, so a
# plain comma split is exact.
clean_line() {
    awk -v n="$2" 'NR >= n && index($0, "\"") == 0 { print NR; exit }' "$1"
}
# edit FILE LINE COLUMN VALUE: sets one field of one line.
edit() {
    awk -F, -v OFS=, -v line="$2" -v col="$3" -v val="$4" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i
                  if (!c) { print "no column " col > "/dev/stderr"; exit 3 } }
        NR == line { if (index($0, "\"")) { print "quoted line" > "/dev/stderr"; exit 3 }
                     $c = val }
        { print }' "$1" > "$1.tmp" && mv "$1.tmp" "$1"
}
# expect LINE COLUMN RULE: one expected report line.
expect() { echo "$1,$2,$3" >> expected; }
# corrupt FILE START COLUMN VALUE RULE [REPORTED_COLUMN]
corrupt() {
    l=$(clean_line "$1" "$2")
    test -n "$l"
    edit "$1" "$l" "$3" "$4"
    expect "$l" "${6:-$3}" "$5"
}
# report ID: the line,column,rule of every error of a submission, sorted
report() {
    $P20W submissions t.db show "$1" --format csv | awk -F, 'NR > 1 && $3 == "error" { print $4 "," $5 "," $6 }' | sort -t, -k1,1n -k2
}
