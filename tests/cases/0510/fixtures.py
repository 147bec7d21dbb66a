# Generates a.csv and b.csv of golden case 0510 (kept for provenance; the
# case reads the committed CSVs). Each line of `people` is one person; the
# if-lines below give each a story: nickname, typo, day/month swap, a bad
# date, a bad or invalid SSN, an unreadable sex, married name, twins.
import csv, random
random.seed(7)
# id, first, last, dob(y,m,d), sex, ssn
people = [
("T01","Michael","Anderson",(2001,3,14),"M","212-45-7781"),
("T02","Jennifer","Baker",(2000,11,2),"F","311-22-4410"),
("T03","William","Johnson",(1999,6,30),"M","401-77-1290"),   # nickname Bill in B
("T04","Katherine","Delgado",(2002,1,9),"F",""),             # typo Kathrine in B
("T05","Robert","Smith",(2001,7,3),"M","512-11-9034"),        # day/month swapped in B
("T06","Emma","Clark",(2003,4,21),"F",""),                    # twin of T07
("T07","Olivia","Clark",(2003,4,21),"F",""),                  # twin, not in B
("T08","Daniel","Okafor",(2000,9,17),"M","623-40-1188"),
("T09","Sophia","Nguyen",(2002,12,25),"F","144-90-3321"),
("T10","James","Whitaker",(1998,5,5),"M","155-23-7702"),
("T11","Elizabeth","Moreno",(2001,2,28),"F","166-31-0045"),   # nickname Liz in B
("T12","Christopher","Hughes",(1999,10,10),"M",""),
("T13","Ashley","Patel",(2000,8,8),"F","177-56-2290"),
("T14","Matthew","Kowalski",(2002,6,1),"M","188-67-3390"),    # bad date in A
("T15","Jessica","Fernandez",(2001,9,12),"F","199-78-4490"),  # bad SSN in B
("T16","Joshua","Brennan",(2003,3,3),"M",""),                 # missing dob in B
("T17","Amanda","Yamamoto",(1999,12,31),"F","233-19-5590"),
("T18","Andrew","Schultz",(2000,4,15),"M","244-20-6690"),     # surname typo Shultz
("T19","Megan","Oconnor",(2002,7,19),"F",""),
("T20","Tyler","Washington",(2001,5,27),"M","255-21-7790"),
("T21","Hannah","Lindqvist",(2003,8,30),"F","266-22-8890"),
("T22","Nicholas","Bergstrom",(1998,2,14),"M","277-23-9990"),
("T23","Samantha","Rivera",(2000,1,1),"F",""),                # sex missing in A
("T24","Brandon","Castillo",(2002,11,11),"M","288-24-1100"),
("T25","Rachel","Goldberg",(2001,10,5),"F","299-25-2200"),
("T26","Kevin","Nakamura",(1999,3,22),"M",""),
("T27","Lauren","Fitzgerald",(2000,6,18),"F","322-26-3300"),
("T28","Justin","Abernathy",(2002,9,9),"M","333-27-4400"),
("T29","Victoria","Szabo",(2003,12,12),"F",""),
("T30","Anthony","Delacroix",(2001,4,4),"M","344-28-5500"),
("T31","Natalie","Marchetti",(1999,8,26),"F","355-29-6600"),  # married name in B, SSN ties
("T32","Zachary","Holloway",(2000,2,29),"M",""),
("T33","Brittany","Esposito",(2002,5,16),"F","366-30-7700"),
("T41","Laura","Jensen",(2000,10,10),"F",""),
# only in A
("T34","Gregory","Pemberton",(2001,1,20),"M","377-31-8800"),
("T35","Chelsea","Vandermeer",(2000,7,7),"F",""),
("T36","Dustin","Whitfield",(1998,11,23),"M","388-32-9900"),
# only in B
("T37","Marcus","Trevino",(2001,6,6),"M","399-33-1234"),
("T38","Heather","Albright",(2002,3,17),"F",""),
("T39","Caleb","Strickland",(1999,9,9),"M","411-34-2345"),
("T40","Olivia","Clarke",(2004,4,21),"F",""),                 # similar to T07, different person
("T42","Laura","Whitman",(2000,10,10),"F",""),               # like T41 but another person
]
onlyA = {"T34","T35","T36"}; onlyB = {"T37","T38","T39","T40","T42"}
A=[]; B=[]
for pid,f,l,(y,m,d),s,ssn in people:
    if pid not in onlyB:
        dob="%02d/%02d/%04d"%(m,d,y); sx=s; sn=ssn; ff=f; ll=l
        if pid=="T14": dob="13/45/2002"
        if pid=="T23": sx=""
        if pid=="T26": sx="Q"
        z = "%05d" % (10000 + int(pid[1:]) * 37) if int(pid[1:]) % 3 else ""
        if pid=="T20": z="2O401"
        if pid=="T02": z=z+"-1234" if z else "30301-1234"
        A.append([ff,ll,dob,sx,sn,z,pid])
    if pid not in onlyA and pid!="T07":
        ff=f; ll=l; dob="%04d-%02d-%02d"%(y,m,d); sx=s; sn=ssn.replace("-","")
        if pid=="T03": ff="Bill"
        if pid=="T11": ff="Liz"
        if pid=="T04": ff="Kathrine"
        if pid=="T05": dob="%04d-%02d-%02d"%(y,d,m)
        if pid=="T16": dob=""
        if pid=="T18": ll="Shultz"
        if pid=="T15": sn="19978449"
        if pid=="T31": ll="Kaminski"
        if pid=="T09": ff=ff.upper(); ll=ll.upper()
        if pid=="T19": ll="O'Connor"
        if pid=="T22": sn="000-23-9990"
        if pid=="T12": sx="male"
        if pid=="T13": sx="female"
        z = "%05d" % (10000 + int(pid[1:]) * 37) if int(pid[1:]) % 3 else ""
        if pid=="T02": z="30301"
        addr = "%d Main St, Apt %d" % (int(pid[1:]) * 11, int(pid[1:]))
        B.append([sx,dob,ll,ff,sn,z,addr,pid])
random.shuffle(B)
with open("a.csv","w",newline="") as fh:
    w=csv.writer(fh, lineterminator="\n"); w.writerow(["Given","Surname","DOB (MM/DD/YYYY)","Gender","SSN","Zip Code","TrueID"]); w.writerows(A)
with open("b.csv","w",newline="") as fh:
    w=csv.writer(fh, lineterminator="\n"); w.writerow(["sex","birthdate","lname","fname","social","zip","home address","TrueID"]); w.writerows(B)
