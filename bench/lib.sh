#!/usr/bin/env bash
# Helpers shared by bench/run.sh and bench/verify.sh (sourced, not run).

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ensure_wrk() {
  command -v wrk >/dev/null && return 0
  log "installing wrk"
  apt-get -o DPkg::Lock::Timeout=300 install -y wrk >/dev/null || {
    apt-get -o DPkg::Lock::Timeout=300 update >/dev/null && apt-get -o DPkg::Lock::Timeout=300 install -y wrk >/dev/null
  }
}

# free_port: prints a loopback port nobody answers on.
free_port() {
  local candidate
  for candidate in $(shuf -i 20000-60000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  log "no free port found"
  return 1
}

# Seed data: varied names, titles and companies; unique e-mails; unique valid US mobile numbers.
# Contact i gets area code 212/646/917/718 (i mod 4), exchange 230-289 and a scrambled line number: a bijection
# for i < 2,400,000, so numbers never repeat. The CSV writes them as "(212) 245-1234"; the searches use other formats.
gen_csv() { # gen_csv FROM TO
  awk -v from="$1" -v to="$2" 'BEGIN {
    nf = split("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Sandra Mark Ashley Wei Priya Kwame Fatima Hiroshi Lena Omar Chloe Diego Aisha Mateo Sofia Ivan Mei Arjun Ingrid Tomasz Amara Yusuf Camille", F, " ")
    nl = split("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Okafor Schmidt Rossi Kowalski Haddad Tanaka Patel Johansson Dubois Yilmaz", L, " ")
    nt = split("Accountant|Office Manager|CFO|CEO|Receptionist|Paralegal|Nurse|Dental Hygienist|Sales Director|Engineer|Controller|HR Generalist|Architect|Bookkeeper|Operations Lead", T, "|")
    nc = split("Acme Dental|Harbor Law Group|Pine Street Clinic|Northwind Logistics|Blue Ridge Architects|Summit CPA|Riverside Realty|Cedar Family Practice|Lakeside Insurance|Metro Veterinary|Oakwood Schools|Granite Builders|Sunrise Pharmacy|Beacon Financial|Willow Creek Farms|Crescent Hotels|Atlas Manufacturing|Maple Orthodontics|Keystone Title|Horizon Nonprofit", C, "|")
    na = split("212 646 917 718", A, " ")
    print "first_name,last_name,title,company,email,mobile"
    for (i = from; i < to; i++) {
      f = F[(i * 7) % nf + 1]; l = L[(i * 13 + int(i / nf)) % nl + 1]
      c = C[(i * 3 + int(i / 11)) % nc + 1]; t = T[(i * 5 + int(i / 17)) % nt + 1]
      domain = tolower(c); gsub(/[^a-z]/, "", domain)
      area = A[i % na + 1]; exch = 230 + int(i / na) % 60; line = (int(i / (na * 60)) * 7919) % 10000
      printf "%s,%s,%s,%s,%s.%s.%d@%s.example,(%s) %03d-%04d\n", f, l, t, c, tolower(f), tolower(l), i, domain, area, exch, line
    }
  }'
}
number_of() { # number_of I -> "AREA EXCH LINE" of seeded contact I (same formula as gen_csv)
  awk -v i="$1" 'BEGIN { split("212 646 917 718", A, " "); printf "%s %03d %04d\n", A[i % 4 + 1], 230 + int(i / 4) % 60, (int(i / 240) * 7919) % 10000 }'
}

