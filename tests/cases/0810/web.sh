# Shared by cases 0810 and 0811: a linked, built 300-learner state with one
# account of each role, `p20w serve` on a free port, and curl helpers that
# keep one cookie jar per user. Sourced by `cmd` (sh -eu, in a temp dir).

pw_ada='Granite-Pelican-Orbit-5821'
pw_pat='Velvet-Harbor-Cactus-3307'
pw_pbb='Lantern-Meadow-Quartz-9146'
pw_dan='Copper-Willow-Sonnet-2274'
pw_sam='Maple-Thunder-Bishop-6630'
pw_rita='Saffron-Glacier-Piano-4418'
pw_otto='Hollow-Ember-Tulip-7752'
pw_pat2='Juniper-Falcon-Ledger-1189'
pw_lou='Orchid-Canyon-Rivet-8843'
pw_ian='Thistle-Beacon-Marble-3951'

web_state() {
    $P20W synth --out s --learners 300 --seed 11 > /dev/null
    $P20W init t.db > /dev/null
    $P20W ingest t.db --dir s > /dev/null
    $P20W link t.db > /dev/null
    $P20W build t.db > /dev/null 2>&1
    # school A (most linked learners), its district, school B elsewhere
    A=$(sqlite3 t.db "SELECT t.school_id FROM stg_k12_students t JOIN person_links l ON l.source = 'k12_students' AND l.record_key = t.student_id GROUP BY 1 ORDER BY count(DISTINCT t.student_id) DESC, 1 LIMIT 1")
    DA=$(sqlite3 t.db "SELECT district_id FROM stg_k12_schools WHERE school_id = '$A' LIMIT 1")
    B=$(sqlite3 t.db "SELECT t.school_id FROM stg_k12_students t JOIN person_links l ON l.source = 'k12_students' AND l.record_key = t.student_id JOIN stg_k12_schools sc ON sc.school_id = t.school_id WHERE sc.district_id <> '$DA' GROUP BY 1 ORDER BY count(DISTINCT t.student_id) DESC, 1 LIMIT 1")
    # a learner only ever at A, one only ever at B
    SA=$(sqlite3 t.db "SELECT t.student_id FROM stg_k12_students t JOIN person_links l ON l.source = 'k12_students' AND l.record_key = t.student_id GROUP BY 1 HAVING min(t.school_id) = max(t.school_id) AND min(t.school_id) = '$A' ORDER BY 1 LIMIT 1")
    SB=$(sqlite3 t.db "SELECT t.student_id FROM stg_k12_students t JOIN person_links l ON l.source = 'k12_students' AND l.record_key = t.student_id GROUP BY 1 HAVING min(t.school_id) = max(t.school_id) AND min(t.school_id) = '$B' ORDER BY 1 LIMIT 1")
    test -n "$A" && test -n "$B" && test -n "$SA" && test -n "$SB"
    # the institution with most linked enrolments, and one of its students
    I=$(sqlite3 t.db "SELECT t.institution_id FROM stg_ps_enrollments t JOIN person_links l ON l.source = 'ps_enrollments' AND l.record_key = t.record_key GROUP BY 1 ORDER BY count(DISTINCT t.ps_student_id) DESC, 1 LIMIT 1")
    PSI=$(sqlite3 t.db "SELECT min(t.ps_student_id) FROM stg_ps_enrollments t JOIN person_links l ON l.source = 'ps_enrollments' AND l.record_key = t.record_key WHERE t.institution_id = '$I'")
    test -n "$I" && test -n "$PSI"
    IDA=$(sqlite3 t.db "SELECT p20w_id FROM person_links WHERE source = 'k12_students' AND record_key = '$SA'")
    $P20W dsa t.db add --purpose 'Pathways of graduates' --parties 'State University' \
        --elements k12_students.race_ethnicity,ui_wages.wages \
        --start 2020-01-01 --end 2099-12-31 --destroy 2100-06-30 > /dev/null
    $P20W dsa t.db add --purpose 'An old study' --parties 'Old College' \
        --elements k12_students.sex --start 2020-01-01 --end 2021-12-31 \
        --destroy 2022-06-30 > /dev/null
    add() { # name password role-options...
        n=$1; p=$2; shift 2
        echo "$p" | $P20W user t.db add "$n" "$@" --password-stdin > /dev/null 2>&1
    }
    add ada "$pw_ada" --role admin
    add pat "$pw_pat" --role practitioner --scope "school:$A"
    add pbb "$pw_pbb" --role practitioner --scope "school:$B"
    add dan "$pw_dan" --role practitioner --scope "district:$DA"
    add sam "$pw_sam" --role steward --agency SEA
    add rita "$pw_rita" --role researcher --dsa 1
    add otto "$pw_otto" --role researcher --dsa 2
    add pat2 "$pw_pat2" --role practitioner --scope "school:$A"
    add lou "$pw_lou" --role steward --agency 'labor agency'
    add ian "$pw_ian" --role practitioner --scope "institution:$I"
}

# Starts the server (debug log: every request line) and sets URL.
web_start() {
    P20W_LOG=debug $P20W serve t.db --port 0 > srv.out 2> srv.err &
    SRV=$!
    trap 'kill $SRV 2>/dev/null || true; wait $SRV 2>/dev/null || true' EXIT
    i=0
    until grep -q '^serving http' srv.out 2>/dev/null; do
        i=$((i + 1))
        test $i -lt 300 || { cat srv.err; exit 1; }
        sleep 0.1
    done
    URL=$(sed -n 's/^serving \(http:[^ ]*\).*/\1/p' srv.out | head -1)
    URL=${URL%/}
}

web_stop() {
    kill $SRV
    wait $SRV || true
    trap - EXIT
}

# get JAR PATH: the status; the body in out.html, headers in out.hdr.
get() {
    curl -s -b "$1" -c "$1" -D out.hdr -o out.html -w '%{http_code}' "$URL$2"
}

# post JAR PATH FIELD=VALUE...: the status (fields are url-encoded).
post() {
    j=$1; p=$2; shift 2
    n=$#
    for f in "$@"; do set -- "$@" --data-urlencode "$f"; done
    shift $n
    test $n -gt 0 || set -- --data ''
    curl -s -b "$j" -c "$j" -D out.hdr -o out.html -w '%{http_code}' "$@" "$URL$p"
}

# The CSRF field of the last page fetched.
csrf() {
    sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' out.html | head -1
}

# login NAME PASSWORD [JAR]: signs NAME in with a fresh jar (NAME.jar);
# prints the status.
login() {
    j=${3:-$1.jar}
    rm -f "$j"
    get "$j" /login > /dev/null
    post "$j" /login "csrf=$(csrf)" "user=$1" "password=$2"
}

# The session token in a jar.
token_of() {
    awk '$6 == "p20w_session" { print $7 }' "$1"
}
