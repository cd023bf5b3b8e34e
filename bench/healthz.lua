-- GET /healthz: the server's ceiling (routing, one database connection opened, no query of the directory).
dofile(os.getenv("BENCH_DIR") .. "/common.lua")
