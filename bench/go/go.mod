module weft.dev/bench

go 1.19
